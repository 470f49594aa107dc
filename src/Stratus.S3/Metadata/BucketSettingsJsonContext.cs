using System.Text.Json.Serialization;

namespace Stratus.S3.Metadata;

/// <summary>The stored forms of the configurable bucket settings (CORS, public access block, ownership, ACLs, encryption, notifications, lifecycle).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<CorsRule>))]
[JsonSerializable(typeof(PublicAccessBlock))]
[JsonSerializable(typeof(OwnershipControls))]
[JsonSerializable(typeof(AccessControlList))]
[JsonSerializable(typeof(ServerSideEncryption))]
[JsonSerializable(typeof(NotificationSettings))]
[JsonSerializable(typeof(List<LifecycleRule>))]
[JsonSerializable(typeof(ObjectLockSettings))]
[JsonSerializable(typeof(StoredXml))]
internal sealed partial class BucketSettingsJsonContext : JsonSerializerContext;
