using Stratus.Iam.Policies;

namespace Stratus.Iam.Tests.Policies;

public sealed class PolicyParserTests
{
    [Fact]
    public void A_statement_may_be_an_object_or_an_array()
    {
        var single = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""", PolicyKind.Identity);
        var array = PolicyDocument.Parse("""{"Version":"2012-10-17","Id":"p1","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"},{"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::b/*"}]}""", PolicyKind.Identity);
        Assert.Equal(1, single.StatementCount);
        Assert.Equal(2, array.StatementCount);
        Assert.Equal("p1", array.Id);
        Assert.Equal(PolicyVersion.Version2012, array.Version);
        Assert.Equal("A", array.Statements[0].Sid);
        Assert.True(array.Statements[1].NotAction);
        Assert.True(array.Statements[1].NotResource);
    }

    [Fact]
    public void A_missing_version_is_2008_10_17()
    {
        var policy = PolicyDocument.Parse("""{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""", PolicyKind.Identity);
        Assert.Equal(PolicyVersion.Version2008, policy.Version);
    }

    [Fact]
    public void The_size_counts_bytes_and_characters_other_than_whitespace()
    {
        const string valid = "{ \"Statement\": {\"Sid\":\"é\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"} }";
        var policy = PolicyDocument.Parse(valid, PolicyKind.Identity);
        Assert.Equal(valid.Length + 1, policy.Size);
        Assert.Equal(valid.Length - 3, policy.SizeWithoutWhitespace);
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Action":"s3:*","Resource":"*"}}""", "Missing required field Effect")]
    [InlineData("""{"Version":"2012-10-17"}""", "Missing required field Statement")]
    [InlineData("""{"Version":"2012-10-17","Statement":[]}""", "Missing required field Statement")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}""", "Invalid effect: allow")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}""", "Policy statement must contain actions.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}""", "Policy statement must contain resources.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Principal":"*"}}""", "Policy document should not specify a principal.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}""", "Actions/Conditions must be prefaced by a vendor")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}}""", "Resource bucket must be in ARN format or \"*\".")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"x","Effect":"Allow","Action":"s3:*","Resource":"*"}]}""", "Statement IDs (SID) in a single policy must be unique.")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"a"}}}}""", "Invalid Condition type : StringEqualz")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}}""", "Invalid value \"ten\" for condition NumericLessThan on s3:max-keys")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}}""", "Invalid value \"10.0.0.0/33\" for condition IpAddress")]
    [InlineData("""{"Version":"2011-01-01","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""", "The policy failed legacy parsing")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Colour":"red"}}""", "unknown field Colour")]
    [InlineData("""[1,2]""", "Syntax errors in policy")]
    public void An_identity_policy_is_refused_with_a_message_that_says_what_is_wrong(string json, string message)
    {
        var error = Assert.Throws<MalformedPolicyDocumentException>(() => PolicyDocument.Parse(json, PolicyKind.Identity));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("MalformedPolicyDocument", error.Code);
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void Bad_json_is_refused_with_its_position()
    {
        var error = Assert.Throws<MalformedPolicyDocumentException>(() => PolicyDocument.Parse("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\" \"Allow\"}\n}", PolicyKind.Identity));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("position", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"*\"")]
    [InlineData("""{"AWS":"*"}""")]
    [InlineData("""{"AWS":"111111111111"}""")]
    [InlineData("""{"AWS":["arn:aws:iam::111111111111:root","arn:aws:iam::111111111111:user/path/bob","arn:aws:iam::111111111111:role/r"]}""")]
    [InlineData("""{"AWS":"arn:aws:sts::111111111111:assumed-role/r/session"}""")]
    [InlineData("""{"Service":"lambda.amazonaws.com"}""")]
    [InlineData("""{"Federated":"cognito-identity.amazonaws.com"}""")]
    [InlineData("""{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}""")]
    public void A_resource_policy_takes_every_kind_of_principal(string principal)
    {
        var policy = PolicyDocument.Parse($$$"""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{{{principal}}},"Action":"s3:*","Resource":"*"}}""", PolicyKind.Resource);
        Assert.Equal(1, policy.StatementCount);
    }

    [Theory]
    [InlineData("""{"AWS":"bob"}""")]
    [InlineData("""{"AWS":"arn:aws:iam::111111111111:user/*"}""")]
    [InlineData("""{"AWS":"arn:aws:s3:::bucket"}""")]
    [InlineData("""{"AWS":"1111"}""")]
    [InlineData("""{"Alien":"x"}""")]
    [InlineData("\"bob\"")]
    public void An_invalid_principal_is_refused(string principal)
    {
        var error = Assert.Throws<MalformedPolicyDocumentException>(() =>
            PolicyDocument.Parse($$$"""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{{{principal}}},"Action":"s3:*","Resource":"*"}}""", PolicyKind.Resource));
        Assert.StartsWith("Invalid principal in policy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_policy_needs_a_principal_but_not_a_resource()
    {
        var error = Assert.Throws<MalformedPolicyDocumentException>(() =>
            PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""", PolicyKind.Resource));
        Assert.Equal("Missing required field Principal", error.Message);
        var trust = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}""", PolicyKind.Resource);
        Assert.Null(trust.Statements[0].Resources);
    }

    [Theory]
    [InlineData(PolicyKind.PermissionsBoundary)]
    [InlineData(PolicyKind.Session)]
    public void Boundaries_and_session_policies_may_not_name_a_principal(PolicyKind kind)
    {
        var error = Assert.Throws<MalformedPolicyDocumentException>(() =>
            PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}}""", kind));
        Assert.Equal("Policy document should not specify a principal.", error.Message);
    }

    [Fact]
    public void Condition_values_may_be_numbers_booleans_or_lists()
    {
        var policy = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true},"StringEquals":{"aws:username":["a","b"]}}}}""", PolicyKind.Identity);
        var conditions = policy.Statements[0].Conditions;
        Assert.Equal(3, conditions.Count);
        Assert.Equal(["10"], conditions[0].Values);
        Assert.Equal(["true"], conditions[1].Values);
        Assert.Equal(["a", "b"], conditions[2].Values);
    }

    [Fact]
    public void The_cache_parses_a_document_once_and_evicts_the_least_recently_used()
    {
        var cache = new PolicyCache(capacity: 2);
        const string a = """{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""";
        const string b = """{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}""";
        const string c = """{"Statement":{"Effect":"Allow","Action":"sqs:*","Resource":"*"}}""";
        var first = cache.GetOrParse(a, PolicyKind.Identity);
        Assert.Same(first, cache.GetOrParse(a, PolicyKind.Identity));
        cache.GetOrParse(b, PolicyKind.Identity);
        cache.GetOrParse(a, PolicyKind.Identity);
        cache.GetOrParse(c, PolicyKind.Identity);
        Assert.Equal(2, cache.Count);
        Assert.Same(first, cache.GetOrParse(a, PolicyKind.Identity));
        Assert.Throws<MalformedPolicyDocumentException>(() => cache.GetOrParse("{", PolicyKind.Identity));
        Assert.Equal(2, cache.Count);
    }
}
