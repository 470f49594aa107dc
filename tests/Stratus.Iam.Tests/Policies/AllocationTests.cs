using Stratus.Iam.Policies;

namespace Stratus.Iam.Tests.Policies;

public sealed class AllocationTests
{
    [Fact]
    public void Evaluating_a_request_allocates_nothing_once_its_context_is_built()
    {
        var context = new AuthorizationContextBuilder(Requests.User("alice"), "s3:GetObject").Resource("arn:aws:s3:::home-bucket/alice/x")
            .ResourceAccount(Requests.AccountA).Time(DateTimeOffset.UnixEpoch.AddYears(56)).SourceIp(System.Net.IPAddress.Parse("10.1.1.1"))
            .SecureTransport(true).Set("s3:prefix", "alice/x").Build();
        var set = new PolicySet
        {
            Identity =
            [
                PolicyDocument.Parse("""
                    {"Version":"2012-10-17","Statement":[
                      {"Effect":"Allow","Action":"sqs:*","Resource":"arn:aws:sqs:*:111111111111:*"},
                      {"Effect":"Deny","Action":"s3:Delete*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},
                      {"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::home-bucket/${aws:username}/*",
                       "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"},"StringLike":{"s3:prefix":"${aws:username}/*"},
                                    "DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"NumericLessThanIfExists":{"s3:max-keys":"100"},
                                    "ForAllValues:StringEquals":{"aws:TagKeys":"project"},"StringNotEquals":{"aws:PrincipalTag/team":"${aws:username}"}}}]}
                    """, PolicyKind.Identity),
            ],
            Resource = Requests.Resource("""{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"""),
            PermissionsBoundary = Requests.Boundary("""{"Effect":"Allow","Action":"s3:*","Resource":"*"}"""),
        };
        // Past tiered compilation's call counting, so that only the evaluator's own allocations could show.
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(Decision.Allow, PolicyEvaluator.Evaluate(context, set));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            PolicyEvaluator.Evaluate(context, set);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
