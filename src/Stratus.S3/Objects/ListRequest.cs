using System.Text;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;

namespace Stratus.S3.Objects;

/// <summary>A ListObjects (V1) or ListObjectsV2 request.</summary>
internal sealed class ListRequest
{
    public required string Bucket { get; init; }

    public bool Version2 { get; init; }

    public string Prefix { get; init; } = "";

    public string? Delimiter { get; init; }

    public int MaxKeys { get; init; } = 1000;

    public string? StartAfter { get; init; }

    public string? ContinuationToken { get; init; }

    public string? Marker { get; init; }

    public bool UrlEncode { get; init; }

    public bool FetchOwner { get; init; }

    /// <summary>Where the page starts: after this key, or after everything under this common prefix.</summary>
    public (string? After, bool IsPrefix) ResumeAfter { get; private init; }

    /// <summary>
    /// What every listing (objects V1 and V2, object versions) reads alike: <c>encoding-type</c> (only <c>url</c>) and
    /// <c>max-keys</c> (a non-negative integer, 1,000 when absent, at most 1,000 used).
    /// </summary>
    public static (bool UrlEncode, int MaxKeys) Paging(QueryParameters query)
    {
        var encoding = query.Get("encoding-type");
        if (encoding is not null && encoding != "url")
        {
            throw S3Errors.InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encoding);
        }

        return (encoding == "url", MaxItems(query, "max-keys"));
    }

    /// <summary>
    /// A listing's page size (<c>max-keys</c>, <c>max-uploads</c>): a non-negative integer, 1,000 when absent, at most
    /// 1,000 used; anything else is InvalidArgument.
    /// </summary>
    public static int MaxItems(QueryParameters query, string name)
    {
        var text = query.Get(name);
        if (text is null)
        {
            return 1000;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? Math.Min(value, 1000)
            : throw S3Errors.InvalidArgument($"Provided {name} not an integer or within integer range", name, text);
    }

    public static ListRequest From(OperationInput input, bool version2)
    {
        var query = input.Parameters;
        var (urlEncode, maxKeys) = Paging(query);

        var continuationToken = version2 ? query.Get("continuation-token") : null;
        var startAfter = version2 ? query.Get("start-after") : null;
        var marker = version2 ? null : query.Get("marker");
        return new ListRequest
        {
            Bucket = input.Labels["Bucket"],
            Version2 = version2,
            Prefix = query.Get("prefix") ?? "",
            Delimiter = query.Get("delimiter") is { Length: > 0 } d ? d : null,
            MaxKeys = maxKeys,
            StartAfter = startAfter,
            ContinuationToken = continuationToken,
            Marker = marker,
            UrlEncode = urlEncode,
            FetchOwner = !version2 || string.Equals(query.Get("fetch-owner"), "true", StringComparison.OrdinalIgnoreCase),
            ResumeAfter = Resume(continuationToken, startAfter ?? marker),
        };
    }

    /// <summary>An opaque continuation token for "resume after this key / common prefix".</summary>
    public static string Token(string after, bool isPrefix) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes((isPrefix ? "p:" : "k:") + after));

    private static (string?, bool) Resume(string? continuationToken, string? after)
    {
        if (continuationToken is not null)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(continuationToken));
                if (text.Length >= 2 && text[1] == ':' && text[0] is 'k' or 'p')
                {
                    return (text[2..], text[0] == 'p');
                }
            }
            catch (FormatException)
            {
            }

            throw S3Errors.InvalidArgument("The continuation token provided is incorrect", "continuation-token", continuationToken);
        }

        // A start key below the prefix lands on the prefix's first key anyway: the scan is bounded by the prefix.
        return (after, false);
    }
}
