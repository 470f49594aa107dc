using Stratus.Protocol.Pipeline;

namespace Stratus.Protocol.Services;

/// <summary>The pipeline's authorization step; Stratus.Iam implements it.</summary>
public interface IAuthorizer
{
    /// <summary>Decides whether the caller of <paramref name="context"/> may do what <paramref name="request"/> describes.</summary>
    AuthorizationDecision Authorize(RequestContext context, AuthorizationRequest request);
}
