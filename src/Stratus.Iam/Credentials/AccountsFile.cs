using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stratus.Iam.Credentials;

/// <summary>
/// Reads the accounts file given to <c>--accounts-file</c>:
/// <c>{"accounts": [{"id": "111111111111", "name": "dev", "accessKeyId": "…", "secretAccessKey": "…"}]}</c>.
/// </summary>
public static class AccountsFile
{
    /// <summary>Reads and validates the file; a clear exception names what is wrong.</summary>
    public static IReadOnlyList<AccountKeys> Load(string path)
    {
        AccountsDocument? document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonSerializer.Deserialize(stream, AccountsJsonContext.Default.AccountsDocument);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"The accounts file {path} is not valid JSON: {error.Message}", error);
        }

        if (document?.Accounts is null)
        {
            throw new InvalidDataException($"The accounts file {path} has no \"accounts\" array.");
        }

        var accounts = new List<AccountKeys>();
        foreach (var entry in document.Accounts)
        {
            if (entry.Id is null || entry.AccessKeyId is null || entry.SecretAccessKey is null)
            {
                throw new InvalidDataException($"Every account in {path} needs \"id\", \"accessKeyId\" and \"secretAccessKey\".");
            }

            accounts.Add(new AccountKeys(entry.Id, entry.AccessKeyId, entry.SecretAccessKey, entry.Name));
        }

        return accounts;
    }
}

internal sealed class AccountsDocument
{
    public List<AccountEntry>? Accounts { get; set; }
}

internal sealed class AccountEntry
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(AccountsDocument))]
internal sealed partial class AccountsJsonContext : JsonSerializerContext;
