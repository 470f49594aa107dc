using System.Text.Json.Serialization;

namespace Stratus.S3.Metadata;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BucketRecord))]
[JsonSerializable(typeof(ObjectRecord))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
