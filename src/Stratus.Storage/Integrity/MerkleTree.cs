using System.Security.Cryptography;

namespace Stratus.Storage.Integrity;

/// <summary>
/// A Merkle tree in the RFC 6962 (Certificate Transparency) shape: SHA-256, leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right),
/// the left subtree holding the largest power of two of leaves below the count. The domain prefixes keep a leaf from
/// being passed off as a node. Objects use one leaf per block (the block's shard hashes), so the root commits to every
/// shard hash and a proof shows one block belongs to the object.
/// </summary>
public sealed class MerkleTree
{
    /// <summary>Bytes in every node hash and the root.</summary>
    public const int HashSize = 32;

    private readonly byte[][] _leafHashes;

    /// <summary>Builds the tree over <paramref name="leaves"/> (each leaf's raw bytes).</summary>
    public MerkleTree(IReadOnlyList<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        _leafHashes = new byte[leaves.Count][];
        for (var i = 0; i < leaves.Count; i++)
        {
            _leafHashes[i] = HashLeaf(leaves[i]);
        }

        Root = SubtreeHash(0, _leafHashes.Length);
    }

    /// <summary>The root hash (SHA-256 of nothing for an empty tree).</summary>
    public byte[] Root { get; }

    /// <summary>How many leaves the tree has.</summary>
    public int LeafCount => _leafHashes.Length;

    /// <summary>The root over <paramref name="leaves"/> without keeping the tree.</summary>
    public static byte[] ComputeRoot(IReadOnlyList<byte[]> leaves) => new MerkleTree(leaves).Root;

    /// <summary>The audit path of leaf <paramref name="index"/>: sibling subtree hashes from the leaf up to the root.</summary>
    public byte[][] GetProof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, LeafCount);
        var path = new List<byte[]>();
        Path(index, 0, LeafCount, path);
        return [.. path];
    }

    /// <summary>Whether <paramref name="leaf"/> is leaf <paramref name="index"/> of a tree of <paramref name="leafCount"/> leaves with <paramref name="root"/> (RFC 9162 §2.1.3.2).</summary>
    public static bool VerifyProof(ReadOnlySpan<byte> leaf, int index, int leafCount, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= leafCount)
        {
            return false;
        }

        long fn = index;
        long sn = leafCount - 1;
        Span<byte> r = stackalloc byte[HashSize];
        HashLeaf(leaf, r);
        foreach (var p in proof)
        {
            if (p is null || p.Length != HashSize || sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                HashNode(p, r, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                HashNode(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.SequenceEqual(root);
    }

    private void Path(int index, int start, int count, List<byte[]> path)
    {
        if (count <= 1)
        {
            return;
        }

        var split = LargestPowerOfTwoBelow(count);
        if (index < split)
        {
            Path(index, start, split, path);
            path.Add(SubtreeHash(start + split, count - split));
        }
        else
        {
            Path(index - split, start + split, count - split, path);
            path.Add(SubtreeHash(start, split));
        }
    }

    private byte[] SubtreeHash(int start, int count)
    {
        if (count == 0)
        {
            return SHA256.HashData(ReadOnlySpan<byte>.Empty);
        }

        if (count == 1)
        {
            return _leafHashes[start];
        }

        var split = LargestPowerOfTwoBelow(count);
        var result = new byte[HashSize];
        HashNode(SubtreeHash(start, split), SubtreeHash(start + split, count - split), result);
        return result;
    }

    private static int LargestPowerOfTwoBelow(int n) => 1 << (31 - System.Numerics.BitOperations.LeadingZeroCount((uint)(n - 1)));

    private static byte[] HashLeaf(ReadOnlySpan<byte> leaf)
    {
        var hash = new byte[HashSize];
        HashLeaf(leaf, hash);
        return hash;
    }

    private static void HashLeaf(ReadOnlySpan<byte> leaf, Span<byte> destination)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(leaf);
        sha.GetHashAndReset(destination);
    }

    private static void HashNode(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        SHA256.HashData(buffer, destination);
    }
}
