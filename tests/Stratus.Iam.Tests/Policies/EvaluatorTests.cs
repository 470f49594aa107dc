using Stratus.Iam.Policies;
using Stratus.Protocol.Auth;
using static Stratus.Iam.Tests.Policies.Requests;

namespace Stratus.Iam.Tests.Policies;

// The rules of https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
// reference_policies_evaluation-logic_policy-eval-denyallow.html and reference_policies_evaluation-logic-cross-account.html.
public sealed class EvaluatorTests
{
    private const string Object = "arn:aws:s3:::bucket/key";
    private const string AllowGet = """{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}""";
    private const string DenyGet = """{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}""";
    private const string AllowAll = """{"Effect":"Allow","Action":"*","Resource":"*"}""";

    private static Decision Run(AuthorizationContext context, PolicySet set) => PolicyEvaluator.Evaluate(context, set);

    [Fact]
    public void With_no_policies_a_user_is_implicitly_denied()
    {
        Assert.Equal(Decision.ImplicitDeny, Run(Context(User(), "s3:GetObject", Object), PolicySet.Empty));
    }

    [Fact]
    public void An_identity_allow_grants_within_the_account()
    {
        Assert.Equal(Decision.Allow, Run(Context(User(), "s3:GetObject", Object, AccountA), new PolicySet { Identity = [Identity(AllowGet)] }));
    }

    [Fact]
    public void Deny_in_a_resource_policy_beats_allow_in_an_identity_policy()
    {
        var set = new PolicySet
        {
            Identity = [Identity(AllowAll)],
            Resource = Resource("""{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}"""),
        };
        Assert.Equal(Decision.ExplicitDeny, Run(Context(User(), "s3:GetObject", Object, AccountA), set));
    }

    [Fact]
    public void Deny_in_any_identity_policy_beats_allow_in_another()
    {
        var set = new PolicySet { Identity = [Identity(AllowAll, "admin"), Identity(DenyGet, "no-get")] };
        Assert.Equal(Decision.ExplicitDeny, Run(Context(User(), "s3:GetObject", Object), set));
        Assert.Equal(Decision.Allow, Run(Context(User(), "s3:PutObject", Object), set));
    }

    [Fact]
    public void NotAction_with_allow_grants_everything_else()
    {
        var set = new PolicySet { Identity = [Identity("""{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}""")] };
        Assert.Equal(Decision.Allow, Run(Context(User(), "s3:GetObject", Object), set));
        Assert.Equal(Decision.ImplicitDeny, Run(Context(User(), "iam:CreateUser", "*"), set));
    }

    [Fact]
    public void NotResource_with_deny_protects_everything_but_the_listed_resources()
    {
        var set = new PolicySet { Identity = [Identity(AllowAll), Identity("""{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::public","arn:aws:s3:::public/*"]}""")] };
        Assert.Equal(Decision.Allow, Run(Context(User(), "s3:GetObject", "arn:aws:s3:::public/a"), set));
        Assert.Equal(Decision.ExplicitDeny, Run(Context(User(), "s3:GetObject", "arn:aws:s3:::private/a"), set));
    }

    [Fact]
    public void Every_resource_of_a_request_must_be_allowed()
    {
        var set = new PolicySet { Identity = [Identity("""{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a/*"}""")] };
        var both = new AuthorizationContextBuilder(User(), "s3:CopyObject").Resource("arn:aws:s3:::a/x").Resource("arn:aws:s3:::b/x").Build();
        Assert.Equal(Decision.ImplicitDeny, Run(both, set));
        var explanation = new PolicyExplanation();
        PolicyEvaluator.Evaluate(both, set, explanation);
        Assert.Equal(Decision.ImplicitDeny, explanation.Decision);
        Assert.Contains(explanation.Statements, s => s.Resource == "arn:aws:s3:::b/x" && s.Outcome == StatementOutcome.ResourceNotMatched);
    }

    [Fact]
    public void The_root_user_is_allowed_in_its_own_account_unless_a_policy_denies()
    {
        Assert.Equal(Decision.Allow, Run(Context(Root(), "s3:GetObject", Object, AccountA), PolicySet.Empty));
        var denied = new PolicySet { Resource = Resource("""{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"s3:*","Resource":"*"}""") };
        Assert.Equal(Decision.ExplicitDeny, Run(Context(Root(), "s3:GetObject", Object, AccountA), denied));
    }

    [Fact]
    public void The_root_user_of_another_account_needs_the_resource_policy()
    {
        Assert.Equal(Decision.ImplicitDeny, Run(Context(Root(AccountB), "s3:GetObject", Object, AccountA), PolicySet.Empty));
        var shared = new PolicySet { Resource = Resource("""{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"s3:GetObject","Resource":"*"}""") };
        Assert.Equal(Decision.Allow, Run(Context(Root(AccountB), "s3:GetObject", Object, AccountA), shared));
    }

    [Fact]
    public void An_anonymous_caller_is_allowed_only_by_a_resource_policy_for_everyone()
    {
        var anonymous = Context(CallerIdentity.Anonymous, "s3:GetObject", Object, AccountA);
        Assert.Equal(Decision.ImplicitDeny, Run(anonymous, new PolicySet { Identity = [Identity(AllowAll)] }));
        Assert.Equal(Decision.ImplicitDeny, Run(anonymous, new PolicySet { Resource = Resource("""{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"*","Resource":"*"}""") }));
        Assert.Equal(Decision.Allow, Run(anonymous, new PolicySet { Resource = Resource("""{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}""") }));
        Assert.Equal(Decision.Allow, Run(anonymous, new PolicySet { Resource = Resource("""{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}""") }));
    }

    public static TheoryData<string, bool, string?, Decision> CrossAccountCases => new()
    {
        // identity policy in B | bucket policy in A names | expected
        { "none", false, null, Decision.ImplicitDeny },
        { "identity only", true, null, Decision.ImplicitDeny },
        { "resource only (account)", false, "\"222222222222\"", Decision.ImplicitDeny },
        { "resource only (user)", false, "\"arn:aws:iam::222222222222:user/alice\"", Decision.ImplicitDeny },
        { "both (account)", true, "\"222222222222\"", Decision.Allow },
        { "both (account root ARN)", true, "\"arn:aws:iam::222222222222:root\"", Decision.Allow },
        { "both (user ARN)", true, "\"arn:aws:iam::222222222222:user/alice\"", Decision.Allow },
        { "both (everyone)", true, "\"*\"", Decision.Allow },
        { "both, but another user named", true, "\"arn:aws:iam::222222222222:user/bob\"", Decision.ImplicitDeny },
        { "both, but another account named", true, "\"333333333333\"", Decision.ImplicitDeny },
    };

    [Theory]
    [MemberData(nameof(CrossAccountCases))]
    public void Cross_account_access_needs_an_allow_on_both_sides(string label, bool identityAllows, string? resourcePrincipal, Decision expected)
    {
        var set = new PolicySet
        {
            Identity = identityAllows ? [Identity(AllowGet)] : [],
            Resource = resourcePrincipal is null ? null : Resource($$$"""{"Effect":"Allow","Principal":{"AWS":{{{resourcePrincipal}}}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}"""),
        };
        Assert.True(expected == Run(Context(User("alice", AccountB), "s3:GetObject", Object, AccountA), set), label);
    }

    [Fact]
    public void A_role_arn_in_a_resource_policy_names_every_session_of_the_role()
    {
        var policy = Resource("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/path/reader"},"Action":"s3:GetObject","Resource":"*"}""");
        var set = new PolicySet { Identity = [Identity(AllowGet)], Resource = policy };
        Assert.Equal(Decision.Allow, Run(Context(Session("reader", "any", AccountB), "s3:GetObject", Object, AccountA), set));
        Assert.Equal(Decision.ImplicitDeny, Run(Context(Session("writer", "any", AccountB), "s3:GetObject", Object, AccountA), set));
    }

    [Fact]
    public void Same_account_either_an_identity_or_a_resource_policy_allow_is_enough()
    {
        var resourceOnly = new PolicySet { Resource = Resource("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"s3:GetObject","Resource":"*"}""") };
        Assert.Equal(Decision.Allow, Run(Context(User("alice"), "s3:GetObject", Object, AccountA), resourceOnly));
        Assert.Equal(Decision.ImplicitDeny, Run(Context(User("bob"), "s3:GetObject", Object, AccountA), resourceOnly));
        var identityOnly = new PolicySet { Identity = [Identity(AllowGet)] };
        Assert.Equal(Decision.Allow, Run(Context(User("alice"), "s3:GetObject", Object, AccountA), identityOnly));
    }

    [Fact]
    public void Same_account_a_resource_policy_naming_only_the_account_defers_to_identity_policies()
    {
        var set = new PolicySet { Resource = Resource("""{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"s3:GetObject","Resource":"*"}""") };
        Assert.Equal(Decision.ImplicitDeny, Run(Context(User(), "s3:GetObject", Object, AccountA), set));
    }

    [Fact]
    public void A_permissions_boundary_narrows_identity_allows()
    {
        var boundary = Boundary("""{"Effect":"Allow","Action":"s3:*","Resource":"*"}""");
        var set = new PolicySet { Identity = [Identity(AllowAll)], PermissionsBoundary = boundary };
        Assert.Equal(Decision.Allow, Run(Context(User(), "s3:GetObject", Object), set));
        Assert.Equal(Decision.ImplicitDeny, Run(Context(User(), "iam:CreateUser", "*"), set));
        var boundaryOnly = new PolicySet { PermissionsBoundary = boundary };
        Assert.Equal(Decision.ImplicitDeny, Run(Context(User(), "s3:GetObject", Object), boundaryOnly));
    }

    [Fact]
    public void A_resource_policy_naming_the_user_grants_despite_the_boundary_but_one_naming_a_role_does_not()
    {
        // "An implicit deny in a permissions boundary does not limit the permissions granted by a resource-based policy" to
        // the IAM user or session ARN; a grant to the role ARN is limited by the boundary and session policies.
        var boundary = Boundary("""{"Effect":"Allow","Action":"sqs:*","Resource":"*"}""");
        var toUser = new PolicySet { PermissionsBoundary = boundary, Resource = Resource("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"s3:GetObject","Resource":"*"}""") };
        Assert.Equal(Decision.Allow, Run(Context(User("alice"), "s3:GetObject", Object, AccountA), toUser));
        var toRole = new PolicySet { PermissionsBoundary = boundary, Resource = Resource("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/reader"},"Action":"s3:GetObject","Resource":"*"}""") };
        Assert.Equal(Decision.ImplicitDeny, Run(Context(Session("reader"), "s3:GetObject", Object, AccountA), toRole));
        var toSession = new PolicySet { PermissionsBoundary = boundary, Resource = Resource("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111111111111:assumed-role/reader/s1"},"Action":"s3:GetObject","Resource":"*"}""") };
        Assert.Equal(Decision.Allow, Run(Context(Session("reader", "s1"), "s3:GetObject", Object, AccountA), toSession));
        var toRoleWithoutBoundary = toRole.Resource;
        Assert.Equal(Decision.Allow, Run(Context(Session("reader"), "s3:GetObject", Object, AccountA), new PolicySet { Resource = toRoleWithoutBoundary }));
    }

    [Fact]
    public void Session_policies_narrow_the_roles_permissions()
    {
        var role = Identity("""{"Effect":"Allow","Action":["s3:*","sqs:*"],"Resource":"*"}""");
        var set = new PolicySet { Identity = [role], Session = [SessionPolicy("""{"Effect":"Allow","Action":["s3:GetObject","iam:*"],"Resource":"*"}""")] };
        Assert.Equal(Decision.Allow, Run(Context(Session(), "s3:GetObject", Object), set));
        Assert.Equal(Decision.ImplicitDeny, Run(Context(Session(), "sqs:SendMessage", "*"), set));
        Assert.Equal(Decision.ImplicitDeny, Run(Context(Session(), "iam:CreateUser", "*"), set)); // the session cannot widen
    }

    [Fact]
    public void A_deny_in_a_boundary_or_session_policy_is_an_explicit_deny()
    {
        Assert.Equal(Decision.ExplicitDeny, Run(Context(User(), "s3:GetObject", Object), new PolicySet { Identity = [Identity(AllowAll)], PermissionsBoundary = Boundary(DenyGet) }));
        Assert.Equal(Decision.ExplicitDeny, Run(Context(Session(), "s3:GetObject", Object), new PolicySet { Identity = [Identity(AllowAll)], Session = [SessionPolicy(DenyGet)] }));
    }

    [Fact]
    public void NotPrincipal_applies_to_everyone_not_listed()
    {
        var policy = Resource("""{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:user/admin"},"Action":"s3:*","Resource":"*"}""");
        var set = new PolicySet { Identity = [Identity(AllowAll)], Resource = policy };
        Assert.Equal(Decision.ExplicitDeny, Run(Context(User("alice"), "s3:GetObject", Object, AccountA), set));
        Assert.Equal(Decision.Allow, Run(Context(User("admin"), "s3:GetObject", Object, AccountA), set));
    }

    [Fact]
    public void A_service_principal_is_matched_by_its_name()
    {
        var policy = Resource("""{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::bucket"}}}""");
        var service = new AuthorizationContextBuilder(Root(), "sqs:SendMessage").Resource("arn:aws:sqs:us-east-1:222222222222:q").ResourceAccount(AccountB)
            .ServicePrincipal("s3.amazonaws.com").Set("aws:SourceArn", "arn:aws:s3:::bucket").Build();
        Assert.Equal(Decision.Allow, Run(service, new PolicySet { Resource = policy }));
    }

    [Fact]
    public void The_explanation_names_the_deciding_statement_and_why_others_did_not_match()
    {
        var identity = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"ReadHome","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"},
              {"Sid":"Sqs","Effect":"Allow","Action":"sqs:*","Resource":"*"},
              {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"},
              {"Sid":"Tls","Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
            """, PolicyKind.Identity, "arn:aws:iam::111111111111:policy/reader");
        var context = new AuthorizationContextBuilder(User(), "s3:GetObject").Resource(Object).SecureTransport(true).Build();
        var explanation = new PolicyExplanation();
        Assert.Equal(Decision.Allow, PolicyEvaluator.Evaluate(context, new PolicySet { Identity = [identity] }, explanation));
        Assert.Equal(Decision.Allow, explanation.Decision);
        Assert.Equal("arn:aws:iam::111111111111:policy/reader#ReadHome", explanation.DecidingStatement!.Label);
        Assert.Equal(4, explanation.Statements.Count);
        Assert.Equal(StatementOutcome.ActionNotMatched, explanation.Statements[1].Outcome);
        Assert.Equal(StatementOutcome.ResourceNotMatched, explanation.Statements[2].Outcome);
        Assert.Equal("arn:aws:iam::111111111111:policy/reader#[2]", explanation.Statements[2].Label);
        Assert.Equal(StatementOutcome.ConditionNotMatched, explanation.Statements[3].Outcome);
        Assert.Contains("Bool on aws:SecureTransport", explanation.Statements[3].Detail, StringComparison.Ordinal);
        Assert.Single(explanation.Matched);
        Assert.Contains("=> arn:aws:iam::111111111111:policy/reader#ReadHome", explanation.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_explanation_of_a_denial_names_the_deny_or_says_nothing_allowed()
    {
        var explanation = new PolicyExplanation();
        var set = new PolicySet { Identity = [Identity(AllowAll, "admin")], Resource = Resource("""{"Sid":"NoGet","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}""") };
        PolicyEvaluator.Evaluate(Context(User(), "s3:GetObject", Object, AccountA), set, explanation);
        Assert.Equal(Decision.ExplicitDeny, explanation.Decision);
        Assert.Equal("bucket-policy#NoGet", explanation.DecidingStatement!.Label);
        Assert.Equal(PolicyKind.Resource, explanation.DecidingStatement.Kind);

        var nothing = new PolicyExplanation();
        PolicyEvaluator.Evaluate(Context(User(), "s3:GetObject", Object), new PolicySet { Identity = [Identity("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}""")] }, nothing);
        Assert.Equal(Decision.ImplicitDeny, nothing.Decision);
        Assert.Null(nothing.DecidingStatement);
        Assert.Contains("no identity-based or resource-based policy allows", nothing.Reason, StringComparison.Ordinal);
        Assert.Equal("condition StringEquals on aws:RequestedRegion did not hold", nothing.Statements[0].Detail);
    }

    [Fact]
    public void The_explanation_of_a_cross_account_refusal_says_which_side_is_missing()
    {
        var explanation = new PolicyExplanation();
        PolicyEvaluator.Evaluate(Context(User("alice", AccountB), "s3:GetObject", Object, AccountA), new PolicySet { Identity = [Identity(AllowGet)] }, explanation);
        Assert.Contains("the resource policy does not allow the caller", explanation.Reason, StringComparison.Ordinal);
    }
}
