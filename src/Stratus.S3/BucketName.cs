namespace Stratus.S3;

/// <summary>S3's general-purpose bucket naming rules.</summary>
internal static class BucketName
{
    /// <summary>Throws <c>InvalidBucketName</c> saying which rule <paramref name="name"/> breaks.</summary>
    public static void Validate(string name)
    {
        if (Why(name) is { } why)
        {
            throw S3Errors.InvalidBucketName(name, why);
        }
    }

    /// <summary>The rule a name breaks, or null for a valid name.</summary>
    public static string? Why(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return "bucket names must be between 3 and 63 characters long.";
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-'))
            {
                return "bucket names can consist only of lowercase letters, numbers, periods (.) and hyphens (-).";
            }
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return "bucket names must begin and end with a letter or number.";
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "bucket names must not contain two adjacent periods.";
        }

        if (System.Net.IPAddress.TryParse(name, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && name.Split('.').Length == 4)
        {
            return "bucket names must not be formatted as an IP address.";
        }

        if (name.StartsWith("xn--", StringComparison.Ordinal) || name.StartsWith("sthree-", StringComparison.Ordinal) || name.StartsWith("amzn-s3-demo-", StringComparison.Ordinal))
        {
            return "bucket names must not start with the reserved prefixes xn--, sthree- or amzn-s3-demo-.";
        }

        if (name.EndsWith("-s3alias", StringComparison.Ordinal) || name.EndsWith("--ol-s3", StringComparison.Ordinal) || name.EndsWith(".mrap", StringComparison.Ordinal) || name.EndsWith("--x-s3", StringComparison.Ordinal) || name.EndsWith("--table-s3", StringComparison.Ordinal))
        {
            return "bucket names must not end with a reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3).";
        }

        return null;
    }
}
