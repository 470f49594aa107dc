using Stratus.Protocol.Pipeline;

namespace Stratus.Protocol.Services;

/// <summary>An operation defined by four functions over its typed request and response.</summary>
public sealed class Operation<TRequest, TResponse> : IOperation
    where TRequest : notnull
    where TResponse : notnull
{
    private readonly Func<OperationInput, TRequest> _decode;
    private readonly Func<TRequest, RequestContext, AuthorizationRequest> _authorization;
    private readonly Func<TRequest, RequestContext, CancellationToken, ValueTask<TResponse>> _execute;

    public Operation(
        string name,
        Func<OperationInput, TRequest> decode,
        Func<TRequest, RequestContext, AuthorizationRequest> authorization,
        Func<TRequest, RequestContext, CancellationToken, ValueTask<TResponse>> execute)
    {
        Name = name;
        _decode = decode;
        _authorization = authorization;
        _execute = execute;
    }

    public string Name { get; }

    public object Decode(OperationInput input) => _decode(input);

    public AuthorizationRequest Authorization(object request, RequestContext context) =>
        _authorization((TRequest)request, context);

    public async ValueTask<object> ExecuteAsync(object request, RequestContext context, CancellationToken cancellationToken) =>
        await _execute((TRequest)request, context, cancellationToken).ConfigureAwait(false);
}
