using System.Net;
using Stratus.Iam.Authorization;
using Stratus.Iam.Policies;
using Stratus.Iam.Tests.Policies;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Tests.Authorization;

/// <summary>The global keys the authorizer fills, and the costly keys it reads only when a policy needs them.</summary>
public sealed class ConditionKeyFillingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_policy_lists_the_condition_keys_and_variables_it_reads_once_each_in_order()
    {
        var policy = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b/${aws:username}/*",
               "Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/${aws:PrincipalTag/team, 'none'}"},"Bool":{"aws:SecureTransport":"true"}}},
              {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"AWS:SecureTransport":"false","aws:ResourceTag/env":"${*}"}}}]}
            """, PolicyKind.Identity);
        Assert.Equal(["aws:username", "s3:prefix", "aws:PrincipalTag/team", "aws:SecureTransport", "aws:ResourceTag/env"], policy.ContextKeys);
        Assert.True(policy.ReadsKeyStartingWith("AWS:RESOURCETAG/"));
        Assert.False(policy.ReadsKeyStartingWith("s3:ExistingObjectTag/"));
    }

    [Fact]
    public void A_2008_policy_has_no_variables_so_only_its_condition_keys_count()
    {
        var policy = PolicyDocument.Parse("""
            {"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}","Condition":{"StringEquals":{"s3:prefix":"${aws:userid}"}}}}
            """, PolicyKind.Identity);
        Assert.Equal(["s3:prefix"], policy.ContextKeys);
    }

    [Fact]
    public void Resource_tags_are_read_only_when_a_policy_reads_aws_ResourceTag()
    {
        var reads = 0;
        var request = new AuthorizationRequest("s3:ListBucket", ["arn:aws:s3:::b"])
        {
            LazyTags = [new LazyTagKeys("aws:ResourceTag/", () => { reads++; return [new("team", "blue")]; })],
        };
        var plain = new PolicyAuthorizer(new Source(Requests.Identity("""{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}""")), []);
        Assert.True(plain.Authorize(Facts(Requests.User()), request, out _).Allowed);
        Assert.Equal(0, reads);

        var tagged = new PolicyAuthorizer(new Source(Requests.Identity("""{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}}}""")), []);
        Assert.True(tagged.Authorize(Facts(Requests.User()), request, out _).Allowed);
        Assert.Equal(1, reads);
        var red = request with { LazyTags = [new LazyTagKeys("aws:ResourceTag/", () => [new("team", "red")])] };
        Assert.False(tagged.Authorize(Facts(Requests.User()), red, out _).Allowed);
    }

    [Theory]
    [InlineData("Anonymous", "anonymous", null)]
    [InlineData("User", "AIDAALICE", "alice")]
    [InlineData("Account", "111111111111", null)]
    public void Each_kind_of_principal_has_its_PrincipalType_userid_and_username(string type, string userId, string? userName)
    {
        var caller = type switch
        {
            "Anonymous" => CallerIdentity.Anonymous,
            "User" => Requests.User() with { UserId = "AIDAALICE" },
            _ => Requests.Root(),
        };
        var context = new AuthorizationContextBuilder(caller, "s3:GetObject").Build();
        Assert.Equal(type, Value(context, "aws:PrincipalType"));
        Assert.Equal(userId, Value(context, "aws:userid"));
        Assert.Equal(userName, Value(context, "aws:username"));
    }

    [Fact]
    public void MultiFactorAuthPresent_is_false_for_session_credentials_and_absent_for_access_keys()
    {
        var policy = Requests.Identity("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"},"StringEquals":{"aws:ViaAWSService":"false","aws:PrincipalIsAWSService":"false"}}}""");
        var authorizer = new PolicyAuthorizer(new Source(policy), []);
        var request = new AuthorizationRequest("s3:GetObject", ["arn:aws:s3:::b/k"]);
        Assert.True(authorizer.Authorize(Facts(Requests.User()) with { SessionCredentials = true }, request, out _).Allowed);
        Assert.False(authorizer.Authorize(Facts(Requests.User()), request, out _).Allowed);
    }

    private static string? Value(AuthorizationContext context, string key) => context.TryGetKey(key, out var value) ? value.Values[0] : null;

    private static PolicyAuthorizer.RequestFacts Facts(CallerIdentity caller) => new(caller, Now, IPAddress.Loopback, false, "us-east-1");

    private sealed class Source(PolicyDocument? identity = null) : IPolicySource
    {
        public PrincipalPolicies? GetPolicies(CallerIdentity principal) => identity is null ? null : new PrincipalPolicies { Identity = [identity] };
    }
}
