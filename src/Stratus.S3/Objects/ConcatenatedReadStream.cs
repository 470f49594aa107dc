using Stratus.Core.IO;

namespace Stratus.S3.Objects;

/// <summary>Reads several streams one after another, opening each only when the previous one is done.</summary>
internal sealed class ConcatenatedReadStream : ForwardOnlyReadStream
{
    private readonly Queue<Func<Stream>> _pending;
    private Stream? _current;

    public ConcatenatedReadStream(IEnumerable<Func<Stream>> parts) => _pending = new Queue<Func<Stream>>(parts);

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (_current is null)
            {
                if (_pending.Count == 0)
                {
                    return 0;
                }

                _current = _pending.Dequeue()();
            }

            var read = _current.Read(buffer);
            if (read > 0 || buffer.IsEmpty)
            {
                return read;
            }

            _current.Dispose();
            _current = null;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_current is null)
            {
                if (_pending.Count == 0)
                {
                    return 0;
                }

                _current = _pending.Dequeue()();
            }

            var read = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read > 0 || buffer.IsEmpty)
            {
                return read;
            }

            await _current.DisposeAsync().ConfigureAwait(false);
            _current = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
            _pending.Clear();
        }

        base.Dispose(disposing);
    }
}
