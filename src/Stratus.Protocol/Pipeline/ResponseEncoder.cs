using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Codecs;

namespace Stratus.Protocol.Pipeline;

/// <summary>Writes successful responses and errors in the exact shape of each protocol.</summary>
public static class ResponseEncoder
{
    private static readonly XmlWriterSettings XmlSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        OmitXmlDeclaration = false,
        Async = false,
    };

    /// <summary>The XML namespace SQS's query protocol answers in.</summary>
    public const string SqsQueryNamespace = "http://queue.amazonaws.com/doc/2012-11-05/";

    /// <summary>Writes an operation's result in the request's protocol.</summary>
    public static Task WriteAsync(RequestContext context, object result)
    {
        var response = context.Http.Response;
        switch (context.Protocol)
        {
            case ServiceProtocol.Query:
            case ServiceProtocol.Ec2Query:
                if (result is not IQueryResponse query)
                {
                    throw new InvalidOperationException($"{context.OperationName} returned {result.GetType().Name}, which has no query encoding.");
                }

                return WriteBufferedAsync(response, "text/xml", WriteQueryEnvelope(context, query));

            case ServiceProtocol.Json10:
            case ServiceProtocol.Json11:
                if (result is not IJsonResponse json)
                {
                    throw new InvalidOperationException($"{context.OperationName} returned {result.GetType().Name}, which has no JSON encoding.");
                }

                var contentType = context.Protocol == ServiceProtocol.Json10 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1";
                return WriteBufferedAsync(response, contentType, WriteJson(json));

            default:
                if (result is not IRestResponse rest)
                {
                    throw new InvalidOperationException($"{context.OperationName} returned {result.GetType().Name}, which has no REST encoding.");
                }

                return rest.WriteAsync(response, context);
        }
    }

    /// <summary>Writes an error in the protocol's shape; HEAD requests get the status and headers only.</summary>
    public static Task WriteErrorAsync(HttpContext http, ServiceProtocol protocol, string? service, AwsException error, string requestId)
    {
        var response = http.Response;
        if (response.HasStarted)
        {
            // The status line is gone; all that is left is to cut the connection so the client sees a failure.
            http.Abort();
            return Task.CompletedTask;
        }

        response.Clear();
        SetRequestIdHeaders(response, protocol, requestId);
        response.StatusCode = error.StatusCode;
        foreach (var header in error.Headers)
        {
            response.Headers[header.Key] = header.Value;
        }

        byte[] body;
        string contentType;
        switch (protocol)
        {
            case ServiceProtocol.RestXml:
                contentType = "application/xml";
                body = WriteS3Error(error, requestId);
                break;
            case ServiceProtocol.Query when service == "sqs":
                contentType = "text/xml";
                body = WriteQueryError(error, requestId, SqsQueryNamespace);
                break;
            case ServiceProtocol.Query:
                contentType = "text/xml";
                body = WriteQueryError(error, requestId, service is null ? null : ServiceCatalog.Get(service).XmlNamespace);
                break;
            case ServiceProtocol.Ec2Query:
                contentType = "text/xml;charset=UTF-8";
                body = WriteEc2Error(error, requestId);
                break;
            case ServiceProtocol.RestJson:
                contentType = "application/json";
                response.Headers["x-amzn-ErrorType"] = error.Code;
                body = WriteJsonError(error, null, restJson: true);
                break;
            default:
                contentType = protocol == ServiceProtocol.Json11 ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0";
                response.Headers["x-amzn-ErrorType"] = error.Code;
                if (service == "sqs")
                {
                    // Query-compatible services tell SDKs the query error code and fault in this header.
                    response.Headers["x-amzn-query-error"] = $"{error.Code};{error.Fault}";
                }

                body = WriteJsonError(error, service, restJson: false);
                break;
        }

        if (HttpMethods.IsHead(http.Request.Method))
        {
            response.ContentLength = 0;
            return Task.CompletedTask;
        }

        return WriteBufferedAsync(response, contentType, body);
    }

    /// <summary>Sets the request id headers of the protocol: <c>x-amz-request-id</c> and <c>x-amz-id-2</c> for S3, <c>x-amzn-RequestId</c> otherwise.</summary>
    public static void SetRequestIdHeaders(HttpResponse response, ServiceProtocol protocol, string requestId)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.HasStarted)
        {
            return;
        }

        if (protocol == ServiceProtocol.RestXml)
        {
            response.Headers["x-amz-request-id"] = requestId;
            response.Headers["x-amz-id-2"] = requestId;
        }
        else
        {
            response.Headers["x-amzn-RequestId"] = requestId;
        }
    }

    private static Task WriteBufferedAsync(HttpResponse response, string contentType, byte[] body)
    {
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    private static byte[] WriteQueryEnvelope(RequestContext context, IQueryResponse result)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, XmlSettings))
        {
            var op = context.OperationName;
            if (context.Protocol == ServiceProtocol.Ec2Query)
            {
                writer.WriteStartElement(op + "Response", context.Service.XmlNamespace + "/");
                writer.WriteElementString("requestId", context.RequestId);
                result.WriteResult(writer);
                writer.WriteEndElement();
            }
            else
            {
                var ns = context.Service.Name == "sqs" ? SqsQueryNamespace : context.Service.XmlNamespace;
                writer.WriteStartElement(op + "Response", ns);
                writer.WriteStartElement(op + "Result");
                result.WriteResult(writer);
                writer.WriteEndElement();
                writer.WriteStartElement("ResponseMetadata");
                writer.WriteElementString("RequestId", context.RequestId);
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
        }

        return stream.ToArray();
    }

    private static byte[] WriteJson(IJsonResponse result)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            result.WriteJson(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    // Errors echo what the request sent (a key, a version id), which may hold characters XML 1.0 has no place for (even
    // as character references): they become U+FFFD, so that every client can still parse the error.
    private static string XmlText(string text)
    {
        var index = 0;
        while (index < text.Length && XmlChar(text, index, out var width))
        {
            index += width;
        }

        if (index == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            if (XmlChar(text, i, out var width))
            {
                builder.Append(text, i, width);
                i += width;
            }
            else
            {
                builder.Append('\uFFFD');
                i++;
            }
        }

        return builder.ToString();
    }

    private static bool XmlChar(string text, int index, out int width)
    {
        width = 1;
        if (char.IsHighSurrogate(text[index]))
        {
            width = 2;
            return index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]);
        }

        return XmlConvert.IsXmlChar(text[index]);
    }

    private static byte[] WriteS3Error(AwsException error, string requestId)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, XmlSettings))
        {
            writer.WriteStartElement("Error");
            writer.WriteElementString("Code", error.Code);
            writer.WriteElementString("Message", XmlText(error.Message));
            foreach (var detail in error.Details)
            {
                writer.WriteElementString(detail.Key, XmlText(detail.Value));
            }

            writer.WriteElementString("RequestId", requestId);
            writer.WriteElementString("HostId", requestId);
            writer.WriteEndElement();
        }

        return stream.ToArray();
    }

    private static byte[] WriteQueryError(AwsException error, string requestId, string? xmlNamespace)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, XmlSettings))
        {
            writer.WriteStartElement("ErrorResponse", xmlNamespace);
            writer.WriteStartElement("Error");
            writer.WriteElementString("Type", error.Fault.ToString());
            writer.WriteElementString("Code", error.Code);
            writer.WriteElementString("Message", XmlText(error.Message));
            foreach (var detail in error.Details)
            {
                writer.WriteElementString(detail.Key, XmlText(detail.Value));
            }

            writer.WriteEndElement();
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
        }

        return stream.ToArray();
    }

    private static byte[] WriteEc2Error(AwsException error, string requestId)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, XmlSettings))
        {
            writer.WriteStartElement("Response");
            writer.WriteStartElement("Errors");
            writer.WriteStartElement("Error");
            writer.WriteElementString("Code", error.Code);
            writer.WriteElementString("Message", XmlText(error.Message));
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteElementString("RequestID", requestId);
            writer.WriteEndElement();
        }

        return stream.ToArray();
    }

    private static byte[] WriteJsonError(AwsException error, string? service, bool restJson)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (restJson)
            {
                writer.WriteString("Type", error.Fault == ErrorFault.Sender ? "User" : "Service");
                writer.WriteString("message", error.Message);
            }
            else
            {
                writer.WriteString("__type", JsonErrorNamespace(service) + "#" + error.Code);
                writer.WriteString("message", error.Message);
            }

            foreach (var detail in error.Details)
            {
                writer.WriteString(detail.Key, detail.Value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string JsonErrorNamespace(string? service) => service switch
    {
        "dynamodb" => "com.amazonaws.dynamodb.v20120810",
        "dynamodbstreams" => "com.amazonaws.dynamodb.v20120810",
        null => "com.amazonaws",
        _ => "com.amazonaws." + service,
    };
}
