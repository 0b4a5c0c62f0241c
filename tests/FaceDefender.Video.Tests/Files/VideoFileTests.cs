using System.Text.Json;
using FaceDefender.Video.IO;
using FaceDefender.Video.Processing;
using FaceDefender.Video.Tests.IO;
using FaceDefender.Video.Tests.Processing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Video.Tests.Files;

/// <summary>
/// A video file from end to end: a blinking kit face written to MP4 with a voice track and identifying tags, read by
/// content, de-identified, written; then what the container of the output holds, checked with ffprobe.
/// </summary>
[Collection(FfmpegCollection.Name)]
public sealed class VideoFileTests(FfmpegFixture ffmpeg) : IClassFixture<PipelineFixture>
{
    private const int Frames = 20;

    private static readonly VideoFileOptions Small = new() { Processing = new VideoDeidentificationOptions { OutputSize = 256 } };

    /// <summary>The kit clip written as H.264 (no audio, no tags), then muxed with a sine "voice" and identifying tags.</summary>
    private async Task<string> PatientVideoAsync(string folder, string container = "mp4")
    {
        KitClip clip = KitClips.Blinks(4, [8], count: Frames);
        string plain = Path.Combine(folder, "plain." + container);
        await using (FfmpegVideoSink sink = FfmpegVideoSink.Create(plain, clip.Size, clip.Size, clip.Rate))
        {
            for (int i = 0; i < clip.Count; i++)
            {
                using Image<Rgb24> frame = clip.Frame(i);
                await sink.WriteAsync(frame);
            }

            await sink.CompleteAsync();
        }

        string tagged = Path.Combine(folder, "patient." + container);
        ffmpeg.Ffmpeg("-i", plain, "-f", "lavfi", "-i", "sine=frequency=220:duration=2", "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac",
            "-metadata", "title=Jane Doe cover test", "-metadata", "creation_time=2026-01-02T03:04:05Z", "-metadata", "location=+51.5074-000.1278/",
            "-metadata:s:v", "handler_name=iPhone camera", "-shortest", tagged);
        ffmpeg.ProbeText(tagged).Should().Contain("Jane Doe").And.Contain("+51.5074").And.Contain("iPhone").And.Contain("\"audio\"", "the input carries what must not pass");
        return tagged;
    }

    [Fact]
    public async Task A_patient_video_comes_out_de_identified_with_its_frames_and_rate_and_nothing_else()
    {
        string folder = ffmpeg.NewFolder();
        string input = await PatientVideoAsync(folder);
        byte[] before = await File.ReadAllBytesAsync(input);
        string output = Path.Combine(folder, "out.mp4");
        var progress = new List<VideoProgress>();
        using var deidentifier = new VideoDeidentifier();

        VideoFileResult result = await deidentifier.DeidentifyFileAsync(input, output, Small, new SynchronousProgress(progress.Add));

        result.Status.Should().Be(VideoFileStatus.Success, result.Message);
        result.OutputPath.Should().Be(output);
        result.Report!.FrameCount.Should().Be(Frames);
        result.Report.FailedFrames.Should().BeEmpty();
        result.Report.Blinks.Should().ContainSingle("the clip blinks once");
        progress.Should().NotBeEmpty();
        progress[^1].FramesWritten.Should().Be(Frames);
        (await File.ReadAllBytesAsync(input)).Should().Equal(before, "the input is never modified");

        JsonElement probe = ffmpeg.Probe(output);
        JsonElement[] streams = [.. probe.GetProperty("streams").EnumerateArray()];
        streams.Should().ContainSingle("the audio (a voice identifies) is dropped").Which.GetProperty("codec_type").GetString().Should().Be("video");
        streams[0].GetProperty("nb_frames").GetString().Should().Be(Frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        streams[0].GetProperty("r_frame_rate").GetString().Should().Be("30/1");
        streams[0].GetProperty("width").GetInt32().Should().Be(256);
        string text = ffmpeg.ProbeText(output);
        text.Should().NotContain("Jane Doe").And.NotContain("creation_time").And.NotContain("+51.5074").And.NotContain("\"location\"").And.NotContain("iPhone");
        Directory.GetFiles(folder).Select(Path.GetFileName).Should().BeEquivalentTo(["plain.mp4", "patient.mp4", "out.mp4"], "no temporary file is left");
    }

    [Theory]
    [InlineData("yuv420p10le")]
    [InlineData("yuv444p")]
    public async Task A_4k_phone_style_source_with_10_bit_or_444_colour_goes_through_the_whole_pipeline(string pixelFormat)
    {
        // The kit face, padded into a 3840 x 2160 frame (face about 4x the kit's size) and encoded with the given pixel
        // format: decoded, detected, tracked, fused and encoded like any other video, every frame with a face.
        string folder = ffmpeg.NewFolder();
        const int count = 6;
        KitClip clip = KitClips.Blinks(4, [100], count: count);
        string plain = Path.Combine(folder, "plain.mp4");
        await using (FfmpegVideoSink sink = FfmpegVideoSink.Create(plain, clip.Size, clip.Size, clip.Rate))
        {
            for (int i = 0; i < clip.Count; i++)
            {
                using Image<Rgb24> frame = clip.Frame(i);
                await sink.WriteAsync(frame);
            }

            await sink.CompleteAsync();
        }

        string uhd = Path.Combine(folder, "uhd.mkv");
        ffmpeg.Ffmpeg("-i", plain, "-vf", "scale=-2:2160:flags=bicubic,pad=3840:2160:(ow-iw)/2:0", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", pixelFormat, uhd);
        JsonElement source = ffmpeg.Probe(uhd).GetProperty("streams")[0];
        (source.GetProperty("width").GetInt32(), source.GetProperty("height").GetInt32()).Should().Be((3840, 2160));
        source.GetProperty("pix_fmt").GetString().Should().Be(pixelFormat);

        string output = Path.Combine(folder, "out.mp4");
        using var deidentifier = new VideoDeidentifier();
        VideoFileResult result = await deidentifier.DeidentifyFileAsync(uhd, output, Small);

        result.Status.Should().Be(VideoFileStatus.Success, result.Message);
        result.Report!.FrameCount.Should().Be(count);
        result.Report.FailedFrames.Should().BeEmpty("the face is found in every 4K frame");
        JsonElement written = ffmpeg.Probe(output).GetProperty("streams")[0];
        written.GetProperty("nb_frames").GetString().Should().Be(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        written.GetProperty("width").GetInt32().Should().Be(256);
        written.GetProperty("pix_fmt").GetString().Should().Be("yuv420p", "the output is ordinary 8-bit 4:2:0 H.264");
    }

    [Fact]
    public async Task Audio_is_kept_only_when_asked()
    {
        string folder = ffmpeg.NewFolder();
        string input = await PatientVideoAsync(folder);
        string output = Path.Combine(folder, "with-audio.mp4");
        using var deidentifier = new VideoDeidentifier();

        VideoFileResult result = await deidentifier.DeidentifyFileAsync(input, output, Small with { KeepAudio = true });

        result.Status.Should().Be(VideoFileStatus.Success, result.Message);
        ffmpeg.Probe(output).GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("codec_type").GetString()).Should().BeEquivalentTo(["video", "audio"]);
        ffmpeg.ProbeText(output).Should().NotContain("Jane Doe").And.NotContain("+51.5074").And.NotContain("iPhone");
    }

    [Fact]
    public async Task A_truncated_video_gives_the_frames_it_holds_and_says_it_ended_early()
    {
        string folder = ffmpeg.NewFolder();
        string input = await PatientVideoAsync(folder, "mkv");
        byte[] bytes = await File.ReadAllBytesAsync(input);
        string cut = Path.Combine(folder, "cut.mkv");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);
        string output = Path.Combine(folder, "cut-out.mkv");
        using var deidentifier = new VideoDeidentifier();

        VideoFileResult result = await deidentifier.DeidentifyFileAsync(cut, output, Small);

        result.Status.Should().Be(VideoFileStatus.InputEndedEarly, result.Message);
        result.Succeeded.Should().BeTrue();
        result.Report!.FrameCount.Should().BeInRange(1, Frames - 1);
        ffmpeg.Probe(output).GetProperty("streams")[0].GetProperty("codec_type").GetString().Should().Be("video");
    }

    [Fact]
    public async Task What_the_input_holds_comes_back_as_a_status_and_nothing_is_written()
    {
        string folder = ffmpeg.NewFolder();
        string text = Path.Combine(folder, "notes.mp4");
        await File.WriteAllTextAsync(text, "patient notes, not a video");
        string empty = Path.Combine(folder, "empty.mp4");
        await File.WriteAllBytesAsync(empty, []);
        string audio = Path.Combine(folder, "voice.m4a");
        ffmpeg.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=300:duration=1", "-c:a", "aac", audio);
        using var deidentifier = new VideoDeidentifier();
        string output = Path.Combine(folder, "out.mp4");

        (await deidentifier.DeidentifyFileAsync(text, output, Small)).Status.Should().Be(VideoFileStatus.NotAVideo);
        (await deidentifier.DeidentifyFileAsync(empty, output, Small)).Status.Should().BeOneOf(VideoFileStatus.Empty, VideoFileStatus.NotAVideo);
        (await deidentifier.DeidentifyFileAsync(audio, output, Small)).Status.Should().Be(VideoFileStatus.NoVideoStream);
        (await deidentifier.DeidentifyFileAsync(Path.Combine(folder, "missing.mp4"), output, Small)).Status.Should().Be(VideoFileStatus.NotFound);
        string noFfmpeg = ffmpeg.NewFolder();
        VideoFileResult missing = await deidentifier.DeidentifyFileAsync(text, output, Small with { Read = new VideoReadOptions { FfmpegFolder = noFfmpeg } });
        missing.Status.Should().Be(VideoFileStatus.FfmpegNotFound);
        missing.Message.Should().Contain("apt-get install ffmpeg");
        File.Exists(output).Should().BeFalse();

        await FluentActions.Awaiting(() => deidentifier.DeidentifyFileAsync(text, Path.Combine(folder, "out.avi"), Small)).Should().ThrowAsync<ArgumentException>().WithMessage("*.mp4*");
        await FluentActions.Awaiting(() => deidentifier.DeidentifyFileAsync(text, Path.Combine(folder, "no-such-folder", "out.mp4"), Small)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => deidentifier.DeidentifyFileAsync(" ", output, Small)).Should().ThrowAsync<ArgumentException>();
        await using var stream = new MemoryStream([1, 2, 3]);
        await FluentActions.Awaiting(() => deidentifier.DeidentifyFileAsync(stream, output, Small with { KeepAudio = true })).Should().ThrowAsync<ArgumentException>().WithMessage("*Audio*");
    }

    private sealed class SynchronousProgress(Action<VideoProgress> report) : IProgress<VideoProgress>
    {
        public void Report(VideoProgress value) => report(value);
    }
}
