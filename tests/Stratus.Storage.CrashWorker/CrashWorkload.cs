using System.Globalization;
using System.Text;
using Stratus.Storage.Lsm;

namespace Stratus.Storage.CrashWorker;

/// <summary>
/// The workload the crash test kills: batch <c>i</c> writes <c>1 + i % 5</c> keys <c>b/{i}/{j}</c>, moves <c>last</c>
/// to <c>i</c> and sets <c>hot/{i % 10}</c> to <c>i</c>, then prints <c>i</c> once the write is acknowledged.
/// </summary>
public static class CrashWorkload
{
    /// <summary>Options small enough that flushes and compactions happen within a few hundred batches.</summary>
    public static LsmOptions Options() => new()
    {
        MemTableSize = 16 << 10,
        TargetFileSize = 16 << 10,
        MaxBytesForLevelBase = 64 << 10,
        L0CompactionTrigger = 2,
        L0StopWritesTrigger = 6,
        BlockCacheSize = 1 << 20,
    };

    /// <summary>Keys a batch writes.</summary>
    public static int KeysIn(long id) => 1 + (int)(id % 5);

    /// <summary>The batch with the given id.</summary>
    public static WriteBatch Batch(long id)
    {
        var batch = new WriteBatch();
        for (var j = 0; j < KeysIn(id); j++)
        {
            batch.Put(Encoding.ASCII.GetBytes($"b/{id:D10}/{j}"), Encoding.ASCII.GetBytes($"{id}:{j}:{new string('x', 40)}"));
        }

        var text = Encoding.ASCII.GetBytes(id.ToString(CultureInfo.InvariantCulture));
        batch.Put("last"u8, text);
        batch.Put(Encoding.ASCII.GetBytes($"hot/{id % 10}"), text);
        return batch;
    }

    /// <summary><c>worker &lt;dir&gt; &lt;first id&gt;</c>: writes batches until killed.</summary>
    public static int RunWorker(string[] args)
    {
        var directory = args[1];
        var id = long.Parse(args[2], CultureInfo.InvariantCulture);
        using var engine = LsmEngine.Open(directory, Options());
        var stdout = Console.Out;
        stdout.WriteLine("ready");
        stdout.Flush();
        while (true)
        {
            engine.Write(Batch(id));
            stdout.WriteLine(id.ToString(CultureInfo.InvariantCulture));
            stdout.Flush();
            id++;
        }
    }
}
