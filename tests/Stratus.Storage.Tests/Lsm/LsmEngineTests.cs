using System.Text;
using Stratus.Storage.Lsm;

namespace Stratus.Storage.Tests.Lsm;

public sealed class LsmEngineTests
{
    private const string Dir = "/db";

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);

    private static LsmOptions Tiny(MemoryFileSystem fs, bool background = false) => new()
    {
        FileSystem = fs,
        MemTableSize = 2048,
        BlockSize = 256,
        TargetFileSize = 4096,
        MaxBytesForLevelBase = 8192,
        L0CompactionTrigger = 2,
        L0StopWritesTrigger = 4,
        BlockCacheSize = 16 << 10,
        BackgroundWork = background,
    };

    private static List<string> Keys(LsmEngine engine, ReadOptions? options = null)
    {
        var keys = new List<string>();
        using var iterator = engine.NewIterator(options);
        while (iterator.MoveNext())
        {
            keys.Add(S(iterator.Key));
        }

        return keys;
    }

    [Fact]
    public void Put_then_get_returns_the_same_bytes()
    {
        using var engine = LsmEngine.Open(Dir, Tiny(new MemoryFileSystem()));
        engine.Put(B("alpha"), B("one"));
        Assert.True(engine.TryGet(B("alpha"), out var value));
        Assert.Equal("one", S(value));
        Assert.False(engine.TryGet(B("beta"), out _));
    }

    [Fact]
    public void A_value_written_in_place_into_a_presized_batch_reads_back_and_the_batch_still_grows()
    {
        using var engine = LsmEngine.Open(Dir, Tiny(new MemoryFileSystem()));
        var batch = new WriteBatch(16);
        B("in place").CopyTo(batch.Put(B("a"), 8));
        batch.Put(B("b"), B(new string('x', 300)));
        batch.Put(B("c"), 0);
        engine.Write(batch);

        Assert.True(engine.TryGet(B("a"), out var a));
        Assert.Equal("in place", S(a));
        Assert.True(engine.TryGet(B("b"), out var b));
        Assert.Equal(300, b.Length);
        Assert.True(engine.TryGet(B("c"), out var c));
        Assert.Empty(c);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WriteBatch().Put(B("d"), -1));
    }

    [Fact]
    public void Delete_hides_the_key_and_a_later_put_brings_it_back()
    {
        using var engine = LsmEngine.Open(Dir, Tiny(new MemoryFileSystem()));
        engine.Put(B("k"), B("v1"));
        engine.Delete(B("k"));
        Assert.False(engine.TryGet(B("k"), out _));
        engine.Put(B("k"), B("v2"));
        Assert.True(engine.TryGet(B("k"), out var value));
        Assert.Equal("v2", S(value));
    }

    [Fact]
    public void Data_survives_flushes_compactions_and_reopen()
    {
        var fs = new MemoryFileSystem();
        using (var engine = LsmEngine.Open(Dir, Tiny(fs)))
        {
            for (var i = 0; i < 2000; i++)
            {
                engine.Put(B($"key{i:D5}"), B($"value{i}"));
            }

            for (var i = 0; i < 2000; i += 3)
            {
                engine.Delete(B($"key{i:D5}"));
            }

            var metrics = engine.GetMetrics();
            Assert.True(metrics.Flushes > 0);
            Assert.True(metrics.Compactions > 0);
            Assert.True(metrics.Levels[1].FileCount + metrics.Levels[2].FileCount > 0);
        }

        using (var engine = LsmEngine.Open(Dir, Tiny(fs)))
        {
            for (var i = 0; i < 2000; i++)
            {
                var found = engine.TryGet(B($"key{i:D5}"), out var value);
                Assert.Equal(i % 3 != 0, found);
                if (found)
                {
                    Assert.Equal($"value{i}", S(value));
                }
            }

            Assert.Equal(2000 - 667, Keys(engine).Count);
        }
    }

    [Fact]
    public void Iterators_walk_bounds_forwards_and_backwards()
    {
        using var engine = LsmEngine.Open(Dir, Tiny(new MemoryFileSystem()));
        foreach (var k in new[] { "a", "b", "c", "d", "e" })
        {
            engine.Put(B(k), B(k.ToUpperInvariant()));
        }

        engine.Delete(B("c"));
        Assert.Equal(["a", "b", "d", "e"], Keys(engine));
        Assert.Equal(["e", "d", "b", "a"], Keys(engine, new ReadOptions { Reverse = true }));
        Assert.Equal(["b", "d"], Keys(engine, new ReadOptions { LowerBound = B("b"), UpperBound = B("e") }));
        Assert.Equal(["d", "b"], Keys(engine, new ReadOptions { LowerBound = B("b"), UpperBound = B("e"), Reverse = true }));

        using var iterator = engine.NewIterator();
        iterator.Seek(B("c"));
        Assert.Equal("d", S(iterator.Key));
        iterator.Prev();
        Assert.Equal("b", S(iterator.Key));
        iterator.Next();
        Assert.Equal("d", S(iterator.Key));
        iterator.SeekForPrev(B("c"));
        Assert.Equal("b", S(iterator.Key));
        Assert.Equal("B", S(iterator.Value));
    }

    [Fact]
    public void A_prefix_iterator_sees_only_that_prefix()
    {
        using var engine = LsmEngine.Open(Dir, Tiny(new MemoryFileSystem()));
        foreach (var k in new[] { "t1/a", "t1/b", "t2/a", "t10/a" })
        {
            engine.Put(B(k), B("x"));
        }

        Assert.Equal(["t1/a", "t1/b"], Keys(engine, ReadOptions.ForPrefix(B("t1/"))));
    }

    [Fact]
    public void A_snapshot_keeps_seeing_the_state_when_it_was_taken()
    {
        var fs = new MemoryFileSystem();
        using var engine = LsmEngine.Open(Dir, Tiny(fs));
        engine.Put(B("k"), B("old"));
        using var snapshot = engine.GetSnapshot();
        engine.Put(B("k"), B("new"));
        engine.Put(B("other"), B("x"));
        for (var i = 0; i < 500; i++)
        {
            engine.Put(B($"fill{i:D4}"), new byte[32]);
        }

        Assert.True(engine.TryGet(B("k"), snapshot, out var value));
        Assert.Equal("old", S(value));
        Assert.False(engine.TryGet(B("other"), snapshot, out _));
        Assert.DoesNotContain("other", Keys(engine, new ReadOptions { Snapshot = snapshot }));
        Assert.True(engine.TryGet(B("k"), out value));
        Assert.Equal("new", S(value));
    }

    [Fact]
    public void Delete_range_removes_exactly_the_half_open_range()
    {
        using var engine = LsmEngine.Open(Dir, Tiny(new MemoryFileSystem()));
        foreach (var k in new[] { "a", "b", "c", "d" })
        {
            engine.Put(B(k), B("x"));
        }

        engine.DeleteRange(B("b"), B("d"));
        Assert.Equal(["a", "d"], Keys(engine));
    }

    [Fact]
    public void A_batch_sees_its_own_earlier_puts_when_deleting_a_range()
    {
        using var engine = LsmEngine.Open(Dir, Tiny(new MemoryFileSystem()));
        engine.Write(new WriteBatch().Put(B("b"), B("1")).DeleteRange(B("a"), B("c")).Put(B("c"), B("2")));
        Assert.Equal(["c"], Keys(engine));
    }

    [Fact]
    public void A_conditional_write_applies_only_when_the_condition_holds()
    {
        using var engine = LsmEngine.Open(Dir, Tiny(new MemoryFileSystem()));
        Assert.True(engine.Write(new WriteBatch().Put(B("k"), B("v1")), new WriteCondition().KeyAbsent(B("k"))));
        Assert.False(engine.Write(new WriteBatch().Put(B("k"), B("v2")), new WriteCondition().KeyAbsent(B("k"))));
        Assert.False(engine.Write(new WriteBatch().Put(B("k"), B("v2")), new WriteCondition().ValueEquals(B("k"), B("nope"))));
        Assert.True(engine.Write(new WriteBatch().Put(B("k"), B("v2")), new WriteCondition().ValueEquals(B("k"), B("v1"))));
        Assert.True(engine.TryGet(B("k"), out var value));
        Assert.Equal("v2", S(value));
    }

    [Fact]
    public async Task Concurrent_conditional_increments_never_lose_an_update()
    {
        var fs = new MemoryFileSystem();
        using var engine = LsmEngine.Open(Dir, Tiny(fs, background: true));
        engine.Put(B("counter"), BitConverter.GetBytes(0));
        var tasks = new Task[8];
        for (var t = 0; t < tasks.Length; t++)
        {
            tasks[t] = Task.Run(async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    while (true)
                    {
                        Assert.True(engine.TryGet(B("counter"), out var current));
                        var next = BitConverter.GetBytes(BitConverter.ToInt32(current) + 1);
                        if (await engine.WriteAsync(new WriteBatch().Put(B("counter"), next), new WriteCondition().ValueEquals(B("counter"), current)))
                        {
                            break;
                        }
                    }
                }
            });
        }

        await Task.WhenAll(tasks);
        Assert.True(engine.TryGet(B("counter"), out var final));
        Assert.Equal(400, BitConverter.ToInt32(final));
    }

    [Fact]
    public void Group_commit_batches_concurrent_writers_into_fewer_syncs()
    {
        var fs = new MemoryFileSystem();
        using var engine = LsmEngine.Open(Dir, new LsmOptions { FileSystem = fs, BackgroundWork = false });
        var before = fs.WalSyncCount;
        Parallel.For(0, 8, t =>
        {
            for (var i = 0; i < 200; i++)
            {
                engine.Put(B($"t{t}-{i}"), B("v"));
            }
        });

        // At most one sync per write (fewer when writers meet in a group), plus the one that closes the first log when
        // the writes roll on to the prepared one.
        Assert.Equal(1600, Keys(engine).Count);
        Assert.True(fs.WalSyncCount - before <= 1600 + 1, $"{fs.WalSyncCount - before} log syncs for 1600 writes");
    }

    [Fact]
    public async Task Concurrent_writers_readers_and_background_compaction_agree()
    {
        var fs = new MemoryFileSystem();
        using var engine = LsmEngine.Open(Dir, Tiny(fs, background: true));
        var writers = Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                var batch = new WriteBatch().Put(B($"w{t}/{i:D4}"), B($"{t}:{i}")).Put(B($"last/{t}"), B($"{i}"));
                if (i % 2 == 0)
                {
                    engine.Write(batch);
                }
                else
                {
                    await engine.WriteAsync(batch);
                }
            }
        })).ToArray();
        var reader = Task.Run(async () =>
        {
            while (!writers.All(w => w.IsCompleted))
            {
                // A batch is atomic: whenever last/t says i, key w{t}/i exists.
                for (var t = 0; t < 4; t++)
                {
                    if (engine.TryGet(B($"last/{t}"), out var last))
                    {
                        Assert.True(engine.TryGet(B($"w{t}/{int.Parse(S(last)):D4}"), out _));
                    }
                }

                await Task.Yield();
            }
        });
        await Task.WhenAll(writers);
        await reader;
        Assert.Equal(1204, Keys(engine).Count);
        Assert.True(engine.GetMetrics().Flushes > 0);
    }

    [Fact]
    public void Acknowledged_writes_survive_a_crash_and_unsynced_relaxed_ones_may_not()
    {
        var fs = new MemoryFileSystem();
        var engine = LsmEngine.Open(Dir, Tiny(fs));
        for (var i = 0; i < 300; i++)
        {
            engine.Put(B($"k{i:D4}"), B($"v{i}"));
        }

        fs.Crash(tornBytes: 7);
        using var reopened = LsmEngine.Open(Dir, Tiny(fs));
        for (var i = 0; i < 300; i++)
        {
            Assert.True(reopened.TryGet(B($"k{i:D4}"), out var value));
            Assert.Equal($"v{i}", S(value));
        }

        GC.KeepAlive(engine);
    }

    [Fact]
    public void Recovery_stops_cleanly_at_a_torn_log_tail()
    {
        var fs = new MemoryFileSystem();
        var options = new LsmOptions { FileSystem = fs, BackgroundWork = false };
        var engine = LsmEngine.Open(Dir, options);
        engine.Put(B("a"), B("1"));
        engine.Put(B("b"), B("2"));
        // The newest log (the writes may have rolled on from the first log to a prepared one).
        var wal = fs.ListFiles(Dir).Where(n => n.EndsWith(".wal", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last();
        fs.Truncate($"{Dir}/{wal}", 3);
        fs.Crash();
        using var reopened = LsmEngine.Open(Dir, options);
        Assert.True(reopened.TryGet(B("a"), out _));
        Assert.False(reopened.TryGet(B("b"), out _));
        GC.KeepAlive(engine);
    }

    [Fact]
    public void A_failed_fsync_puts_the_engine_in_a_read_only_state()
    {
        var fs = new MemoryFileSystem();
        using var engine = LsmEngine.Open(Dir, new LsmOptions { FileSystem = fs, BackgroundWork = false });
        engine.Put(B("a"), B("1"));
        fs.FailSync = path => path.EndsWith(".wal", StringComparison.Ordinal);
        Assert.Throws<LsmReadOnlyException>(() => engine.Put(B("b"), B("2")));
        fs.FailSync = null;
        Assert.Throws<LsmReadOnlyException>(() => engine.Put(B("c"), B("3")));
        Assert.True(engine.IsFailed);
        Assert.True(engine.GetMetrics().IsFailed);
        Assert.True(engine.TryGet(B("a"), out _));
        Assert.False(engine.TryGet(B("b"), out _));
    }

    [Fact]
    public void A_failed_log_write_puts_the_engine_in_a_read_only_state()
    {
        var fs = new MemoryFileSystem();
        using var engine = LsmEngine.Open(Dir, new LsmOptions { FileSystem = fs, BackgroundWork = false });
        fs.FailAppend = path => path.EndsWith(".wal", StringComparison.Ordinal);
        Assert.Throws<LsmReadOnlyException>(() => engine.Put(B("a"), B("1")));
        fs.FailAppend = null;
        Assert.Throws<LsmReadOnlyException>(() => engine.Put(B("b"), B("2")));
        Assert.False(engine.TryGet(B("a"), out _));
    }

    [Fact]
    public void A_failed_table_write_during_flush_fails_the_engine_and_loses_nothing_acknowledged()
    {
        var fs = new MemoryFileSystem();
        var options = Tiny(fs);
        var engine = LsmEngine.Open(Dir, options);
        fs.FailAppend = path => path.EndsWith(".sst", StringComparison.Ordinal);
        var acknowledged = 0;
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                engine.Put(B($"k{i:D4}"), new byte[16]);
                acknowledged++;
            }
        }
        catch (LsmReadOnlyException)
        {
        }

        Assert.True(engine.IsFailed);
        fs.FailAppend = null;
        engine.Dispose();
        fs.Crash();
        using var reopened = LsmEngine.Open(Dir, options);
        for (var i = 0; i < acknowledged; i++)
        {
            Assert.True(reopened.TryGet(B($"k{i:D4}"), out _));
        }
    }

    [Fact]
    public void A_flipped_byte_in_a_table_is_reported_with_file_and_offset()
    {
        var fs = new MemoryFileSystem();
        var options = new LsmOptions { FileSystem = fs, BackgroundWork = false, BlockCacheSize = 0 };
        using (var engine = LsmEngine.Open(Dir, options))
        {
            for (var i = 0; i < 100; i++)
            {
                engine.Put(B($"k{i:D4}"), B($"value{i}"));
            }
        }

        var table = fs.ListFiles(Dir).Single(n => n.EndsWith(".sst", StringComparison.Ordinal));
        fs.FlipByte($"{Dir}/{table}", 10);
        using var reopened = LsmEngine.Open(Dir, options);
        var error = Assert.Throws<LsmCorruptionException>(() => reopened.TryGet(B("k0000"), out _));
        Assert.Equal(table, error.FileName);
        Assert.Equal(0, error.Offset);
        Assert.Contains(table, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_byte_in_a_closed_log_is_reported_not_skipped()
    {
        var fs = new MemoryFileSystem();
        var options = new LsmOptions { FileSystem = fs, BackgroundWork = false, MemTableSize = 1024 };
        var engine = LsmEngine.Open(Dir, options);

        // A failing flush keeps the closed log around next to the new one.
        fs.FailAppend = path => path.EndsWith(".sst", StringComparison.Ordinal);
        Assert.Throws<LsmReadOnlyException>(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                engine.Put(B($"k{i:D4}"), new byte[64]);
            }
        });
        fs.FailAppend = null;
        fs.Crash();
        var wals = fs.ListFiles(Dir).Where(n => n.EndsWith(".wal", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.True(wals.Count >= 2);
        fs.FlipByte($"{Dir}/{wals[0]}", 20);
        var error = Assert.Throws<LsmCorruptionException>(() => LsmEngine.Open(Dir, options));
        Assert.Equal(wals[0], error.FileName);
        Assert.Equal(0, error.Offset);
        GC.KeepAlive(engine);
    }

    [Fact]
    public void Opening_a_directory_from_a_newer_format_is_refused_with_a_clear_message()
    {
        var fs = new MemoryFileSystem();
        using (LsmEngine.Open(Dir, new LsmOptions { FileSystem = fs, BackgroundWork = false }))
        {
        }

        var manifest = fs.ListFiles(Dir).Single(n => n.StartsWith("MANIFEST-", StringComparison.Ordinal));
        fs.Delete($"{Dir}/{manifest}");
        var payload = new byte[] { 1, 99 }; // field 1 (format version) = 99
        var record = new byte[8 + payload.Length];
        LogRecord.Frame(record, payload);
        using (var file = fs.Create($"{Dir}/{manifest}"))
        {
            file.Append(record);
        }

        var error = Assert.Throws<NotSupportedException>(() => LsmEngine.Open(Dir, new LsmOptions { FileSystem = fs }));
        Assert.Contains("format version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Logs_written_over_prepared_zeros_replay_to_their_last_record()
    {
        var directory = Path.Combine(Path.GetTempPath(), "stratus-lsm-" + Guid.NewGuid().ToString("N"));
        var copy = directory + "-copy";
        try
        {
            // Small memtables: after the first, each log is written over a file of zeros; the directory is copied as a crash
            // would leave it, the live log ending in zeros past its last record.
            var options = new LsmOptions { MemTableSize = 64 << 10, BackgroundWork = false };
            using (var engine = LsmEngine.Open(directory, options))
            {
                for (var i = 0; i < 1500; i++)
                {
                    engine.Put(B($"k{i:D5}"), new byte[100]);
                    engine.WalPreparation?.Wait(); // so the next switch finds it ready, however busy the machine
                }

                Directory.CreateDirectory(copy);
                foreach (var file in Directory.GetFiles(directory).Where(f => Path.GetFileName(f) != "LOCK"))
                {
                    File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
                }
            }

            var logs = Directory.GetFiles(copy, "*.wal").Select(f => new FileInfo(f).Length).ToList();
            Assert.Contains(64 << 10, logs); // a prepared log keeps its length of zeros past its records
            using var reopened = LsmEngine.Open(copy, options);
            Assert.Equal(Enumerable.Range(0, 1500).Select(i => $"k{i:D5}"), Keys(reopened));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
            if (Directory.Exists(copy))
            {
                Directory.Delete(copy, recursive: true);
            }
        }
    }

    [Fact]
    public void A_fresh_engine_rolls_its_writes_on_to_a_prepared_log_replays_both_and_a_flush_deletes_both()
    {
        var fs = new MemoryFileSystem();
        var options = new LsmOptions { FileSystem = fs, BackgroundWork = false, MemTableSize = 256 << 10 };
        var engine = LsmEngine.Open(Dir, options);
        var first = fs.ListFiles(Dir).Single(n => n.EndsWith(".wal", StringComparison.Ordinal));
        for (var i = 0; i < 100; i++)
        {
            engine.Put(B($"k{i:D5}"), new byte[1000]);
            engine.WalPreparation?.Wait(); // so the next commit finds it ready, however busy the machine
        }

        // The first log was created empty; the writes after the first moved on to the prepared one.
        Assert.Equal(2, fs.ListFiles(Dir).Count(n => n.EndsWith(".wal", StringComparison.Ordinal)));
        fs.Crash();
        engine = LsmEngine.Open(Dir, options);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"k{i:D5}"), Keys(engine));

        var second = fs.ListFiles(Dir).Single(n => n.EndsWith(".wal", StringComparison.Ordinal));
        for (var i = 100; i < 400; i++)
        {
            engine.Put(B($"k{i:D5}"), new byte[1000]);
            engine.WalPreparation?.Wait();
        }

        // 300 KiB filled the memtable that began on `second` and rolled once; its flush removed both of its logs.
        Assert.DoesNotContain(first, fs.ListFiles(Dir));
        Assert.DoesNotContain(second, fs.ListFiles(Dir));
        Assert.True(engine.GetMetrics().Flushes >= 1);
        engine.Dispose();
        using var reopened = LsmEngine.Open(Dir, options);
        Assert.Equal(400, Keys(reopened).Count);
    }

    [Fact]
    public void A_log_ends_at_an_all_zero_header_and_a_damaged_header_is_torn()
    {
        var log = new byte[64];
        var length = LogRecord.Frame(log, B("payload"));
        var position = 0;

        Assert.Equal(LogRecord.ReadStatus.Record, LogRecord.TryRead(log, ref position, out var payload));
        Assert.Equal("payload", Encoding.UTF8.GetString(payload));
        Assert.Equal(LogRecord.ReadStatus.End, LogRecord.TryRead(log, ref position, out _));
        Assert.Equal(length, position);

        log[length + 5] = 1; // a length where zeros were: a torn record, not the end
        Assert.Equal(LogRecord.ReadStatus.Torn, LogRecord.TryRead(log, ref position, out _));
    }

    [Fact]
    public void Orphan_tables_are_deleted_on_open()
    {
        var fs = new MemoryFileSystem();
        using (LsmEngine.Open(Dir, new LsmOptions { FileSystem = fs, BackgroundWork = false }))
        {
        }

        using (var orphan = fs.Create($"{Dir}/000999.sst"))
        {
            orphan.Append(new byte[100]);
        }

        using (LsmEngine.Open(Dir, new LsmOptions { FileSystem = fs, BackgroundWork = false }))
        {
        }

        Assert.DoesNotContain("000999.sst", fs.ListFiles(Dir));
    }

    [Fact]
    public void A_second_engine_cannot_open_the_same_directory()
    {
        var fs = new MemoryFileSystem();
        using var engine = LsmEngine.Open(Dir, Tiny(fs));
        Assert.Throws<IOException>(() => LsmEngine.Open(Dir, Tiny(fs)));
    }

    [Fact]
    public void Writes_after_dispose_are_refused()
    {
        var engine = LsmEngine.Open(Dir, Tiny(new MemoryFileSystem()));
        engine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => engine.Put(B("a"), B("1")));
    }

    [Fact]
    public void The_engine_works_on_the_real_file_system()
    {
        var dir = Path.Combine(Path.GetTempPath(), "stratus-lsm-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new LsmOptions { MemTableSize = 16 << 10, L0CompactionTrigger = 2, MaxBytesForLevelBase = 64 << 10, TargetFileSize = 16 << 10 };
            using (var engine = LsmEngine.Open(dir, options))
            {
                var batch = new WriteBatch();
                for (var i = 0; i < 3000; i++)
                {
                    batch.Put(B($"k{i:D5}"), B($"v{i}"));
                    if (batch.Count == 100)
                    {
                        engine.Write(batch);
                        batch.Clear();
                    }
                }
            }

            using (var engine = LsmEngine.Open(dir, options))
            {
                Assert.True(engine.TryGet(B("k02999"), out var value));
                Assert.Equal("v2999", S(value));
                Assert.Equal(3000, Keys(engine).Count);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
