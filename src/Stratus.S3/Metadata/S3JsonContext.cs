using System.Text.Json.Serialization;

namespace Stratus.S3.Metadata;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BucketRecord))]
[JsonSerializable(typeof(ObjectRecord))]
[JsonSerializable(typeof(UploadRecord))]
[JsonSerializable(typeof(ObjectPart))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
