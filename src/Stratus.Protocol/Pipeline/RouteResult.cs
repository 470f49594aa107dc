using Stratus.Protocol.Catalog;

namespace Stratus.Protocol.Pipeline;

/// <summary>Where the router sent a request: the service, the protocol spoken, and the operation (known to the model or not).</summary>
public sealed class RouteResult
{
    public RouteResult(ServiceDescriptor service, ServiceProtocol protocol, string operationName, OperationDescriptor? operation)
    {
        Service = service;
        Protocol = protocol;
        OperationName = operationName;
        Operation = operation;
    }

    public ServiceDescriptor Service { get; }

    public ServiceProtocol Protocol { get; }

    /// <summary>The operation name as the request gave it (may be unknown to the model).</summary>
    public string OperationName { get; }

    /// <summary>The model's operation, or null when the request named an operation the model does not have.</summary>
    public OperationDescriptor? Operation { get; }

    /// <summary>Labels bound by a REST path template (<c>Bucket</c>, <c>Key</c>, <c>FunctionName</c>…).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = EmptyLabels;

    /// <summary>The bucket named by an S3 virtual-host-style host name, if any.</summary>
    public string? VirtualHostBucket { get; init; }

    /// <summary>The decoded query-string and form parameters.</summary>
    public Codecs.QueryParameters Parameters { get; init; } = Codecs.QueryParameters.Empty;

    private static readonly Dictionary<string, string> EmptyLabels = new(StringComparer.Ordinal);
}
