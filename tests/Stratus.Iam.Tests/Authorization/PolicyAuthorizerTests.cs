using System.Net;
using Stratus.Iam.Authorization;
using Stratus.Iam.Policies;
using Stratus.Iam.Tests.Policies;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Tests.Authorization;

public sealed class PolicyAuthorizerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static PolicyAuthorizer.RequestFacts Facts(CallerIdentity caller, string ip = "10.0.0.5", bool secure = true) =>
        new(caller, Now, IPAddress.Parse(ip), secure, "us-east-1");

    private static AuthorizationRequest Get(string key = "home/alice/a.txt", string? owner = Requests.AccountA) =>
        new("s3:GetObject", [$"arn:aws:s3:::bucket/{key}"]) { ResourceAccount = owner };

    [Fact]
    public void The_account_root_with_no_policies_keeps_todays_access()
    {
        var authorizer = new PolicyAuthorizer(new Source(), []);
        Assert.True(authorizer.Authorize(Facts(Requests.Root()), Get(), out _).Allowed);
    }

    [Fact]
    public void A_user_with_no_policies_is_denied_with_an_aws_style_message()
    {
        var authorizer = new PolicyAuthorizer(new Source(), []);
        var decision = authorizer.Authorize(Facts(Requests.User()), Get(), out var explanation);
        Assert.False(decision.Allowed);
        Assert.Equal("User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket/home/alice/a.txt because no identity-based or resource-based policy allows the request", decision.Reason);
        Assert.Equal(Decision.ImplicitDeny, explanation!.Decision);
    }

    [Fact]
    public void Identity_policies_context_keys_and_connection_facts_reach_the_evaluator()
    {
        var source = new Source
        {
            [Requests.User().Arn] = new PrincipalPolicies
            {
                Identity = [Requests.Identity("""
                    {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket",
                     "Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"},
                                  "StringEquals":{"aws:PrincipalTag/team":"red","aws:RequestedRegion":"us-east-1"},"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}}
                    """)],
                Tags = [new("team", "red")],
            },
        };
        var authorizer = new PolicyAuthorizer(source, []);
        AuthorizationRequest List(string prefix) => new("s3:ListBucket", ["arn:aws:s3:::bucket"])
        {
            ConditionKeys = new Dictionary<string, IReadOnlyList<string>> { ["s3:prefix"] = [prefix] },
        };
        Assert.True(authorizer.Authorize(Facts(Requests.User()), List("home/alice/docs"), out _).Allowed);
        Assert.False(authorizer.Authorize(Facts(Requests.User()), List("home/bob/"), out _).Allowed);
        Assert.False(authorizer.Authorize(Facts(Requests.User(), ip: "198.51.100.1"), List("home/alice/docs"), out _).Allowed);
        Assert.False(authorizer.Authorize(Facts(Requests.User(), secure: false), List("home/alice/docs"), out var explanation).Allowed);
        Assert.Contains(explanation!.Statements, s => s.Detail == "condition Bool on aws:SecureTransport did not hold");
    }

    [Fact]
    public void A_resource_policy_comes_from_the_services_provider_and_is_compiled_once()
    {
        var provider = new BucketPolicies("""{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}""");
        var cache = new PolicyCache();
        var partner = Requests.User("carol", Requests.AccountB);
        var source = new Source { [partner.Arn] = new PrincipalPolicies { Identity = [Requests.Identity("""{"Effect":"Allow","Action":"s3:*","Resource":"*"}""")] } };
        var authorizer = new PolicyAuthorizer(source, [provider], cache);
        Assert.True(authorizer.Authorize(Facts(partner), Get(), out _).Allowed);
        Assert.True(authorizer.Authorize(Facts(partner), Get("other"), out _).Allowed);
        Assert.Equal(1, cache.Count);
        Assert.Equal(2, provider.Calls);
        var sqs = new AuthorizationRequest("sqs:SendMessage", ["arn:aws:sqs:us-east-1:111111111111:q"]) { ResourceAccount = Requests.AccountA };
        Assert.False(authorizer.Authorize(Facts(partner), sqs, out _).Allowed);
        Assert.Equal(2, provider.Calls);
    }

    [Fact]
    public void An_explicit_deny_is_named_in_the_message()
    {
        var provider = new BucketPolicies("""{"Version":"2012-10-17","Statement":[{"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bucket/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""");
        var authorizer = new PolicyAuthorizer(new Source(), [provider]);
        var decision = authorizer.Authorize(Facts(Requests.Root(), secure: false), Get(), out _);
        Assert.False(decision.Allowed);
        Assert.EndsWith("with an explicit deny in a resource-based policy (arn:aws:s3:::bucket#TlsOnly)", decision.Reason, StringComparison.Ordinal);
        Assert.True(authorizer.Authorize(Facts(Requests.Root(), secure: true), Get(), out _).Allowed);
    }

    [Fact]
    public void An_anonymous_request_the_service_calls_public_is_allowed_unless_a_resource_policy_denies()
    {
        var open = new PolicyAuthorizer(new Source(), []);
        Assert.True(open.Authorize(Facts(CallerIdentity.Anonymous), Get() with { AnonymousAllowed = true }, out _).Allowed);
        Assert.False(open.Authorize(Facts(CallerIdentity.Anonymous), Get(), out _).Allowed);
        var denying = new PolicyAuthorizer(new Source(), [new BucketPolicies("""{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}""")]);
        Assert.False(denying.Authorize(Facts(CallerIdentity.Anonymous, ip: "198.51.100.1"), Get() with { AnonymousAllowed = true }, out _).Allowed);
        var everyone = new PolicyAuthorizer(new Source(), [new BucketPolicies("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}}""")]);
        Assert.True(everyone.Authorize(Facts(CallerIdentity.Anonymous), Get(), out _).Allowed);
    }

    private sealed class Source : Dictionary<string, PrincipalPolicies>, IPolicySource
    {
        public PrincipalPolicies? GetPolicies(CallerIdentity principal) => TryGetValue(principal.Arn, out var policies) ? policies : null;
    }

    private sealed class BucketPolicies(string json) : IResourcePolicyProvider
    {
        public int Calls { get; private set; }

        public string ServicePrefix => "s3";

        public string? GetResourcePolicy(string resourceArn, out string? cacheKey)
        {
            Calls++;
            cacheKey = "arn:aws:s3:::bucket";
            return json;
        }
    }
}
