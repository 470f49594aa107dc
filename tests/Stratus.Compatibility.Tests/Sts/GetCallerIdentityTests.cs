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
