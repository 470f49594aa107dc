using System.Net;
using Stratus.Iam.Authorization;
using Stratus.Iam.Policies;
using Stratus.Iam.Tests.Policies;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Tests.Authorization;

public sealed class AuthorizerAllocationTests
{
    [Fact]
    public void Authorizing_a_request_whose_policies_read_only_shared_keys_allocates_nothing()
    {
        var policies = new PrincipalPolicies
        {
            Identity =
            [
                Requests.Identity("""
                    {"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::home/${aws:username}/*",
                     "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:RequestedRegion":"us-east-1","aws:PrincipalTag/team":"red"},
                                  "DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"ForAllValues:StringEquals":{"aws:TagKeys":"project"},"Null":{"aws:MultiFactorAuthPresent":"true"}}}
                    """),
            ],
            Tags = [new("team", "red")],
        };
        var authorizer = new PolicyAuthorizer(new Fixed(policies), []);
        var facts = new PolicyAuthorizer.RequestFacts(Requests.User(), new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), IPAddress.Parse("10.1.2.3"), true, "us-east-1");
        var request = new AuthorizationRequest("s3:GetObject", ["arn:aws:s3:::home/alice/a.txt"]);
        for (var i = 0; i < 200; i++)
        {
            Assert.True(authorizer.Authorize(facts, request, out _).Allowed);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            authorizer.Authorize(facts, request, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_reused_context_forgets_the_last_requests_keys()
    {
        var policy = Requests.Identity("""{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"home/"}}}""");
        var authorizer = new PolicyAuthorizer(new Fixed(new PrincipalPolicies { Identity = [policy] }), []);
        var facts = new PolicyAuthorizer.RequestFacts(Requests.User(), DateTimeOffset.UnixEpoch, IPAddress.Loopback, false, "us-east-1");
        AuthorizationRequest List(string? prefix) => new("s3:ListBucket", ["arn:aws:s3:::b"])
        {
            ConditionKeys = prefix is null ? new Dictionary<string, IReadOnlyList<string>>() : new Dictionary<string, IReadOnlyList<string>> { ["S3:Prefix"] = [prefix] },
        };
        Assert.True(authorizer.Authorize(facts, List("home/"), out _).Allowed);
        Assert.False(authorizer.Authorize(facts, List(null), out _).Allowed);
        Assert.False(authorizer.Authorize(facts, List("other/"), out _).Allowed);
        Assert.True(authorizer.Authorize(facts, List("home/"), out _).Allowed);
        Assert.False(authorizer.Authorize(facts with { Caller = CallerIdentity.Anonymous }, List("home/"), out _).Allowed);
    }

    private sealed class Fixed(PrincipalPolicies policies) : IPolicySource
    {
        public PrincipalPolicies? GetPolicies(CallerIdentity principal) => policies;
    }
}
