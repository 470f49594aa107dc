using Stratus.Protocol.Pipeline;

namespace Stratus.Protocol.Services;

/// <summary>An implemented operation: how it decodes, what it needs authorized, and what it does.</summary>
public interface IOperation
{
    /// <summary>The operation name as the model spells it.</summary>
    string Name { get; }

    /// <summary>Turns the decoded wire input into the operation's typed request; throws an AwsException on bad input.</summary>
    object Decode(OperationInput input);

    /// <summary>The IAM action, resources and condition keys the request needs.</summary>
    AuthorizationRequest Authorization(object request, RequestContext context);

    /// <summary>Runs the operation; the result implements the response interface of the protocol in use.</summary>
    ValueTask<object> ExecuteAsync(object request, RequestContext context, CancellationToken cancellationToken);
}
