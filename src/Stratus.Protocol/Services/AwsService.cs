using System.Diagnostics.CodeAnalysis;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Pipeline;

namespace Stratus.Protocol.Services;

/// <summary>A service's implemented operations, keyed by the operation names of its model.</summary>
public abstract class AwsService
{
    private readonly Dictionary<string, IOperation> _operations = new(StringComparer.Ordinal);

    protected AwsService(ServiceDescriptor descriptor) => Descriptor = descriptor;

    /// <summary>The model-level description of the service.</summary>
    public ServiceDescriptor Descriptor { get; }

    /// <summary>The names of the operations this service implements.</summary>
    public IEnumerable<string> ImplementedOperations => _operations.Keys;

    /// <summary>Finds an implemented operation.</summary>
    public bool TryGetOperation(string name, [NotNullWhen(true)] out IOperation? operation) =>
        _operations.TryGetValue(name, out operation);

    /// <summary>Adds an operation; its name must be one the model defines.</summary>
    protected void Register<TRequest, TResponse>(
        string name,
        Func<OperationInput, TRequest> decode,
        Func<TRequest, RequestContext, AuthorizationRequest> authorization,
        Func<TRequest, RequestContext, CancellationToken, ValueTask<TResponse>> execute)
        where TRequest : notnull
        where TResponse : notnull
    {
        if (!Descriptor.OperationsByName.ContainsKey(name))
        {
            throw new ArgumentException($"{Descriptor.Name} has no operation named {name} in its model.", nameof(name));
        }

        _operations.Add(name, new Operation<TRequest, TResponse>(name, decode, authorization, execute));
    }
}
