using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Stratus.S3.Objects;

/// <summary>HTTP conditional request headers as S3 evaluates them for GET and HEAD (RFC 7232 order).</summary>
internal static class Preconditions
{
    /// <summary>Null when the request may proceed; otherwise 412 (Precondition Failed) or 304 (Not Modified).</summary>
    public static int? Evaluate(IHeaderDictionary headers, string quotedETag, DateTimeOffset lastModified)
    {
        var ifMatch = headers.IfMatch.ToString();
        var ifNoneMatch = headers.IfNoneMatch.ToString();
        // HTTP dates have one-second precision.
        var modified = DateTimeOffset.FromUnixTimeSeconds(lastModified.ToUnixTimeSeconds());

        if (ifMatch.Length > 0)
        {
            if (!ETagListMatches(ifMatch, quotedETag))
            {
                return 412;
            }
        }
        else if (TryParseDate(headers.IfUnmodifiedSince.ToString(), out var unmodifiedSince) && modified > unmodifiedSince)
        {
            return 412;
        }

        if (ifNoneMatch.Length > 0)
        {
            if (ETagListMatches(ifNoneMatch, quotedETag))
            {
                return 304;
            }
        }
        else if (TryParseDate(headers.IfModifiedSince.ToString(), out var modifiedSince) && modified <= modifiedSince)
        {
            return 304;
        }

        return null;
    }

    private static bool ETagListMatches(string list, string quotedETag)
    {
        foreach (var candidate in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (tag == "*" || tag == quotedETag || "\"" + tag + "\"" == quotedETag)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParseDate(string text, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(text, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date)
        || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);
}
