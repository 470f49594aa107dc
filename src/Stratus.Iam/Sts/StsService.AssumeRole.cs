using System.Globalization;
using Stratus.Core;
using Stratus.Iam.Authorization;
using Stratus.Iam.Policies;
using Stratus.Iam.Users;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Sts;

/// <summary>AssumeRole: the role's trust policy and the caller's identity policies decide; the session carries its policies and tags.</summary>
public sealed partial class StsService
{
    private const int PackedPolicyChars = 2048;
    private const int ChainedSessionSeconds = 3600;
    private static readonly PolicyCache TrustCache = new(1024);

    private void RegisterAssumeRole(IamStore iam, IPolicySource policies)
    {
        Register<AssumeRoleRequest, AssumeRoleResponse>(
            "AssumeRole",
            AssumeRoleRequest.Decode,
            static (request, _) => new AuthorizationRequest("sts:AssumeRole", [request.RoleArn])
            {
                ResourceAccount = Arn.TryParse(request.RoleArn, out var arn) && AccountId.IsValid(arn.Value.Account) ? arn.Value.Account : null,
                ConditionKeys = request.ConditionKeys(),
            },
            (request, context, _) => AssumeRoleAsync(iam, policies, request, context));
    }

    private async ValueTask<AssumeRoleResponse> AssumeRoleAsync(IamStore iam, IPolicySource policies, AssumeRoleRequest request, RequestContext context)
    {
        var caller = context.Caller;
        var denied = new AwsException("AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {request.RoleArn}", 403);
        if (!Arn.TryParse(request.RoleArn, out var arn) || arn.Value.Service != "iam" || !AccountId.IsValid(arn.Value.Account) || !arn.Value.Resource.StartsWith("role/", StringComparison.Ordinal))
        {
            throw new AwsException("ValidationError", $"{request.RoleArn} is invalid", 400);
        }

        var resource = arn.Value.Resource;
        var role = iam.FindRole(arn.Value.Account, resource[(resource.LastIndexOf('/') + 1)..]);
        if (role is null || role.Arn != request.RoleArn)
        {
            throw denied; // AWS does not say whether the role exists
        }

        // The pipeline evaluated the caller's identity policies with the trust policy; the trust policy must also name the caller.
        var callerPolicies = policies.GetPolicies(caller);
        AuthorizationContext TrustContext(string action)
        {
            var builder = new AuthorizationContextBuilder(caller, action)
                .Resource(role.Arn)
                .ResourceAccount(role.Account)
                .Time(context.ReceivedAt)
                .SourceIp(context.SourceIp)
                .SecureTransport(context.IsSecureTransport)
                .Region(context.Region)
                .Set("aws:ViaAWSService", "false");
            if (callerPolicies is not null)
            {
                builder.PrincipalTags(callerPolicies.Tags);
            }

            if (callerPolicies?.PrincipalArn is { } principalArn)
            {
                builder.Set("aws:PrincipalArn", principalArn);
            }

            foreach (var (key, values) in request.ConditionKeys())
            {
                builder.Set(key, [.. values]);
            }

            return builder.Build();
        }

        var trust = TrustCache.GetOrParse(role.AssumeRolePolicyDocument, PolicyKind.Resource, "trust/" + role.Arn);
        if (!TrustEvaluation.Allows(TrustContext("sts:AssumeRole"), trust, role.Arn))
        {
            throw denied;
        }

        // Passing session tags or a source identity needs the trust policy to allow those actions too.
        if (request.Tags.Count > 0 && !TrustEvaluation.Allows(TrustContext("sts:TagSession"), trust, role.Arn))
        {
            throw new AwsException("AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:TagSession on resource: {request.RoleArn}", 403);
        }

        if (request.SourceIdentity is not null && !TrustEvaluation.Allows(TrustContext("sts:SetSourceIdentity"), trust, role.Arn))
        {
            throw new AwsException("AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:SetSourceIdentity on resource: {request.RoleArn}", 403);
        }

        var chained = caller.Type == PrincipalType.AssumedRole;
        var seconds = request.DurationSeconds ?? 3600;
        if (chained && seconds > ChainedSessionSeconds)
        {
            throw new AwsException("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", 400);
        }

        if (seconds > role.MaxSessionDuration)
        {
            throw new AwsException("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400);
        }

        var packed = 0;
        if (request.Policy is { } policy)
        {
            try
            {
                packed += PolicyDocument.Parse(policy, PolicyKind.Session).SizeWithoutWhitespace;
            }
            catch (MalformedPolicyDocumentException error)
            {
                throw new AwsException("MalformedPolicyDocument", error.Message, 400);
            }
        }

        foreach (var policyArn in request.PolicyArns)
        {
            if (iam.FindPolicy(policyArn) is not { } sessionPolicy || !(sessionPolicy.IsAwsManaged || sessionPolicy.Account == role.Account))
            {
                throw new AwsException("InvalidParameterValue", $"Policy {policyArn} does not exist or is not attachable.", 400);
            }

            packed += policyArn.Length;
        }

        var percent = (int)Math.Ceiling(packed * 100.0 / PackedPolicyChars);
        if (percent > 100)
        {
            throw new AwsException("PackedPolicyTooLarge", $"Packed policy consumes {percent}% of allotted space, please use smaller policy.", 400);
        }

        // Role chaining: the calling session's transitive tags (and source identity) pass on and cannot be overridden.
        var tags = new List<KeyValuePair<string, string>>(request.Tags);
        var transitive = new List<string>(request.TransitiveTagKeys);
        var sourceIdentity = request.SourceIdentity;
        if (chained && caller.SessionId is { } callerSession && _sessions!.FindRoleSession(callerSession) is { } previous)
        {
            foreach (var tag in previous.Tags)
            {
                if (!previous.TransitiveTagKeys.Contains(tag.Key, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (tags.Exists(t => string.Equals(t.Key, tag.Key, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new AwsException("InvalidParameterValue", $"The session tag {tag.Key} is transitive in the calling session and cannot be overridden.", 400);
                }

                tags.Add(tag);
                transitive.Add(tag.Key);
            }

            if (previous.SourceIdentity is { } previousSource)
            {
                if (sourceIdentity is not null && sourceIdentity != previousSource)
                {
                    throw new AwsException("AccessDenied", "The source identity of a role session cannot be changed by role chaining.", 403);
                }

                sourceIdentity = previousSource;
            }
        }

        var sessionArn = $"arn:aws:sts::{role.Account}:assumed-role/{role.RoleName}/{request.RoleSessionName}";
        var identity = new CallerIdentity(role.Account, sessionArn, $"{role.RoleId}:{request.RoleSessionName}", PrincipalType.AssumedRole);
        var credential = await _sessions!.IssueAsync(identity, TimeSpan.FromSeconds(seconds), new RoleSession
        {
            RoleName = role.RoleName,
            Policy = request.Policy,
            PolicyArns = request.PolicyArns,
            Tags = tags,
            TransitiveTagKeys = transitive,
            SourceIdentity = sourceIdentity,
        }).ConfigureAwait(false);
        await iam.RoleUsedAsync(role.Account, role.RoleName, context.Region).ConfigureAwait(false);
        return new AssumeRoleResponse(credential, identity.UserId, sessionArn, request.Policy is null && request.PolicyArns.Count == 0 && tags.Count == 0 ? null : Math.Max(percent, tags.Count > 0 ? 1 : 0), sourceIdentity);
    }
}
