using System.Globalization;
using System.Xml.Linq;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;

namespace Stratus.S3;

/// <summary>
/// The static website configuration of a bucket (Put/Get/DeleteBucketWebsite): an index document suffix with an
/// optional error document and routing rules, or a redirect of every request to another host. It is validated as S3
/// validates it, stored, and echoed; Stratus does not serve the website endpoint (<c>bucket.s3-website…</c>) itself.
/// </summary>
public sealed partial class S3Service
{
    private const int MaxRoutingRules = 50;

    private void RegisterWebsite() =>
        XmlSetting("BucketWebsite", BucketSettingKeys.Website, "WebsiteConfiguration", ("s3:PutBucketWebsite", "s3:GetBucketWebsite", "s3:DeleteBucketWebsite"), static (_, root) => CheckWebsite(root),
            absent: ("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration"));

    /// <summary>S3's rules for a website configuration: a redirect of everything, or an index document with optional error document and routing rules.</summary>
    private static void CheckWebsite(XElement root)
    {
        AllowOnly(root, "IndexDocument", "ErrorDocument", "RedirectAllRequestsTo", "RoutingRules");
        if (Element(root, "RedirectAllRequestsTo") is { } redirectAll)
        {
            if (root.Elements().Count() > 1)
            {
                throw S3Errors.InvalidArgument("RedirectAllRequestsTo cannot be provided in conjunction with other Routing/Website configurations.", "RedirectAllRequestsTo", "");
            }

            AllowOnly(redirectAll, "HostName", "Protocol");
            if (string.IsNullOrEmpty(OnlyChild(redirectAll, "HostName")))
            {
                throw ProtocolErrors.MalformedXml("RedirectAllRequestsTo needs a HostName.");
            }

            CheckProtocol(OnlyChild(redirectAll, "Protocol"));
            return;
        }

        var suffix = Element(root, "IndexDocument") is { } index ? OnlyChild(index, "Suffix") : null;
        if (suffix is null)
        {
            throw S3Errors.InvalidArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty", "IndexDocument", "");
        }

        if (suffix.Length == 0 || suffix.Contains('/', StringComparison.Ordinal))
        {
            throw S3Errors.InvalidArgument("The IndexDocument Suffix is not well formed", "IndexDocument", suffix);
        }

        if (Element(root, "ErrorDocument") is { } error && string.IsNullOrEmpty(OnlyChild(error, "Key")))
        {
            throw ProtocolErrors.MalformedXml("ErrorDocument needs a Key.");
        }

        if (Element(root, "RoutingRules") is { } rules)
        {
            var list = Elements(rules, "RoutingRule").ToList();
            if (list.Count != rules.Elements().Count())
            {
                throw ProtocolErrors.MalformedXml("RoutingRules holds RoutingRule elements only.");
            }

            if (list.Count > MaxRoutingRules)
            {
                throw S3Errors.InvalidArgument($"The number of routing rules must not exceed the allowed limit of {MaxRoutingRules} rules.", "RoutingRules", list.Count.ToString(CultureInfo.InvariantCulture));
            }

            list.ForEach(CheckRoutingRule);
        }
    }

    private static void CheckRoutingRule(XElement rule)
    {
        AllowOnly(rule, "Condition", "Redirect");
        if (Element(rule, "Condition") is { } condition)
        {
            AllowOnly(condition, "KeyPrefixEquals", "HttpErrorCodeReturnedEquals");
            if (OnlyChild(condition, "HttpErrorCodeReturnedEquals") is { } code
                && !(int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 400 and <= 599))
            {
                throw S3Errors.InvalidArgument("The provided HTTP error code is not valid. Valid codes are 4XX or 5XX.", "HttpErrorCodeReturnedEquals", code);
            }
        }

        var redirect = Element(rule, "Redirect") ?? throw ProtocolErrors.MalformedXml("every RoutingRule needs a Redirect.");
        AllowOnly(redirect, "HostName", "HttpRedirectCode", "Protocol", "ReplaceKeyPrefixWith", "ReplaceKeyWith");
        if (!redirect.HasElements)
        {
            throw S3Errors.InvalidArgument("A Redirect must name at least one of HostName, HttpRedirectCode, Protocol, ReplaceKeyPrefixWith or ReplaceKeyWith.", "Redirect", "");
        }

        if (Element(redirect, "ReplaceKeyPrefixWith") is not null && Element(redirect, "ReplaceKeyWith") is not null)
        {
            throw S3Errors.InvalidArgument("You can only define ReplaceKeyPrefix or ReplaceKey but not both.", "Redirect", "");
        }

        CheckProtocol(OnlyChild(redirect, "Protocol"));
        if (OnlyChild(redirect, "HttpRedirectCode") is { } redirectCode
            && !(int.TryParse(redirectCode, NumberStyles.None, CultureInfo.InvariantCulture, out var redirectStatus) && redirectStatus is >= 300 and <= 399))
        {
            throw S3Errors.InvalidArgument("The provided HTTP redirect code is not valid. It should be a string containing a number between 300 and 399.", "HttpRedirectCode", redirectCode);
        }
    }

    private static void CheckProtocol(string? protocol)
    {
        if (protocol is not (null or "http" or "https"))
        {
            throw S3Errors.InvalidArgument("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.", "Protocol", protocol);
        }
    }

    // An element may hold only the children S3's schema gives it, each once.
    private static void AllowOnly(XElement element, params string[] names)
    {
        foreach (var group in element.Elements().GroupBy(e => e.Name.LocalName, StringComparer.Ordinal))
        {
            if (!names.Contains(group.Key, StringComparer.Ordinal) || group.Count() > 1 && group.Key != "RoutingRule")
            {
                throw ProtocolErrors.MalformedXml($"{element.Name.LocalName} may not hold {(group.Count() > 1 ? "more than one " : "")}{group.Key}.");
            }
        }
    }
}
