using Stratus.Protocol.Services;

namespace Stratus.Iam.Policies;

/// <summary>Validates resource policies for services with the policy engine's own parser.</summary>
public sealed class PolicyValidator : IPolicyValidator
{
    public string? ValidateResourcePolicy(string json)
    {
        try
        {
            PolicyDocument.Parse(json, PolicyKind.Resource);
            return null;
        }
        catch (MalformedPolicyDocumentException error)
        {
            return error.Message;
        }
    }
}
