using FaceDefender.Decoding;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Hostile;

/// <summary>
/// The decoder's budgets against crafted files (generated in code by <see cref="HostileImages"/>): each attack is refused
/// with its own reason, or decoded without doing what it was built to make a naive decoder do; every limit is tested at
/// its boundary and with values that overflow 32 bits.
/// </summary>
public sealed class DecoderBudgetTests
{
    private static DecodedImage Decode(byte[] data, ImageDecodingOptions? options = null) => FaceImageDecoder.Decode(new MemoryStream(data), options);

    private static ImageDecodingFailure Refusal(byte[] data, ImageDecodingOptions? options = null)
    {
        try
        {
            using DecodedImage d = Decode(data, options);
        }
        catch (ImageDecodingException e)
        {
            return e.Failure;
        }

        throw new InvalidOperationException("The image was decoded; a refusal was expected.");
    }

    [Theory]
    [InlineData(65536, 65536)] // 2^32 pixels: a 32-bit product wraps to 0
    [InlineData(65537, 65535)] // wraps to a small positive number
    [InlineData(30000, 30000)]
    [InlineData(1, int.MaxValue)]
    public void Declared_sizes_beyond_the_pixel_limit_are_refused_before_decoding(int width, int height)
    {
        Refusal(HostileImages.PngDeclaringSize(width, height)).Should().Be(ImageDecodingFailure.TooManyPixels);
    }

    [Fact]
    public void The_pixel_limit_holds_at_its_boundary()
    {
        byte[] png = HostileImages.Png(100, 80);
        using (DecodedImage at = Decode(png, ImageDecodingOptions.Default with { MaxPixels = 8000 }))
        {
            at.Image.Width.Should().Be(100);
        }

        Refusal(png, ImageDecodingOptions.Default with { MaxPixels = 7999 }).Should().Be(ImageDecodingFailure.TooManyPixels);
        Refusal(HostileImages.Jpeg(100, 80), ImageDecodingOptions.Default with { MaxPixels = 7999 }).Should().Be(ImageDecodingFailure.TooManyPixels);
    }

    [Fact]
    public void Inflating_text_chunks_are_dropped_undecoded()
    {
        // Six zTXt chunks of 1 GB each once inflated: a decoder that reads PNG text allocates gigabytes.
        byte[] png = HostileImages.PngWithInflatingTextChunks(6, 1_000_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        using (DecodedImage d = Decode(png))
        {
            d.Image.Width.Should().Be(16);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().BeLessThan(16L * png.Length, $"the chunks ({png.Length} bytes) must not be inflated; {allocated} bytes were allocated");

        byte[] itxt = HostileImages.PngWithInflatingItxt(4, 500_000_000);
        using (DecodedImage d = Decode(itxt))
        {
            d.Image.Height.Should().Be(16);
        }

        using (DecodedImage d = Decode(HostileImages.PngWithInflatingIccp(1_000_000_000)))
        {
            d.Image.Height.Should().Be(16);
        }

        Refusal(png, ImageDecodingOptions.Default with { MaxMetadataBytes = png.Length / 2 }).Should().Be(ImageDecodingFailure.TooMuchMetadata);
    }

    [Fact]
    public void Jpeg_metadata_beyond_the_budget_is_refused_and_within_it_dropped()
    {
        byte[] jpeg = HostileImages.Jpeg(64, 48);
        byte[] heavy = HostileImages.JpegWithManyAppSegments(jpeg, 300, 65000, JpegAppSegmentKind.Xmp);
        Refusal(heavy).Should().Be(ImageDecodingFailure.TooMuchMetadata, "19.5 MB of XMP is over the 16 MiB default");
        using DecodedImage d = Decode(heavy, ImageDecodingOptions.Default with { MaxMetadataBytes = 32L * 1024 * 1024 });
        d.Image.Width.Should().Be(64);
    }

    [Fact]
    public void A_progressive_jpeg_with_hundreds_of_scans_is_refused_by_count_and_stopped_by_time()
    {
        byte[] jpeg = HostileImages.ProgressiveJpegWithEmptyScans(2048, 2048, 300);
        Refusal(jpeg).Should().Be(ImageDecodingFailure.TooManyScans);

        // With the scan budget raised, the time budget stops it: the decode takes seconds at 2048² (measured 2-4 s).
        Refusal(jpeg, ImageDecodingOptions.Default with { MaxJpegScans = 1000, Timeout = TimeSpan.FromMilliseconds(50) })
            .Should().Be(ImageDecodingFailure.TimedOut);

        // Within both budgets a small one decodes.
        using DecodedImage small = Decode(HostileImages.ProgressiveJpegWithEmptyScans(64, 64, 20));
        small.Image.Width.Should().Be(64);
    }

    [Fact]
    public void Multi_frame_formats_are_refused_by_default_and_decode_their_first_frame_only_when_allowed()
    {
        byte[] gif = HostileImages.GifManyFrames(300, 4096, 4096);
        byte[] tiff = HostileImages.TiffManyPages(40, 8192, 8192);
        byte[] tiff2 = HostileImages.TiffWithHugeSecondPage(30000, 30000);
        Refusal(gif).Should().Be(ImageDecodingFailure.FormatNotAllowed);
        Refusal(tiff).Should().Be(ImageDecodingFailure.FormatNotAllowed);

        var all = ImageDecodingOptions.Default with { AllowedFormats = ImageFormats.All };
        using (DecodedImage d = Decode(gif, all))
        {
            d.Image.Frames.Count.Should().Be(1);
            d.Format.Should().Be(ImageFormats.Gif);
        }

        foreach (byte[] t in new[] { tiff, tiff2 })
        {
            using DecodedImage d = Decode(t, all);
            d.Image.Frames.Count.Should().Be(1);
            d.Image.Width.Should().Be(16, "only the first page is decoded");
        }
    }

    public static TheoryData<string> OtherFormats() => ["bmp", "tga", "webp", "gif", "tiff", "pbm"];

    private static byte[] Other(string format) => format switch
    {
        "bmp" => HostileImages.Bmp(20, 10),
        "tga" => HostileImages.Tga(20, 10),
        "webp" => HostileImages.Webp(20, 10),
        "gif" => HostileImages.Gif(20, 10),
        "tiff" => HostileImages.Tiff(20, 10),
        _ => HostileImages.Pbm(20, 10),
    };

    [Theory]
    [MemberData(nameof(OtherFormats))]
    public void Formats_other_than_jpeg_and_png_are_refused_by_default_whatever_the_file_is_called_and_decode_when_allowed(string format)
    {
        byte[] data = Other(format);
        string renamed = Path.Combine(Path.GetTempPath(), $"fd-renamed-{format}-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(renamed, data);
        try
        {
            ImageDecodingFailure failure;
            try
            {
                using DecodedImage _ = FaceImageDecoder.Decode(renamed);
                throw new InvalidOperationException("decoded");
            }
            catch (ImageDecodingException e)
            {
                failure = e.Failure;
            }

            // TGA has no signature: by default it is simply not recognised.
            failure.Should().Be(format == "tga" ? ImageDecodingFailure.UnknownFormat : ImageDecodingFailure.FormatNotAllowed);
        }
        finally
        {
            File.Delete(renamed);
        }

        using DecodedImage d = Decode(data, ImageDecodingOptions.Default with { AllowedFormats = ImageFormats.All });
        d.Image.Width.Should().Be(20);
        d.Image.Height.Should().Be(10);
    }

    [Theory]
    [InlineData("grace_hopper.jpg", 0.5)]
    [InlineData("grace_hopper.jpg", 0.99)]
    [InlineData("astronaut.png", 0.5)]
    [InlineData("astronaut.png", 0.99)]
    public void A_truncated_file_decodes_with_the_truncation_flagged_or_is_refused_when_asked(string file, double keep)
    {
        byte[] whole = File.ReadAllBytes(ModelFixture.FixturePath("faces", file));
        using (DecodedImage complete = Decode(whole))
        {
            complete.Truncated.Should().BeFalse();
        }

        byte[] cut = HostileImages.TruncatedCopy(whole, keep);
        using (DecodedImage d = Decode(cut))
        {
            d.Truncated.Should().BeTrue();
            d.Image.Width.Should().Be(file == "astronaut.png" ? 512 : 512);
        }

        Refusal(cut, ImageDecodingOptions.Default with { RejectTruncated = true }).Should().Be(ImageDecodingFailure.Truncated);
    }

    [Fact]
    public void Files_cut_before_their_image_data_are_refused_as_truncated()
    {
        byte[] jpeg = File.ReadAllBytes(ModelFixture.FixturePath("faces", "grace_hopper.jpg"));
        Refusal(HostileImages.TruncatedCopy(jpeg, 0.001)).Should().Be(ImageDecodingFailure.Truncated);
        byte[] png = File.ReadAllBytes(ModelFixture.FixturePath("faces", "astronaut.png"));
        Refusal(png[..40]).Should().Be(ImageDecodingFailure.Truncated);
        Refusal([]).Should().Be(ImageDecodingFailure.UnknownFormat);
        Refusal("not an image at all"u8.ToArray()).Should().Be(ImageDecodingFailure.UnknownFormat);
    }

    [Fact]
    public void The_encoded_size_limit_stops_reading_an_endless_stream()
    {
        using var endless = new EndlessStream();
        Action act = () => FaceImageDecoder.Decode(endless, ImageDecodingOptions.Default with { MaxEncodedBytes = 1 << 20 });
        act.Should().Throw<ImageDecodingException>().Which.Failure.Should().Be(ImageDecodingFailure.TooManyBytes);
        endless.BytesRead.Should().BeLessThanOrEqualTo((1 << 20) + (1 << 17), "reading stops at the limit");

        byte[] jpeg = File.ReadAllBytes(ModelFixture.FixturePath("faces", "grace_hopper.jpg"));
        Refusal(jpeg, ImageDecodingOptions.Default with { MaxEncodedBytes = jpeg.Length - 1 }).Should().Be(ImageDecodingFailure.TooManyBytes);
        using DecodedImage ok = Decode(jpeg, ImageDecodingOptions.Default with { MaxEncodedBytes = jpeg.Length });
        ok.EncodedBytes.Should().Be(jpeg.Length);
    }

    [Fact]
    public async Task The_async_path_reads_a_stream_that_forbids_synchronous_reads()
    {
        byte[] jpeg = File.ReadAllBytes(ModelFixture.FixturePath("faces", "grace_hopper.jpg"));
        await using var stream = new AsyncOnlyStream(jpeg);
        using DecodedImage d = await FaceImageDecoder.DecodeAsync(stream);
        d.Image.Width.Should().Be(512);
        Action sync = () => FaceImageDecoder.Decode(new AsyncOnlyStream(jpeg));
        sync.Should().Throw<ImageDecodingException>().Which.Failure.Should().Be(ImageDecodingFailure.NotReadable);
    }

    [Fact]
    public void Path_inputs_that_are_not_image_files_give_clear_failures()
    {
        Action empty = () => FaceImageDecoder.Decode("  ");
        empty.Should().Throw<ArgumentException>();
        Action missing = () => FaceImageDecoder.Decode(Path.Combine(Path.GetTempPath(), "fd-no-such-file.jpg"));
        missing.Should().Throw<ImageDecodingException>().Which.Failure.Should().Be(ImageDecodingFailure.NotReadable);
        Action folder = () => FaceImageDecoder.Decode(Path.GetTempPath());
        folder.Should().Throw<ImageDecodingException>().Which.Failure.Should().Be(ImageDecodingFailure.NotReadable);
        Action options = () => FaceImageDecoder.Decode(new MemoryStream([1]), ImageDecodingOptions.Default with { MaxPixels = 0 });
        options.Should().Throw<ArgumentOutOfRangeException>();
        Action noFormat = () => FaceImageDecoder.Decode(new MemoryStream([1]), ImageDecodingOptions.Default with { AllowedFormats = ImageFormats.None });
        noFormat.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Exif_orientation_in_a_png_exif_chunk_is_applied()
    {
        // A 30 x 20 PNG whose eXIf chunk says "rotate 90° clockwise" (orientation 6) decodes as 20 x 30.
        byte[] png = HostileImages.Png(30, 20);
        byte[] exif = [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] chunk = new byte[12 + exif.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)exif.Length);
        "eXIf"u8.CopyTo(chunk.AsSpan(4));
        exif.CopyTo(chunk, 8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + exif.Length), HostileImages.PngCrc(chunk.AsSpan(4, 4 + exif.Length)));
        byte[] withExif = [.. png[..33], .. chunk, .. png[33..]];
        using DecodedImage d = Decode(withExif);
        d.ExifOrientation.Should().Be(6);
        (d.Image.Width, d.Image.Height).Should().Be((20, 30));
    }

    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)0xFF, offset, count);
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Like a request body under ASP.NET Core: synchronous reads throw.</summary>
    private sealed class AsyncOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
