using Stratus.Iam.Credentials;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Tests.Credentials;

public sealed class CredentialStoreTests
{
    [Fact]
    public void An_accounts_root_key_resolves_to_the_account_root()
    {
        var store = new CredentialStore([new AccountKeys("000000000000", "test", "test"), new AccountKeys("111111111111", "AKIA2", "s2")]);
        Assert.True(store.TryGetCredential("AKIA2", out var credential));
        Assert.Equal("s2", credential!.SecretAccessKey);
        Assert.Equal(new CallerIdentity("111111111111", "arn:aws:iam::111111111111:root", "111111111111", PrincipalType.Account), credential.Identity);
        Assert.False(store.TryGetCredential("nope", out _));
    }

    [Theory]
    [InlineData("12345", "k", "s")]
    [InlineData("000000000000", "", "s")]
    [InlineData("000000000000", "k", "")]
    public void Invalid_accounts_are_refused(string id, string key, string secret) =>
        Assert.Throws<ArgumentException>(() => new CredentialStore([new AccountKeys(id, key, secret)]));

    [Fact]
    public void Two_accounts_may_not_share_an_id_or_a_key()
    {
        Assert.Throws<ArgumentException>(() => new CredentialStore([new AccountKeys("000000000000", "a", "s"), new AccountKeys("000000000000", "b", "s")]));
        Assert.Throws<ArgumentException>(() => new CredentialStore([new AccountKeys("000000000000", "a", "s"), new AccountKeys("111111111111", "a", "s")]));
    }

    [Fact]
    public void The_accounts_file_is_read_and_its_mistakes_are_named()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"accounts": [{"id": "222222222222", "name": "x", "accessKeyId": "AK", "secretAccessKey": "SK"}]}""");
            var account = Assert.Single(AccountsFile.Load(path));
            Assert.Equal(new AccountKeys("222222222222", "AK", "SK", "x"), account);

            File.WriteAllText(path, """{"accounts": [{"id": "222222222222"}]}""");
            Assert.Contains("accessKeyId", Assert.Throws<InvalidDataException>(() => AccountsFile.Load(path)).Message, StringComparison.Ordinal);

            File.WriteAllText(path, "{not json");
            Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() => AccountsFile.Load(path)).Message, StringComparison.Ordinal);

            File.WriteAllText(path, "{}");
            Assert.Contains("accounts", Assert.Throws<InvalidDataException>(() => AccountsFile.Load(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
