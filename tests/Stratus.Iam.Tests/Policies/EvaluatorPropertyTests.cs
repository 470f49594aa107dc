using CsCheck;
using Stratus.Iam.Policies;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Tests.Policies;

/// <summary>Properties of the evaluator over random statements and requests.</summary>
public sealed class EvaluatorPropertyTests
{
    private static readonly string[] Actions = ["s3:GetObject", "s3:PutObject", "sqs:SendMessage", "iam:CreateUser"];
    private static readonly string[] ActionPatterns = ["*", "s3:*", "s3:Get*", "s3:GetObject", "sqs:*", "iam:Create?ser", "s3:PutObject"];
    private static readonly string[] Resources = ["arn:aws:s3:::a/x", "arn:aws:s3:::b/y", "arn:aws:sqs:us-east-1:111111111111:q"];
    private static readonly string[] ResourcePatterns = ["*", "arn:aws:s3:::a/*", "arn:aws:s3:::*", "arn:aws:sqs:*:111111111111:*", "arn:aws:s3:::b/${aws:username}"];
    private static readonly string[] Conditions =
    [
        "",
        ""","Condition":{"Bool":{"aws:SecureTransport":"true"}}""",
        ""","Condition":{"StringEquals":{"aws:username":"alice"}}""",
        ""","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}""",
        ""","Condition":{"StringNotEqualsIfExists":{"aws:RequestedRegion":"eu-west-1"}}""",
    ];

    private static readonly string[] Principals = ["\"*\"", """{"AWS":"111111111111"}""", """{"AWS":"222222222222"}""", """{"AWS":"arn:aws:iam::111111111111:user/alice"}""", """{"AWS":"arn:aws:iam::111111111111:role/r"}"""];

    private static Gen<T> Choice<T>(T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<string> Statement =
        Gen.Select(Gen.Bool, Choice(ActionPatterns), Choice(ResourcePatterns), Choice(Conditions),
            (allow, action, resource, condition) => $$$"""{"Effect":"{{{(allow ? "Allow" : "Deny")}}}","Action":"{{{action}}}","Resource":"{{{resource}}}"{{{condition}}}}""");

    private static readonly Gen<string> ResourceStatement =
        Gen.Select(Statement, Choice(Principals), (statement, principal) => statement.Insert(1, $"\"Principal\":{principal},"));

    private static readonly Gen<CallerIdentity> Caller = Choice(
    [
        new CallerIdentity("111111111111", "arn:aws:iam::111111111111:user/alice", "AIDAALICE", PrincipalType.User),
        new CallerIdentity("111111111111", "arn:aws:iam::111111111111:user/bob", "AIDABOB", PrincipalType.User),
        new CallerIdentity("111111111111", "arn:aws:sts::111111111111:assumed-role/r/s", "AROAR:s", PrincipalType.AssumedRole),
        new CallerIdentity("222222222222", "arn:aws:iam::222222222222:user/carol", "AIDACAROL", PrincipalType.User),
        new CallerIdentity("111111111111", "arn:aws:iam::111111111111:root", "111111111111", PrincipalType.Account),
        CallerIdentity.Anonymous,
    ]);

    private static readonly Gen<AuthorizationContext> Context =
        Gen.Select(Caller, Choice(Actions), Choice(Resources), Gen.Bool, Gen.Bool, Gen.Bool, (caller, action, resource, secure, inside, otherOwner) =>
            new AuthorizationContextBuilder(caller, action).Resource(resource).ResourceAccount(otherOwner ? "222222222222" : "111111111111")
                .SecureTransport(secure).SourceIp(System.Net.IPAddress.Parse(inside ? "10.1.2.3" : "198.51.100.7")).Region("us-east-1").Build());

    private sealed record Scenario(AuthorizationContext Context, string[] Identity, string[]? Resource, string[]? Boundary, string[]? Session)
    {
        public PolicySet Build() => new()
        {
            Identity = Identity.Length == 0 ? [] : [Policy(Identity, PolicyKind.Identity)],
            Resource = Resource is null ? null : Policy(Resource, PolicyKind.Resource),
            PermissionsBoundary = Boundary is null ? null : Policy(Boundary, PolicyKind.PermissionsBoundary),
            Session = Session is null ? [] : [Policy(Session, PolicyKind.Session)],
        };

        public override string ToString() =>
            $"{Context.Principal.Arn} {Context.Action} {Context.Resources[0]} owner {Context.ResourceAccount}\n identity {string.Join(",", Identity)}\n resource {(Resource is null ? "-" : string.Join(",", Resource))}";
    }

    private static PolicyDocument Policy(string[] statements, PolicyKind kind) =>
        PolicyDocument.Parse($$$"""{"Version":"2012-10-17","Statement":[{{{string.Join(",", statements)}}}]}""", kind);

    private static readonly Gen<string[]> Statements = Statement.Array[1, 4];

    private static readonly Gen<Scenario> Scenarios =
        Gen.Select(Context, Statement.Array[0, 4], ResourceStatement.Array[1, 3].Null(), Statements.Null(), Statements.Null(),
            (context, identity, resource, boundary, session) => new Scenario(context, identity, resource, boundary, session));

    private static bool Grants(Decision decision) => decision == Decision.Allow;

    [Fact]
    public void Adding_a_deny_statement_never_grants_access()
    {
        Gen.Select(Scenarios, Statement, Gen.Int[0, 3]).Sample((scenario, extra, where) =>
        {
            var deny = extra.Replace("\"Allow\"", "\"Deny\"", StringComparison.Ordinal);
            var before = PolicyEvaluator.Evaluate(scenario.Context, scenario.Build());
            var widened = where switch
            {
                0 => scenario with { Identity = [.. scenario.Identity, deny] },
                1 => scenario with { Resource = [.. scenario.Resource ?? [], deny.Insert(1, "\"Principal\":\"*\",")] },
                2 => scenario with { Boundary = scenario.Boundary is null ? null : [.. scenario.Boundary, deny] },
                _ => scenario with { Session = scenario.Session is null ? null : [.. scenario.Session, deny] },
            };
            var after = PolicyEvaluator.Evaluate(widened.Context, widened.Build());
            return Grants(after) ? Grants(before) : true;
        }, iter: 3000);
    }

    [Fact]
    public void Removing_an_allow_statement_never_grants_access()
    {
        Gen.Select(Scenarios, Gen.Int[0, 7]).Sample((scenario, index) =>
        {
            var before = PolicyEvaluator.Evaluate(scenario.Context, scenario.Build());
            var identity = RemoveAllow(scenario.Identity, index);
            var resource = scenario.Resource is null ? null : RemoveAllow(scenario.Resource, index);
            var narrowed = scenario with { Identity = identity, Resource = resource is { Length: 0 } ? null : resource };
            var after = PolicyEvaluator.Evaluate(narrowed.Context, narrowed.Build());
            return !Grants(after) || Grants(before);
        }, iter: 3000);
    }

    [Fact]
    public void A_permissions_boundary_only_narrows()
    {
        Gen.Select(Scenarios, Statements).Sample((scenario, boundary) =>
        {
            var without = PolicyEvaluator.Evaluate(scenario.Context, (scenario with { Boundary = null }).Build());
            var with = PolicyEvaluator.Evaluate(scenario.Context, (scenario with { Boundary = boundary }).Build());
            return !Grants(with) || Grants(without);
        }, iter: 3000);
    }

    [Fact]
    public void A_session_policy_only_narrows()
    {
        Gen.Select(Scenarios, Statements).Sample((scenario, session) =>
        {
            var without = PolicyEvaluator.Evaluate(scenario.Context, (scenario with { Session = null }).Build());
            var with = PolicyEvaluator.Evaluate(scenario.Context, (scenario with { Session = session }).Build());
            return !Grants(with) || Grants(without);
        }, iter: 3000);
    }

    [Fact]
    public void Evaluation_is_deterministic_and_the_explanation_agrees()
    {
        Scenarios.Sample(scenario =>
        {
            var set = scenario.Build();
            var first = PolicyEvaluator.Evaluate(scenario.Context, set);
            var explanation = new PolicyExplanation();
            var second = PolicyEvaluator.Evaluate(scenario.Context, set, explanation);
            var third = PolicyEvaluator.Evaluate(scenario.Context, scenario.Build());
            return first == second && second == third && explanation.Decision == first
                && (first != Decision.ExplicitDeny || explanation.DecidingStatement is { Effect: PolicyEffect.Deny, Outcome: StatementOutcome.Matched });
        }, iter: 3000);
    }

    private static string[] RemoveAllow(string[] statements, int index)
    {
        var allows = new List<int>();
        for (var i = 0; i < statements.Length; i++)
        {
            if (statements[i].Contains("\"Allow\"", StringComparison.Ordinal))
            {
                allows.Add(i);
            }
        }

        if (allows.Count == 0)
        {
            return statements;
        }

        var remove = allows[index % allows.Count];
        var kept = new List<string>(statements);
        kept.RemoveAt(remove);
        return [.. kept];
    }
}
