using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Authorization;

/// <summary>
/// The foundation's authorization step: every signed request of a known principal is allowed on its own account's
/// resources; anonymous callers only where the service says so; another account's resources never (no resource
/// policies exist yet to allow it). The policy engine replaces it.
/// </summary>
public sealed class AllowAuthenticatedAuthorizer : IAuthorizer
{
    public AuthorizationDecision Authorize(RequestContext context, AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        if (context.Caller.IsAnonymous)
        {
            return request.AnonymousAllowed ? AuthorizationDecision.Allow : AuthorizationDecision.Deny("Access Denied");
        }

        return request.ResourceAccount is { } owner && owner != context.Caller.Account
            ? AuthorizationDecision.Deny($"User: {context.Caller.Arn} is not authorized to perform: {request.Action} on resource: {string.Join(", ", request.Resources)}")
            : AuthorizationDecision.Allow;
    }
}
