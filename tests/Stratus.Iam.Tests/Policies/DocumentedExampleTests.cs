using Stratus.Iam.Policies;
using Stratus.Protocol.Auth;
using static Stratus.Iam.Tests.Policies.Requests;

namespace Stratus.Iam.Tests.Policies;

/// <summary>Policies from AWS's documentation, and the evaluation nuances its flow charts describe.</summary>
public sealed class DocumentedExampleTests
{
    private const string RoleArn = "arn:aws:iam::111111111111:role/partner-access";

    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html (sts:ExternalId)
    [Fact]
    public void A_trust_policy_with_an_external_id_admits_only_the_partner_that_presents_it()
    {
        var trust = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole",
             "Condition":{"StringEquals":{"sts:ExternalId":"Unique-ID-1234"}}}}
            """, PolicyKind.Resource, "trust");
        var callerPolicy = Identity($$$"""{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"{{{RoleArn}}}"}""");
        var set = new PolicySet { Identity = [callerPolicy], Resource = trust };
        AuthorizationContext Assume(string? externalId)
        {
            var builder = new AuthorizationContextBuilder(User("partner", AccountB), "sts:AssumeRole").Resource(RoleArn).ResourceAccount(AccountA);
            if (externalId is not null)
            {
                builder.Set("sts:ExternalId", externalId);
            }

            return builder.Build();
        }

        Assert.Equal(Decision.Allow, PolicyEvaluator.Evaluate(Assume("Unique-ID-1234"), set));
        Assert.Equal(Decision.ImplicitDeny, PolicyEvaluator.Evaluate(Assume("guess"), set));
        Assert.Equal(Decision.ImplicitDeny, PolicyEvaluator.Evaluate(Assume(null), set));
    }

    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-ip.html
    [Fact]
    public void Deny_from_outside_the_corporate_ranges_unless_a_service_calls_on_your_behalf()
    {
        var deny = Identity("""
            {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]},"Bool":{"aws:ViaAWSService":"false"}}}
            """, "deny-ip");
        var set = new PolicySet { Identity = [Identity("""{"Effect":"Allow","Action":"*","Resource":"*"}"""), deny] };
        AuthorizationContext From(string ip, bool viaService) => new AuthorizationContextBuilder(User(), "s3:GetObject").Resource("arn:aws:s3:::b/k")
            .SourceIp(System.Net.IPAddress.Parse(ip)).Set("aws:ViaAWSService", viaService ? "true" : "false").Build();
        Assert.Equal(Decision.Allow, PolicyEvaluator.Evaluate(From("203.0.113.10", false), set));
        Assert.Equal(Decision.ExplicitDeny, PolicyEvaluator.Evaluate(From("198.51.100.10", false), set));
        Assert.Equal(Decision.Allow, PolicyEvaluator.Evaluate(From("198.51.100.10", true), set));
    }

    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_mfa-dates.html and the documented
    // pitfall: aws:MultiFactorAuthPresent is absent for long-term keys, so "Bool false" does not catch them; BoolIfExists does.
    [Fact]
    public void Requiring_mfa_needs_BoolIfExists_because_access_keys_carry_no_mfa_key()
    {
        var allowAll = Identity("""{"Effect":"Allow","Action":"*","Resource":"*"}""");
        var naive = new PolicySet { Identity = [allowAll, Identity("""{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}""")] };
        var careful = new PolicySet { Identity = [allowAll, Identity("""{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}""")] };
        var accessKey = new AuthorizationContextBuilder(User(), "ec2:StopInstances").Resource("*").Build();
        var withMfa = new AuthorizationContextBuilder(Session(), "ec2:StopInstances").Resource("*").MultiFactorAuthPresent(true).Build();
        var withoutMfa = new AuthorizationContextBuilder(Session(), "ec2:StopInstances").Resource("*").MultiFactorAuthPresent(false).Build();
        Assert.Equal(Decision.Allow, PolicyEvaluator.Evaluate(accessKey, naive));
        Assert.Equal(Decision.ExplicitDeny, PolicyEvaluator.Evaluate(accessKey, careful));
        Assert.Equal(Decision.Allow, PolicyEvaluator.Evaluate(withMfa, careful));
        Assert.Equal(Decision.ExplicitDeny, PolicyEvaluator.Evaluate(withoutMfa, naive));
    }

    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam-tag-keys.html style: tag-based access.
    [Fact]
    public void Access_by_matching_principal_and_resource_tags()
    {
        var policy = Identity("""{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/project":"${aws:PrincipalTag/project}"}}}""");
        AuthorizationContext Start(string principalProject, string resourceProject) => new AuthorizationContextBuilder(User(), "ec2:StartInstances").Resource("*")
            .PrincipalTags([new("project", principalProject)]).ResourceTags([new("project", resourceProject)]).Build();
        Assert.Equal(Decision.Allow, Evaluate(Start("apollo", "apollo"), policy));
        Assert.Equal(Decision.ImplicitDeny, Evaluate(Start("apollo", "gemini"), policy));
        var untagged = new AuthorizationContextBuilder(User(), "ec2:StartInstances").Resource("*").ResourceTags([new("project", "apollo")]).Build();
        Assert.Equal(Decision.ImplicitDeny, Evaluate(untagged, policy));
    }

    [Fact]
    public void A_resource_policy_naming_the_session_grants_despite_a_narrower_session_policy()
    {
        var set = new PolicySet
        {
            Identity = [Identity("""{"Effect":"Allow","Action":"*","Resource":"*"}""")],
            Session = [SessionPolicy("""{"Effect":"Allow","Action":"sqs:*","Resource":"*"}""")],
            Resource = Resource("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111111111111:assumed-role/reader/s1"},"Action":"s3:GetObject","Resource":"*"}"""),
        };
        Assert.Equal(Decision.Allow, PolicyEvaluator.Evaluate(Context(Session("reader", "s1"), "s3:GetObject", "arn:aws:s3:::b/k", AccountA), set));
        Assert.Equal(Decision.ImplicitDeny, PolicyEvaluator.Evaluate(Context(Session("reader", "s2"), "s3:GetObject", "arn:aws:s3:::b/k", AccountA), set));
    }

    [Fact]
    public void Across_accounts_a_resource_policy_naming_the_user_does_not_lift_its_boundary()
    {
        var set = new PolicySet
        {
            Identity = [Identity("""{"Effect":"Allow","Action":"*","Resource":"*"}""")],
            PermissionsBoundary = Boundary("""{"Effect":"Allow","Action":"sqs:*","Resource":"*"}"""),
            Resource = Resource("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:user/carol"},"Action":"s3:GetObject","Resource":"*"}"""),
        };
        var explanation = new PolicyExplanation();
        Assert.Equal(Decision.ImplicitDeny, PolicyEvaluator.Evaluate(Context(User("carol", AccountB), "s3:GetObject", "arn:aws:s3:::b/k", AccountA), set, explanation));
        Assert.Contains("permissions boundary does not allow", explanation.Reason, StringComparison.Ordinal);
        Assert.Contains(explanation.Statements, s => s.Kind == PolicyKind.PermissionsBoundary && s.Outcome == StatementOutcome.ActionNotMatched);
    }

    [Fact]
    public void One_resource_pattern_with_a_missing_variable_does_not_stop_another_from_matching()
    {
        var policy = Identity("""{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::home/${aws:username}/*","arn:aws:s3:::shared/*"]}""");
        Assert.Equal(Decision.Allow, Evaluate(Context(Session(), "s3:GetObject", "arn:aws:s3:::shared/x"), policy));
        Assert.Equal(Decision.ImplicitDeny, Evaluate(Context(Session(), "s3:GetObject", "arn:aws:s3:::home/x"), policy));
    }

    [Fact]
    public void A_deny_with_NotPrincipal_applies_to_anonymous_callers()
    {
        var set = new PolicySet
        {
            Resource = Resource("""
                [{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},
                 {"Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"s3:GetObject","Resource":"*"}]
                """),
        };
        Assert.Equal(Decision.ExplicitDeny, PolicyEvaluator.Evaluate(Context(CallerIdentity.Anonymous, "s3:GetObject", "arn:aws:s3:::b/k", AccountA), set));
        Assert.Equal(Decision.Allow, PolicyEvaluator.Evaluate(Context(User(), "s3:GetObject", "arn:aws:s3:::b/k", AccountA), set));
    }

    [Fact]
    public void Every_operator_takes_the_IfExists_suffix_and_both_set_qualifiers_except_Null()
    {
        string[] operators =
        [
            "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
            "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
            "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
            "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
        ];
        foreach (var op in operators)
        {
            foreach (var name in new[] { op, op + "IfExists", "ForAnyValue:" + op, "ForAllValues:" + op + "IfExists" })
            {
                Assert.True(ConditionOperator.TryParse(name, out var parsed), name);
                Assert.Equal(name.EndsWith("IfExists", StringComparison.Ordinal), parsed.Value.IfExists);
            }
        }

        Assert.True(ConditionOperator.TryParse("Null", out _));
        Assert.False(ConditionOperator.TryParse("NullIfExists", out _));
        Assert.False(ConditionOperator.TryParse("ForAnyValue:Null", out _));
        Assert.False(ConditionOperator.TryParse("stringequals", out _));
    }
}
