using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Api;

/// <summary>
/// IAM's condition keys, added to every IAM operation's authorization request in one place (so operations added
/// later get them too), from the request's parameters as AWS's "Actions, resources, and condition keys for IAM" lists
/// them: <c>aws:RequestTag/…</c> and <c>aws:TagKeys</c> from <c>Tags</c> (create and tag operations) or
/// <c>TagKeys</c> (untag operations), <c>iam:PolicyARN</c> from <c>PolicyArn</c> (attach, detach) and
/// <c>iam:PermissionsBoundary</c> from <c>PermissionsBoundary</c> (create user or role, put boundary).
/// </summary>
public sealed partial class IamService
{
    private new void Register<TRequest, TResponse>(
        string name,
        Func<OperationInput, TRequest> decode,
        Func<TRequest, RequestContext, AuthorizationRequest> authorization,
        Func<TRequest, RequestContext, CancellationToken, ValueTask<TResponse>> execute)
        where TRequest : notnull
        where TResponse : notnull =>
        base.Register(name, decode, (request, context) => WithConditionKeys(authorization(request, context), request as OperationInput), execute);

    private static AuthorizationRequest WithConditionKeys(AuthorizationRequest request, OperationInput? input)
    {
        if (input is null || request.NoPermissionRequired)
        {
            return request;
        }

        var parameters = input.Parameters;
        Dictionary<string, IReadOnlyList<string>>? keys = null;
        Dictionary<string, IReadOnlyList<string>> Keys() => keys ??= new(request.ConditionKeys, StringComparer.OrdinalIgnoreCase);
        var tagKeys = new List<string>();
        for (var i = 1; parameters.Get($"Tags.member.{i}.Key") is { } key; i++)
        {
            Keys()["aws:RequestTag/" + key] = [parameters.Get($"Tags.member.{i}.Value") ?? ""];
            tagKeys.Add(key);
        }

        tagKeys.AddRange(parameters.GetList("TagKeys.member"));
        if (tagKeys.Count != 0)
        {
            Keys()["aws:TagKeys"] = tagKeys;
        }

        Copy(parameters, "PolicyArn", "iam:PolicyARN", Keys);
        Copy(parameters, "PermissionsBoundary", "iam:PermissionsBoundary", Keys);
        return keys is null ? request : request with { ConditionKeys = keys };
    }

    private static void Copy(QueryParameters parameters, string parameter, string key, Func<Dictionary<string, IReadOnlyList<string>>> keys)
    {
        if (parameters.Get(parameter) is { Length: > 0 } value)
        {
            keys()[key] = [value];
        }
    }
}
