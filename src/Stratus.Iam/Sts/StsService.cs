using Stratus.Core;
using Stratus.Iam.Authorization;
using Stratus.Iam.Users;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Sts;

/// <summary>The AWS Security Token Service over the query protocol.</summary>
public sealed partial class StsService : AwsService
{
    private readonly SessionStore? _sessions;

    public StsService(SessionStore? sessions = null, IamStore? iam = null, IPolicySource? policies = null)
        : base(ServiceCatalog.Get("sts"))
    {
        _sessions = sessions;
        if (sessions is not null && iam is not null && policies is not null)
        {
            RegisterAssumeRole(iam, policies);
        }

        if (sessions is not null)
        {
            Register<int, GetSessionTokenResponse>(
                "GetSessionToken",
                static input => input.IntegerParameter("DurationSeconds", 900, 129600) ?? 0,
                // AWS evaluates no policy for GetSessionToken: "you cannot use policies to control authentication operations".
                static (_, _) => AuthorizationRequest.ForAction("sts:GetSessionToken") with { NoPermissionRequired = true },
                GetSessionTokenAsync);
        }

        Register<GetCallerIdentityRequest, GetCallerIdentityResponse>(
            "GetCallerIdentity",
            static _ => GetCallerIdentityRequest.Instance,
            static (_, _) => AuthorizationRequest.ForAction("sts:GetCallerIdentity") with { NoPermissionRequired = true },
            static (_, context, _) => ValueTask.FromResult(GetCallerIdentity(context)));
    }

    // seconds is 0 when the caller gave no DurationSeconds.
    private async ValueTask<GetSessionTokenResponse> GetSessionTokenAsync(int seconds, RequestContext context, CancellationToken cancellationToken)
    {
        if (context.Credential?.SessionToken is not null)
        {
            throw new AwsException("AccessDenied", "Cannot call GetSessionToken with session credentials", 403);
        }

        // The account root may hold a session for at most an hour; IAM users for up to 36 hours (default 12).
        var limit = context.Caller.Type == PrincipalType.Account ? 3600 : 129600;
        var duration = Math.Min(seconds > 0 ? seconds : context.Caller.Type == PrincipalType.Account ? 3600 : 43200, limit);
        var credential = await _sessions!.IssueAsync(context.Caller, TimeSpan.FromSeconds(duration)).ConfigureAwait(false);
        return new GetSessionTokenResponse(credential);
    }

    // No policy can deny GetCallerIdentity in AWS: any valid credential may ask who it is.
    private static GetCallerIdentityResponse GetCallerIdentity(RequestContext context) =>
        new(context.Caller.UserId, context.Caller.Account, context.Caller.Arn);
}
