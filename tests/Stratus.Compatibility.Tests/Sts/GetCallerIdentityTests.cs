using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Time.Testing;

namespace Stratus.Compatibility.Tests.Sts;

public sealed class GetCallerIdentityTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public GetCallerIdentityTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task The_default_credentials_are_the_root_of_the_default_account()
    {
        using var sts = Client(_server, "test", "test");
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("000000000000", identity.Account);
        Assert.Equal("arn:aws:iam::000000000000:root", identity.Arn);
        Assert.Equal("000000000000", identity.UserId);
        Assert.False(string.IsNullOrEmpty(identity.ResponseMetadata.RequestId));
    }

    [Fact]
    public async Task A_second_account_from_the_accounts_file_is_its_own_root()
    {
        using var sts = Client(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal(ServerFixture.SecondAccountId, identity.Account);
        Assert.Equal($"arn:aws:iam::{ServerFixture.SecondAccountId}:root", identity.Arn);
    }

    [Fact]
    public async Task A_wrong_secret_is_SignatureDoesNotMatch()
    {
        using var sts = Client(_server, "test", "not-the-secret");
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact]
    public async Task An_unknown_access_key_is_InvalidClientTokenId()
    {
        using var sts = Client(_server, "AKIANOSUCHKEY000000", "whatever");
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("InvalidClientTokenId", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task A_request_signed_twenty_minutes_in_the_past_is_rejected()
    {
        // The server's clock runs 20 minutes ahead of the client's, so the client's signature is 20 minutes old.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(20));
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        using var sts = Client(server, "test", "test");
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Contains("Signature expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_credentials_act_as_their_issuer_until_they_expire_by_the_server_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        Credentials session;
        using (var sts = Client(server, "test", "test"))
        {
            session = (await sts.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 900 })).Credentials;
        }

        Assert.StartsWith("ASIA", session.AccessKeyId, StringComparison.Ordinal);
        using (var asSession = new AmazonSecurityTokenServiceClient(
            new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken),
            new AmazonSecurityTokenServiceConfig { ServiceURL = server.ServiceUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }))
        {
            Assert.Equal("arn:aws:iam::000000000000:root", (await asSession.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
        }

        using var http = new HttpClient();
        var form = "Action=GetCallerIdentity&Version=2011-06-15"u8.ToArray();
        using (var wrongToken = await http.SendAsync(SignedHttp.Build(server, "POST", "/", "sts", form, "application/x-www-form-urlencoded", accessKey: session.AccessKeyId, secret: session.SecretAccessKey, sessionToken: "not-the-token", clock: clock)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, wrongToken.StatusCode);
            Assert.Contains("InvalidClientTokenId", await wrongToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Sixteen minutes later by the server clock (the client signs with the same clock, so nothing is skewed).
        clock.Advance(TimeSpan.FromMinutes(16));
        using var expired = await http.SendAsync(SignedHttp.Build(server, "POST", "/", "sts", form, "application/x-www-form-urlencoded", accessKey: session.AccessKeyId, secret: session.SecretAccessKey, sessionToken: session.SessionToken, clock: clock));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("<Code>ExpiredToken</Code>", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static AmazonSecurityTokenServiceClient Client(ServerFixture server, string accessKey, string secret) =>
        new(
            new BasicAWSCredentials(accessKey, secret),
            new AmazonSecurityTokenServiceConfig
            {
                ServiceURL = server.ServiceUrl,
                AuthenticationRegion = "us-east-1",
                MaxErrorRetry = 0, // a retry would correct the clock skew and hide the first answer
            });
}
