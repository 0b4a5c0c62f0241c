using FaceDefender.Decoding;

namespace FaceDefender.Tests.Hostile;

/// <summary>
/// The read-only view the decoder reads through: it shows only the bytes it was given, seeks and reads like a memory
/// stream, and every read or seek stops once the time budget is spent or the caller cancels.
/// </summary>
public sealed class GuardedReadStreamTests
{
    private static readonly byte[] Data = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];

    private static GuardedReadStream Open(TimeSpan timeout, CancellationToken cancellation = default) =>
        new(Data, 6, timeout, cancellation); // only the first 6 bytes belong to the image

    [Fact]
    public void It_reads_and_seeks_like_a_read_only_memory_stream_over_the_given_length()
    {
        using GuardedReadStream s = Open(TimeSpan.FromHours(1));
        (s.CanRead, s.CanSeek, s.CanWrite).Should().Be((true, true, false));
        s.Length.Should().Be(6);
        s.Timeout.Should().Be(TimeSpan.FromHours(1));

        byte[] buffer = new byte[4];
        s.Read(buffer, 0, 4).Should().Be(4);
        buffer.Should().Equal(10, 11, 12, 13);
        s.Position.Should().Be(4);
        s.Read(buffer.AsSpan()).Should().Be(2, "the bytes past the given length are not part of the image");
        buffer[..2].Should().Equal(14, 15);
        s.ReadByte().Should().Be(-1);

        s.Seek(-3, SeekOrigin.End).Should().Be(3);
        s.ReadByte().Should().Be(13);
        s.Position = 1;
        s.ReadByte().Should().Be(11);
        s.Seek(2, SeekOrigin.Current).Should().Be(4);

        FluentActions.Invoking(() => s.Write([1], 0, 1)).Should().Throw<NotSupportedException>();
        FluentActions.Invoking(() => s.WriteByte(1)).Should().Throw<NotSupportedException>();
        FluentActions.Invoking(() => s.SetLength(2)).Should().Throw<NotSupportedException>();
        Data[0].Should().Be(10);
    }

    [Fact]
    public async Task Once_the_budget_is_spent_every_read_and_seek_stops()
    {
        using GuardedReadStream s = Open(TimeSpan.FromMilliseconds(1));
        Thread.Sleep(50); // well past the 1 ms budget (the clock ticks in milliseconds)
        FluentActions.Invoking(() => s.Read(new byte[2], 0, 2)).Should().Throw<GuardedReadStream.DecodeTimeoutException>().WithMessage("*time budget*");
        FluentActions.Invoking(() => s.Read(new byte[2].AsSpan())).Should().Throw<GuardedReadStream.DecodeTimeoutException>();
        FluentActions.Invoking(() => s.ReadByte()).Should().Throw<GuardedReadStream.DecodeTimeoutException>();
        FluentActions.Invoking(() => s.Seek(0, SeekOrigin.Begin)).Should().Throw<GuardedReadStream.DecodeTimeoutException>();
        FluentActions.Invoking(s.Check).Should().Throw<GuardedReadStream.DecodeTimeoutException>();
        await FluentActions.Awaiting(async () => await s.ReadAsync(new byte[2])).Should().ThrowAsync<GuardedReadStream.DecodeTimeoutException>();
        s.Position.Should().Be(0, "nothing was read");
    }

    [Fact]
    public void Without_a_time_limit_reads_go_on()
    {
        using GuardedReadStream s = Open(Timeout.InfiniteTimeSpan);
        Thread.Sleep(20);
        s.ReadByte().Should().Be(10);
        FluentActions.Invoking(s.Check).Should().NotThrow();
    }

    [Fact]
    public void A_cancelled_caller_stops_every_read_and_seek()
    {
        using var cts = new CancellationTokenSource();
        using GuardedReadStream s = Open(TimeSpan.FromHours(1), cts.Token);
        s.ReadByte().Should().Be(10);
        cts.Cancel();
        FluentActions.Invoking(() => s.Read(new byte[2], 0, 2)).Should().Throw<OperationCanceledException>();
        FluentActions.Invoking(() => s.Read(new byte[2].AsSpan())).Should().Throw<OperationCanceledException>();
        FluentActions.Invoking(() => s.ReadByte()).Should().Throw<OperationCanceledException>();
        FluentActions.Invoking(() => s.Seek(0, SeekOrigin.Begin)).Should().Throw<OperationCanceledException>();
        FluentActions.Invoking(s.Check).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void A_disposed_stream_cannot_be_read()
    {
        GuardedReadStream s = Open(TimeSpan.FromHours(1));
        s.Dispose();
        FluentActions.Invoking(() => s.ReadByte()).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => s.Read(new byte[2], 0, 2)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(s.Dispose).Should().NotThrow("disposing twice is harmless");
    }
}
