using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Authorization;

/// <summary>
/// The foundation's authorization step: every signed request of a known principal is allowed; anonymous callers
/// only where the service says so. The policy engine replaces it.
/// </summary>
public sealed class AllowAuthenticatedAuthorizer : IAuthorizer
{
    public AuthorizationDecision Authorize(RequestContext context, AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        return context.Caller.IsAnonymous && !request.AnonymousAllowed
            ? AuthorizationDecision.Deny($"Anonymous callers may not perform {request.Action}.")
            : AuthorizationDecision.Allow;
    }
}
