namespace FaceDefender.Decoding;

/// <summary>
/// A read-only view of an in-memory image that stops the decoder once its time budget is spent or the caller cancels:
/// every read checks the deadline, and decoders read as they go.
/// </summary>
internal sealed class GuardedReadStream : Stream
{
    private readonly MemoryStream _inner;
    private readonly long _deadlineTicks;
    private readonly CancellationToken _cancellation;

    public GuardedReadStream(byte[] data, int length, TimeSpan timeout, CancellationToken cancellation)
    {
        _inner = new MemoryStream(data, 0, length, writable: false);
        _deadlineTicks = timeout == System.Threading.Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        Timeout = timeout;
        _cancellation = cancellation;
    }

    public TimeSpan Timeout { get; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    public void Check()
    {
        _cancellation.ThrowIfCancellationRequested();
        if (Environment.TickCount64 > _deadlineTicks)
        {
            throw new DecodeTimeoutException();
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Check();
        return _inner.Read(buffer, offset, count);
    }

    public override int Read(Span<byte> buffer)
    {
        Check();
        return _inner.Read(buffer);
    }

    public override int ReadByte()
    {
        Check();
        return _inner.ReadByte();
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Check();
        return _inner.Seek(offset, origin);
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Thrown through the decoder when the time budget is spent.</summary>
    internal sealed class DecodeTimeoutException : Exception
    {
        public DecodeTimeoutException() : base("The decoding time budget is spent.") { }
    }
}
