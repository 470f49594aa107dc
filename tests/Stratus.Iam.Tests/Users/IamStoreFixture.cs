using Microsoft.Extensions.Time.Testing;
using Stratus.Iam.Sts;
using Stratus.Iam.Users;
using Stratus.Storage.Lsm;

namespace Stratus.Iam.Tests.Users;

/// <summary>An IAM store and a session store over a real LSM engine in a temporary directory.</summary>
internal sealed class IamStoreFixture : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "stratus-iam-" + Guid.NewGuid().ToString("N"));
    private readonly LsmEngine _engine;

    public IamStoreFixture()
    {
        _engine = LsmEngine.Open(_directory);
        Store = new IamStore(_engine, Clock);
        Sessions = new SessionStore(_engine, Clock);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public IamStore Store { get; }

    public SessionStore Sessions { get; }

    public const string Account = "000000000000";

    public const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"sts:AssumeRole"}]}""";

    public static string Allow(string action, string resource = "*") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}]}""";

    public async Task<RoleRecord> RoleAsync(string name, string trust = Trust)
    {
        var role = new RoleRecord { Account = Account, RoleName = name, RoleId = "AROA" + name.ToUpperInvariant(), AssumeRolePolicyDocument = trust };
        await Store.CreateRoleAsync(role);
        return role;
    }

    public async Task<string> PolicyAsync(string name, string document)
    {
        var policy = new ManagedPolicyRecord
        {
            Account = Account,
            PolicyName = name,
            PolicyId = "ANPA" + name.ToUpperInvariant(),
            DefaultVersionId = "v1",
            Versions = [new PolicyVersionRecord { VersionId = "v1", Document = document }],
        };
        await Store.CreatePolicyAsync(policy);
        return policy.Arn;
    }

    public void Dispose()
    {
        _engine.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
