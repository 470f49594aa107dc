using Stratus.Iam.Policies;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Tests.Policies;

/// <summary>Principals, contexts and one-statement policies for the evaluator tests.</summary>
internal static class Requests
{
    public const string AccountA = "111111111111";
    public const string AccountB = "222222222222";

    public static CallerIdentity User(string name = "alice", string account = AccountA) =>
        new(account, $"arn:aws:iam::{account}:user/{name}", "AIDA" + name.ToUpperInvariant(), PrincipalType.User);

    public static CallerIdentity Root(string account = AccountA) =>
        new(account, $"arn:aws:iam::{account}:root", account, PrincipalType.Account);

    public static CallerIdentity Session(string role = "reader", string session = "s1", string account = AccountA) =>
        new(account, $"arn:aws:sts::{account}:assumed-role/{role}/{session}", "AROA" + role.ToUpperInvariant() + ":" + session, PrincipalType.AssumedRole);

    public static AuthorizationContext Context(CallerIdentity caller, string action, string resource, string? resourceAccount = null, params (string Key, string[] Values)[] keys)
    {
        var builder = new AuthorizationContextBuilder(caller, action).Resource(resource).ResourceAccount(resourceAccount);
        foreach (var (key, values) in keys)
        {
            builder.Set(key, values);
        }

        return builder.Build();
    }

    public static AuthorizationContext WithKeys(params (string Key, string[] Values)[] keys) =>
        Context(User(), "s3:GetObject", "arn:aws:s3:::bucket/key", null, keys);

    public static PolicyDocument Identity(string statements, string name = "identity") =>
        PolicyDocument.Parse($$$"""{"Version":"2012-10-17","Statement":{{{statements}}}}""", PolicyKind.Identity, name);

    public static PolicyDocument Boundary(string statements) =>
        PolicyDocument.Parse($$$"""{"Version":"2012-10-17","Statement":{{{statements}}}}""", PolicyKind.PermissionsBoundary, "boundary");

    public static PolicyDocument SessionPolicy(string statements) =>
        PolicyDocument.Parse($$$"""{"Version":"2012-10-17","Statement":{{{statements}}}}""", PolicyKind.Session, "session");

    public static PolicyDocument Resource(string statements, string name = "bucket-policy") =>
        PolicyDocument.Parse($$$"""{"Version":"2012-10-17","Statement":{{{statements}}}}""", PolicyKind.Resource, name);

    /// <summary>A policy allowing <paramref name="action"/> on <paramref name="resource"/> when <paramref name="condition"/> holds.</summary>
    public static PolicyDocument AllowWhen(string condition, string action = "s3:GetObject", string resource = "*", string version = "2012-10-17") =>
        PolicyDocument.Parse($$$"""{"Version":"{{{version}}}","Statement":{"Effect":"Allow","Action":"{{{action}}}","Resource":"{{{resource}}}","Condition":{{{condition}}}}}""", PolicyKind.Identity);

    public static Decision Evaluate(AuthorizationContext context, PolicyDocument identity) =>
        PolicyEvaluator.Evaluate(context, new PolicySet { Identity = [identity] });
}
