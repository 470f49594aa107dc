using System.Collections.Frozen;

namespace Stratus.Protocol.Catalog;

/// <summary>One AWS service as its model defines it: names, protocol and operations.</summary>
public sealed class ServiceDescriptor
{
    public ServiceDescriptor(
        string name,
        string signingName,
        ServiceProtocol protocol,
        string apiVersion,
        string? targetPrefix,
        string? xmlNamespace,
        OperationDescriptor[] operations)
    {
        Name = name;
        SigningName = signingName;
        Protocol = protocol;
        ApiVersion = apiVersion;
        TargetPrefix = targetPrefix;
        XmlNamespace = xmlNamespace;
        Operations = operations;
        foreach (var operation in operations)
        {
            operation.Service = this;
        }

        OperationsByName = operations.ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);
    }

    /// <summary>Our name for the service (<c>s3</c>, <c>dynamodb</c>, <c>sts</c>…).</summary>
    public string Name { get; }

    /// <summary>The service name in a SigV4 credential scope.</summary>
    public string SigningName { get; }

    public ServiceProtocol Protocol { get; }

    public string ApiVersion { get; }

    /// <summary>The <c>X-Amz-Target</c> prefix of JSON protocols.</summary>
    public string? TargetPrefix { get; }

    /// <summary>The XML namespace of query-protocol responses.</summary>
    public string? XmlNamespace { get; }

    public IReadOnlyList<OperationDescriptor> Operations { get; }

    public FrozenDictionary<string, OperationDescriptor> OperationsByName { get; }

    public override string ToString() => Name;
}
