using System.Text;
using CsCheck;
using Stratus.Storage.Lsm;

namespace Stratus.Storage.Tests.Lsm;

/// <summary>Random operation sequences against the engine and a <see cref="SortedDictionary{TKey, TValue}"/> model.</summary>
public sealed class LsmModelTests
{
    private const string Dir = "/model";

    private abstract record Op;

    private sealed record PutOp(int Key, int ValueSeed, int ValueLength) : Op;

    private sealed record DeleteOp(int Key) : Op;

    private sealed record DeleteRangeOp(int Begin, int End) : Op;

    private sealed record BatchOp(Op[] Ops, bool Conditional, int ConditionKey) : Op
    {
        public override string ToString() => $"BatchOp {{ [{string.Join(", ", Ops.Select(o => o.ToString()))}], Conditional = {Conditional}, ConditionKey = {ConditionKey} }}";
    }

    private sealed record GetOp(int Key) : Op;

    private sealed record WalkOp(int Seek, bool Reverse, bool Bounded, int Lower, int Upper, bool[] Moves) : Op
    {
        public override string ToString() =>
            $"WalkOp {{ Seek = {Seek}, Reverse = {Reverse}, Bounded = {Bounded}, Lower = {Lower}, Upper = {Upper}, Moves = [{string.Join(",", Moves.Select(m => m ? "next" : "prev"))}] }}";
    }

    private sealed record SnapshotOp : Op;

    private sealed record CheckSnapshotOp(int Index) : Op;

    private sealed record ReopenOp(bool Crash) : Op;

    private static readonly Gen<int> KeyGen = Gen.Int[0, 40];

    private static readonly Gen<Op> PutGen = Gen.Select(KeyGen, Gen.Int[0, 1000], Gen.Int[0, 60], (k, s, l) => (Op)new PutOp(k, s, l));

    private static readonly Gen<Op> SimpleGen = Gen.Frequency(
        (10, PutGen),
        (3, KeyGen.Select(k => (Op)new DeleteOp(k))),
        (1, Gen.Select(KeyGen, Gen.Int[0, 10], (a, n) => (Op)new DeleteRangeOp(a, a + n))));

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (30, SimpleGen),
        (3, Gen.Select(SimpleGen.Array[1, 6], Gen.Bool, KeyGen, (ops, c, k) => (Op)new BatchOp(ops, c, k))),
        (5, KeyGen.Select(k => (Op)new GetOp(k))),
        (3, Gen.Select(KeyGen, Gen.Bool, Gen.Bool, Gen.Select(KeyGen, KeyGen), Gen.Bool.Array[0, 8],
            (s, r, b, bounds, moves) => (Op)new WalkOp(s, r, b, Math.Min(bounds.Item1, bounds.Item2), Math.Max(bounds.Item1, bounds.Item2), moves))),
        (1, Gen.Const((Op)new SnapshotOp())),
        (1, Gen.Int[0, 3].Select(i => (Op)new CheckSnapshotOp(i))),
        (1, Gen.Bool.Select(c => (Op)new ReopenOp(c))));

    private static string Key(int k) => $"key{k:D3}";

    private static byte[] Value(PutOp put)
    {
        var value = new byte[put.ValueLength];
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = (byte)(put.ValueSeed + (i * 31));
        }

        return value;
    }

    private static LsmOptions Options(MemoryFileSystem fs, bool background) => new()
    {
        FileSystem = fs,
        MemTableSize = 1024,
        BlockSize = 128,
        BlockRestartInterval = 4,
        TargetFileSize = 1024,
        MaxBytesForLevelBase = 2048,
        LevelSizeMultiplier = 2,
        L0CompactionTrigger = 2,
        L0StopWritesTrigger = 3,
        BlockCacheSize = 4096,
        BackgroundWork = background,
    };

    [Fact]
    public void Random_operation_sequences_match_a_sorted_dictionary_model()
    {
        OpGen.Array[1, 30].Sample(ops => Run(ops, background: false), iter: 10_000, print: Describe);
    }

    [Fact]
    public void Random_sequences_match_the_model_with_flushes_and_compactions_on_background_threads()
    {
        OpGen.Array[10, 60].Sample(ops => Run(ops, background: true), iter: 300, print: Describe);
    }

    private static string Describe(Op[] ops) => string.Join("; ", ops.Select(o => o.ToString()));

    private static void Run(Op[] ops, bool background)
    {
        var fs = new MemoryFileSystem();
        var engine = LsmEngine.Open(Dir, Options(fs, background));
        var model = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var snapshots = new List<(LsmSnapshot Snapshot, SortedDictionary<string, byte[]> Model)>();
        try
        {
            foreach (var op in ops)
            {
                switch (op)
                {
                    case ReopenOp reopen:
                        foreach (var (snapshot, _) in snapshots)
                        {
                            snapshot.Dispose();
                        }

                        snapshots.Clear();
                        if (reopen.Crash && !background)
                        {
                            fs.Crash();
                        }
                        else
                        {
                            engine.Dispose();
                            if (reopen.Crash)
                            {
                                fs.Crash();
                            }
                        }

                        engine = LsmEngine.Open(Dir, Options(fs, background));
                        break;
                    case SnapshotOp:
                        snapshots.Add((engine.GetSnapshot(), new SortedDictionary<string, byte[]>(model, StringComparer.Ordinal)));
                        break;
                    case CheckSnapshotOp check:
                        if (snapshots.Count > 0)
                        {
                            var (snapshot, old) = snapshots[check.Index % snapshots.Count];
                            AssertSame(old, engine, snapshot);
                        }

                        break;
                    case GetOp get:
                        var found = engine.TryGet(Encoding.UTF8.GetBytes(Key(get.Key)), out var value);
                        Assert.Equal(model.TryGetValue(Key(get.Key), out var expected), found);
                        if (found)
                        {
                            Assert.Equal(expected, value);
                        }

                        break;
                    case WalkOp walk:
                        Walk(engine, model, walk);
                        break;
                    case BatchOp batchOp:
                        var batch = new WriteBatch();
                        foreach (var inner in batchOp.Ops)
                        {
                            AddTo(batch, inner);
                        }

                        if (batchOp.Conditional)
                        {
                            var conditionKey = Key(batchOp.ConditionKey);
                            var applied = engine.Write(batch, new WriteCondition().KeyAbsent(Encoding.UTF8.GetBytes(conditionKey)));
                            Assert.Equal(!model.ContainsKey(conditionKey), applied);
                            if (applied)
                            {
                                foreach (var inner in batchOp.Ops)
                                {
                                    ApplyToModel(model, inner);
                                }
                            }
                        }
                        else
                        {
                            engine.Write(batch);
                            foreach (var inner in batchOp.Ops)
                            {
                                ApplyToModel(model, inner);
                            }
                        }

                        break;
                    default:
                        var single = new WriteBatch();
                        AddTo(single, op);
                        engine.Write(single);
                        ApplyToModel(model, op);
                        break;
                }
            }

            AssertSame(model, engine, null);
            engine.Dispose();
            engine = LsmEngine.Open(Dir, Options(fs, background));
            AssertSame(model, engine, null);
        }
        finally
        {
            foreach (var (snapshot, _) in snapshots)
            {
                snapshot.Dispose();
            }

            engine.Dispose();
        }
    }

    private static void AddTo(WriteBatch batch, Op op)
    {
        switch (op)
        {
            case PutOp put:
                batch.Put(Encoding.UTF8.GetBytes(Key(put.Key)), Value(put));
                break;
            case DeleteOp delete:
                batch.Delete(Encoding.UTF8.GetBytes(Key(delete.Key)));
                break;
            case DeleteRangeOp range:
                batch.DeleteRange(Encoding.UTF8.GetBytes(Key(range.Begin)), Encoding.UTF8.GetBytes(Key(range.End)));
                break;
        }
    }

    private static void ApplyToModel(SortedDictionary<string, byte[]> model, Op op)
    {
        switch (op)
        {
            case PutOp put:
                model[Key(put.Key)] = Value(put);
                break;
            case DeleteOp delete:
                model.Remove(Key(delete.Key));
                break;
            case DeleteRangeOp range:
                var begin = Key(range.Begin);
                var end = Key(range.End);
                foreach (var key in model.Keys.Where(k => string.CompareOrdinal(k, begin) >= 0 && string.CompareOrdinal(k, end) < 0).ToList())
                {
                    model.Remove(key);
                }

                break;
        }
    }

    private static void AssertSame(SortedDictionary<string, byte[]> model, LsmEngine engine, LsmSnapshot? snapshot)
    {
        var expected = model.Select(p => (p.Key, Convert.ToHexString(p.Value))).ToList();
        var forward = new List<(string, string)>();
        using (var iterator = engine.NewIterator(new ReadOptions { Snapshot = snapshot }))
        {
            while (iterator.MoveNext())
            {
                forward.Add((Encoding.UTF8.GetString(iterator.Key), Convert.ToHexString(iterator.Value)));
            }
        }

        Assert.Equal(expected, forward);
        var backward = new List<(string, string)>();
        using (var iterator = engine.NewIterator(new ReadOptions { Snapshot = snapshot, Reverse = true }))
        {
            while (iterator.MoveNext())
            {
                backward.Add((Encoding.UTF8.GetString(iterator.Key), Convert.ToHexString(iterator.Value)));
            }
        }

        backward.Reverse();
        Assert.Equal(expected, backward);
        for (var k = 0; k <= 41; k++)
        {
            var key = Encoding.UTF8.GetBytes(Key(k));
            var found = snapshot == null ? engine.TryGet(key, out var value) : engine.TryGet(key, snapshot, out value);
            Assert.Equal(model.TryGetValue(Key(k), out var want), found);
            if (found)
            {
                Assert.Equal(want, value);
            }
        }
    }

    private static void Walk(LsmEngine engine, SortedDictionary<string, byte[]> model, WalkOp walk)
    {
        var lower = walk.Bounded ? Key(walk.Lower) : null;
        var upper = walk.Bounded ? Key(walk.Upper) : null;
        var keys = model.Keys.Where(k => (lower == null || string.CompareOrdinal(k, lower) >= 0) && (upper == null || string.CompareOrdinal(k, upper) < 0)).ToList();
        var options = new ReadOptions
        {
            LowerBound = lower == null ? null : Encoding.UTF8.GetBytes(lower),
            UpperBound = upper == null ? null : Encoding.UTF8.GetBytes(upper),
        };
        using var iterator = engine.NewIterator(options);
        var seek = Key(walk.Seek);
        int position;
        if (walk.Reverse)
        {
            iterator.SeekForPrev(Encoding.UTF8.GetBytes(seek));
            position = keys.FindLastIndex(k => string.CompareOrdinal(k, seek) <= 0);
        }
        else
        {
            iterator.Seek(Encoding.UTF8.GetBytes(seek));
            position = keys.FindIndex(k => string.CompareOrdinal(k, seek) >= 0);
            if (position < 0)
            {
                position = keys.Count;
            }
        }

        Check();
        foreach (var forward in walk.Moves)
        {
            if (!iterator.Valid)
            {
                return;
            }

            if (forward)
            {
                iterator.Next();
                position++;
            }
            else
            {
                iterator.Prev();
                position--;
            }

            Check();
        }

        void Check()
        {
            var modelValid = position >= 0 && position < keys.Count;
            Assert.Equal(modelValid, iterator.Valid);
            if (modelValid)
            {
                Assert.Equal(keys[position], Encoding.UTF8.GetString(iterator.Key));
                Assert.Equal(model[keys[position]], iterator.Value.ToArray());
            }
        }
    }
}
