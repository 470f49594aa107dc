namespace Stratus.Protocol.Routing;

/// <summary>
/// Recognises S3 virtual-hosted-style host names: <c>bucket.localhost</c>, <c>bucket.s3.localhost</c>,
/// <c>bucket.s3.region.localhost</c>, the same under <c>localhost.localstack.cloud</c> and <c>amazonaws.com</c>, on any port.
/// </summary>
public static class S3HostStyle
{
    private static readonly string[] Suffixes = [".localhost.localstack.cloud", ".localhost", ".amazonaws.com"];

    /// <summary>The bucket a host name addresses, or null for path-style hosts (<c>localhost</c>, <c>s3.localhost</c>, an IP).</summary>
    public static string? BucketOf(string host)
    {
        var name = StripPort(host);
        foreach (var suffix in Suffixes)
        {
            if (!name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var front = name[..^suffix.Length];
            if (front.Length == 0)
            {
                return null;
            }

            // front is "bucket", "bucket.s3", "bucket.s3.region", "s3" or "s3.region".
            var s3 = FindServiceLabel(front);
            if (s3 < 0)
            {
                // No "s3" label: the whole front is the bucket under localhost; under amazonaws.com it is some other service.
                return suffix == ".amazonaws.com" ? null : front;
            }

            return s3 == 0 ? null : front[..(s3 - 1)];
        }

        return null;
    }

    /// <summary>
    /// The bucket a static-website host names — <c>bucket.s3-website-region.…</c>, <c>bucket.s3-website.region.…</c> or
    /// <c>bucket.s3-website.…</c> under <c>localhost</c>, <c>localhost.localstack.cloud</c> or <c>amazonaws.com</c> —
    /// or null for any other host.
    /// </summary>
    public static string? WebsiteBucketOf(string host)
    {
        // Every request asks: most hosts are not websites, and are told so without splitting them into labels.
        if (!host.Contains("s3-website", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var name = StripPort(host);
        foreach (var suffix in Suffixes)
        {
            if (!name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // The website label is the last one that is "s3-website" or starts "s3-website-"; the bucket is before it.
            var labels = name[..^suffix.Length].Split('.');
            for (var i = labels.Length - 1; i > 0; i--)
            {
                if (labels[i].Equals("s3-website", StringComparison.OrdinalIgnoreCase) || labels[i].StartsWith("s3-website-", StringComparison.OrdinalIgnoreCase))
                {
                    return string.Join('.', labels[..i]);
                }
            }

            return null;
        }

        return null;
    }

    private static int FindServiceLabel(string front)
    {
        var start = 0;
        while (start < front.Length)
        {
            var end = front.IndexOf('.', start);
            if (end < 0)
            {
                end = front.Length;
            }

            var label = front.AsSpan(start, end - start);
            if (label.Equals("s3", StringComparison.OrdinalIgnoreCase))
            {
                // A bucket may itself be named "s3"; the service label is the last one that looks like it.
                var later = end < front.Length ? FindServiceLabel(front[(end + 1)..]) : -1;
                return later >= 0 ? end + 1 + later : start;
            }

            start = end + 1;
        }

        return -1;
    }

    private static string StripPort(string host)
    {
        if (host.StartsWith('['))
        {
            return host;
        }

        var colon = host.LastIndexOf(':');
        return colon < 0 ? host : host[..colon];
    }
}
