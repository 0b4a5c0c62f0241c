using FaceDefender.Video.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Video.Tests.IO;

[Collection(FfmpegCollection.Name)]
public sealed class FfmpegVideoSourceTests(FfmpegFixture ff)
{
    // Blue frame, red block in the top-left corner: the corner says which way up a frame is.
    private const string CornerSource = "color=c=blue:size=320x240:rate=30,drawbox=x=0:y=0:w=80:h=60:color=red:t=fill";

    private static async Task<FfmpegVideoSource> OpenOk(string path, VideoReadOptions? options = null)
    {
        var result = await FfmpegVideoSource.OpenAsync(path, options);
        result.Status.Should().Be(VideoOpenStatus.Opened, result.Message);
        return result.Source!;
    }

    private static async Task<int> ReadAll(FfmpegVideoSource source, Action<int, Image<Rgb24>>? each = null)
    {
        using var frame = new Image<Rgb24>(source.Info.Width, source.Info.Height);
        int n = 0;
        while (await source.ReadAsync(frame))
        {
            each?.Invoke(n, frame);
            n++;
        }

        return n;
    }

    private static bool IsRed(Rgb24 p) => p.R > 200 && p.G < 60 && p.B < 60;

    private static bool IsBlue(Rgb24 p) => p.B > 200 && p.R < 60 && p.G < 60;

    [Fact]
    public async Task Ntsc_rate_and_frame_count_are_reported_and_every_frame_is_read()
    {
        var path = ff.PathFor("ntsc.mp4");
        ff.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30000/1001", "-frames:v", "45", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path);

        await using var source = await OpenOk(path);
        source.Info.FrameRate.Should().Be(new FrameRate(30000, 1001));
        source.Info.FrameCount.Should().Be(45);
        source.Info.VariableFrameRate.Should().BeFalse();
        source.Info.Codec.Should().Be("h264");
        (await ReadAll(source)).Should().Be(45);
        source.EndedEarly.Should().BeFalse(source.ErrorText);
        source.FramesRead.Should().Be(45);
    }

    [Fact]
    public async Task A_phone_video_rotated_by_its_display_matrix_is_read_upright()
    {
        var plain = ff.PathFor("corner.mp4");
        var rotated = ff.PathFor("corner-rot.mp4");
        ff.Ffmpeg("-f", "lavfi", "-i", CornerSource, "-frames:v", "5", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", plain);
        // FFmpeg 5.1's MP4 muxer turns the legacy rotate tag into a display matrix (ffprobe: rotation -90, the matrix
        // of a phone held upright), without re-encoding.
        ff.Ffmpeg("-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=270", rotated);
        ff.ProbeText(rotated).Should().Contain("Display Matrix");

        await using var source = await OpenOk(rotated);
        source.Info.Rotation.Should().BeOneOf(90, 270);
        (source.Info.Width, source.Info.Height).Should().Be((240, 320));
        int frames = await ReadAll(source, (_, f) =>
        {
            // Turned clockwise, the top-left corner goes to the top right; counter-clockwise, to the bottom left.
            var (x, y) = source.Info.Rotation == 90 ? (f.Width - 10, 10) : (10, f.Height - 10);
            IsRed(f[x, y]).Should().BeTrue($"the red corner is at ({x},{y}) after a {source.Info.Rotation}° turn");
            IsBlue(f[10, 10]).Should().Be(source.Info.Rotation == 90);
            IsBlue(f[f.Width - 10, f.Height - 10]).Should().BeTrue();
        });
        frames.Should().Be(5);
    }

    [Theory]
    [InlineData("yuv420p10le", "10bit420.mkv")]
    [InlineData("yuv444p", "444.mkv")]
    public async Task Ten_bit_and_444_sources_are_converted_to_rgb24(string pixelFormat, string name)
    {
        var path = ff.PathFor(name);
        ff.Ffmpeg("-f", "lavfi", "-i", CornerSource, "-frames:v", "4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pixelFormat, path);

        await using var source = await OpenOk(path);
        source.Info.PixelFormat.Should().Be(pixelFormat);
        (await ReadAll(source, (_, f) =>
        {
            IsRed(f[20, 20]).Should().BeTrue(f[20, 20].ToString());
            IsBlue(f[300, 200]).Should().BeTrue(f[300, 200].ToString());
        })).Should().Be(4);
        source.EndedEarly.Should().BeFalse(source.ErrorText);
    }

    [Fact]
    public async Task A_variable_frame_rate_source_is_reported_and_yields_each_frame_once()
    {
        var path = ff.PathFor("vfr.mp4");
        // 30 frames at 30 fps with a 0.2 s gap after frame 15: nominal 30/1, average 25/1.
        ff.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-frames:v", "30",
            "-vf", "setpts='N/30/TB + if(gt(N,15),0.2/TB,0)'", "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", path);

        await using var source = await OpenOk(path);
        source.Info.VariableFrameRate.Should().BeTrue();
        source.Info.FrameRate.Should().Be(new FrameRate(25, 1));
        (await ReadAll(source)).Should().Be(30);
        source.EndedEarly.Should().BeFalse(source.ErrorText);
    }

    [Fact]
    public async Task A_4k_source_is_read_and_frames_beyond_the_pixel_limit_are_TooLarge()
    {
        var path = ff.PathFor("uhd.mp4");
        ff.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=3840x2160:rate=30", "-frames:v", "3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path);

        await using (var source = await OpenOk(path))
        {
            (source.Info.Width, source.Info.Height).Should().Be((3840, 2160));
            (await ReadAll(source)).Should().Be(3);
        }

        var limited = await FfmpegVideoSource.OpenAsync(path, new VideoReadOptions { MaxFramePixels = 3840L * 2160 - 1 });
        limited.Status.Should().Be(VideoOpenStatus.TooLarge);
        limited.Source.Should().BeNull();
    }

    [Fact]
    public async Task Inputs_that_are_not_videos_get_statuses_by_content()
    {
        var audio = ff.PathFor("tone.mp4");
        ff.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", audio);
        var text = ff.PathFor("notes.mp4");
        await File.WriteAllTextAsync(text, "Patient notes, not a video.\n" + string.Concat(Enumerable.Repeat("lorem ipsum ", 200)));
        var empty = ff.PathFor("empty.mp4");
        await File.WriteAllBytesAsync(empty, []);

        (await FfmpegVideoSource.OpenAsync(audio)).Status.Should().Be(VideoOpenStatus.NoVideoStream);
        (await FfmpegVideoSource.OpenAsync(text)).Status.Should().Be(VideoOpenStatus.NotAVideo);
        (await FfmpegVideoSource.OpenAsync(empty)).Status.Should().Be(VideoOpenStatus.Empty);
        (await FfmpegVideoSource.OpenAsync(ff.PathFor("missing.mp4"))).Status.Should().Be(VideoOpenStatus.NotFound);
        (await FfmpegVideoSource.OpenAsync(new MemoryStream())).Status.Should().Be(VideoOpenStatus.Empty);
    }

    [Fact]
    public async Task A_fifo_named_like_a_video_is_refused_without_blocking()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fifo = ff.PathFor("camera.mp4");
        System.Diagnostics.Process.Start("mkfifo", [fifo])!.WaitForExit();
        Task<VideoOpenResult> open = FfmpegVideoSource.OpenAsync(fifo);
        Task first = await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(60)));
        first.Should().BeSameAs(open, "a FIFO without a writer must not block the probe");
        VideoOpenResult result = await open;
        result.Status.Should().Be(VideoOpenStatus.Unreadable);
        result.Message.Should().Contain("not a regular file");
    }

    [Theory]
    [InlineData("cut.mp4")]
    [InlineData("cut.mkv")]
    public async Task A_file_cut_in_half_gives_its_frames_then_reports_that_it_ended_early(string name)
    {
        var whole = ff.PathFor("whole-" + name);
        var extra = name.EndsWith(".mp4", StringComparison.Ordinal) ? new[] { "-movflags", "+faststart" } : [];
        ff.Ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-frames:v", "60", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", .. extra, whole]);
        var bytes = await File.ReadAllBytesAsync(whole);
        var cut = ff.PathFor(name);
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);

        await using var source = await OpenOk(cut);
        int frames = await ReadAll(source);
        frames.Should().BeInRange(10, 50);
        source.FramesRead.Should().Be(frames);
        source.EndedEarly.Should().BeTrue();
        source.ErrorText.Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_non_seekable_stream_is_read_asynchronously_to_the_same_frames_as_the_file()
    {
        var path = ff.PathFor("stream.mkv");
        ff.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-frames:v", "40", "-c:v", "libx264", "-preset", "ultrafast", path);
        var fromFile = new List<byte[]>();
        await using (var file = await OpenOk(path))
        {
            await ReadAll(file, (_, f) => fromFile.Add(Bytes(f)));
        }

        await using var raw = File.OpenRead(path);
        var wrapper = new AsyncOnlyStream(raw);
        var result = await FfmpegVideoSource.OpenAsync(wrapper, new VideoReadOptions { StreamProbeBytes = 64 * 1024 });
        result.Status.Should().Be(VideoOpenStatus.Opened, result.Message);
        await using var source = result.Source!;
        int n = await ReadAll(source, (i, f) => Bytes(f).Should().Equal(fromFile[i], $"frame {i}"));
        n.Should().Be(40);
        source.EndedEarly.Should().BeFalse(source.ErrorText);
        wrapper.AsyncReads.Should().BeGreaterThan(1, "the stream is read in pieces, not all at once");
    }

    [Fact]
    public async Task Reading_a_long_clip_does_not_keep_its_frames()
    {
        var path = ff.PathFor("long.mkv");
        ff.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-frames:v", "600", "-c:v", "libx264", "-preset", "ultrafast", path);

        await using var source = await OpenOk(path);
        using var frame = new Image<Rgb24>(320, 240);
        for (int i = 0; i < 20; i++)
        {
            (await source.ReadAsync(frame)).Should().BeTrue();
        }

        long before = GC.GetTotalMemory(forceFullCollection: true);
        while (await source.ReadAsync(frame))
        {
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        source.FramesRead.Should().Be(600);
        // Measured growth: 3 to 12 KB over runs; the bound is about twice that. The 580 frames read meanwhile are
        // 134 MB, so keeping even one of them (230 KB) fails.
        (after - before).Should().BeLessThan(24_000);
    }

    [Fact]
    public async Task Missing_ffmpeg_is_a_status_naming_the_install_command()
    {
        var emptyFolder = ff.NewFolder();
        var path = ff.PathFor("any.mp4");
        await File.WriteAllBytesAsync(path, [1, 2, 3]);

        var result = await FfmpegVideoSource.OpenAsync(path, new VideoReadOptions { FfmpegFolder = emptyFolder });
        result.Status.Should().Be(VideoOpenStatus.FfmpegNotFound);
        result.Message.Should().Contain("apt-get install ffmpeg").And.Contain("FfmpegFolder");

        var write = () => FfmpegVideoSink.Create(ff.PathFor("out.mp4"), 16, 16, new FrameRate(30, 1), new VideoWriteOptions { FfmpegFolder = emptyFolder });
        write.Should().Throw<VideoWriteException>().Which.Status.Should().Be(VideoWriteStatus.FfmpegNotFound);
    }

    [Fact]
    public async Task Misuse_throws_ArgumentException()
    {
        await FluentActions.Awaiting(() => FfmpegVideoSource.OpenAsync((string)null!)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => FfmpegVideoSource.OpenAsync(" ")).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => FfmpegVideoSource.OpenAsync(ff.PathFor("x.mp4"), new VideoReadOptions { MaxFramePixels = 0 }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*MaxFramePixels*");
    }

    internal static byte[] Bytes(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }

    /// <summary>A non-seekable stream that fails any synchronous read.</summary>
    private sealed class AsyncOnlyStream(Stream inner) : Stream
    {
        public int AsyncReads;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("synchronous read");
        public override int Read(Span<byte> buffer) => throw new InvalidOperationException("synchronous read");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref AsyncReads);
            await Task.Yield();
            return await inner.ReadAsync(buffer, cancellationToken);
        }
    }
}
