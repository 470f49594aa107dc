using System.Buffers.Binary;
using System.IO.Hashing;
using Stratus.Storage.Integrity;

namespace Stratus.Storage.Objects;

/// <summary>
/// Everything needed to read an object back: its size, and either its bytes (small objects, kept inline) or its shard
/// layout (block size, K, M, which drive holds each shard), the xxHash3 of every shard block and the Merkle root over
/// the blocks. The caller commits it to its own metadata store; the object exists once the manifest is committed.
/// </summary>
public sealed class ObjectManifest
{
    private const uint Magic = 0x4D4F5453; // "STOM" little-endian
    private const byte Version = 1;
    private const byte InlineFlag = 1;
    private const byte DetachedFlag = 2;

    private readonly ulong[] _hashes;
    private readonly int[] _shardDrives;

    private ObjectManifest(string objectId, long size, byte[]? inlineData, int blockSize, int dataShards, int parityShards, int[] shardDrives, ulong[] hashes, byte[] merkleRoot, bool detached = false)
    {
        IsDetached = detached;
        ObjectId = objectId;
        Size = size;
        InlineData = inlineData;
        BlockSize = blockSize;
        DataShards = dataShards;
        ParityShards = parityShards;
        _shardDrives = shardDrives;
        _hashes = hashes;
        MerkleRoot = merkleRoot;
    }

    /// <summary>32 lowercase hex digits; names the shard files.</summary>
    public string ObjectId { get; }

    /// <summary>The object's length in bytes.</summary>
    public long Size { get; }

    /// <summary>The object's bytes when it is small enough to live in the manifest (checked against the Merkle root when the manifest was made or parsed, so not to be changed); null when it is sharded or detached.</summary>
    public byte[]? InlineData { get; }

    /// <summary>Whether the object lives in the manifest (or, detached, beside it) rather than in shards.</summary>
    public bool IsInline => InlineData is not null || IsDetached;

    /// <summary>
    /// An inline object's manifest without its bytes (<see cref="Detach"/>): the caller keeps the whole manifest elsewhere,
    /// under <see cref="ObjectId"/>, and this one only names it, with the size and the Merkle root to check it by.
    /// </summary>
    public bool IsDetached { get; }

    /// <summary>Bytes of object data per block (0 when inline).</summary>
    public int BlockSize { get; }

    /// <summary>K (0 when inline).</summary>
    public int DataShards { get; }

    /// <summary>M (0 when inline).</summary>
    public int ParityShards { get; }

    /// <summary>K + M.</summary>
    public int TotalShards => DataShards + ParityShards;

    /// <summary>Blocks the object is cut into (0 when inline).</summary>
    public int BlockCount => IsInline ? 0 : (int)((Size + BlockSize - 1) / BlockSize);

    /// <summary>Bytes each shard file reserves per block: ⌈BlockSize / K⌉.</summary>
    public int ShardStride => IsInline ? 0 : (BlockSize + DataShards - 1) / DataShards;

    /// <summary>The Merkle root (SHA-256, RFC 6962) over the blocks; each leaf is the block's K+M shard hashes. For an inline object, over the one leaf of its bytes.</summary>
    public byte[] MerkleRoot { get; }

    /// <summary>The drive that holds shard <paramref name="shard"/>.</summary>
    public int DriveOf(int shard) => _shardDrives[shard];

    /// <summary>The xxHash3 of shard <paramref name="shard"/>'s part of block <paramref name="block"/>.</summary>
    public ulong ShardBlockHash(int block, int shard) => _hashes[(block * TotalShards) + shard];

    /// <summary>Object bytes in block <paramref name="block"/>.</summary>
    public int BlockLength(int block) => (int)Math.Min(BlockSize, Size - ((long)block * BlockSize));

    /// <summary>Bytes of each shard for block <paramref name="block"/>: ⌈block length / K⌉ (the last data shard is zero-padded).</summary>
    public int ShardBlockLength(int block) => (BlockLength(block) + DataShards - 1) / DataShards;

    /// <summary>Whether the Merkle root matches the shard hashes (or the inline bytes): the manifest itself is intact. A detached manifest has nothing to check it against.</summary>
    public bool HasConsistentRoot() => IsDetached || MerkleRoot.AsSpan().SequenceEqual(ComputeRoot(InlineData, _hashes, TotalShards, BlockCount));

    /// <summary>This inline manifest without its bytes, for a record that points at the whole one kept elsewhere.</summary>
    public ObjectManifest Detach()
    {
        if (InlineData is null)
        {
            throw new InvalidOperationException($"Only an inline manifest with its bytes can be detached (object {ObjectId}).");
        }

        return new(ObjectId, Size, null, 0, 0, 0, [], [], MerkleRoot, detached: true);
    }

    /// <summary>Whether <paramref name="whole"/> is the inline manifest this detached one was made from.</summary>
    public bool IsDetachedFrom(ObjectManifest whole) =>
        IsDetached && whole.InlineData is not null && whole.ObjectId == ObjectId && whole.Size == Size && whole.MerkleRoot.AsSpan().SequenceEqual(MerkleRoot);

    internal static ObjectManifest ForInline(string objectId, byte[] data) =>
        new(objectId, data.Length, data, 0, 0, 0, [], [], ComputeRoot(data, [], 0, 0));

    internal static ObjectManifest ForShards(string objectId, long size, int blockSize, int dataShards, int parityShards, int[] shardDrives, ulong[] hashes)
    {
        var blocks = (int)((size + blockSize - 1) / blockSize);
        return new(objectId, size, null, blockSize, dataShards, parityShards, shardDrives, hashes, ComputeRoot(null, hashes, dataShards + parityShards, blocks));
    }

    /// <summary>The manifest as bytes, ending with a CRC32C of everything before it.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>The length of <see cref="ToBytes"/>.</summary>
    public int EncodedLength =>
        4 + 1 + 1 + 16 + 8 + MerkleTree.HashSize + 4
        + (IsDetached ? 0 : IsInline ? 4 + InlineData!.Length : 4 + 2 + 2 + (2 * TotalShards) + (8 * _hashes.Length));

    /// <summary>Writes <see cref="ToBytes"/> into the first <see cref="EncodedLength"/> bytes of <paramref name="span"/>.</summary>
    public void WriteTo(Span<byte> span)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(span.Length, EncodedLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        span[4] = Version;
        span[5] = IsDetached ? (byte)(InlineFlag | DetachedFlag) : IsInline ? InlineFlag : (byte)0;
        Convert.FromHexString(ObjectId).CopyTo(span[6..]);
        BinaryPrimitives.WriteInt64LittleEndian(span[22..], Size);
        MerkleRoot.CopyTo(span[30..]);
        var at = 30 + MerkleTree.HashSize;
        if (IsDetached)
        {
            // Nothing but the header: the bytes are kept with the whole manifest.
        }
        else if (IsInline)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], InlineData!.Length);
            InlineData.CopyTo(span[(at + 4)..]);
            at += 4 + InlineData.Length;
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], BlockSize);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 4)..], (ushort)DataShards);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 6)..], (ushort)ParityShards);
            at += 8;
            foreach (var drive in _shardDrives)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)drive);
                at += 2;
            }

            foreach (var hash in _hashes)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(span[at..], hash);
                at += 8;
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, span[..at]));
    }

    /// <summary>Parses <see cref="ToBytes"/> output; false for anything truncated, corrupted or inconsistent.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out ObjectManifest? manifest)
    {
        manifest = null;
        const int fixedPart = 30 + MerkleTree.HashSize;
        if (bytes.Length < fixedPart + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || bytes[4] != Version
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]) != Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, bytes[..^4]))
        {
            return false;
        }

        var objectId = Convert.ToHexStringLower(bytes.Slice(6, 16));
        var size = BinaryPrimitives.ReadInt64LittleEndian(bytes[22..]);
        var root = bytes.Slice(30, MerkleTree.HashSize).ToArray();
        var body = bytes[fixedPart..^4];
        if (size < 0)
        {
            return false;
        }

        ObjectManifest candidate;
        if (bytes[5] == (InlineFlag | DetachedFlag))
        {
            if (body.Length != 0 || size > int.MaxValue)
            {
                return false;
            }

            manifest = new(objectId, size, null, 0, 0, 0, [], [], root, detached: true);
            return true;
        }

        if ((bytes[5] & InlineFlag) != 0)
        {
            if (body.Length < 4)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(body);
            if (length != size || body.Length != 4 + length)
            {
                return false;
            }

            candidate = new(objectId, size, body.Slice(4, length).ToArray(), 0, 0, 0, [], [], root);
        }
        else
        {
            if (body.Length < 8)
            {
                return false;
            }

            var blockSize = BinaryPrimitives.ReadInt32LittleEndian(body);
            int k = BinaryPrimitives.ReadUInt16LittleEndian(body[4..]);
            int m = BinaryPrimitives.ReadUInt16LittleEndian(body[6..]);
            if (blockSize <= 0 || k < 1 || m < 1 || k + m > 256)
            {
                return false;
            }

            var blocks = (size + blockSize - 1) / blockSize;
            if (body.Length != 8 + (2 * (k + m)) + (8 * blocks * (k + m)))
            {
                return false;
            }

            var drives = new int[k + m];
            var at = 8;
            for (var i = 0; i < drives.Length; i++, at += 2)
            {
                drives[i] = BinaryPrimitives.ReadUInt16LittleEndian(body[at..]);
            }

            var hashes = new ulong[blocks * (k + m)];
            for (var i = 0; i < hashes.Length; i++, at += 8)
            {
                hashes[i] = BinaryPrimitives.ReadUInt64LittleEndian(body[at..]);
            }

            candidate = new(objectId, size, null, blockSize, k, m, drives, hashes, root);
        }

        if (!candidate.HasConsistentRoot())
        {
            return false;
        }

        manifest = candidate;
        return true;
    }

    private static byte[] ComputeRoot(byte[]? inline, ulong[] hashes, int totalShards, int blocks)
    {
        if (inline is not null)
        {
            return MerkleTree.ComputeRoot([inline]);
        }

        var leaves = new byte[blocks][];
        for (var b = 0; b < blocks; b++)
        {
            leaves[b] = new byte[8 * totalShards];
            for (var s = 0; s < totalShards; s++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(leaves[b].AsSpan(8 * s), hashes[(b * totalShards) + s]);
            }
        }

        return MerkleTree.ComputeRoot(leaves);
    }
}
