using Stratus.Protocol.Catalog;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Sts;

/// <summary>The AWS Security Token Service over the query protocol.</summary>
public sealed class StsService : AwsService
{
    public StsService()
        : base(ServiceCatalog.Get("sts"))
    {
        Register<GetCallerIdentityRequest, GetCallerIdentityResponse>(
            "GetCallerIdentity",
            static _ => GetCallerIdentityRequest.Instance,
            static (_, _) => AuthorizationRequest.ForAction("sts:GetCallerIdentity") with { NoPermissionRequired = true },
            static (_, context, _) => ValueTask.FromResult(GetCallerIdentity(context)));
    }

    // No policy can deny GetCallerIdentity in AWS: any valid credential may ask who it is.
    private static GetCallerIdentityResponse GetCallerIdentity(RequestContext context) =>
        new(context.Caller.UserId, context.Caller.Account, context.Caller.Arn);
}
