using System.Text.Json;
using FaceDefender.Video.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Video.Tests.IO;

[Collection(FfmpegCollection.Name)]
public sealed class FfmpegVideoSinkTests(FfmpegFixture ff)
{
    private static async Task WriteFrames(FfmpegVideoSink sink, int count, bool noisy = false)
    {
        for (int i = 0; i < count; i++)
        {
            using var frame = FfmpegFixture.SyntheticFrame(sink.Width, sink.Height, i, noisy);
            await sink.WriteAsync(frame);
        }
    }

    private static async Task<FfmpegVideoSource> Open(string path)
    {
        var result = await FfmpegVideoSource.OpenAsync(path);
        result.Status.Should().Be(VideoOpenStatus.Opened, result.Message);
        return result.Source!;
    }

    private static JsonElement VideoStream(JsonElement probe) =>
        probe.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("codec_type").GetString() == "video");

    [Theory]
    [InlineData(160, 96)]
    [InlineData(161, 97)]
    public async Task The_lossless_codec_gives_back_exactly_the_pixels_written(int width, int height)
    {
        var path = Path.Combine(ff.NewFolder(), "lossless.mkv");
        await using (var sink = FfmpegVideoSink.Create(path, width, height, new FrameRate(30, 1), new VideoWriteOptions { Codec = VideoCodec.Ffv1Lossless }))
        {
            await WriteFrames(sink, 12, noisy: true);
            await sink.CompleteAsync();
        }

        await using var source = await Open(path);
        (source.Info.Width, source.Info.Height).Should().Be((width, height));
        using var frame = new Image<Rgb24>(width, height);
        int n = 0;
        while (await source.ReadAsync(frame))
        {
            using var expected = FfmpegFixture.SyntheticFrame(width, height, n, noisy: true);
            FfmpegVideoSourceTests.Bytes(frame).Should().Equal(FfmpegVideoSourceTests.Bytes(expected), $"frame {n}");
            n++;
        }

        n.Should().Be(12);
    }

    [Fact]
    public async Task H264_keeps_frame_count_and_ntsc_rate_within_a_stated_psnr()
    {
        var path = Path.Combine(ff.NewFolder(), "h264.mp4");
        var rate = new FrameRate(30000, 1001);
        await using (var sink = FfmpegVideoSink.Create(path, 320, 240, rate))
        {
            await WriteFrames(sink, 37);
            await sink.CompleteAsync();
            sink.FramesWritten.Should().Be(37);
        }

        var stream = VideoStream(ff.Probe(path));
        stream.GetProperty("r_frame_rate").GetString().Should().Be("30000/1001");
        stream.GetProperty("nb_frames").GetString().Should().Be("37");
        stream.GetProperty("pix_fmt").GetString().Should().Be("yuv420p");

        await using var source = await Open(path);
        source.Info.FrameRate.Should().Be(rate);
        using var frame = new Image<Rgb24>(320, 240);
        double worst = double.MaxValue;
        int n = 0;
        while (await source.ReadAsync(frame))
        {
            using var expected = FfmpegFixture.SyntheticFrame(320, 240, n);
            worst = Math.Min(worst, Psnr(FfmpegVideoSourceTests.Bytes(frame), FfmpegVideoSourceTests.Bytes(expected)));
            n++;
        }

        n.Should().Be(37);
        // Measured worst frame: 32.7 dB at CRF 18, preset veryfast (mostly 4:2:0 chroma at the square's edges). 30 dB
        // is 1.9 times the measured mean squared error.
        worst.Should().BeGreaterThan(30);
    }

    [Fact]
    public async Task An_odd_size_is_padded_for_h264()
    {
        var path = Path.Combine(ff.NewFolder(), "odd.mp4");
        await using (var sink = FfmpegVideoSink.Create(path, 161, 97, new FrameRate(25, 1)))
        {
            await WriteFrames(sink, 3);
            await sink.CompleteAsync();
        }

        var stream = VideoStream(ff.Probe(path));
        (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32()).Should().Be((162, 98));
    }

    [Fact]
    public async Task Output_carries_no_metadata_or_audio_from_a_tagged_source_and_keeps_audio_only_on_request()
    {
        var folder = ff.NewFolder();
        // Matroska keeps every tag given (global and per stream), including the QuickTime-style keys.
        var tagged = Path.Combine(folder, "tagged.mkv");
        ff.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=300:duration=1",
            "-frames:v", "30", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
            "-metadata", "creation_time=2024-05-01T10:00:00Z", "-metadata", "title=Patient Jane Doe",
            "-metadata", "location=+51.5072-000.1276/", "-metadata", "com.apple.quicktime.location.ISO6709=+51.5072-000.1276/",
            "-metadata:s:v", "handler_name=Clinic camera",
            // Tags on the audio stream, which KeepAudioFrom maps (ffmpeg would copy a mapped stream's tags by default).
            "-metadata:s:a", "handler_name=Clinic microphone", "-metadata:s:a", "title=Jane Doe voice", tagged);
        var sourceProbe = ff.ProbeText(tagged);
        sourceProbe.Should().Contain("creation_time").And.Contain("Jane Doe voice").And.Contain("Clinic microphone").And.Contain("+51.5072");

        var plain = Path.Combine(folder, "plain.mp4");
        var withAudio = Path.Combine(folder, "audio.mp4");
        foreach (var (output, options) in new[] { (plain, new VideoWriteOptions()), (withAudio, new VideoWriteOptions { KeepAudioFrom = tagged }) })
        {
            await using var source = await Open(tagged);
            await using var sink = FfmpegVideoSink.Create(output, source.Info.Width, source.Info.Height, source.Info.FrameRate, options);
            using var frame = new Image<Rgb24>(source.Info.Width, source.Info.Height);
            while (await source.ReadAsync(frame))
            {
                await sink.WriteAsync(frame);
            }

            await sink.CompleteAsync();
        }

        foreach (var output in new[] { plain, withAudio })
        {
            var text = ff.ProbeText(output);
            text.Should().NotContain("creation_time").And.NotContain("Jane Doe").And.NotContain("title")
                .And.NotContain("\"location").And.NotContain("51.5072").And.NotContain("ISO6709").And.NotContain("Clinic camera").And.NotContain("Clinic microphone");
            // FFmpeg's constant, version-free names ("Lavc libx264", "Lavf", "VideoHandler") may remain; no version does.
            text.Should().NotMatchRegex(@"Lav[cf]\d");
            ff.Probe(output).GetProperty("chapters").GetArrayLength().Should().Be(0);
            var bytes = await File.ReadAllBytesAsync(output);
            var content = System.Text.Encoding.ASCII.GetString(bytes);
            content.Should().NotContain("x264 - core", "the encoder's SEI (version and settings) is removed");
            content.Should().NotContain("Jane Doe").And.NotContain("51.5072").And.NotMatchRegex(@"Lav[cf]\d");
        }

        var streamsPlain = ff.Probe(plain).GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("codec_type").GetString()).ToList();
        streamsPlain.Should().Equal("video");
        var streamsAudio = ff.Probe(withAudio).GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("codec_type").GetString()).ToList();
        streamsAudio.Should().BeEquivalentTo(["video", "audio"]);
        VideoStream(ff.Probe(withAudio)).GetProperty("nb_frames").GetString().Should().Be("30");
    }

    [Fact]
    public async Task Cancelling_mid_write_or_disposing_without_completing_leaves_no_file()
    {
        var folder = ff.NewFolder();
        var path = Path.Combine(folder, "cancelled.mp4");
        using var cts = new CancellationTokenSource();
        await using (var sink = FfmpegVideoSink.Create(path, 320, 240, new FrameRate(30, 1)))
        {
            await WriteFrames(sink, 10);
            Directory.GetFiles(folder).Should().ContainSingle("ffmpeg writes its temporary file while frames arrive");
            cts.Cancel();
            using var frame = FfmpegFixture.SyntheticFrame(320, 240, 10);
            await FluentActions.Awaiting(async () => await sink.WriteAsync(frame, cts.Token)).Should().ThrowAsync<OperationCanceledException>();
            Directory.GetFiles(folder).Should().BeEmpty("a cancelled write removes its temporary file at once");
            await FluentActions.Awaiting(async () => await sink.WriteAsync(frame)).Should().ThrowAsync<InvalidOperationException>();
        }

        var abandoned = Path.Combine(folder, "abandoned.mkv");
        await using (var sink = FfmpegVideoSink.Create(abandoned, 320, 240, new FrameRate(30, 1), new VideoWriteOptions { Codec = VideoCodec.Ffv1Lossless }))
        {
            await WriteFrames(sink, 5);
        }

        Directory.GetFiles(folder).Should().BeEmpty();
    }

    [Fact]
    public async Task An_existing_destination_is_kept_unless_overwrite_is_set()
    {
        var folder = ff.NewFolder();
        var path = Path.Combine(folder, "exists.mp4");
        await File.WriteAllTextAsync(path, "keep me");
        await using (var sink = FfmpegVideoSink.Create(path, 64, 48, new FrameRate(30, 1)))
        {
            await WriteFrames(sink, 2);
            (await FluentActions.Awaiting(() => sink.CompleteAsync()).Should().ThrowAsync<VideoWriteException>())
                .Which.Status.Should().Be(VideoWriteStatus.DestinationFailed);
        }

        (await File.ReadAllTextAsync(path)).Should().Be("keep me");
        Directory.GetFiles(folder).Should().Equal(path);

        await using (var sink = FfmpegVideoSink.Create(path, 64, 48, new FrameRate(30, 1), new VideoWriteOptions { Overwrite = true }))
        {
            await WriteFrames(sink, 2);
            await sink.CompleteAsync();
        }

        VideoStream(ff.Probe(path)).GetProperty("nb_frames").GetString().Should().Be("2");
        Directory.GetFiles(folder).Should().Equal(path);
    }

    [Fact]
    public void Misuse_throws_ArgumentException()
    {
        var folder = ff.NewFolder();
        var rate = new FrameRate(30, 1);
        FluentActions.Invoking(() => FfmpegVideoSink.Create(null!, 16, 16, rate)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FfmpegVideoSink.Create(Path.Combine(folder, "a.avi"), 16, 16, rate)).Should().Throw<ArgumentException>().WithMessage("*.avi*");
        FluentActions.Invoking(() => FfmpegVideoSink.Create(Path.Combine(folder, "a.mp4"), 16, 16, rate, new VideoWriteOptions { Codec = VideoCodec.Ffv1Lossless }))
            .Should().Throw<ArgumentException>().WithMessage("*mkv*");
        FluentActions.Invoking(() => FfmpegVideoSink.Create(Path.Combine(folder, "a.mp4"), 0, 16, rate)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FfmpegVideoSink.Create(Path.Combine(folder, "a.mp4"), 16, 16, new FrameRate(0, 1))).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FfmpegVideoSink.Create(Path.Combine(folder, "a.mp4"), 16, 16, rate, new VideoWriteOptions { Crf = 60 })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FfmpegVideoSink.Create(Path.Combine(folder, "a.mp4"), 16, 16, rate, new VideoWriteOptions { Preset = "turbo" })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FfmpegVideoSink.Create(Path.Combine(folder, "a.mp4"), 16, 16, rate, new VideoWriteOptions { KeepAudioFrom = Path.Combine(folder, "none.wav") }))
            .Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FfmpegVideoSink.Create(Path.Combine(folder, "no-such-folder", "a.mp4"), 16, 16, rate)).Should().Throw<ArgumentException>();
        Directory.GetFiles(folder).Should().BeEmpty();
    }

    private static double Psnr(byte[] a, byte[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        double mse = sum / a.Length;
        return mse == 0 ? 99 : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
