using Stratus.Iam.Policies;

namespace Stratus.Iam.Tests.Policies;

// Wildcards and variables as the IAM User Guide describes them:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
public sealed class MatchingTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abcd", false)]
    [InlineData("a*c", "ac", true)]
    [InlineData("a*c", "abbbc", true)]
    [InlineData("a*c", "abbbd", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*a*b*", "xxaybzz", true)]
    [InlineData("*a*b*", "xxbyazz", false)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("??", "ab", true)]
    [InlineData("??", "abc", false)]
    [InlineData("*.txt", "report.txt", true)]
    [InlineData("*.txt", "report.txt.gz", false)]
    public void Wildcards_match_any_run_and_one_character(string pattern, string value, bool expected) =>
        Assert.Equal(expected, WildcardPattern.Compile(pattern, wildcards: true, variables: false, ignoreCase: false).IsMatch(value, null));

    [Theory]
    [InlineData("s3:Get*", "s3:GetObject", true)]
    [InlineData("s3:get*", "S3:GETOBJECT", true)]
    [InlineData("s3:GetObject", "s3:getobject", true)]
    [InlineData("s3:*", "sqs:SendMessage", false)]
    [InlineData("*", "iam:CreateUser", true)]
    [InlineData("s3:?etObject", "s3:GetObject", true)]
    public void Actions_match_case_insensitively(string action, string requested, bool expected)
    {
        var policy = Requests.Identity($$$"""{"Effect":"Allow","Action":"{{{action}}}","Resource":"*"}""");
        var decision = Requests.Evaluate(Requests.Context(Requests.User(), requested, "*"), policy);
        Assert.Equal(expected ? Decision.Allow : Decision.ImplicitDeny, decision);
    }

    [Theory]
    [InlineData("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c.txt", true)]
    [InlineData("arn:aws:s3:::bucket/*", "arn:aws:s3:::Bucket/a", false)]
    [InlineData("arn:aws:s3:::bucket/Photos/*", "arn:aws:s3:::bucket/photos/x", false)]
    [InlineData("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-logs", true)]
    [InlineData("arn:aws:sqs:*:111111111111:queue", "arn:aws:sqs:eu-west-1:111111111111:queue", true)]
    [InlineData("arn:aws:sqs:*:111111111111:queue", "arn:aws:sqs:eu-west-1:222222222222:queue", false)]
    [InlineData("arn:aws:sqs:us-*:*:*", "arn:aws:sqs:us-east-1:111111111111:q", true)]
    [InlineData("arn:aws:dynamodb:us-east-1:111111111111:table/t/index/*", "arn:aws:dynamodb:us-east-1:111111111111:table/t/index/gsi1", true)]
    [InlineData("arn:aws:logs:us-east-1:111111111111:log-group:g:*", "arn:aws:logs:us-east-1:111111111111:log-group:g:log-stream:s", true)]
    [InlineData("arn:aws:*:us-east-1:111111111111:*", "arn:aws:sqs:us-east-1:111111111111:q", true)]
    [InlineData("*", "arn:aws:s3:::b", true)]
    public void Resources_match_case_sensitively_component_by_component(string pattern, string arn, bool expected)
    {
        var policy = Requests.Identity($$$"""{"Effect":"Allow","Action":"*","Resource":"{{{pattern}}}"}""");
        Assert.Equal(expected ? Decision.Allow : Decision.ImplicitDeny, Requests.Evaluate(Requests.Context(Requests.User(), "s3:GetObject", arn), policy));
    }

    [Fact]
    public void A_wildcard_in_the_region_does_not_span_colons()
    {
        // "arn:aws:sqs:*:q" would be a five-part ARN; a '*' in one component stays in it.
        var pattern = ArnPattern.Compile("arn:aws:sqs:*:111111111111:q", variables: false);
        Assert.False(pattern.IsMatch("arn:aws:sqs:a:b:111111111111:q", null));
        Assert.True(pattern.IsMatch("arn:aws:sqs:a:111111111111:q", null));
    }

    [Fact]
    public void Username_variable_gives_each_user_a_home_prefix()
    {
        var policy = Requests.Identity("""{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}""");
        Assert.Equal(Decision.Allow, Requests.Evaluate(Requests.Context(Requests.User("alice"), "s3:GetObject", "arn:aws:s3:::home/alice/notes.txt"), policy));
        Assert.Equal(Decision.ImplicitDeny, Requests.Evaluate(Requests.Context(Requests.User("alice"), "s3:GetObject", "arn:aws:s3:::home/bob/notes.txt"), policy));
    }

    [Fact]
    public void A_variable_with_no_value_makes_the_resource_not_match()
    {
        // Roles have no aws:username.
        var policy = Requests.Identity("""{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}""");
        Assert.Equal(Decision.ImplicitDeny, Requests.Evaluate(Requests.Context(Requests.Session(), "s3:GetObject", "arn:aws:s3:::home//x"), policy));
        var notResource = Requests.Identity("""{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::home/${aws:username}/*"}""");
        Assert.Equal(Decision.ImplicitDeny, Requests.Evaluate(Requests.Context(Requests.Session(), "s3:GetObject", "arn:aws:s3:::other/x"), notResource));
    }

    [Fact]
    public void A_default_value_stands_in_for_a_missing_key()
    {
        var policy = Requests.Identity("""{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:PrincipalTag/team, 'shared'}/*"}""");
        Assert.Equal(Decision.Allow, Requests.Evaluate(Requests.Context(Requests.User(), "s3:GetObject", "arn:aws:s3:::home/shared/x"), policy));
        var tagged = new AuthorizationContextBuilder(Requests.User(), "s3:GetObject").Resource("arn:aws:s3:::home/red/x")
            .PrincipalTags([new("team", "red")]).Build();
        Assert.Equal(Decision.Allow, Requests.Evaluate(tagged, policy));
    }

    [Theory]
    [InlineData("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", true)]
    [InlineData("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x", false)]
    [InlineData("arn:aws:s3:::b/${?}", "arn:aws:s3:::b/?", true)]
    [InlineData("arn:aws:s3:::b/${?}", "arn:aws:s3:::b/x", false)]
    [InlineData("arn:aws:s3:::b/${$}x", "arn:aws:s3:::b/$x", true)]
    public void Escapes_stand_for_literal_characters(string pattern, string arn, bool expected)
    {
        var policy = Requests.Identity($$$"""{"Effect":"Allow","Action":"s3:*","Resource":"{{{pattern}}}"}""");
        Assert.Equal(expected ? Decision.Allow : Decision.ImplicitDeny, Requests.Evaluate(Requests.Context(Requests.User(), "s3:GetObject", arn), policy));
    }

    [Fact]
    public void Version_2008_10_17_treats_variables_as_literal_text()
    {
        var policy = PolicyDocument.Parse("""{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}}""", PolicyKind.Identity);
        Assert.Equal(Decision.ImplicitDeny, Requests.Evaluate(Requests.Context(Requests.User("alice"), "s3:GetObject", "arn:aws:s3:::home/alice/x"), policy));
        Assert.Equal(Decision.Allow, Requests.Evaluate(Requests.Context(Requests.User("alice"), "s3:GetObject", "arn:aws:s3:::home/${aws:username}/x"), policy));
    }

    [Fact]
    public void Variables_resolve_any_context_key_in_conditions()
    {
        // The documented s3:prefix example: list only your own folder.
        var policy = Requests.AllowWhen("""{"StringLike":{"s3:prefix":["home/${aws:username}/*","home/${aws:username}"]}}""", "s3:ListBucket", "arn:aws:s3:::bucket");
        Assert.Equal(Decision.Allow, Requests.Evaluate(Requests.Context(Requests.User("alice"), "s3:ListBucket", "arn:aws:s3:::bucket", null, ("s3:prefix", ["home/alice/docs"])), policy));
        Assert.Equal(Decision.ImplicitDeny, Requests.Evaluate(Requests.Context(Requests.User("alice"), "s3:ListBucket", "arn:aws:s3:::bucket", null, ("s3:prefix", ["home/bob/"])), policy));
        var byIp = Requests.AllowWhen("""{"StringEquals":{"s3:x-amz-meta-origin":"${aws:SourceIp}"}}""");
        var context = new AuthorizationContextBuilder(Requests.User(), "s3:GetObject").Resource("arn:aws:s3:::b/k")
            .SourceIp(System.Net.IPAddress.Parse("203.0.113.9")).Set("s3:x-amz-meta-origin", "203.0.113.9").Build();
        Assert.Equal(Decision.Allow, Requests.Evaluate(context, byIp));
    }
}
