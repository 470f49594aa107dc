using Stratus.Core;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>The errors of versions, delete markers and object tags.</summary>
internal static partial class S3Errors
{
    public static AwsException NoSuchVersion(string key, string versionId) =>
        new("NoSuchVersion", "The specified version does not exist.", 404) { Details = [new("Key", key), new("VersionId", versionId)] };

    public static AwsException InvalidVersionId(string versionId) =>
        InvalidArgument("Invalid version id specified", "versionId", versionId);

    /// <summary>A read of a key whose latest version is a delete marker: 404 with the marker's headers.</summary>
    public static AwsException NoSuchKeyBehindMarker(string key, ObjectRecord marker) =>
        new("NoSuchKey", "The specified key does not exist.", 404)
        {
            Details = [new("Key", key)],
            Headers = [new("x-amz-delete-marker", "true"), new("x-amz-version-id", marker.VersionIdText)],
        };

    /// <summary>A read or tagging of a delete marker named by its version id.</summary>
    public static AwsException MethodNotAllowedOnMarker(string method, ObjectRecord marker) =>
        new("MethodNotAllowed", "The specified method is not allowed against this resource.", 405)
        {
            Details = [new("Method", method), new("ResourceType", "DeleteMarker")],
            Headers =
            [
                new("x-amz-delete-marker", "true"),
                new("x-amz-version-id", marker.VersionIdText),
                new("Last-Modified", S3Xml.HttpDate(marker.LastModified)),
            ],
        };
}
