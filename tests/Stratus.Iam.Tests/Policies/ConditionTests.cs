using Stratus.Iam.Policies;

namespace Stratus.Iam.Tests.Policies;

// Cases follow the IAM User Guide's condition operator reference and its examples:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
public sealed class ConditionTests
{
    private static bool Holds(string condition, params (string Key, string[] Values)[] keys) =>
        Requests.Evaluate(Requests.WithKeys(keys), Requests.AllowWhen(condition)) == Decision.Allow;

    private static (string, string[]) K(string key, params string[] values) => (key, values);

    [Theory]
    // "StringEquals": {"aws:PrincipalTag/job-category": "iamuser-admin"}
    [InlineData("""{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}""", "iamuser-admin", true)]
    [InlineData("""{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}""", "IAMUSER-ADMIN", false)]
    [InlineData("""{"StringEquals":{"aws:PrincipalTag/job-category":["a","iamuser-admin"]}}""", "iamuser-admin", true)]
    [InlineData("""{"StringNotEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}""", "other", true)]
    [InlineData("""{"StringNotEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}""", "iamuser-admin", false)]
    [InlineData("""{"StringEqualsIgnoreCase":{"aws:PrincipalTag/job-category":"IAMUser-Admin"}}""", "iamuser-admin", true)]
    [InlineData("""{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/job-category":"IAMUser-Admin"}}""", "iamuser-admin", false)]
    [InlineData("""{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/job-category":"IAMUser-Admin"}}""", "dev", true)]
    // "StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/"]} and wildcards
    [InlineData("""{"StringLike":{"aws:PrincipalTag/job-category":"iamuser-*"}}""", "iamuser-admin", true)]
    [InlineData("""{"StringLike":{"aws:PrincipalTag/job-category":"iamuser-?dmin"}}""", "iamuser-admin", true)]
    [InlineData("""{"StringLike":{"aws:PrincipalTag/job-category":"iamuser-*"}}""", "IAMUSER-admin", false)]
    [InlineData("""{"StringNotLike":{"aws:PrincipalTag/job-category":"iamuser-*"}}""", "dev", true)]
    [InlineData("""{"StringNotLike":{"aws:PrincipalTag/job-category":"iamuser-*"}}""", "iamuser-x", false)]
    public void String_operators(string condition, string value, bool expected) =>
        Assert.Equal(expected, Holds(condition, K("aws:PrincipalTag/job-category", value)));

    [Theory]
    // "NumericLessThanEquals": {"s3:max-keys": "10"}
    [InlineData("NumericLessThanEquals", "10", "10", true)]
    [InlineData("NumericLessThanEquals", "10", "11", false)]
    [InlineData("NumericLessThan", "10", "10", false)]
    [InlineData("NumericLessThan", "10", "9.5", true)]
    [InlineData("NumericGreaterThan", "10", "11", true)]
    [InlineData("NumericGreaterThan", "10", "10", false)]
    [InlineData("NumericGreaterThanEquals", "10", "10", true)]
    [InlineData("NumericEquals", "10", "10.0", true)]
    [InlineData("NumericEquals", "10", "ten", false)]
    [InlineData("NumericNotEquals", "10", "11", true)]
    [InlineData("NumericNotEquals", "10", "10", false)]
    [InlineData("NumericEquals", "-3.5", "-3.5", true)]
    public void Numeric_operators(string op, string policyValue, string requestValue, bool expected) =>
        Assert.Equal(expected, Holds($$$"""{"{{{op}}}":{"s3:max-keys":"{{{policyValue}}}"}}""", K("s3:max-keys", requestValue)));

    [Theory]
    // "DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}; epoch seconds are accepted on either side.
    [InlineData("DateGreaterThan", "2020-01-01T00:00:01Z", "2020-06-30T12:00:00Z", true)]
    [InlineData("DateGreaterThan", "2020-01-01T00:00:01Z", "2019-12-31T23:59:59Z", false)]
    [InlineData("DateLessThan", "2020-01-01T00:00:00Z", "2019-12-31T23:59:59Z", true)]
    [InlineData("DateLessThanEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", true)]
    [InlineData("DateGreaterThanEquals", "2020-01-01", "2020-01-01T00:00:00Z", true)]
    [InlineData("DateEquals", "2020-01-01T00:00:00Z", "1577836800", true)]
    [InlineData("DateEquals", "1577836800", "2020-01-01T01:00:00+01:00", true)]
    [InlineData("DateNotEquals", "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", true)]
    [InlineData("DateNotEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", false)]
    [InlineData("DateLessThan", "2020-01-01T00:00:00Z", "not a date", false)]
    public void Date_operators(string op, string policyValue, string requestValue, bool expected) =>
        Assert.Equal(expected, Holds($$$"""{"{{{op}}}":{"aws:CurrentTime":"{{{policyValue}}}"}}""", K("aws:CurrentTime", requestValue)));

    [Fact]
    public void The_builder_fills_current_and_epoch_time()
    {
        var context = new AuthorizationContextBuilder(Requests.User(), "s3:GetObject").Resource("*")
            .Time(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)).Build();
        var policy = Requests.AllowWhen("""{"DateLessThan":{"aws:CurrentTime":"2026-03-02T00:00:00Z"},"DateGreaterThan":{"aws:EpochTime":"1772323200"}}""");
        Assert.Equal(Decision.Allow, Requests.Evaluate(context, policy));
    }

    [Theory]
    // "Bool": {"aws:SecureTransport": "false"} denies plain HTTP; values compare case-insensitively.
    [InlineData("true", "true", true)]
    [InlineData("true", "TRUE", true)]
    [InlineData("true", "false", false)]
    [InlineData("false", "false", true)]
    [InlineData("true", "yes", false)]
    public void Bool_operator(string policyValue, string requestValue, bool expected) =>
        Assert.Equal(expected, Holds($$$"""{"Bool":{"aws:SecureTransport":"{{{policyValue}}}"}}""", K("aws:SecureTransport", requestValue)));

    [Theory]
    // "BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}
    [InlineData("QmluYXJ5VmFsdWVJbkJhc2U2NA==", "QmluYXJ5VmFsdWVJbkJhc2U2NA==", true)]
    [InlineData("QmluYXJ5VmFsdWVJbkJhc2U2NA==", "QmluYXJ5", false)]
    public void BinaryEquals_operator(string policyValue, string requestValue, bool expected) =>
        Assert.Equal(expected, Holds($$$"""{"BinaryEquals":{"s3:x-amz-meta-blob":"{{{policyValue}}}"}}""", K("s3:x-amz-meta-blob", requestValue)));

    [Theory]
    // "IpAddress": {"aws:SourceIp": "203.0.113.0/24"} and "2001:DB8:1234:5678::/64"
    [InlineData("IpAddress", "203.0.113.0/24", "203.0.113.77", true)]
    [InlineData("IpAddress", "203.0.113.0/24", "203.0.114.1", false)]
    [InlineData("IpAddress", "203.0.113.5", "203.0.113.5", true)]
    [InlineData("IpAddress", "203.0.113.5/32", "203.0.113.6", false)]
    [InlineData("IpAddress", "0.0.0.0/0", "198.51.100.1", true)]
    [InlineData("IpAddress", "2001:DB8:1234:5678::/64", "2001:db8:1234:5678:abcd::1", true)]
    [InlineData("IpAddress", "2001:DB8:1234:5678::/64", "2001:db8:1234:5679::1", false)]
    [InlineData("IpAddress", "203.0.113.0/24", "::ffff:203.0.113.9", true)]
    [InlineData("IpAddress", "203.0.113.0/24", "2001:db8::1", false)]
    [InlineData("IpAddress", "203.0.113.0/24", "not an address", false)]
    [InlineData("NotIpAddress", "203.0.113.0/24", "198.51.100.1", true)]
    [InlineData("NotIpAddress", "203.0.113.0/24", "203.0.113.1", false)]
    public void Ip_address_operators(string op, string range, string address, bool expected) =>
        Assert.Equal(expected, Holds($$$"""{"{{{op}}}":{"aws:SourceIp":"{{{range}}}"}}""", K("aws:SourceIp", address)));

    [Theory]
    // "ArnLike": {"aws:SourceArn": "arn:aws:sns:REGION:123456789012:TOPIC-ID"}; ArnEquals behaves like ArnLike.
    [InlineData("ArnEquals", "arn:aws:sns:us-east-1:123456789012:topic", "arn:aws:sns:us-east-1:123456789012:topic", true)]
    [InlineData("ArnLike", "arn:aws:sns:*:123456789012:*", "arn:aws:sns:eu-west-1:123456789012:topic", true)]
    [InlineData("ArnEquals", "arn:aws:sns:*:123456789012:*", "arn:aws:sns:eu-west-1:123456789012:topic", true)]
    [InlineData("ArnLike", "arn:aws:sns:*:123456789012:*", "arn:aws:sns:eu-west-1:999999999999:topic", false)]
    [InlineData("ArnLike", "arn:aws:sns:*:123456789012:*", "not-an-arn", false)]
    [InlineData("ArnNotEquals", "arn:aws:sns:*:123456789012:*", "arn:aws:sns:eu-west-1:999999999999:topic", true)]
    [InlineData("ArnNotLike", "arn:aws:sns:*:123456789012:*", "arn:aws:sns:eu-west-1:123456789012:topic", false)]
    public void Arn_operators(string op, string pattern, string arn, bool expected) =>
        Assert.Equal(expected, Holds($$$"""{"{{{op}}}":{"aws:SourceArn":"{{{pattern}}}"}}""", K("aws:SourceArn", arn)));

    [Fact]
    public void Null_checks_whether_a_key_is_absent()
    {
        // "Null": {"aws:TokenIssueTime": "true"} holds for long-term credentials, which have no such key.
        Assert.True(Holds("""{"Null":{"aws:TokenIssueTime":"true"}}"""));
        Assert.False(Holds("""{"Null":{"aws:TokenIssueTime":"true"}}""", K("aws:TokenIssueTime", "2020-01-01T00:00:00Z")));
        Assert.True(Holds("""{"Null":{"aws:TokenIssueTime":"false"}}""", K("aws:TokenIssueTime", "2020-01-01T00:00:00Z")));
        Assert.False(Holds("""{"Null":{"aws:TokenIssueTime":"false"}}"""));
    }

    [Theory]
    // "If the key that you specify in a policy condition is not present in the request context, the values do not match
    // and the condition is false. If the policy condition requires that the key is not matched, such as StringNotLike
    // or ArnNotLike, and the right key is not present, the condition is true."
    [InlineData("StringEquals", "x", false)]
    [InlineData("StringNotEquals", "x", true)]
    [InlineData("StringEqualsIgnoreCase", "x", false)]
    [InlineData("StringNotEqualsIgnoreCase", "x", true)]
    [InlineData("StringLike", "x*", false)]
    [InlineData("StringNotLike", "x*", true)]
    [InlineData("NumericEquals", "1", false)]
    [InlineData("NumericNotEquals", "1", true)]
    [InlineData("NumericLessThan", "1", false)]
    [InlineData("DateEquals", "2020-01-01T00:00:00Z", false)]
    [InlineData("DateNotEquals", "2020-01-01T00:00:00Z", true)]
    [InlineData("DateGreaterThan", "2020-01-01T00:00:00Z", false)]
    [InlineData("Bool", "true", false)]
    [InlineData("BinaryEquals", "QUJD", false)]
    [InlineData("IpAddress", "10.0.0.0/8", false)]
    [InlineData("NotIpAddress", "10.0.0.0/8", true)]
    [InlineData("ArnEquals", "arn:aws:s3:::b", false)]
    [InlineData("ArnLike", "arn:aws:s3:::b", false)]
    [InlineData("ArnNotEquals", "arn:aws:s3:::b", true)]
    [InlineData("ArnNotLike", "arn:aws:s3:::b", true)]
    public void A_missing_key_fails_positive_operators_and_passes_negated_ones(string op, string value, bool expected) =>
        Assert.Equal(expected, Holds($$$"""{"{{{op}}}":{"test:absent":"{{{value}}}"}}"""));

    [Theory]
    [InlineData("StringEqualsIfExists")]
    [InlineData("StringLikeIfExists")]
    [InlineData("NumericLessThanIfExists")]
    [InlineData("DateGreaterThanIfExists")]
    [InlineData("BoolIfExists")]
    [InlineData("IpAddressIfExists")]
    [InlineData("ArnLikeIfExists")]
    [InlineData("BinaryEqualsIfExists")]
    public void IfExists_passes_when_the_key_is_absent_and_compares_when_present(string op)
    {
        var value = op.StartsWith("Numeric", StringComparison.Ordinal) ? "5" : op.StartsWith("Date", StringComparison.Ordinal) ? "2020-01-01T00:00:00Z"
            : op.StartsWith("Bool", StringComparison.Ordinal) ? "true" : op.StartsWith("Ip", StringComparison.Ordinal) ? "10.0.0.0/8"
            : op.StartsWith("Arn", StringComparison.Ordinal) ? "arn:aws:s3:::b" : op.StartsWith("Binary", StringComparison.Ordinal) ? "QUJD" : "x";
        var condition = $$$"""{"{{{op}}}":{"test:key":"{{{value}}}"}}""";
        Assert.True(Holds(condition));
        Assert.False(Holds(condition, K("test:key", "something-else-entirely-9999")));
    }

    [Fact]
    public void StringNotEqualsIfExists_is_true_when_absent_and_compares_when_present()
    {
        const string condition = """{"StringNotEqualsIfExists":{"ec2:InstanceType":["t1.*","t2.*"]}}""";
        Assert.True(Holds(condition));
        Assert.True(Holds(condition, K("ec2:InstanceType", "m5.large")));
        Assert.False(Holds(condition, K("ec2:InstanceType", "t1.*")));
    }

    [Fact]
    public void Condition_keys_are_case_insensitive_and_values_follow_the_operator()
    {
        Assert.True(Holds("""{"StringEquals":{"AWS:USERNAME":"alice"}}""", K("aws:username", "alice")));
        Assert.False(Holds("""{"StringEquals":{"aws:username":"Alice"}}""", K("aws:username", "alice")));
    }

    [Fact]
    public void Keys_and_operators_and_together_while_values_or_together()
    {
        const string condition = """{"StringEquals":{"test:a":["1","2"],"test:b":"x"},"StringLike":{"test:c":"y*"}}""";
        Assert.True(Holds(condition, K("test:a", "2"), K("test:b", "x"), K("test:c", "yes")));
        Assert.False(Holds(condition, K("test:a", "3"), K("test:b", "x"), K("test:c", "yes")));
        Assert.False(Holds(condition, K("test:a", "1"), K("test:b", "y"), K("test:c", "yes")));
        Assert.False(Holds(condition, K("test:a", "1"), K("test:b", "x"), K("test:c", "no")));
    }

    [Theory]
    // ForAllValues:StringEquals {"aws:TagKeys": ["environment","cost-center"]}: every requested key must be in the list;
    // an empty or missing key set passes (the documented reason to pair it with a Null check).
    [InlineData("ForAllValues:StringEquals", new[] { "environment" }, true)]
    [InlineData("ForAllValues:StringEquals", new[] { "environment", "cost-center" }, true)]
    [InlineData("ForAllValues:StringEquals", new[] { "environment", "owner" }, false)]
    [InlineData("ForAllValues:StringEquals", new string[0], true)]
    // ForAnyValue:StringEquals: at least one requested key must be in the list; an empty or missing set fails.
    [InlineData("ForAnyValue:StringEquals", new[] { "owner", "environment" }, true)]
    [InlineData("ForAnyValue:StringEquals", new[] { "owner" }, false)]
    [InlineData("ForAnyValue:StringEquals", new string[0], false)]
    // Negated inside a set operator: per value, "matches none of the policy's values".
    [InlineData("ForAllValues:StringNotEquals", new[] { "owner", "team" }, true)]
    [InlineData("ForAllValues:StringNotEquals", new[] { "owner", "environment" }, false)]
    [InlineData("ForAnyValue:StringNotEquals", new[] { "owner", "environment" }, true)]
    [InlineData("ForAnyValue:StringNotEquals", new[] { "environment" }, false)]
    [InlineData("ForAnyValue:StringLike", new[] { "env-prod" }, false)]
    [InlineData("ForAllValues:StringLike", new[] { "environment", "cost-center" }, true)]
    public void Set_operators_on_multivalued_keys(string op, string[] tagKeys, bool expected) =>
        Assert.Equal(expected, Holds($$$"""{"{{{op}}}":{"aws:TagKeys":["environment","cost-center"]}}""", K("aws:TagKeys", tagKeys)));

    [Fact]
    public void Set_operators_on_a_missing_key_follow_the_documented_defaults()
    {
        Assert.True(Holds("""{"ForAllValues:StringEquals":{"aws:TagKeys":"a"}}"""));
        Assert.False(Holds("""{"ForAnyValue:StringEquals":{"aws:TagKeys":"a"}}"""));
        Assert.True(Holds("""{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"a"}}"""));
    }

    [Fact]
    public void The_builder_fills_request_tags_and_tag_keys()
    {
        var context = new AuthorizationContextBuilder(Requests.User(), "sqs:TagQueue").Resource("*")
            .RequestTags([new("environment", "prod"), new("cost-center", "42")]).Build();
        var policy = Requests.AllowWhen("""{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]},"StringEquals":{"aws:RequestTag/environment":"prod"}}""", "sqs:TagQueue");
        Assert.Equal(Decision.Allow, Requests.Evaluate(context, policy));
    }

    [Fact]
    public void A_variable_with_no_value_makes_the_condition_fail_even_when_negated()
    {
        Assert.False(Holds("""{"StringNotEquals":{"test:key":"${test:missing}"}}""", K("test:key", "x")));
        Assert.True(Holds("""{"StringNotEquals":{"test:key":"${test:missing, 'y'}"}}""", K("test:key", "x")));
    }

    [Fact]
    public void Global_keys_come_from_the_caller()
    {
        var user = new AuthorizationContextBuilder(Requests.User("alice"), "s3:GetObject").Resource("*").Build();
        Assert.Equal(["alice"], user.Keys["aws:username"].Values);
        Assert.Equal(["User"], user.Keys["aws:PrincipalType"].Values);
        Assert.Equal(["111111111111"], user.Keys["aws:PrincipalAccount"].Values);
        Assert.Equal(["arn:aws:iam::111111111111:user/alice"], user.Keys["aws:PrincipalArn"].Values);
        var session = new AuthorizationContextBuilder(Requests.Session("reader", "s1"), "s3:GetObject").Resource("*").Build();
        Assert.False(session.Keys.ContainsKey("aws:username"));
        Assert.Equal(["arn:aws:iam::111111111111:role/reader"], session.Keys["aws:PrincipalArn"].Values);
        Assert.Equal(["AROAREADER:s1"], session.Keys["aws:userid"].Values);
    }
}
