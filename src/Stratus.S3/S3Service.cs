using System.Text.Json;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;
using Stratus.S3.Metadata;
using Stratus.Storage.Lsm;
using Stratus.Storage.Objects;

namespace Stratus.S3;

/// <summary>
/// Amazon S3 over rest-xml: bucket and object metadata in the LSM engine, object bytes in the erasure-coded object layer.
/// </summary>
public sealed partial class S3Service : AwsService
{
    private readonly LsmEngine _kv;
    private readonly ObjectStore _objects;
    private readonly TimeProvider _time;
    private readonly IPolicyValidator? _policies;

    public S3Service(LsmEngine kv, ObjectStore objects, TimeProvider time, IPolicyValidator? policies = null)
        : base(ServiceCatalog.Get("s3"))
    {
        _kv = kv;
        _objects = objects;
        _time = time;
        _policies = policies;
        RegisterBuckets();
        RegisterObjects();
        RegisterPostObject();
        RegisterRestore();
        RegisterObjectLock();
        RegisterWebsite();
        RegisterBucketOptions();
        RegisterListing();
        RegisterMultipart();
        RegisterBatch();
        RegisterPolicy();
        RegisterTagging();
        RegisterVersioning();
        RegisterVersionListing();
        RegisterObjectTagging();
        RegisterAttributes();
        RegisterBucketSettings();
    }

    /// <summary>Deletes shard files no committed object refers to (a crash between writing shards and committing metadata).</summary>
    public int RemoveOrphanShards(TimeSpan minimumAge) =>
        _objects.RemoveOrphans(id => _kv.ContainsKey(S3Keys.Reference(id)), minimumAge);

    /// <summary>Every stored shard set S3 refers to (objects and parts of uploads in progress), for the scrubber.</summary>
    public IEnumerable<ObjectManifest> StoredManifests()
    {
        using var iterator = _kv.NewIterator(ReadOptions.ForPrefix(S3Keys.ReferencePrefix));
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next())
        {
            if (ObjectManifest.TryParse(iterator.Value, out var manifest))
            {
                yield return manifest!;
            }
        }
    }

    /// <summary>The manifest of a referenced shard set, or null when nothing refers to it any more (the healer asks).</summary>
    public ObjectManifest? FindManifest(string objectId) =>
        _kv.TryGet(S3Keys.Reference(objectId), out var bytes) && ObjectManifest.TryParse(bytes, out var manifest) ? manifest : null;

    private static string BucketArn(string bucket) => "arn:aws:s3:::" + bucket;

    private static string ObjectArn(string bucket, string key) => "arn:aws:s3:::" + bucket + "/" + key;

    private static string Label(OperationInput input, string name) =>
        input.Labels.TryGetValue(name, out var value) ? value : throw ProtocolErrors.MissingParameter(input.Protocol, name);

    private ObjectRecord? FindObject(string bucket, string key) =>
        _kv.TryGet(S3Keys.Object(bucket, key), out var bytes) ? JsonSerializer.Deserialize(bytes, S3JsonContext.Default.ObjectRecord) : null;

    /// <summary>An authorization request on a bucket or one of its objects, naming the bucket's owner for cross-account checks.</summary>
    private AuthorizationRequest OnBucket(string action, string bucket, string? key = null) =>
        new(action, [key is null ? BucketArn(bucket) : ObjectArn(bucket, key)]) { ResourceAccount = FindBucket(bucket)?.Owner };

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
