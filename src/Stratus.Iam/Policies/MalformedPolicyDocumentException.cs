using Stratus.Core;

namespace Stratus.Iam.Policies;

/// <summary>A policy document that does not parse or validate; the message says what is wrong, as AWS's does.</summary>
public sealed class MalformedPolicyDocumentException : AwsException
{
    public MalformedPolicyDocumentException(string message)
        : base("MalformedPolicyDocument", message)
    {
    }

    public MalformedPolicyDocumentException(string message, Exception innerException)
        : base("MalformedPolicyDocument", message, 400, ErrorFault.Sender, innerException)
    {
    }

    public MalformedPolicyDocumentException()
        : base("MalformedPolicyDocument", "The policy document is malformed.")
    {
    }
}
