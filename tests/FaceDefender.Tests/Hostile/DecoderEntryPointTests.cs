using FaceDefender.Decoding;
using FaceDefender.Tests.Landmarks;

namespace FaceDefender.Tests.Hostile;

/// <summary>
/// The decoder's entry points around the budgets: argument checks on every overload, cancellation that stays a
/// cancellation, the encoded-size limit on files and on the asynchronous path, and streams that fail.
/// </summary>
public sealed class DecoderEntryPointTests
{
    private static string Portrait(string file) => ModelFixture.FixturePath("faces", file);

    [Fact]
    public async Task Every_overload_checks_its_arguments_and_options()
    {
        var bad = ImageDecodingOptions.Default with { MaxJpegScans = 0 };
        FluentActions.Invoking(() => FaceImageDecoder.Decode(Portrait("grace_hopper.jpg"), bad)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => FaceImageDecoder.Decode(new MemoryStream([1]), bad)).Should().Throw<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => FaceImageDecoder.DecodeAsync(new MemoryStream([1]), bad)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => FaceImageDecoder.Load(Portrait("grace_hopper.jpg"), 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => FaceImageDecoder.Load(new MemoryStream([1]), -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => FaceImageDecoder.Decode((Stream)null!)).Should().Throw<ArgumentNullException>();
        await FluentActions.Awaiting(() => FaceImageDecoder.DecodeAsync(null!)).Should().ThrowAsync<ArgumentNullException>();
        FluentActions.Invoking(() => FaceImageDecoder.Decode(new UnreadableStream())).Should().Throw<ArgumentException>().WithMessage("*cannot be read*");
        await FluentActions.Awaiting(() => FaceImageDecoder.DecodeAsync(new UnreadableStream())).Should().ThrowAsync<ArgumentException>();

        // Null options are the defaults.
        using DecodedImage d = FaceImageDecoder.Decode(Portrait("grace_hopper.jpg"), null);
        d.Image.Width.Should().Be(512);
        FluentActions.Invoking(() => _ = d.DetachImage()).Should().NotThrow();
        FluentActions.Invoking(() => _ = d.Image).Should().Throw<ObjectDisposedException>("a detached image belongs to the caller");
    }

    [Fact]
    public void Disposing_a_decoded_image_releases_its_pixels()
    {
        DecodedImage d = FaceImageDecoder.Decode(Portrait("grace_hopper.jpg"));
        var image = d.Image;
        d.Dispose();
        FluentActions.Invoking(() => image.Clone()).Should().Throw<ObjectDisposedException>("the pixels are released, not left to the finalizer");
        FluentActions.Invoking(() => _ = d.Image).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(d.Dispose).Should().NotThrow();
    }

    [Fact]
    public async Task A_cancelled_token_stays_a_cancellation_on_every_path()
    {
        var cancelled = new CancellationToken(canceled: true);
        FluentActions.Invoking(() => FaceImageDecoder.Decode(Portrait("grace_hopper.jpg"), cancellationToken: cancelled)).Should().Throw<OperationCanceledException>();
        FluentActions.Invoking(() => FaceImageDecoder.Decode(new MemoryStream(File.ReadAllBytes(Portrait("astronaut.png"))), cancellationToken: cancelled))
            .Should().Throw<OperationCanceledException>();
        await FluentActions.Awaiting(() => FaceImageDecoder.DecodeAsync(new MemoryStream(File.ReadAllBytes(Portrait("astronaut.png"))), cancellationToken: cancelled))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void A_file_larger_than_the_encoded_limit_is_refused_before_it_is_read()
    {
        string path = Portrait("grace_hopper.jpg");
        long size = new FileInfo(path).Length;
        FluentActions.Invoking(() => FaceImageDecoder.Decode(path, ImageDecodingOptions.Default with { MaxEncodedBytes = size - 1 }))
            .Should().Throw<ImageDecodingException>().Which.Failure.Should().Be(ImageDecodingFailure.TooManyBytes);
        using DecodedImage d = FaceImageDecoder.Decode(path, ImageDecodingOptions.Default with { MaxEncodedBytes = size });
        d.EncodedBytes.Should().Be(size);
    }

    [Fact]
    public async Task The_async_path_stops_at_the_size_limit_and_reports_failing_streams()
    {
        await using var endless = new EndlessAsyncStream();
        (await FluentActions.Awaiting(() => FaceImageDecoder.DecodeAsync(endless, ImageDecodingOptions.Default with { MaxEncodedBytes = 300_000 }))
            .Should().ThrowAsync<ImageDecodingException>()).Which.Failure.Should().Be(ImageDecodingFailure.TooManyBytes);
        endless.BytesRead.Should().BeLessThan(300_000 + 200_000);

        (await FluentActions.Awaiting(() => FaceImageDecoder.DecodeAsync(new FailingStream()))
            .Should().ThrowAsync<ImageDecodingException>()).Which.Failure.Should().Be(ImageDecodingFailure.NotReadable);
        FluentActions.Invoking(() => FaceImageDecoder.Decode(new FailingStream()))
            .Should().Throw<ImageDecodingException>().Which.Message.Should().Contain("IOException").And.Contain("disk gone");

        // A small stream in chunks: the buffer grows as it reads.
        byte[] jpeg = File.ReadAllBytes(Portrait("grace_hopper.jpg"));
        using DecodedImage d = await FaceImageDecoder.DecodeAsync(new TrickleStream(jpeg));
        d.EncodedBytes.Should().Be(jpeg.Length);
        using DecodedImage s = FaceImageDecoder.Decode(new TrickleStream(jpeg));
        s.Image.Height.Should().Be(600);
    }

    [Fact]
    public void An_empty_input_says_so()
    {
        FluentActions.Invoking(() => FaceImageDecoder.Decode(new MemoryStream()))
            .Should().Throw<ImageDecodingException>().WithMessage("*empty*").Which.Failure.Should().Be(ImageDecodingFailure.UnknownFormat);
    }

    [Fact]
    public void Refusals_name_the_accepted_formats()
    {
        FluentActions.Invoking(() => FaceImageDecoder.Decode(new MemoryStream(HostileImages.Bmp(4, 4))))
            .Should().Throw<ImageDecodingException>().WithMessage("*Bmp image; only Jpeg, Png are accepted*");
        FluentActions.Invoking(() => FaceImageDecoder.Decode(new MemoryStream(HostileImages.Bmp(4, 4)), ImageDecodingOptions.Default with { AllowedFormats = ImageFormats.Gif | ImageFormats.Tiff }))
            .Should().Throw<ImageDecodingException>().WithMessage("*only Gif, Tiff are accepted*");
    }

    [Fact]
    public void An_infinite_time_budget_decodes()
    {
        using DecodedImage d = FaceImageDecoder.Decode(Portrait("grace_hopper.jpg"), ImageDecodingOptions.Default with { Timeout = Timeout.InfiniteTimeSpan });
        d.Image.Width.Should().Be(512);
        FluentActions.Invoking(() => FaceImageDecoder.Decode(new MemoryStream([1]), ImageDecodingOptions.Default with { Timeout = TimeSpan.Zero }))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    private sealed class UnreadableStream : MemoryStream
    {
        public override bool CanRead => false;
    }

    private class ChunkStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class EndlessAsyncStream : ChunkStream
    {
        public long BytesRead { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            buffer.Span.Fill(0xAB);
            BytesRead += buffer.Length;
            return ValueTask.FromResult(buffer.Length);
        }
    }

    private sealed class FailingStream : ChunkStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("disk gone");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("disk gone");
    }

    private sealed class TrickleStream(byte[] data) : ChunkStream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count) => Next(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Next(buffer.Span));

        private int Next(Span<byte> target)
        {
            int n = Math.Min(Math.Min(target.Length, 1000), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(target);
            _position += n;
            return n;
        }
    }
}
