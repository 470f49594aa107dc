using Stratus.Iam.Policies;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Tests.Policies;

/// <summary>The simulator on the real evaluator, with cases from AWS's documentation of SimulateCustomPolicy and of policy evaluation.</summary>
public sealed class PolicySimulatorTests
{
    private static readonly CallerIdentity Alice = Requests.User();

    private const string MfaPolicy = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::teambucket","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}""";

    [Theory]
    [InlineData("true", "allowed")]
    [InlineData("false", "implicitDeny")]
    public void The_documented_MFA_example_is_allowed_only_with_MFA(string mfa, string decision)
    {
        var result = Single(MfaPolicy, "s3:ListBucket", "arn:aws:s3:::teambucket", ("aws:MultiFactorAuthPresent", mfa));
        Assert.Equal(decision, result.Decision);
        Assert.Empty(result.MissingContextValues);
        Assert.Equal(decision == "allowed" ? 1 : 0, result.MatchedStatements.Count);
    }

    [Fact]
    public void A_condition_key_the_context_lacks_is_reported_missing()
    {
        var result = Single(MfaPolicy, "s3:ListBucket", "arn:aws:s3:::teambucket");
        Assert.Equal(("implicitDeny", "aws:MultiFactorAuthPresent"), (result.Decision, Assert.Single(result.MissingContextValues)));
        Assert.Equal(["aws:MultiFactorAuthPresent"], Single(MfaPolicy, "s3:ListBucket", "*").MissingContextValues);
        Assert.Empty(Single(MfaPolicy, "s3:GetObject", "*").MissingContextValues);
    }

    [Fact]
    public void An_explicit_deny_reports_only_the_deny_with_its_position()
    {
        const string policy = "{\"Version\":\"2012-10-17\",\n\"Statement\":[\n  {\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},\n  {\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"*\"}\n]}";
        var result = Single(policy, "s3:DeleteBucket", "*");
        Assert.Equal("explicitDeny", result.Decision);
        var deny = Assert.Single(result.MatchedStatements);
        Assert.Equal(("PolicyInputList.1", "none"), (deny.SourcePolicyId, deny.SourcePolicyType));
        Assert.Equal(new TextPosition(4, 3), deny.Start);
        Assert.Equal(new TextPosition(4, 62), deny.End);
        Assert.Equal(3, Single(policy, "s3:GetObject", "*").MatchedStatements[0].Start.Line);
    }

    [Fact]
    public void A_boundary_narrows_and_says_whether_it_allowed()
    {
        var identity = new SimulationPolicy("p", "none", """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}}""");
        var boundary = new SimulationPolicy("b", "none", """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}""");
        var results = PolicySimulator.Simulate(Alice, [identity], boundary, null, ["s3:GetObject", "s3:PutObject"], [], null, []);
        Assert.Equal(["allowed", "implicitDeny"], results.Select(r => r.Decision));
        Assert.Equal([true, false], results.Select(r => r.AllowedByPermissionsBoundary!.Value));
    }

    [Fact]
    public void Cross_account_details_show_each_side_and_same_account_ones_are_empty_or_absent()
    {
        var identity = new SimulationPolicy("p", "none", """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}}""");
        var queue = "arn:aws:sqs:us-east-1:" + Requests.AccountB + ":orders";
        var cross = PolicySimulator.Simulate(Alice, [identity], null, null, ["sqs:SendMessage"], [queue], null, [])[0];
        Assert.Equal("implicitDeny", cross.Decision);
        Assert.Equal("allowed", cross.DecisionDetails!["IAM Policy"]);
        Assert.Equal("implicitDeny", cross.DecisionDetails["Resource Policy"]);
        var grant = new SimulationPolicy("ResourcePolicy", "resource", """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"ACCOUNT"},"Action":"sqs:SendMessage","Resource":"QUEUE"}}"""
            .Replace("ACCOUNT", Requests.AccountA, StringComparison.Ordinal).Replace("QUEUE", queue, StringComparison.Ordinal));
        Assert.Equal("allowed", PolicySimulator.Simulate(Alice, [identity], null, grant, ["sqs:SendMessage"], [queue], null, [])[0].Decision);
        var own = "arn:aws:sqs:us-east-1:" + Requests.AccountA + ":orders";
        Assert.Empty(PolicySimulator.Simulate(Alice, [identity], null, null, ["sqs:SendMessage"], [own], null, [])[0].DecisionDetails!);
        Assert.Null(PolicySimulator.Simulate(Alice, [identity], null, null, ["sqs:SendMessage"], [], null, [])[0].DecisionDetails);
    }

    [Fact]
    public void A_malformed_input_policy_is_refused()
    {
        Assert.Throws<MalformedPolicyDocumentException>(() =>
            PolicySimulator.Simulate(Alice, [new SimulationPolicy("p", "none", "{\"Statement\":")], null, null, ["s3:GetObject"], [], null, []));
    }

    [Fact]
    public void Statement_positions_follow_lines_and_characters_not_bytes()
    {
        var positions = StatementPositions.Of("{\"Id\":\"é\",\"Statement\":\n {\"Effect\":\"Allow\"}}");
        Assert.Equal((new TextPosition(2, 2), new TextPosition(2, 20)), Assert.Single(positions));
        Assert.Empty(StatementPositions.Of("not json"));
        Assert.Equal(new TextPosition(1, 14), StatementPositions.Of("{\"Statement\":{\"Effect\":\"Deny\"}}")[0].Start);
    }

    private static SimulationResult Single(string policy, string action, string resource, params (string Key, string Value)[] context) =>
        Assert.Single(PolicySimulator.Simulate(
            Alice,
            [new SimulationPolicy("PolicyInputList.1", "none", policy)],
            null,
            null,
            [action],
            resource == "*" ? [] : [resource],
            null,
            [.. context.Select(c => new KeyValuePair<string, string[]>(c.Key, [c.Value]))]));
}
