using System.Net;
using CsCheck;
using Stratus.Iam.Authorization;
using Stratus.Iam.Policies;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Tests.Authorization;

/// <summary>
/// The authorizer resolves context keys on demand from a context it reuses per thread; over random policies and
/// requests it must decide exactly as the evaluator does on a context built eagerly with every key.
/// </summary>
public sealed class AuthorizerPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Actions = ["s3:GetObject", "s3:ListBucket", "sqs:SendMessage"];
    private static readonly string[] Resources = ["arn:aws:s3:::a/x", "arn:aws:s3:::a", "arn:aws:sqs:us-east-1:111111111111:q"];
    private static readonly string[] Conditions =
    [
        "",
        ""","Condition":{"Bool":{"aws:SecureTransport":"true"}}""",
        ""","Condition":{"StringEquals":{"aws:username":"alice","aws:PrincipalType":"User"}}""",
        ""","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}""",
        ""","Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}""",
        ""","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red","aws:RequestedRegion":"us-east-1"}}""",
        ""","Condition":{"Null":{"aws:MultiFactorAuthPresent":"false"}}""",
        ""","Condition":{"StringEquals":{"aws:userid":"anonymous"}}""",
        ""","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"},"NumericGreaterThan":{"aws:EpochTime":"0"}}""",
        ""","Condition":{"StringEqualsIgnoreCase":{"AWS:PRINCIPALARN":"arn:aws:iam::111111111111:role/r"}}""",
    ];

    private static readonly string[] Principals = ["\"*\"", """{"AWS":"111111111111"}""", """{"AWS":"222222222222"}""", """{"AWS":"arn:aws:iam::111111111111:user/alice"}"""];

    private static readonly CallerIdentity[] Callers =
    [
        new("111111111111", "arn:aws:iam::111111111111:user/alice", "AIDAALICE", PrincipalType.User),
        new("111111111111", "arn:aws:sts::111111111111:assumed-role/r/s", "AROAR:s", PrincipalType.AssumedRole),
        new("222222222222", "arn:aws:iam::222222222222:user/carol", "AIDACAROL", PrincipalType.User),
        new("111111111111", "arn:aws:iam::111111111111:root", "111111111111", PrincipalType.Account),
        CallerIdentity.Anonymous,
    ];

    private static Gen<T> Choice<T>(T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<string> Statement =
        Gen.Select(Gen.Bool, Gen.Bool, Choice(Conditions), (allow, anyAction, condition) =>
            $$$"""{"Effect":"{{{(allow ? "Allow" : "Deny")}}}","Action":"{{{(anyAction ? "*" : "s3:*")}}}","Resource":"*"{{{condition}}}}""");

    private static readonly Gen<string> ResourceStatement =
        Gen.Select(Statement, Choice(Principals), (statement, principal) => statement.Insert(1, $"\"Principal\":{principal},"));

    private sealed record Request(CallerIdentity Caller, string Action, string Resource, bool OtherOwner, bool Secure, bool Inside, bool Session, string? Prefix);

    private static readonly Gen<Request> Requests =
        Gen.Select(Choice(Callers), Gen.Int[0, 2], Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool, Choice([null, "home/alice/x", "other/"]),
            (caller, index, otherOwner, secure, inside, session, _, prefix) =>
                new Request(caller, Actions[index], Resources[index], otherOwner, secure, inside, session, prefix));

    [Fact]
    public void The_authorizer_decides_as_the_evaluator_does_on_an_eagerly_built_context()
    {
        Gen.Select(Requests, Statement.Array[0, 4], ResourceStatement.Array[0, 3]).Sample((request, identity, resource) =>
        {
            var identityPolicy = identity.Length == 0 ? null : Policies.Requests.Identity("[" + string.Join(",", identity) + "]");
            var resourceText = resource.Length == 0 ? null : $$$"""{"Version":"2012-10-17","Statement":[{{{string.Join(",", resource)}}}]}""";
            var tags = new KeyValuePair<string, string>[] { new("team", "red") };
            var principal = new PrincipalPolicies { Identity = identityPolicy is null ? [] : [identityPolicy], Tags = tags };
            var authorizer = new PolicyAuthorizer(new Fixed(principal), resourceText is null ? [] : [new Bucket(resourceText)]);
            var keys = request.Prefix is null
                ? new Dictionary<string, IReadOnlyList<string>>()
                : new Dictionary<string, IReadOnlyList<string>> { ["s3:prefix"] = [request.Prefix] };
            var authorization = new AuthorizationRequest(request.Action, [request.Resource])
            {
                ResourceAccount = request.OtherOwner ? "222222222222" : "111111111111",
                ConditionKeys = keys,
            };
            var ip = IPAddress.Parse(request.Inside ? "10.1.2.3" : "198.51.100.7");
            var facts = new PolicyAuthorizer.RequestFacts(request.Caller, Now, ip, request.Secure, "us-east-1", request.Session);
            var lazy = authorizer.Authorize(facts, authorization, out _).Allowed;

            var builder = new AuthorizationContextBuilder(request.Caller, request.Action).Resource(request.Resource)
                .ResourceAccount(authorization.ResourceAccount).Time(Now).SourceIp(ip).SecureTransport(request.Secure).Region("us-east-1")
                .Set("aws:ViaAWSService", "false").Set("aws:PrincipalIsAWSService", "false");
            if (request.Session)
            {
                builder.MultiFactorAuthPresent(false);
            }

            if (!request.Caller.IsAnonymous)
            {
                builder.PrincipalTags(tags);
            }

            if (request.Prefix is not null)
            {
                builder.Set("s3:prefix", request.Prefix);
            }

            var set = new PolicySet
            {
                Identity = request.Caller.IsAnonymous || identityPolicy is null ? [] : [identityPolicy],
                Resource = resourceText is null || !request.Action.StartsWith("s3:", StringComparison.Ordinal) ? null : PolicyDocument.Parse(resourceText, PolicyKind.Resource),
            };
            var eager = PolicyEvaluator.Evaluate(builder.Build(), set) == Decision.Allow;
            return lazy == eager;
        }, iter: 3000);
    }

    private sealed class Fixed(PrincipalPolicies policies) : IPolicySource
    {
        public PrincipalPolicies? GetPolicies(CallerIdentity principal) => policies;
    }

    private sealed class Bucket(string json) : IResourcePolicyProvider
    {
        public string ServicePrefix => "s3";

        public string? GetResourcePolicy(string resourceArn, out string? cacheKey)
        {
            cacheKey = null;
            return json;
        }
    }
}
