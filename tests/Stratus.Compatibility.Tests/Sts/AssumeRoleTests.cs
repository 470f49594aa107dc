using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Time.Testing;
using Stratus.Compatibility.Tests.Iam;
using Stratus.Compatibility.Tests.S3;

namespace Stratus.Compatibility.Tests.Sts;

/// <summary>AssumeRole with AWSSDK.SecurityToken; the sessions then act in S3 with AWSSDK.S3.</summary>
public sealed class AssumeRoleTests : IClassFixture<ServerFixture>
{
    private const string Account = "000000000000";
    private readonly ServerFixture _server;

    public AssumeRoleTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task An_assumed_role_gets_exactly_its_sessions_permissions()
    {
        var bucket = S3ClientFactory.NewBucketName();
        using (var root = S3ClientFactory.Create(_server))
        {
            await root.PutBucketAsync(bucket);
            await root.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a.txt", ContentBody = "a" });
        }

        var role = await CreateRoleAsync(_server, TrustAccount(Account));
        await IamQuery.CallAsync(_server, $"Action=PutRolePolicy&RoleName={role}&PolicyName=rw&PolicyDocument=" + IamQuery.Enc(
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::{{bucket}}/*"}]}"""));

        using var sts = GetCallerIdentityTests.Client(_server, "test", "test");
        var full = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Account}:role/{role}", RoleSessionName = "full" });
        Assert.StartsWith("ASIA", full.Credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/{role}/full", full.AssumedRoleUser.Arn);
        Assert.StartsWith("AROA", full.AssumedRoleUser.AssumedRoleId, StringComparison.Ordinal);
        Assert.EndsWith(":full", full.AssumedRoleUser.AssumedRoleId, StringComparison.Ordinal);

        // A session policy narrows the session to reads only; the role alone would allow writes.
        var readOnly = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{Account}:role/{role}",
            RoleSessionName = "reader",
            Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""".Replace("s3:*", "s3:GetObject", StringComparison.Ordinal),
        });

        using (var asRole = SessionSts(_server, full.Credentials))
        {
            var identity = await asRole.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal(full.AssumedRoleUser.Arn, identity.Arn);
            Assert.Equal(full.AssumedRoleUser.AssumedRoleId, identity.UserId);
        }

        using (var s3 = SessionS3(_server, full.Credentials))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "b.txt", ContentBody = "b" });
            using var read = await s3.GetObjectAsync(bucket, "a.txt");
            var listing = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));
            Assert.Equal("AccessDenied", listing.ErrorCode);
        }

        using (var s3 = SessionS3(_server, readOnly.Credentials))
        {
            using var read = await s3.GetObjectAsync(bucket, "a.txt");
            Assert.Equal("a", await new StreamReader(read.ResponseStream).ReadToEndAsync());
            var write = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "c.txt", ContentBody = "c" }));
            Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (write.ErrorCode, write.StatusCode));
            Assert.Contains($"assumed-role/{role}/reader", write.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_managed_policy_passed_as_session_policy_narrows_the_session_and_a_boundary_narrows_the_role()
    {
        var bucket = S3ClientFactory.NewBucketName();
        using (var root = S3ClientFactory.Create(_server))
        {
            await root.PutBucketAsync(bucket);
        }

        var role = await CreateRoleAsync(_server, TrustAccount(Account));
        await IamQuery.CallAsync(_server, $"Action=AttachRolePolicy&RoleName={role}&PolicyArn=arn:aws:iam::aws:policy/AmazonS3FullAccess");
        using var sts = GetCallerIdentityTests.Client(_server, "test", "test");
        var session = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{Account}:role/{role}",
            RoleSessionName = "managed",
            PolicyArns = [new PolicyDescriptorType { Arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }],
        });
        using (var s3 = SessionS3(_server, session.Credentials))
        {
            await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
            var write = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "x", ContentBody = "x" }));
            Assert.Equal("AccessDenied", write.ErrorCode);
        }

        // A boundary that allows only reads narrows the role itself, for sessions made before and after.
        var boundary = await CreatePolicyAsync(_server, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}""");
        var unbounded = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Account}:role/{role}", RoleSessionName = "bounded" });
        using (var s3 = SessionS3(_server, unbounded.Credentials))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "before", ContentBody = "x" });
            await IamQuery.CallAsync(_server, $"Action=PutRolePermissionsBoundary&RoleName={role}&PermissionsBoundary={boundary}");
            var write = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "after", ContentBody = "x" }));
            Assert.Equal("AccessDenied", write.ErrorCode);
            Assert.Contains("permissions boundary", write.Message, StringComparison.Ordinal);
            await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
            await IamQuery.CallAsync(_server, $"Action=DeleteRolePermissionsBoundary&RoleName={role}");
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "after", ContentBody = "x" });
        }
    }

    [Fact]
    public async Task The_trust_policy_decides_who_may_assume_with_its_conditions()
    {
        var role = await CreateRoleAsync(_server, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"ACCOUNT"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"secret-42"},"StringLike":{"sts:RoleSessionName":"ci-*"}}}]}""".Replace("ACCOUNT", Account, StringComparison.Ordinal));
        var arn = $"arn:aws:iam::{Account}:role/{role}";
        using var sts = GetCallerIdentityTests.Client(_server, "test", "test");
        var noExternalId = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = arn, RoleSessionName = "ci-1" }));
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (noExternalId.ErrorCode, noExternalId.StatusCode));
        Assert.Contains($"sts:AssumeRole on resource: {arn}", noExternalId.Message, StringComparison.Ordinal);
        var wrongName = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = arn, RoleSessionName = "dev-1", ExternalId = "secret-42" }));
        Assert.Equal("AccessDenied", wrongName.ErrorCode);
        var ok = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = arn, RoleSessionName = "ci-1", ExternalId = "secret-42" });
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/{role}/ci-1", ok.AssumedRoleUser.Arn);

        // Another account is refused until the trust policy names it (its root needs no identity policy of its own).
        using var other = GetCallerIdentityTests.Client(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        var crossDenied = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => other.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = arn, RoleSessionName = "ci-x", ExternalId = "secret-42" }));
        Assert.Equal("AccessDenied", crossDenied.ErrorCode);
        var shared = await CreateRoleAsync(_server, TrustAccount(ServerFixture.SecondAccountId));
        var cross = await other.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Account}:role/{shared}", RoleSessionName = "visitor" });
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/{shared}/visitor", cross.AssumedRoleUser.Arn);

        // A role that does not exist is AccessDenied too: AWS does not reveal which roles exist.
        var missing = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Account}:role/no-such-role", RoleSessionName = "x1" }));
        Assert.Equal("AccessDenied", missing.ErrorCode);
    }

    [Fact]
    public async Task A_user_needs_an_identity_policy_unless_the_trust_policy_names_the_user_itself()
    {
        var user = "assumer-" + Guid.NewGuid().ToString("N")[..8];
        await IamQuery.CallAsync(_server, $"Action=CreateUser&UserName={user}");
        var key = await IamQuery.CallAsync(_server, $"Action=CreateAccessKey&UserName={user}");
        var (id, secret) = (key.Value("AccessKeyId"), key.Value("SecretAccessKey"));
        var byAccount = await CreateRoleAsync(_server, TrustAccount(Account));
        var byUser = await CreateRoleAsync(_server, $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/{{user}}"},"Action":"sts:AssumeRole"}]}""");
        using var sts = GetCallerIdentityTests.Client(_server, id, secret);
        var denied = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Account}:role/{byAccount}", RoleSessionName = "u1" }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Account}:role/{byUser}", RoleSessionName = "u1" });

        await IamQuery.CallAsync(_server, $"Action=PutUserPolicy&UserName={user}&PolicyName=assume&PolicyDocument=" + IamQuery.Enc(
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::{{Account}}:role/{{byAccount}}"}]}"""));
        await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Account}:role/{byAccount}", RoleSessionName = "u1" });
    }

    [Fact]
    public async Task Session_tags_become_principal_tags()
    {
        var bucket = S3ClientFactory.NewBucketName();
        using (var root = S3ClientFactory.Create(_server))
        {
            await root.PutBucketAsync(bucket);
        }

        var role = await CreateRoleAsync(_server, $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{Account}}"},"Action":["sts:AssumeRole","sts:TagSession"]}]}""");
        await IamQuery.CallAsync(_server, $"Action=PutRolePolicy&RoleName={role}&PolicyName=own-prefix&PolicyDocument=" + IamQuery.Enc(
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::{{bucket}}/${aws:PrincipalTag/team}/*"}]}"""));
        using var sts = GetCallerIdentityTests.Client(_server, "test", "test");
        var session = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{Account}:role/{role}",
            RoleSessionName = "tagged",
            Tags = [new Amazon.SecurityToken.Model.Tag { Key = "team", Value = "blue" }],
        });
        using var s3 = SessionS3(_server, session.Credentials);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "blue/x", ContentBody = "x" });

        // Without sts:TagSession in its trust policy, a role cannot be assumed with session tags.
        var untaggable = await CreateRoleAsync(_server, TrustAccount(Account));
        var refused = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{Account}:role/{untaggable}",
            RoleSessionName = "tagged",
            Tags = [new Amazon.SecurityToken.Model.Tag { Key = "team", Value = "blue" }],
        }));
        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.Contains("sts:TagSession", refused.Message, StringComparison.Ordinal);
        var other = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "red/x", ContentBody = "x" }));
        Assert.Equal("AccessDenied", other.ErrorCode);
    }

    [Fact]
    public async Task Durations_beyond_the_roles_maximum_or_the_chaining_limit_are_ValidationError()
    {
        var role = await CreateRoleAsync(_server, TrustAccount(Account), "&MaxSessionDuration=7200");
        var arn = $"arn:aws:iam::{Account}:role/{role}";
        using var sts = GetCallerIdentityTests.Client(_server, "test", "test");
        var tooLong = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = arn, RoleSessionName = "s1", DurationSeconds = 7201 }));
        Assert.Equal(("ValidationError", HttpStatusCode.BadRequest), (tooLong.ErrorCode, tooLong.StatusCode));
        Assert.Contains("MaxSessionDuration", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("<Code>ValidationError</Code>", await StsErrorAsync(_server, $"Action=AssumeRole&RoleArn={arn}&RoleSessionName=s1&DurationSeconds=899"), StringComparison.Ordinal);
        Assert.Contains("<Code>ValidationError</Code>", await StsErrorAsync(_server, $"Action=AssumeRole&RoleArn={arn}&RoleSessionName=has%20space"), StringComparison.Ordinal);
        Assert.Contains("<Code>ValidationError</Code>", await StsErrorAsync(_server, $"Action=AssumeRole&RoleArn={arn}"), StringComparison.Ordinal);
        Assert.Contains("<Code>ValidationError</Code>", await StsErrorAsync(_server, "Action=AssumeRole&RoleArn=not-an-arn-but-long-enough&RoleSessionName=s1"), StringComparison.Ordinal);
        Assert.Contains("<Code>InvalidParameterValue</Code>", await StsErrorAsync(_server, $"Action=AssumeRole&RoleArn={arn}&RoleSessionName=s1&Tags.member.1.Key=aws:x&Tags.member.1.Value=y"), StringComparison.Ordinal);
        Assert.Contains("<Code>InvalidParameterValue</Code>", await StsErrorAsync(_server, $"Action=AssumeRole&RoleArn={arn}&RoleSessionName=s1&Tags.member.1.Key=a&Tags.member.1.Value=y&TransitiveTagKeys.member.1=b"), StringComparison.Ordinal);
        var badPolicy = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = arn, RoleSessionName = "s1", Policy = """{"Statement":[{"Effect":"Allow","Action":"s3:*"}]}""" }));
        Assert.Equal("MalformedPolicyDocument", badPolicy.ErrorCode);

        var twoHours = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = arn, RoleSessionName = "s1", DurationSeconds = 7200 });
        await IamQuery.CallAsync(_server, $"Action=PutRolePolicy&RoleName={role}&PolicyName=chain&PolicyDocument=" + IamQuery.Enc(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"""));
        var chainedRole = await CreateRoleAsync(_server, TrustAccount(Account), "&MaxSessionDuration=7200");
        using var asRole = SessionSts(_server, twoHours.Credentials);
        var chained = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => asRole.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Account}:role/{chainedRole}", RoleSessionName = "s2", DurationSeconds = 3601 }));
        Assert.Equal("ValidationError", chained.ErrorCode);
        Assert.Contains("role chaining", chained.Message, StringComparison.Ordinal);
        var hop = await asRole.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Account}:role/{chainedRole}", RoleSessionName = "s2" });
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/{chainedRole}/s2", hop.AssumedRoleUser.Arn);
    }

    [Fact]
    public async Task An_assumed_role_session_is_refused_after_it_expires_by_the_server_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        var role = await CreateRoleAsync(server, TrustAccount(Account));
        await IamQuery.CallAsync(server, $"Action=AttachRolePolicy&RoleName={role}&PolicyArn=arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        using var sts = GetCallerIdentityTests.Client(server, "test", "test");
        var session = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Account}:role/{role}", RoleSessionName = "short", DurationSeconds = 900 });
        using var http = new HttpClient();
        var form = "Action=GetCallerIdentity&Version=2011-06-15"u8.ToArray();
        using (var fresh = await http.SendAsync(SignedHttp.Build(server, "POST", "/", "sts", form, "application/x-www-form-urlencoded", accessKey: session.Credentials.AccessKeyId, secret: session.Credentials.SecretAccessKey, sessionToken: session.Credentials.SessionToken, clock: clock)))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(16));
        using var expired = await http.SendAsync(SignedHttp.Build(server, "GET", "/", "s3", [], null, accessKey: session.Credentials.AccessKeyId, secret: session.Credentials.SecretAccessKey, sessionToken: session.Credentials.SessionToken, clock: clock));
        Assert.True(expired.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, expired.StatusCode.ToString());
        Assert.Contains("ExpiredToken", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> StsErrorAsync(ServerFixture server, string form)
    {
        using var http = new HttpClient();
        using var response = await http.SendAsync(SignedHttp.Build(server, "POST", "/", "sts", System.Text.Encoding.UTF8.GetBytes(form + "&Version=2011-06-15"), "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    internal static string TrustAccount(string account) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{account}}:root"},"Action":"sts:AssumeRole"}]}""";

    internal static async Task<string> CreateRoleAsync(ServerFixture server, string trust, string extra = "")
    {
        var name = "role-" + Guid.NewGuid().ToString("N")[..10];
        await IamQuery.CallAsync(server, $"Action=CreateRole&RoleName={name}&AssumeRolePolicyDocument={IamQuery.Enc(trust)}{extra}");
        return name;
    }

    internal static async Task<string> CreatePolicyAsync(ServerFixture server, string document)
    {
        var name = "policy-" + Guid.NewGuid().ToString("N")[..10];
        var created = await IamQuery.CallAsync(server, $"Action=CreatePolicy&PolicyName={name}&PolicyDocument={IamQuery.Enc(document)}");
        return created.Value("Arn");
    }

    private static AmazonSecurityTokenServiceClient SessionSts(ServerFixture server, Credentials credentials) =>
        new(
            new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            new AmazonSecurityTokenServiceConfig { ServiceURL = server.ServiceUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private static AmazonS3Client SessionS3(ServerFixture server, Credentials credentials) =>
        new(
            new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            new AmazonS3Config { ServiceURL = server.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
}
