using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken.Model;
using Stratus.Compatibility.Tests.S3;

namespace Stratus.Compatibility.Tests.Iam;

/// <summary>
/// An IAM user with a key and an inline policy that allows s3:GetObject under one prefix reads there and is denied
/// everywhere else; an inactive key is refused. IAM is driven over its query protocol (no .NET IAM package is served here).
/// </summary>
public sealed class UserPolicyTests : IClassFixture<ServerFixture>
{
    private static readonly HttpClient Http = new();
    private static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    private readonly ServerFixture _server;

    public UserPolicyTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task A_user_reads_only_where_its_policy_allows_and_an_inactive_key_is_refused()
    {
        var user = "reader-" + Guid.NewGuid().ToString("N")[..8];
        var bucket = S3ClientFactory.NewBucketName();
        using (var root = S3ClientFactory.Create(_server))
        {
            await root.PutBucketAsync(bucket);
            await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "reports/q1.csv", ContentBody = "q1" });
            await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "payroll/june.csv", ContentBody = "secret" });
        }

        var created = await Iam($"Action=CreateUser&UserName={user}");
        Assert.Equal($"arn:aws:iam::000000000000:user/{user}", created.Descendants(Ns + "Arn").Single().Value);
        var key = await Iam($"Action=CreateAccessKey&UserName={user}");
        var accessKeyId = key.Descendants(Ns + "AccessKeyId").Single().Value;
        var secret = key.Descendants(Ns + "SecretAccessKey").Single().Value;
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/reports/*"}]}""";
        await Iam($"Action=PutUserPolicy&UserName={user}&PolicyName=reports&PolicyDocument={Uri.EscapeDataString(policy)}");

        using (var sts = Sts.GetCallerIdentityTests.Client(_server, accessKeyId, secret))
        {
            var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal($"arn:aws:iam::000000000000:user/{user}", identity.Arn);
        }

        using (var s3 = S3ClientFactory.Create(_server, accessKeyId, secret))
        {
            using (var allowed = await s3.GetObjectAsync(bucket, "reports/q1.csv"))
            {
                Assert.Equal("q1", await new StreamReader(allowed.ResponseStream).ReadToEndAsync());
            }

            var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "payroll/june.csv"));
            Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (denied.ErrorCode, denied.StatusCode));

            // Every denial can be explained afterwards by its request id.
            var trace = await Http.GetStringAsync(new Uri(_server.Endpoint, "/_stratus/decisions/" + denied.RequestId));
            Assert.Contains("\"decision\": \"ImplicitDeny\"", trace, StringComparison.Ordinal);
            Assert.Contains($"arn:aws:s3:::{bucket}/payroll/june.csv", trace, StringComparison.Ordinal);
            Assert.Contains("user/" + user + "#reports", trace, StringComparison.Ordinal);
            var noPut = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "reports/new", ContentBody = "x" }));
            Assert.Equal("AccessDenied", noPut.ErrorCode);
        }

        await Iam($"Action=UpdateAccessKey&UserName={user}&AccessKeyId={accessKeyId}&Status=Inactive");
        using (var s3 = S3ClientFactory.Create(_server, accessKeyId, secret))
        {
            var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "reports/q1.csv"));
            Assert.Equal("InvalidAccessKeyId", refused.ErrorCode);
        }

        var conflict = await IamError($"Action=DeleteUser&UserName={user}");
        Assert.Equal("DeleteConflict", conflict);
        await Iam($"Action=DeleteAccessKey&UserName={user}&AccessKeyId={accessKeyId}");
        await Iam($"Action=DeleteUserPolicy&UserName={user}&PolicyName=reports");
        await Iam($"Action=DeleteUser&UserName={user}");
        Assert.Equal("NoSuchEntity", await IamError($"Action=GetUser&UserName={user}"));
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}""", "principal")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Action":"s3:*","Resource":"*"}]}""", "Effect")]
    [InlineData("""{"Statement": [""", "JSON")]
    public async Task A_malformed_user_policy_is_MalformedPolicyDocument_saying_what_is_wrong(string policy, string mentions)
    {
        var user = "bad-" + Guid.NewGuid().ToString("N")[..8];
        await Iam($"Action=CreateUser&UserName={user}");
        using var response = await Http.SendAsync(Signed($"Action=PutUserPolicy&UserName={user}&PolicyName=p&PolicyDocument={Uri.EscapeDataString(policy)}"));
        var body = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MalformedPolicyDocument", body.Descendants(Ns + "Code").Single().Value);
        Assert.Contains(mentions, body.Descendants(Ns + "Message").Single().Value, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_user_name_that_exists_is_EntityAlreadyExists()
    {
        var user = "twice-" + Guid.NewGuid().ToString("N")[..8];
        await Iam($"Action=CreateUser&UserName={user}");
        Assert.Equal("EntityAlreadyExists", await IamError($"Action=CreateUser&UserName={user}"));
        Assert.Equal("ValidationError", await IamError("Action=CreateUser&UserName=bad%20name"));
    }

    private async Task<XDocument> Iam(string form)
    {
        using var response = await Http.SendAsync(Signed(form));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{form}: {(int)response.StatusCode} {text}");
        return XDocument.Parse(text);
    }

    private async Task<string> IamError(string form)
    {
        using var response = await Http.SendAsync(Signed(form));
        Assert.False(response.IsSuccessStatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(Ns + "Code").Single().Value;
    }

    private HttpRequestMessage Signed(string form) =>
        SignedHttp.Build(_server, "POST", "/", "iam", Encoding.UTF8.GetBytes(form + "&Version=2010-05-08"), "application/x-www-form-urlencoded; charset=utf-8");
}
