namespace Stratus.Core;

/// <summary>An error a client can cause or see: the AWS error code, the HTTP status and who is at fault.</summary>
public class AwsException : Exception
{
    public AwsException(string code, string message, int statusCode = 400, ErrorFault fault = ErrorFault.Sender)
        : base(message)
    {
        Code = code;
        StatusCode = statusCode;
        Fault = fault;
    }

    public AwsException(string code, string message, int statusCode, ErrorFault fault, Exception inner)
        : base(message, inner)
    {
        Code = code;
        StatusCode = statusCode;
        Fault = fault;
    }

    public AwsException()
        : this("InternalError", "We encountered an internal error. Please try again.", 500, ErrorFault.Receiver)
    {
    }

    public AwsException(string message)
        : this("InternalError", message, 500, ErrorFault.Receiver)
    {
    }

    public AwsException(string message, Exception innerException)
        : this("InternalError", message, 500, ErrorFault.Receiver, innerException)
    {
    }

    /// <summary>The AWS error code, for example <c>NoSuchKey</c> or <c>ValidationException</c>.</summary>
    public string Code { get; }

    /// <summary>The HTTP status code of the error response.</summary>
    public int StatusCode { get; }

    /// <summary>Whether the caller (Sender) or the service (Receiver) is at fault.</summary>
    public ErrorFault Fault { get; }

    /// <summary>Extra elements some protocols add to the error body (S3's <c>Key</c>, <c>BucketName</c>, <c>StringToSign</c>…).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; init; } = [];

    /// <summary>Extra response headers the error carries (S3's <c>x-amz-delete-marker</c> on a 404, for example).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
