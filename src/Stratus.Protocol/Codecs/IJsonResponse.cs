using System.Text.Json;

namespace Stratus.Protocol.Codecs;

/// <summary>A response of the JSON protocols (DynamoDB, SQS); writes the whole JSON object.</summary>
public interface IJsonResponse
{
    void WriteJson(Utf8JsonWriter writer);
}
