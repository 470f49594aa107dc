using System.Text.Json.Serialization;

namespace Stratus.Iam.Users;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RoleRecord))]
[JsonSerializable(typeof(GroupRecord))]
[JsonSerializable(typeof(ManagedPolicyRecord))]
[JsonSerializable(typeof(InstanceProfileRecord))]
internal sealed partial class IamEntityJsonContext : JsonSerializerContext;
