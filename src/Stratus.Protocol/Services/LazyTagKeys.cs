namespace Stratus.Protocol.Services;

/// <summary>
/// Tags that become condition keys (<c>aws:ResourceTag/…</c>, <c>s3:ExistingObjectTag/…</c>) but cost a read, so the
/// authorizer asks for them only when a policy it evaluates reads a key starting with <see cref="KeyPrefix"/>.
/// </summary>
/// <param name="KeyPrefix">The condition key prefix, for example <c>aws:ResourceTag/</c>.</param>
/// <param name="Read">Reads the tags (key, value); each becomes the key <c>KeyPrefix + tag key</c>.</param>
public sealed record LazyTagKeys(string KeyPrefix, Func<IReadOnlyList<KeyValuePair<string, string>>> Read);
