using Stratus.Iam.Policies;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Tests.Authorization;

/// <summary>Whether a trust policy itself names the caller of AssumeRole (AWS requires it on top of the identity side).</summary>
public sealed class TrustEvaluationTests
{
    private const string Role = "arn:aws:iam::000000000000:role/app";
    private static readonly CallerIdentity User = new("000000000000", "arn:aws:iam::000000000000:user/ann", "AIDAANN", PrincipalType.User);
    private static readonly CallerIdentity Root = new("000000000000", "arn:aws:iam::000000000000:root", "000000000000", PrincipalType.Account);
    private static readonly CallerIdentity Stranger = new("111111111111", "arn:aws:iam::111111111111:user/bob", "AIDABOB", PrincipalType.User);
    private static readonly CallerIdentity Session = new("000000000000", "arn:aws:sts::000000000000:assumed-role/ci/run-1", "AROACI:run-1", PrincipalType.AssumedRole);

    public static TheoryData<string, string, bool> Cases => new()
    {
        { """{"AWS":"000000000000"}""", "user", true },
        { """{"AWS":"arn:aws:iam::000000000000:root"}""", "root", true },
        { """{"AWS":"arn:aws:iam::000000000000:root"}""", "stranger", false },
        { """{"AWS":"arn:aws:iam::000000000000:user/ann"}""", "user", true },
        { """{"AWS":"arn:aws:iam::000000000000:user/other"}""", "user", false },
        { """{"AWS":"111111111111"}""", "stranger", true },
        { """{"AWS":"arn:aws:iam::000000000000:role/ci"}""", "session", true },
        { """{"AWS":"arn:aws:iam::000000000000:role/other"}""", "session", false },
        { "\"*\"", "stranger", true },
        { """{"Service":"ec2.amazonaws.com"}""", "user", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_principal_element_decides_who_may_assume(string principal, string caller, bool allowed)
    {
        var trust = PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":"sts:AssumeRole"}]}""", PolicyKind.Resource);
        Assert.Equal(allowed, TrustEvaluation.Allows(Context(Caller(caller)), trust, Role));
    }

    [Fact]
    public void Conditions_on_external_id_and_principal_tags_must_hold_and_a_deny_wins()
    {
        var trust = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"sts:AssumeRole",
               "Condition":{"StringEquals":{"sts:ExternalId":"x-1","aws:PrincipalTag/team":"blue"}}},
              {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::000000000000:user/ann"},"Action":"sts:AssumeRole",
               "Condition":{"StringLike":{"sts:RoleSessionName":"forbidden-*"}}}]}
            """, PolicyKind.Resource);
        Assert.True(TrustEvaluation.Allows(Context(User, ("sts:ExternalId", "x-1"), ("aws:PrincipalTag/team", "blue"), ("sts:RoleSessionName", "ok")), trust, Role));
        Assert.False(TrustEvaluation.Allows(Context(User, ("sts:ExternalId", "x-2"), ("aws:PrincipalTag/team", "blue"), ("sts:RoleSessionName", "ok")), trust, Role));
        Assert.False(TrustEvaluation.Allows(Context(User, ("aws:PrincipalTag/team", "blue"), ("sts:RoleSessionName", "ok")), trust, Role));
        Assert.False(TrustEvaluation.Allows(Context(User, ("sts:ExternalId", "x-1"), ("aws:PrincipalTag/team", "red"), ("sts:RoleSessionName", "ok")), trust, Role));
        Assert.False(TrustEvaluation.Allows(Context(User, ("sts:ExternalId", "x-1"), ("aws:PrincipalTag/team", "blue"), ("sts:RoleSessionName", "forbidden-1")), trust, Role));
    }

    private static CallerIdentity Caller(string name) => name switch
    {
        "user" => User,
        "root" => Root,
        "session" => Session,
        _ => Stranger,
    };

    private static AuthorizationContext Context(CallerIdentity caller, params (string Key, string Value)[] keys)
    {
        var builder = new AuthorizationContextBuilder(caller, "sts:AssumeRole").Resource(Role).ResourceAccount("000000000000");
        foreach (var (key, value) in keys)
        {
            builder.Set(key, value);
        }

        return builder.Build();
    }
}
