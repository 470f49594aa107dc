namespace Stratus.Storage.Objects;

public sealed partial class ObjectStore
{
    /// <summary>The whole object as a stream.</summary>
    public Stream OpenRead(ObjectManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return OpenRead(manifest, 0, manifest.Size);
    }

    /// <summary>
    /// <paramref name="length"/> bytes from <paramref name="offset"/>, reading only the blocks they lie in. A missing or
    /// corrupt shard is rebuilt from the others and queued for healing; with more than M shards unusable, reading the
    /// block throws <see cref="Erasure.InsufficientShardsException"/>. Never returns bytes that fail their hashes.
    /// </summary>
    public Stream OpenRead(ObjectManifest manifest, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, manifest.Size, nameof(length));
        if (manifest.IsDetached)
        {
            throw new InvalidOperationException($"Object {manifest.ObjectId}'s manifest is detached: read through the whole manifest its owner keeps.");
        }

        if (manifest.IsInline)
        {
            // Its root was checked against these very bytes when the manifest was made or parsed.
            return new MemoryStream(manifest.InlineData!, (int)offset, (int)length, writable: false);
        }

        if (!manifest.HasConsistentRoot())
        {
            throw new InvalidDataException($"The manifest of object {manifest.ObjectId} does not match its Merkle root.");
        }

        if (manifest.DataShards != DataShards || manifest.ParityShards != ParityShards || manifest.TotalShards != DriveCount)
        {
            throw new InvalidDataException($"Object {manifest.ObjectId} is coded {manifest.DataShards}+{manifest.ParityShards}; this store is {DataShards}+{ParityShards}.");
        }

        return new ObjectReadStream(this, manifest, offset, offset + length);
    }
}
