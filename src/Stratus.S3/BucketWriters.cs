namespace Stratus.S3;

/// <summary>
/// Keeps DeleteBucket apart from the writes that add to a bucket. Those writers (object versions, delete markers,
/// multipart uploads and their parts) hold the bucket shared from their last check that it exists to their commit;
/// DeleteBucket holds it alone from its emptiness scan to its commit. Without this, a write committing between the scan
/// and the deletion would leave an object in a bucket that no longer exists, to resurface, for whichever account makes
/// the name again. Writers that arrive while a deletion holds the bucket wait for it, then check the bucket again.
/// Everything a bucket holds lives in this process's one store, so an in-memory gate is enough.
/// </summary>
internal sealed class BucketWriters
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Holds <paramref name="bucket"/> shared, after any deletion holding it has finished.</summary>
    public async ValueTask<Lease> EnterAsync(string bucket)
    {
        while (true)
        {
            Task deletion;
            lock (_lock)
            {
                var state = StateOf(bucket);
                if (state.Deletion is null)
                {
                    state.Writers++;
                    return new Lease(this, bucket, alone: false);
                }

                deletion = state.Deletion.Task;
            }

            await deletion.ConfigureAwait(false);
        }
    }

    /// <summary>Holds <paramref name="bucket"/> alone: new writers wait, and this waits for the writers inside to leave.</summary>
    public async ValueTask<Lease> EnterAloneAsync(string bucket)
    {
        while (true)
        {
            Task wait;
            var holding = false;
            lock (_lock)
            {
                var state = StateOf(bucket);
                if (state.Deletion is not null)
                {
                    // Another deletion holds the bucket: wait for it to end, then try again.
                    wait = state.Deletion.Task;
                }
                else
                {
                    // From here on no writer enters; the last one inside to leave completes Drained.
                    state.Deletion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    if (state.Writers == 0)
                    {
                        return new Lease(this, bucket, alone: true);
                    }

                    state.Drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = state.Drained.Task;
                    holding = true;
                }
            }

            await wait.ConfigureAwait(false);
            if (holding)
            {
                return new Lease(this, bucket, alone: true);
            }
        }
    }

    private State StateOf(string bucket)
    {
        if (!_states.TryGetValue(bucket, out var state))
        {
            state = new State();
            _states.Add(bucket, state);
        }

        return state;
    }

    private void Leave(string bucket, bool alone)
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            var state = _states[bucket];
            if (alone)
            {
                wake = state.Deletion;
                state.Deletion = null;
            }
            else
            {
                state.Writers--;
                wake = state.Writers == 0 ? state.Drained : null;
                if (wake is not null)
                {
                    state.Drained = null;
                }
            }

            if (state.Writers == 0 && state.Deletion is null)
            {
                _states.Remove(bucket);
            }
        }

        wake?.SetResult();
    }

    private sealed class State
    {
        public int Writers;

        // Set while a deletion holds the bucket (or waits for its writers to leave); completed when it ends.
        public TaskCompletionSource? Deletion;

        // Set while a deletion waits for the writers inside; completed by the last one to leave.
        public TaskCompletionSource? Drained;
    }

    /// <summary>A hold on a bucket; disposing it lets the bucket go.</summary>
    public readonly struct Lease(BucketWriters owner, string bucket, bool alone) : IDisposable
    {
        public void Dispose() => owner.Leave(bucket, alone);
    }
}
