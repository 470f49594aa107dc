namespace Stratus.Storage.Objects;

/// <summary>
/// The background scrubber: every interval (on the store's <see cref="TimeProvider"/>) it heals the objects in the
/// damage queue, then verifies every object the caller lists and rewrites what is missing or corrupt. Passes never
/// overlap; a tick that finds a pass running is skipped. The caller owns the object list (it lives in its metadata).
/// </summary>
public sealed class ObjectScrubber : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly Func<IEnumerable<ObjectManifest>> _objects;
    private readonly Func<string, ObjectManifest?> _lookup;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private TaskCompletionSource<ScrubPass> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _running = Task.CompletedTask;
    private bool _disposed;
    private bool _tickPending;

    /// <summary>Starts scrubbing every <paramref name="interval"/>; <paramref name="objects"/> lists the committed manifests, <paramref name="lookup"/> finds one by id.</summary>
    public ObjectScrubber(ObjectStore store, Func<IEnumerable<ObjectManifest>> objects, Func<string, ObjectManifest?> lookup, TimeSpan interval, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _objects = objects;
        _lookup = lookup;
        _timeProvider = timeProvider;
        _timer = timeProvider.CreateTimer(_ => Tick(), null, interval, interval);
    }

    /// <summary>The last completed pass, or null before the first.</summary>
    public ScrubPass? LastPass { get; private set; }

    /// <summary>Completes when the next pass (one starting after this call) finishes.</summary>
    public Task<ScrubPass> NextPassAsync()
    {
        lock (_gate)
        {
            return _next.Task;
        }
    }

    /// <summary>One pass now, on the calling thread: heal queued damage, then scrub every listed object.</summary>
    public ScrubPass RunPass()
    {
        int objects = 0, damaged = 0, repaired = 0, lost = 0;
        _store.ProbeOfflineDrives(); // a drive that answers again comes back, and this pass heals what it missed
        foreach (var report in _store.HealPending(_lookup))
        {
            repaired += report.Repaired.Count;
        }

        foreach (var manifest in _objects())
        {
            var report = _store.Scrub(manifest);
            objects++;
            damaged += report.Damaged.Count;
            repaired += report.Repaired.Count;
            lost += report.Recoverable ? 0 : 1;
        }

        var pass = new ScrubPass(objects, damaged, repaired, lost, _timeProvider.GetUtcNow());
        LastPass = pass;
        return pass;
    }

    /// <summary>Stops the timer and waits for a running pass to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Task running;
        lock (_gate)
        {
            _disposed = true;
            running = _running;
        }

        await _timer.DisposeAsync();
        await running;
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (!_running.IsCompleted)
            {
                // A tick during a pass asks for one more right after it, so no interval is lost to a slow pass.
                _tickPending = true;
                return;
            }

            StartPass();
        }
    }

    // Called under _gate.
    private void StartPass()
    {
        var completion = _next;
        _next = new TaskCompletionSource<ScrubPass>(TaskCreationOptions.RunContinuationsAsynchronously);
        _running = Task.Run(() =>
        {
            try
            {
                completion.SetResult(RunPass());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
            finally
            {
                lock (_gate)
                {
                    if (_tickPending && !_disposed)
                    {
                        _tickPending = false;
                        StartPass();
                    }
                }
            }
        });
    }
}
