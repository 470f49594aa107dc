using System.Diagnostics.CodeAnalysis;

namespace Stratus.Core;

/// <summary>An Amazon Resource Name: <c>arn:partition:service:region:account:resource</c>.</summary>
public readonly record struct Arn(string Partition, string Service, string Region, string Account, string Resource)
{
    /// <summary>The partition Stratus serves.</summary>
    public const string DefaultPartition = "aws";

    /// <summary>Parses an ARN; the resource part may itself contain colons.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Arn? arn)
    {
        arn = null;
        if (text is null || !text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text.Split(':', 6);
        if (parts.Length != 6 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            return false;
        }

        arn = new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
        return true;
    }

    /// <summary>The ARN of an IAM entity or account root, for example <c>arn:aws:iam::000000000000:root</c>.</summary>
    public static Arn Iam(string account, string resource) => new(DefaultPartition, "iam", "", account, resource);

    public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{Account}:{Resource}";
}
