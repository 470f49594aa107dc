using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Stratus.Compatibility.Tests.Iam;

namespace Stratus.Compatibility.Tests.Sts;

/// <summary>Roles, their policies and assumed-role sessions live in the LSM engine, so they outlive a restart, as in AWS.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_role_and_its_session_survive_a_restart()
    {
        await using var server = new ServerFixture();
        await server.InitializeAsync();
        var role = await AssumeRoleTests.CreateRoleAsync(server, AssumeRoleTests.TrustAccount("000000000000"), "&Description=kept");
        await IamQuery.CallAsync(server, $"Action=AttachRolePolicy&RoleName={role}&PolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess");
        Credentials session;
        using (var sts = GetCallerIdentityTests.Client(server, "test", "test"))
        {
            session = (await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::000000000000:role/{role}", RoleSessionName = "durable" })).Credentials;
        }

        await server.RestartAsync();

        var got = await IamQuery.CallAsync(server, $"Action=GetRole&RoleName={role}");
        Assert.Equal("kept", got.Value("Description"));
        var attached = await IamQuery.CallAsync(server, $"Action=ListAttachedRolePolicies&RoleName={role}");
        Assert.Equal(["ReadOnlyAccess"], attached.Values("PolicyName"));
        using var asSession = new AmazonSecurityTokenServiceClient(
            new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken),
            new AmazonSecurityTokenServiceConfig { ServiceURL = server.ServiceUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        Assert.Equal($"arn:aws:sts::000000000000:assumed-role/{role}/durable", (await asSession.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
    }
}
