using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stratus.Benchmarks;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends pre-built request bytes and reads the response with almost no work
/// (status line, Content-Length or chunked framing, body counted and dropped): a load generator as lean as wrk, so that
/// what is measured is the server, not the client sharing its cores.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    public RawHttpConnection(int port)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(IPAddress.Loopback, port);
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Sends <paramref name="head"/> then <paramref name="body"/>; returns the status and the body length read.</summary>
    public async Task<(int Status, long Length)> SendAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body)
    {
        await SendAllAsync(head);
        if (!body.IsEmpty)
        {
            await SendAllAsync(body);
        }

        // Status line and headers.
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync();
        }

        var headers = _buffer.AsSpan(_start, headerEnd);
        var status = int.Parse(Encoding.ASCII.GetString(headers.Slice(9, 3)), System.Globalization.CultureInfo.InvariantCulture);
        long contentLength = -1;
        var chunked = false;
        foreach (var range in headers.Split("\r\n"u8))
        {
            var line = headers[range];
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue;
            }

            var name = Encoding.ASCII.GetString(line[..colon]);
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!Utf8Parser.TryParse(value, out contentLength, out _))
                {
                    throw new InvalidDataException("the server sent a Content-Length that is not a number");
                }
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.SequenceEqual("chunked"u8))
            {
                chunked = true;
            }
        }

        _start += headerEnd + 4;
        var noBody = status is 204 or 304 || head.Span.StartsWith("HEAD "u8);
        if (noBody)
        {
            return (status, 0);
        }

        if (!chunked)
        {
            await SkipAsync(Math.Max(0, contentLength));
            return (status, Math.Max(0, contentLength));
        }

        long total = 0;
        while (true)
        {
            var line = await ReadLineAsync();
            var size = long.Parse(line.Split(';')[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while ((await ReadLineAsync()).Length > 0)
                {
                }

                return (status, total);
            }

            await SkipAsync(size);
            total += size;
            await ReadLineAsync();
        }
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None);
            data = data[sent..];
        }
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        if (read == 0)
        {
            throw new IOException("the server closed the connection");
        }

        _end += read;
    }

    private async Task SkipAsync(long count)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                _start = _end = 0;
                var read = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None);
                if (read == 0)
                {
                    throw new IOException("the server closed the connection mid-body");
                }

                _end = read;
            }

            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    private async Task<string> ReadLineAsync()
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            await FillAsync();
        }

        var line = Encoding.ASCII.GetString(_buffer, _start, end);
        _start += end + 2;
        return line;
    }
}
