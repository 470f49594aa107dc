using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Stratus.Protocol.Catalog;

/// <summary>Every service and operation Stratus routes, generated ahead of time from the AWS API models.</summary>
public static partial class ServiceCatalog
{
    private static readonly ServiceDescriptor[] AllServices = WithUnmodelled(CreateAll());

    private static readonly FrozenDictionary<string, ServiceDescriptor> ByName =
        AllServices.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, ServiceDescriptor> ByTargetPrefix =
        AllServices.Where(s => s.TargetPrefix is not null).ToFrozenDictionary(s => s.TargetPrefix!, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, ServiceDescriptor> BySigningName =
        AllServices.Where(s => s.Name != "dynamodbstreams").ToFrozenDictionary(s => s.SigningName, StringComparer.Ordinal);

    /// <summary>All services, in a fixed order.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services => AllServices;

    /// <summary>The service with our name for it (<c>s3</c>, <c>sts</c>…).</summary>
    public static ServiceDescriptor Get(string name) => ByName[name];

    /// <summary>Finds a service by our name for it.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out ServiceDescriptor? service) =>
        ByName.TryGetValue(name, out service);

    /// <summary>Finds a JSON-protocol service by the prefix of its <c>X-Amz-Target</c> header.</summary>
    public static bool TryGetByTargetPrefix(ReadOnlySpan<char> prefix, [NotNullWhen(true)] out ServiceDescriptor? service) =>
        ByTargetPrefix.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(prefix, out service);

    /// <summary>Finds the service a SigV4 credential scope names (<c>dynamodb</c> means DynamoDB, not its streams).</summary>
    public static bool TryGetBySigningName(string signingName, [NotNullWhen(true)] out ServiceDescriptor? service) =>
        BySigningName.TryGetValue(signingName, out service);

    /// <summary>
    /// Adds the operations AWS serves that its API models leave out: S3's browser-form upload (POST Object on the
    /// bucket, with the key, the signed policy and the file in a multipart/form-data body), which no SDK sends (they only
    /// make its signed fields), so the models have no shape for it.
    /// </summary>
    private static ServiceDescriptor[] WithUnmodelled(ServiceDescriptor[] services)
    {
        for (var i = 0; i < services.Length; i++)
        {
            var service = services[i];
            if (service.Name == "s3")
            {
                services[i] = new ServiceDescriptor(
                    service.Name,
                    service.SigningName,
                    service.Protocol,
                    service.ApiVersion,
                    service.TargetPrefix,
                    service.XmlNamespace,
                    [.. service.Operations, new OperationDescriptor("PostObject", "POST", "/{Bucket}", [], [], Deprecated: false)]);
            }
        }

        return services;
    }
}
