using Microsoft.Extensions.Logging;

namespace Stratus.S3;

/// <summary>
/// The background service that applies lifecycle rules: every interval on the server's <see cref="TimeProvider"/> (so
/// tests and the clock endpoint move it) it runs <see cref="S3Service.ApplyLifecycleAsync"/>. Passes never overlap; a
/// tick during a pass asks for one more pass after it, so no tick is lost.
/// </summary>
public sealed class LifecycleWorker : IAsyncDisposable
{
    private readonly S3Service _s3;
    private readonly ILogger? _logger;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource<LifecyclePass> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _running = Task.CompletedTask;
    private bool _requested;
    private bool _active;
    private bool _disposed;

    /// <summary>Starts applying <paramref name="s3"/>'s lifecycle rules every <paramref name="interval"/>.</summary>
    public LifecycleWorker(S3Service s3, TimeSpan interval, TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _s3 = s3;
        _logger = logger;
        _timer = timeProvider.CreateTimer(_ => Tick(), null, interval, interval);
    }

    /// <summary>The last completed pass, or null before the first.</summary>
    public LifecyclePass? LastPass { get; private set; }

    /// <summary>Completes when the next pass (one starting after this call) finishes.</summary>
    public Task<LifecyclePass> NextPassAsync()
    {
        lock (_gate)
        {
            return _next.Task;
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _requested = true;
            if (!_active)
            {
                _active = true;
                _running = Task.Run(RunAsync);
            }
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            TaskCompletionSource<LifecyclePass> waiters;
            lock (_gate)
            {
                if (!_requested || _disposed)
                {
                    _active = false;
                    return;
                }

                _requested = false;
                waiters = _next;
                _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            try
            {
                var pass = await _s3.ApplyLifecycleAsync(_stopping.Token).ConfigureAwait(false);
                LastPass = pass;
                waiters.TrySetResult(pass);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                waiters.TrySetCanceled();
            }
            catch (Exception error)
            {
                // A bad pass must not stop the next one; the next tick tries again.
                _logger?.LogError(error, "A lifecycle pass failed");
                waiters.TrySetException(error);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task running;
        lock (_gate)
        {
            _disposed = true;
            running = _running;
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
