using Stratus.Iam.Users;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Authorization;

/// <summary>
/// Wraps the authorizer to note, for <c>GetAccessKeyLastUsed</c>, which long-term access key signed each request,
/// for which service and region. Recording touches memory only; the store persists it coalesced.
/// </summary>
public sealed class AccessKeyUsageRecorder : IAuthorizer
{
    private readonly IAuthorizer _inner;
    private readonly IamStore _store;

    public AccessKeyUsageRecorder(IAuthorizer inner, IamStore store)
    {
        _inner = inner;
        _store = store;
    }

    public AuthorizationDecision Authorize(RequestContext context, AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Credential is { SessionToken: null } credential)
        {
            _store.RecordAccessKeyUse(credential.AccessKeyId, context.Service.SigningName, context.Region, context.ReceivedAt);
        }

        return _inner.Authorize(context, request);
    }
}
