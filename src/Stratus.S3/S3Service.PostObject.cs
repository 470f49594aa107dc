using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Stratus.Core;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Objects;
using Stratus.S3.Responses;

namespace Stratus.S3;

/// <summary>
/// POST Object: the browser-form upload. A multipart/form-data body holds the key, the object's headers, a signed
/// policy and last the file; the form's own signature (not the request's) says who uploads, and the policy bounds
/// what the form may hold. The SDKs make the fields (boto3's <c>generate_presigned_post</c>); a browser or curl sends them.
/// </summary>
public sealed partial class S3Service
{
    /// <summary>S3's limit on the fields before the file.</summary>
    private const int MaxFormFieldBytes = 20 * 1024;

    /// <summary>Form fields that become the object's headers under the same name.</summary>
    private static readonly string[] FormHeaderFields =
    [
        "Content-Type", "Content-Encoding", "Content-Disposition", "Content-Language", "Cache-Control", "Expires",
        "x-amz-storage-class", "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-website-redirect-location",
        "x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold",
    ];

    private void RegisterPostObject() =>
        Register<(string Bucket, Stream Body), IRestResponse>(
            "PostObject",
            static input => (Label(input, "Bucket"), input.Body),
            // The key and the signer are in the form: the operation authenticates and authorizes once it has read them.
            (request, _) => OnBucket("s3:PutObject", request.Bucket, "*") with { AuthorizedByOperation = true },
            PostObjectAsync);

    private async ValueTask<IRestResponse> PostObjectAsync((string Bucket, Stream Body) request, RequestContext context, CancellationToken cancellationToken)
    {
        var bucket = request.Bucket;
        if (!MediaTypeHeaderValue.TryParse(context.Http.Request.ContentType, out var media)
            || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Length is 0 or > 200)
        {
            throw new AwsException("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412)
            {
                Details = [new("Condition", "Bucket POST must be of the enclosure-type multipart/form-data")],
            };
        }

        var region = RequireBucket(bucket).Region;
        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(media.Boundary).ToString(), request.Body) { BodyLengthLimit = null };
        var (fields, file, fileName) = await ReadFormAsync(reader, cancellationToken).ConfigureAwait(false);
        if (file is null)
        {
            throw S3Errors.InvalidArgument("POST requires exactly one file upload per request.", "file", "0");
        }

        var key = (Field(fields, "key") ?? "").Replace("${filename}", fileName, StringComparison.Ordinal);
        if (key.Length == 0)
        {
            throw MissingField("key");
        }

        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw S3Errors.KeyTooLong();
        }

        var policy = AuthenticateForm(fields, context);
        if (Field(fields, "x-amz-credential") is not null && context.Region != region)
        {
            // The signing key is the region's: a form signed for another region than the bucket's is refused, as in S3.
            throw S3Errors.InvalidArgument($"the region '{context.Region}' is wrong; expecting '{region}'", "X-Amz-Credential", Field(fields, "x-amz-credential")!);
        }

        policy?.Check(fields, bucket, context.Time.GetUtcNow());

        var headers = ObjectHeaders(fields);
        if (Field(fields, "tagging") is { } tagging)
        {
            using var xml = new MemoryStream(Encoding.UTF8.GetBytes(tagging));
            var tags = ParseTagging(await SafeXml.LoadAsync(xml, cancellationToken).ConfigureAwait(false));
            headers["x-amz-tagging"] = string.Join('&', tags.Select(t => Uri.EscapeDataString(t.Key) + "=" + Uri.EscapeDataString(t.Value)));
        }

        var put = new PutObjectRequest(bucket, key, file, headers);
        if (!context.Authorize(WithConditionKeys(OnPutWithTags(put), context)).Allowed)
        {
            throw new AwsException("AccessDenied", "Access Denied", 403);
        }

        ObjectRecord record;
        try
        {
            (record, _, _) = await StoreObjectAsync(put, contentLength: null, context, policy is null ? null : policy.CheckLength, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException error) when (error is not BadHttpRequestException)
        {
            // The file's section never reached its closing boundary: the shards stored so far are gone already.
            throw MalformedPost(error.Message);
        }

        return PostResponse(fields, context, bucket, record.Key, S3Xml.Quoted(record.ETag), record.VersionId);
    }

    /// <summary>
    /// Reads the form up to its file: the fields (names compared without case; at most 20 KB of them, as S3 allows) and
    /// the file's section, whose body is then read as the object's (the fields after it are ignored, as in S3).
    /// </summary>
    private static async Task<(Dictionary<string, string> Fields, Stream? File, string FileName)> ReadFormAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var total = 0;
        var buffer = new byte[MaxFormFieldBytes + 1]; // every field is read into it: together they fit, or the form is refused
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).ToString() is not { Length: > 0 } name)
                {
                    throw MalformedPost("every part of the form needs a Content-Disposition of form-data with a name.");
                }

                if (name.Equals("file", StringComparison.OrdinalIgnoreCase))
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).ToString();
                    return (fields, section.Body, fileName);
                }

                var value = await ReadFieldAsync(section.Body, buffer, MaxFormFieldBytes - total, cancellationToken).ConfigureAwait(false);
                total += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
                if (!fields.TryAdd(name, value))
                {
                    throw S3Errors.InvalidArgument($"The form field {name} appears more than once.", name, value);
                }
            }
        }
        catch (IOException error) when (error is not BadHttpRequestException)
        {
            // MultipartReader's word for a body that is not the multipart it says it is.
            throw MalformedPost(error.Message);
        }

        return (fields, null, "");
    }

    // One field's value, read into the form's buffer up to one byte past what the fields before it left of the 20 KB.
    private static async Task<string> ReadFieldAsync(Stream body, byte[] buffer, int budget, CancellationToken cancellationToken)
    {
        var limit = Math.Max(budget, 0) + 1;
        var length = 0;
        int read;
        while (length < limit && (read = await body.ReadAsync(buffer.AsMemory(length, limit - length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        if (length > budget)
        {
            throw new AwsException("MaxPostPreDataLengthExceededError", "Your POST request fields preceding the upload file was too large.", 400)
            {
                Details = [new("MaxPostPreDataLength", MaxFormFieldBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            };
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>
    /// Verifies the form's signature when it has a policy, making its signer the caller, and returns the policy to check
    /// the form by; a form with neither is anonymous (a bucket policy must let everyone write). Signature fields
    /// without a policy, or a policy without them, are refused.
    /// </summary>
    private static PostPolicy? AuthenticateForm(Dictionary<string, string> fields, RequestContext context)
    {
        var policyText = Field(fields, "policy");
        var v2 = Field(fields, "AWSAccessKeyId");
        if (policyText is null)
        {
            if (v2 is not null || Field(fields, "x-amz-signature") is not null || Field(fields, "signature") is not null || Field(fields, "x-amz-credential") is not null)
            {
                throw MissingField("policy");
            }

            return null;
        }

        var signature = v2 is not null
            ? new PostFormSignature { Policy = policyText, Signature = Field(fields, "signature") ?? throw MissingField("signature"), AccessKeyId = v2 }
            : new PostFormSignature
            {
                Policy = policyText,
                Signature = Field(fields, "x-amz-signature") ?? throw MissingField("x-amz-signature"),
                Algorithm = Field(fields, "x-amz-algorithm") ?? throw MissingField("x-amz-algorithm"),
                Credential = Field(fields, "x-amz-credential") ?? throw MissingField("x-amz-credential"),
                Date = Field(fields, "x-amz-date") ?? throw MissingField("x-amz-date"),
            };
        context.AuthenticatePostForm(signature with { SecurityToken = Field(fields, "x-amz-security-token") });
        return PostPolicy.Parse(policyText);
    }

    // The PutObject headers the form's fields stand for: the standard ones and x-amz-* settings by name, the user
    // metadata, and the canned ACL of the "acl" field.
    private static HeaderDictionary ObjectHeaders(Dictionary<string, string> fields)
    {
        var headers = new HeaderDictionary();
        foreach (var (name, value) in fields)
        {
            if (name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase)
                || Array.Exists(FormHeaderFields, field => field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                headers[name] = value;
            }
        }

        if (Field(fields, "acl") is { } acl)
        {
            headers["x-amz-acl"] = acl;
        }

        return headers;
    }

    /// <summary>
    /// What S3 answers a form upload: a 303 to <c>success_action_redirect</c> (with the bucket, key and ETag added to its
    /// query) when that is a URL; else <c>success_action_status</c>'s 200 (empty), 201 (a PostResponse document) or, by
    /// default, 204; each with the ETag and the object's Location.
    /// </summary>
    private static IRestResponse PostResponse(Dictionary<string, string> fields, RequestContext context, string bucket, string key, string etag, string? versionId)
    {
        var request = context.Http.Request;
        // The object's URL in the style the form was posted in: the bucket in the host name or in the path.
        var path = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        var location = context.Route.VirtualHostBucket is not null
            ? $"{request.Scheme}://{request.Host}/{path}"
            : $"{request.Scheme}://{request.Host}/{Uri.EscapeDataString(bucket)}/{path}";
        var headers = new List<KeyValuePair<string, string>> { new("ETag", etag), new("Location", location) };
        if (versionId is not null)
        {
            headers.Add(new("x-amz-version-id", versionId));
        }

        var redirect = Field(fields, "success_action_redirect") ?? Field(fields, "redirect");
        if (redirect is not null && Uri.TryCreate(redirect, UriKind.Absolute, out var target) && target.Scheme is "http" or "https")
        {
            var query = $"bucket={Uri.EscapeDataString(bucket)}&key={Uri.EscapeDataString(key)}&etag={Uri.EscapeDataString(etag)}";
            headers[1] = new("Location", redirect + (target.Query.Length > 1 ? "&" : "?") + query);
            return new HeadersResponse(303, [.. headers]);
        }

        return Field(fields, "success_action_status") switch
        {
            "200" => new HeadersResponse(200, [.. headers]),
            "201" => new XmlResponse("PostResponse", w =>
            {
                w.WriteElementString("Location", location);
                w.WriteElementString("Bucket", bucket);
                w.WriteElementString("Key", key);
                w.WriteElementString("ETag", etag);
            })
            {
                Status = 201,
                Headers = headers,
            },
            _ => new HeadersResponse(204, [.. headers]),
        };
    }

    private static string? Field(Dictionary<string, string> fields, string name) => fields.GetValueOrDefault(name);

    private static AwsException MissingField(string name) =>
        S3Errors.InvalidArgument($"Bucket POST must contain a field named '{name}'.  If it is specified, please check the order of the fields.", name, "");

    private static AwsException MalformedPost(string detail) =>
        new("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data. " + detail, 400);
}
