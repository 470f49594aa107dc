using System.Buffers;

namespace Stratus.Storage.Objects;

/// <summary>
/// A read-only, seekable view of a byte range of a sharded object. Loads one block at a time, only the blocks the range
/// touches, and of those only the data shards the range touches. File reads are synchronous (local drives; .NET's async file I/O on Linux is thread-pool work anyway), so the
/// async overloads complete synchronously.
/// </summary>
internal sealed class ObjectReadStream : Stream
{
    private readonly ObjectManifest _manifest;
    private readonly ShardReader _reader;
    private readonly long _start;
    private readonly long _end;
    private byte[]? _block;
    private int _loadedBlock = -1;
    private long _position;

    public ObjectReadStream(ObjectStore store, ObjectManifest manifest, long start, long end)
    {
        _manifest = manifest;
        _reader = new ShardReader(store, manifest);
        _start = start;
        _end = end;
        _position = start;
        _block = ArrayPool<byte>.Shared.Rent(manifest.ShardStride * manifest.DataShards);
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _end - _start;

    public override long Position
    {
        get => _position - _start;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = _start + value;
        }
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_block is null, this);
        var copied = 0;
        while (copied < buffer.Length && _position < _end)
        {
            var index = (int)(_position / _manifest.BlockSize);
            if (index != _loadedBlock)
            {
                // Only the part of the block inside the stream's range: a small range reads only the shards it lies in.
                var blockStart = (long)index * _manifest.BlockSize;
                var from = (int)(Math.Max(_start, blockStart) - blockStart);
                var to = (int)(Math.Min(_end, blockStart + _manifest.BlockLength(index)) - blockStart);
                _loadedBlock = -1;
                _reader.ReadBlock(index, _block, from, to);
                _loadedBlock = index;
            }

            var within = (int)(_position - ((long)index * _manifest.BlockSize));
            var count = (int)Math.Min(Math.Min(buffer.Length - copied, _manifest.BlockLength(index) - within), _end - _position);
            _block.AsSpan(within, count).CopyTo(buffer[copied..]);
            copied += count;
            _position += count;
        }

        return copied;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => Length + offset,
        };
        return Position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _block is not null)
        {
            _reader.Dispose();
            ArrayPool<byte>.Shared.Return(_block);
            _block = null;
        }

        base.Dispose(disposing);
    }
}
