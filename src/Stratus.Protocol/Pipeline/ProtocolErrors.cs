using Stratus.Core;
using Stratus.Protocol.Catalog;

namespace Stratus.Protocol.Pipeline;

/// <summary>The errors the pipeline itself raises, each in the code and status its protocol uses.</summary>
public static class ProtocolErrors
{
    /// <summary>A request that names no operation the service has, or one Stratus does not implement yet.</summary>
    public static AwsException UnknownOperation(ServiceProtocol protocol, string service, string operation, bool knownToModel)
    {
        var message = knownToModel
            ? $"The operation {operation} of {service} is not implemented by Stratus yet."
            : operation.Length == 0
                ? $"The request does not name an operation of {service}."
                : $"{service} has no operation named {operation}.";
        return protocol switch
        {
            ServiceProtocol.RestXml => new AwsException("NotImplemented", message, 501, ErrorFault.Receiver),
            ServiceProtocol.Query or ServiceProtocol.Ec2Query => new AwsException("InvalidAction", message, 400),
            _ => new AwsException("UnknownOperationException", message, 400),
        };
    }

    /// <summary>A required parameter that is missing.</summary>
    public static AwsException MissingParameter(ServiceProtocol protocol, string name) => protocol switch
    {
        ServiceProtocol.Ec2Query => new AwsException("MissingParameter", $"The request must contain the parameter {name}", 400),
        ServiceProtocol.RestXml => new AwsException("InvalidArgument", $"The parameter {name} is required.", 400),
        _ => Validation(protocol, $"1 validation error detected: Value null at '{LowerFirst(name)}' failed to satisfy constraint: Member must not be null"),
    };

    /// <summary>A parameter whose value breaks the operation's constraints.</summary>
    public static AwsException Validation(ServiceProtocol protocol, string message) => protocol switch
    {
        ServiceProtocol.Query => new AwsException("ValidationError", message, 400),
        ServiceProtocol.Ec2Query => new AwsException("InvalidParameterValue", message, 400),
        ServiceProtocol.RestXml => new AwsException("InvalidArgument", message, 400),
        _ => new AwsException("ValidationException", message, 400),
    };

    /// <summary>A body that does not parse, or a member of the wrong type.</summary>
    public static AwsException Serialization(ServiceProtocol protocol, string message) => protocol switch
    {
        ServiceProtocol.RestXml => MalformedXml(message),
        ServiceProtocol.Query or ServiceProtocol.Ec2Query => Validation(protocol, message),
        _ => new AwsException("SerializationException", message, 400),
    };

    /// <summary>S3's answer to XML that is not well-formed or not what the operation takes.</summary>
    public static AwsException MalformedXml(string detail) =>
        new("MalformedXML", $"The XML you provided was not well-formed or did not validate against our published schema: {detail}", 400);

    /// <summary>A body over the operation's limit.</summary>
    public static AwsException BodyTooLarge(ServiceProtocol protocol, long limit) => protocol switch
    {
        ServiceProtocol.RestXml => new AwsException("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
        {
            Details = [new("MaxSizeAllowed", limit.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        },
        _ => new AwsException("RequestEntityTooLarge", $"The request body exceeds the limit of {limit} bytes for this service.", 413),
    };

    /// <summary>A header section over the limit.</summary>
    public static AwsException HeadersTooLarge(ServiceProtocol protocol, int limit) => protocol switch
    {
        ServiceProtocol.RestXml => new AwsException("RequestHeaderSectionTooLarge", "Your request header section exceeds the maximum allowed size.", 400)
        {
            Details = [new("MaxSizeAllowed", limit.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        },
        _ => new AwsException("RequestHeaderSectionTooLarge", $"The request headers exceed the limit of {limit} bytes.", 431),
    };

    /// <summary>Framing that HTTP forbids or that cannot be trusted (both Content-Length and Transfer-Encoding, say).</summary>
    public static AwsException BadFraming(ServiceProtocol protocol, string message) => protocol switch
    {
        ServiceProtocol.RestXml => new AwsException("InvalidRequest", message, 400),
        ServiceProtocol.Query or ServiceProtocol.Ec2Query => new AwsException("MalformedInput", message, 400),
        _ => new AwsException("SerializationException", message, 400),
    };

    /// <summary>A request without credentials where the operation needs them.</summary>
    public static AwsException MissingAuthentication(ServiceProtocol protocol) => protocol switch
    {
        ServiceProtocol.RestXml => new AwsException("AccessDenied", "Access Denied", 403),
        ServiceProtocol.Query => new AwsException("MissingAuthenticationToken", "Request is missing Authentication Token", 403),
        ServiceProtocol.Ec2Query => new AwsException("AuthFailure", "AWS was not able to validate the provided access credentials", 401),
        ServiceProtocol.RestJson => new AwsException("MissingAuthenticationTokenException", "Missing Authentication Token", 403),
        _ => new AwsException("MissingAuthenticationTokenException", "Request is missing Authentication Token", 400),
    };

    /// <summary>The authorization step said no.</summary>
    public static AwsException AccessDenied(ServiceProtocol protocol, string service, string message) => protocol switch
    {
        ServiceProtocol.RestXml => new AwsException("AccessDenied", message, 403),
        ServiceProtocol.Ec2Query => new AwsException("UnauthorizedOperation", message, 403),
        ServiceProtocol.Query => new AwsException("AccessDenied", message, 403),
        ServiceProtocol.RestJson => new AwsException("AccessDeniedException", message, 403),
        _ when service == "sqs" => new AwsException("AccessDenied", message, 403),
        _ => new AwsException("AccessDeniedException", message, 400),
    };

    /// <summary>S3's answer to an HTTP method it has no operation for on the resource.</summary>
    public static AwsException MethodNotAllowed(string method, string resourceType) =>
        new("MethodNotAllowed", "The specified method is not allowed against this resource.", 405)
        {
            Details = [new("Method", method), new("ResourceType", resourceType)],
        };

    /// <summary>A body the HTTP server refused as it was read (S3's IncompleteBody for a short one; 413 for one too large).</summary>
    public static AwsException IncompleteBody(int status) => status == 413
        ? new AwsException("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.", 413)
        : new AwsException("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.", 400);

    /// <summary>An unexpected failure inside Stratus; the details go to the log, never to the client.</summary>
    public static AwsException Internal(ServiceProtocol protocol) => protocol switch
    {
        ServiceProtocol.RestXml or ServiceProtocol.Ec2Query => new AwsException("InternalError", "We encountered an internal error. Please try again.", 500, ErrorFault.Receiver),
        ServiceProtocol.Query => new AwsException("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500, ErrorFault.Receiver),
        _ => new AwsException("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500, ErrorFault.Receiver),
    };

    private static string LowerFirst(string name) =>
        name.Length == 0 ? name : string.Concat(char.ToLowerInvariant(name[0]).ToString(), name.AsSpan(1));
}
