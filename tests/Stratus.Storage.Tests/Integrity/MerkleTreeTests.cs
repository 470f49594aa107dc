using Stratus.Storage.Integrity;

namespace Stratus.Storage.Tests.Integrity;

public sealed class MerkleTreeTests
{
    // The RFC 6962 reference leaves and roots used by Certificate Transparency implementations.
    private static readonly byte[][] ReferenceLeaves =
    [
        [],
        [0x00],
        [0x10],
        [0x20, 0x21],
        [0x30, 0x31],
        [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    private static readonly string[] ReferenceRoots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void Roots_match_the_RFC_6962_reference_values()
    {
        for (var n = 1; n <= ReferenceLeaves.Length; n++)
        {
            var root = MerkleTree.ComputeRoot(ReferenceLeaves[..n]);
            Assert.Equal(ReferenceRoots[n - 1], Convert.ToHexStringLower(root));
        }
    }

    [Fact]
    public void The_empty_tree_has_the_hash_of_nothing_as_root()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleTree.ComputeRoot([])));
    }

    [Fact]
    public void Every_leaf_proof_verifies_against_the_root_for_every_tree_size()
    {
        for (var n = 1; n <= 40; n++)
        {
            var leaves = Leaves(n);
            var tree = new MerkleTree(leaves);
            for (var i = 0; i < n; i++)
            {
                Assert.True(MerkleTree.VerifyProof(leaves[i], i, n, tree.GetProof(i), tree.Root), $"leaf {i} of {n}");
            }
        }
    }

    [Fact]
    public void A_changed_leaf_a_wrong_index_or_a_tampered_proof_fails_verification()
    {
        var leaves = Leaves(13);
        var tree = new MerkleTree(leaves);
        var proof = tree.GetProof(6);

        Assert.False(MerkleTree.VerifyProof([.. leaves[6], 1], 6, 13, proof, tree.Root));
        Assert.False(MerkleTree.VerifyProof(leaves[6], 5, 13, proof, tree.Root));
        Assert.False(MerkleTree.VerifyProof(leaves[6], 6, 7, proof, tree.Root)); // a size whose tree has another shape
        Assert.False(MerkleTree.VerifyProof(leaves[6], 6, 13, proof[..^1], tree.Root));

        var tampered = proof.Select(p => (byte[])p.Clone()).ToArray();
        tampered[1][0] ^= 1;
        Assert.False(MerkleTree.VerifyProof(leaves[6], 6, 13, tampered, tree.Root));
    }

    [Fact]
    public void Changing_any_leaf_changes_the_root()
    {
        var leaves = Leaves(9);
        var root = MerkleTree.ComputeRoot(leaves);
        for (var i = 0; i < leaves.Length; i++)
        {
            var changed = leaves.Select(l => (byte[])l.Clone()).ToArray();
            changed[i][0] ^= 0x80;
            Assert.NotEqual(root, MerkleTree.ComputeRoot(changed));
        }
    }

    private static byte[][] Leaves(int n)
    {
        var random = new Random(n);
        var leaves = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            leaves[i] = new byte[random.Next(1, 40)];
            random.NextBytes(leaves[i]);
        }

        return leaves;
    }
}
