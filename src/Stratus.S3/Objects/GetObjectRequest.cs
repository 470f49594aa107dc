using Microsoft.AspNetCore.Http;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;

namespace Stratus.S3.Objects;

/// <summary>A GetObject or HeadObject: which object, which bytes, on which conditions, with which header overrides.</summary>
internal sealed class GetObjectRequest
{
    private GetObjectRequest(string bucket, string key, bool head, IHeaderDictionary headers, QueryParameters query)
    {
        Bucket = bucket;
        Key = key;
        Head = head;
        Headers = headers;
        Query = query;
    }

    public string Bucket { get; }

    public string Key { get; }

    public bool Head { get; }

    public IHeaderDictionary Headers { get; }

    public QueryParameters Query { get; }

    public string? Range => Headers.TryGetValue("Range", out var value) && value.Count > 0 ? value.ToString() : null;

    public int? PartNumber { get; private init; }

    /// <summary>The version to read (<c>versionId</c>), or null for the current one.</summary>
    public string? VersionId { get; private init; }

    /// <summary>
    /// The current record's bytes as this request's authorization read them (null if it read none), so that the handler
    /// serves the very version that was authorized without reading it again.
    /// </summary>
    public byte[]? AuthorizedRecord { get; set; }

    public bool ChecksumMode => string.Equals(Headers["x-amz-checksum-mode"].ToString(), "ENABLED", StringComparison.OrdinalIgnoreCase);

    public static GetObjectRequest From(OperationInput input, bool head)
    {
        var bucket = input.Labels.TryGetValue("Bucket", out var b) ? b : throw ProtocolErrors.MissingParameter(input.Protocol, "Bucket");
        var key = input.Labels.TryGetValue("Key", out var k) ? k : throw ProtocolErrors.MissingParameter(input.Protocol, "Key");
        var partNumber = input.IntegerParameter("partNumber", 1, 10000);
        if (partNumber is not null && input.Headers.ContainsKey("Range"))
        {
            throw S3Errors.InvalidRequest("Cannot specify both Range header and partNumber query parameter");
        }

        return new GetObjectRequest(bucket, key, head, input.Headers, input.Parameters)
        {
            PartNumber = partNumber,
            VersionId = input.Parameters.Get("versionId"),
        };
    }

    /// <summary>
    /// A website visitor's read of the current version of <paramref name="key"/> (no version, part or overrides), whose
    /// record the website's own check has read.
    /// </summary>
    public static GetObjectRequest ForWebsite(string bucket, string key, bool head, IHeaderDictionary headers, byte[] record) =>
        new(bucket, key, head, headers, QueryParameters.Empty) { AuthorizedRecord = record };

    /// <summary>A <c>response-*</c> query override, if given.</summary>
    public string? Override(string name) => Query.Get(name);
}
