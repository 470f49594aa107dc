using Stratus.Core;

namespace Stratus.Iam.Users;

/// <summary>The errors of the IAM API, with the codes and statuses IAM answers with.</summary>
internal static class IamErrors
{
    public static AwsException NoSuchEntity(string message) => new("NoSuchEntity", message, 404);

    public static AwsException EntityAlreadyExists(string message) => new("EntityAlreadyExists", message, 409);

    public static AwsException DeleteConflict(string message) => new("DeleteConflict", message, 409);

    public static AwsException LimitExceeded(string message) => new("LimitExceeded", message, 409);

    public static AwsException Validation(string message) => new("ValidationError", message, 400);

    public static AwsException InvalidInput(string message) => new("InvalidInput", message, 400);

    public static AwsException MalformedPolicyDocument(string message) => new("MalformedPolicyDocument", message, 400);
}
