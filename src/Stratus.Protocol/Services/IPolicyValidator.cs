namespace Stratus.Protocol.Services;

/// <summary>
/// Checks a resource-based policy document before a service stores it (PutBucketPolicy, SetQueueAttributes Policy…);
/// implemented by Stratus.Iam with the same parser the authorization step uses, so services need not reference it.
/// </summary>
public interface IPolicyValidator
{
    /// <summary>Null when <paramref name="json"/> is a valid resource policy; otherwise what is wrong with it.</summary>
    string? ValidateResourcePolicy(string json);
}
