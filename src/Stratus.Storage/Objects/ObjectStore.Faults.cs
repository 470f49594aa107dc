namespace Stratus.Storage.Objects;

public sealed partial class ObjectStore
{
    /// <summary>Fault hook: takes a drive offline (every read and write to it fails) or brings it back.</summary>
    public void SetDriveOffline(int drive, bool offline) => Volatile.Write(ref _offline[drive], offline);

    /// <summary>Whether a drive is offline (by the fault hook, or after an I/O error).</summary>
    public bool IsDriveOffline(int drive) => Volatile.Read(ref _offline[drive]);

    /// <summary>Fault hook: deletes one shard file of an object; false if it was not there.</summary>
    public bool DeleteShard(ObjectManifest manifest, int shard)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var path = ShardPath(manifest.DriveOf(shard), manifest.ObjectId, shard);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>Fault hook: flips bit <paramref name="bit"/> (counted from the start of the file) of one shard file, as bitrot would.</summary>
    public void FlipBit(ObjectManifest manifest, int shard, long bit)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var handle = File.OpenHandle(ShardPath(manifest.DriveOf(shard), manifest.ObjectId, shard), FileMode.Open, FileAccess.ReadWrite);
        Span<byte> one = stackalloc byte[1];
        if (RandomAccess.Read(handle, one, bit / 8) != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bit), "The bit lies past the end of the shard file.");
        }

        one[0] ^= (byte)(1 << (int)(bit % 8));
        RandomAccess.Write(handle, one, bit / 8);
    }

    /// <summary>Length in bytes of one shard file, for choosing where to flip bits.</summary>
    public long ShardFileLength(ObjectManifest manifest, int shard)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new FileInfo(ShardPath(manifest.DriveOf(shard), manifest.ObjectId, shard)).Length;
    }

    /// <summary>
    /// Brings back the offline drives that answer again: each gets a probe file written, synced and deleted. Returns the
    /// drives brought back; the scrubber's next pass heals what they missed while they were away.
    /// </summary>
    public IReadOnlyList<int> ProbeOfflineDrives()
    {
        var back = new List<int>();
        for (var drive = 0; drive < _drives.Length; drive++)
        {
            if (!IsDriveOffline(drive))
            {
                continue;
            }

            var probe = Path.Combine(_drives[drive], ".probe" + TemporarySuffix);
            try
            {
                Directory.CreateDirectory(_drives[drive]);
                using (var file = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough))
                {
                    file.WriteByte(1);
                    file.Flush(flushToDisk: true);
                }

                File.Delete(probe);
                SetDriveOffline(drive, false);
                back.Add(drive);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Still failing: it stays offline until a later probe.
            }
        }

        return back;
    }
}
