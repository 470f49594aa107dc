using System.Globalization;

namespace Stratus.S3.Objects;

/// <summary>S3's reading of a <c>Range: bytes=…</c> header: one range; anything it cannot read means the whole object.</summary>
internal static class ByteRange
{
    /// <summary>
    /// False when the header is not a single byte range (the whole object is served, as S3 does). True with
    /// <paramref name="satisfiable"/> false when the range lies outside the object (416).
    /// </summary>
    public static bool TryParse(string header, long size, out long first, out long last, out bool satisfiable)
    {
        first = last = 0;
        satisfiable = false;
        var text = header.Trim();
        if (!text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || text.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var spec = text["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return false;
        }

        var start = spec[..dash].Trim();
        var end = spec[(dash + 1)..].Trim();
        if (start.Length == 0)
        {
            // bytes=-n: the last n bytes.
            if (!long.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return false;
            }

            if (suffix == 0 || size == 0)
            {
                return true; // unsatisfiable
            }

            first = Math.Max(0, size - suffix);
            last = size - 1;
            satisfiable = true;
            return true;
        }

        if (!long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out first))
        {
            return false;
        }

        if (end.Length == 0)
        {
            last = size - 1;
        }
        else if (!long.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first)
        {
            return false;
        }

        if (first >= size)
        {
            return true; // unsatisfiable
        }

        last = Math.Min(last, size - 1);
        satisfiable = true;
        return true;
    }
}
