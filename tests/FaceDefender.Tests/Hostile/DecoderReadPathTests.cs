using System.Buffers.Binary;
using FaceDefender.Decoding;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Hostile;

/// <summary>
/// How the decoder reads a caller's stream before decoding: the buffer that grows for streams of unknown length, the
/// encoded-size limit at its exact boundary for seekable and non-seekable streams, reading from the current position,
/// cancellation while reading, streams that fail in their own way, the memory estimate taken from the declared size,
/// and the failure reasons and messages a caller sees.
/// </summary>
public sealed class DecoderReadPathTests
{
    private static byte[] Face(string file) => File.ReadAllBytes(ModelFixture.FixturePath("faces", file));

    private static Rgb24[] Pixels(Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    [Fact]
    public async Task A_stream_of_unknown_length_larger_than_the_first_buffer_decodes_to_the_same_pixels()
    {
        // 791,555 bytes: the 64 KiB first buffer of a non-seekable stream grows four times, keeping what it has read.
        byte[] png = Face("astronaut.png");
        using DecodedImage seekable = FaceImageDecoder.Decode(new MemoryStream(png));
        Rgb24[] expected = Pixels(seekable.Image);

        using DecodedImage sync = FaceImageDecoder.Decode(new ForwardOnlyStream(png, chunk: 7000));
        sync.EncodedBytes.Should().Be(png.Length);
        Pixels(sync.Image).Should().Equal(expected);

        using DecodedImage async = await FaceImageDecoder.DecodeAsync(new ForwardOnlyStream(png, chunk: 7000));
        async.EncodedBytes.Should().Be(png.Length);
        Pixels(async.Image).Should().Equal(expected);
    }

    [Fact]
    public async Task A_stream_of_unknown_length_is_held_to_the_encoded_limit_at_its_exact_boundary()
    {
        byte[] png = Face("astronaut.png");
        var atLimit = ImageDecodingOptions.Default with { MaxEncodedBytes = png.Length };
        var belowLimit = ImageDecodingOptions.Default with { MaxEncodedBytes = png.Length - 1 };

        using (DecodedImage d = FaceImageDecoder.Decode(new ForwardOnlyStream(png), atLimit))
        {
            d.EncodedBytes.Should().Be(png.Length);
        }

        using (DecodedImage d = await FaceImageDecoder.DecodeAsync(new ForwardOnlyStream(png), atLimit))
        {
            d.EncodedBytes.Should().Be(png.Length);
        }

        var over = new ForwardOnlyStream(png);
        FluentActions.Invoking(() => FaceImageDecoder.Decode(over, belowLimit))
            .Should().Throw<ImageDecodingException>().WithMessage($"*larger than the limit of {png.Length - 1} bytes*")
            .Which.Failure.Should().Be(ImageDecodingFailure.TooManyBytes);
        (await FluentActions.Awaiting(() => FaceImageDecoder.DecodeAsync(new ForwardOnlyStream(png), belowLimit))
            .Should().ThrowAsync<ImageDecodingException>()).Which.Failure.Should().Be(ImageDecodingFailure.TooManyBytes);
    }

    [Fact]
    public void Reading_a_stream_of_unknown_length_allocates_in_proportion_to_the_data_not_to_the_limit()
    {
        // A 300 KB stream under the largest allowed limit (about 2 GiB): the buffer doubles as it reads. Measured: about
        // 1.3 MB allocated (the buffers and the walk); a buffer sized to the limit would be 2 GB.
        byte[] data = new byte[300_000];
        Face("astronaut.png").AsSpan(0, data.Length).CopyTo(data);
        var options = ImageDecodingOptions.Default with { MaxEncodedBytes = int.MaxValue - 64 };
        long before = GC.GetAllocatedBytesForCurrentThread();
        FaceImageDecoder.EncodedImage encoded = FaceImageDecoder.ReadStream(new ForwardOnlyStream(data), options, CancellationToken.None);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        encoded.EncodedBytes.Should().Be(data.Length);
        allocated.Should().BeLessThan(8L * data.Length, $"{allocated} bytes were allocated to read {data.Length}");
    }

    [Fact]
    public void A_seekable_stream_larger_than_the_limit_is_refused_before_any_byte_is_read()
    {
        byte[] jpeg = Face("grace_hopper.jpg");
        var stream = new CountingSeekableStream(jpeg);
        FluentActions.Invoking(() => FaceImageDecoder.Decode(stream, ImageDecodingOptions.Default with { MaxEncodedBytes = jpeg.Length - 1 }))
            .Should().Throw<ImageDecodingException>().Which.Failure.Should().Be(ImageDecodingFailure.TooManyBytes);
        stream.Reads.Should().Be(0, "the length says it all");
    }

    [Fact]
    public void A_seekable_stream_is_read_from_its_current_position_and_only_the_rest_counts_against_the_limit()
    {
        byte[] jpeg = Face("grace_hopper.jpg");
        byte[] prefixed = [.. new byte[5000], .. jpeg];
        var stream = new MemoryStream(prefixed) { Position = 5000 };
        using DecodedImage d = FaceImageDecoder.Decode(stream, ImageDecodingOptions.Default with { MaxEncodedBytes = jpeg.Length });
        d.EncodedBytes.Should().Be(jpeg.Length);
        d.Image.Width.Should().Be(512);
        stream.Position.Should().Be(prefixed.Length, "the stream is read to its end and not rewound");
    }

    [Fact]
    public void Cancelling_while_a_stream_is_read_stops_reading()
    {
        // An endless stream that cancels the caller's token during its first read: the next read never happens.
        using var cts = new CancellationTokenSource();
        var endless = new EndlessStream(onRead: cts.Cancel);
        FluentActions.Invoking(() => FaceImageDecoder.Decode(endless, ImageDecodingOptions.Default with { MaxEncodedBytes = 1 << 20 }, cts.Token))
            .Should().Throw<OperationCanceledException>();
        endless.Reads.Should().Be(1);
    }

    [Fact]
    public async Task Cancelling_while_a_stream_that_ignores_the_token_is_read_asynchronously_stops_reading()
    {
        // The endless stream's ReadAsync ignores the token it is given and cancels the caller's during its first read:
        // the decoder checks the token between reads itself, so no second read happens.
        using var cts = new CancellationTokenSource();
        var endless = new EndlessStream(onRead: cts.Cancel);
        await FluentActions.Awaiting(() => FaceImageDecoder.DecodeAsync(endless, ImageDecodingOptions.Default with { MaxEncodedBytes = 1 << 20 }, cts.Token))
            .Should().ThrowAsync<OperationCanceledException>();
        endless.Reads.Should().Be(1);
    }

    [Fact]
    public async Task A_stream_that_gives_up_on_its_own_is_unreadable_not_a_cancellation()
    {
        // A network body whose own timeout fires throws OperationCanceledException (TaskCanceledException) although the
        // caller cancelled nothing: that is the stream failing.
        var gaveUp = new EndlessStream(fail: () => throw new TaskCanceledException("The request timed out."));
        ImageDecodingException sync = FluentActions.Invoking(() => FaceImageDecoder.Decode(gaveUp))
            .Should().Throw<ImageDecodingException>().Which;
        sync.Failure.Should().Be(ImageDecodingFailure.NotReadable);
        sync.Message.Should().Contain("TaskCanceledException").And.Contain("timed out");
        sync.InnerException.Should().BeOfType<TaskCanceledException>();

        (await FluentActions.Awaiting(() => FaceImageDecoder.DecodeAsync(new EndlessStream(fail: () => throw new TaskCanceledException("The request timed out."))))
            .Should().ThrowAsync<ImageDecodingException>()).Which.Failure.Should().Be(ImageDecodingFailure.NotReadable);
    }

    [Fact]
    public void The_memory_estimate_counts_twelve_bytes_per_declared_pixel_plus_the_data_in_64_bits()
    {
        FaceImageDecoder.EncodedImage png = FaceImageDecoder.ReadStream(new MemoryStream(HostileImages.Png(100, 80)), ImageDecodingOptions.Default, CancellationToken.None);
        png.Info.Length.Should().BePositive();
        png.EstimatedDecodeBytes.Should().Be((100L * 80 * 12) + png.Info.Length);

        // 60000 x 60000 declared: 43.2 GB, beyond 32 bits.
        var huge = ImageDecodingOptions.Default with { MaxPixels = 4_000_000_000 };
        FaceImageDecoder.EncodedImage big = FaceImageDecoder.ReadStream(new MemoryStream(HostileImages.PngDeclaringSize(60000, 60000)), huge, CancellationToken.None);
        big.EstimatedDecodeBytes.Should().Be((60000L * 60000 * 12) + big.Info.Length);

        // A format whose size is not walked here: the data only (its header is read by the decoder, under the pixel limit).
        var all = ImageDecodingOptions.Default with { AllowedFormats = ImageFormats.All };
        byte[] bmp = HostileImages.Bmp(20, 10);
        FaceImageDecoder.EncodedImage other = FaceImageDecoder.ReadStream(new MemoryStream(bmp), all, CancellationToken.None);
        other.EstimatedDecodeBytes.Should().Be(bmp.Length);
    }

    [Fact]
    public void The_stream_overloads_of_Load_name_their_own_argument()
    {
        byte[] jpeg = Face("grace_hopper.jpg");
        FluentActions.Invoking(() => FaceImageDecoder.Load(new MemoryStream(jpeg), 0))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maxPixels");
        FluentActions.Invoking(() => FaceImageDecoder.Load(ModelFixture.FixturePath("faces", "grace_hopper.jpg"), -5))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maxPixels");
        using Image<Rgb24> image = FaceImageDecoder.Load(new MemoryStream(jpeg), 512 * 600);
        image.Height.Should().Be(600);
    }

    [Fact]
    public void Data_the_walk_accepts_but_the_decoder_rejects_is_corrupt_and_names_the_decoder_error()
    {
        // A PNG whose structure is sound but whose image data is not a zlib stream (compression method 15, CRC fixed up).
        byte[] png = HostileImages.Png(16, 16);
        int idat = png.AsSpan().IndexOf("IDAT"u8);
        int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(idat - 4));
        png[idat + 4] = 0x7F;
        png[idat + 5] = 0xFF;
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(idat + 4 + length), HostileImages.PngCrc(png.AsSpan(idat, 4 + length)));

        ImageDecodingException e = FluentActions.Invoking(() => FaceImageDecoder.Decode(new MemoryStream(png)))
            .Should().Throw<ImageDecodingException>().Which;
        e.Failure.Should().Be(ImageDecodingFailure.Corrupt);
        e.InnerException.Should().NotBeNull();
        e.Message.Should().Contain(e.InnerException!.GetType().Name).And.Contain("could not be decoded");
    }

    [Fact]
    public void A_refused_truncation_says_so()
    {
        byte[] cut = HostileImages.TruncatedCopy(Face("grace_hopper.jpg"), 0.5);
        FluentActions.Invoking(() => FaceImageDecoder.Decode(new MemoryStream(cut), ImageDecodingOptions.Default with { RejectTruncated = true }))
            .Should().Throw<ImageDecodingException>().WithMessage("*ends early*truncated*");
    }

    /// <summary>A stream that cannot seek or tell its length, handing out at most <c>chunk</c> bytes a read.</summary>
    private sealed class ForwardOnlyStream(byte[] data, int chunk = int.MaxValue) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Next(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => Next(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Next(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Next(Span<byte> target)
        {
            int n = Math.Min(Math.Min(target.Length, chunk), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(target);
            _position += n;
            return n;
        }
    }

    /// <summary>A seekable stream that counts the reads made on it.</summary>
    private sealed class CountingSeekableStream(byte[] data) : MemoryStream(data)
    {
        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            return base.Read(buffer, offset, count);
        }

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            return base.Read(buffer);
        }
    }

    /// <summary>An endless non-seekable stream of 0xFF bytes; runs <c>onRead</c> at each read, or fails with <c>fail</c>.</summary>
    private sealed class EndlessStream(Action? onRead = null, Action? fail = null) : Stream
    {
        public int Reads { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Fill(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => Fill(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Fill(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Fill(Span<byte> target)
        {
            fail?.Invoke();
            Reads++;
            onRead?.Invoke();
            target.Fill(0xFF);
            return target.Length;
        }
    }
}
