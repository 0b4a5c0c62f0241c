using System.Diagnostics;
using System.Text.Json;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Pipeline;
using SixLabors.ImageSharp;

namespace FaceDefender.Cli.Tests;

/// <summary>Videos on the command line: found among photos by their content, de-identified into NAME.deid.mp4 with a report
/// row, and measured over time by <c>assess</c>. Needs FFmpeg (CI installs it; these tests fail with the install command
/// without it).</summary>
public sealed class VideoCliTests : IDisposable
{
    private const int Frames = 12;
    private readonly string _root = Directory.CreateTempSubdirectory("fd-video-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Face(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", name);

    /// <summary>A kit face held still for <paramref name="frames"/> frames (default <see cref="Frames"/>) at 30/s, H.264 in MP4, saved under a name without a video extension.</summary>
    private string FaceVideo(string folder, string name, int frames = Frames)
    {
        string png = Path.Combine(_root, "face.png");
        if (!File.Exists(png))
        {
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 384, Identity = 3, CameraLight = CameraLight.Default });
            r.Image.SaveAsPng(png);
        }

        string path = Path.Combine(folder, name);
        Ffmpeg("-loop", "1", "-framerate", "30", "-i", png, "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4", path);
        return path;
    }

    private static void Ffmpeg(params string[] args)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["-hide_banner", "-v", "error", "-y", .. args])
        {
            info.ArgumentList.Add(a);
        }

        Process p;
        try
        {
            p = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("These tests need FFmpeg: install it with `apt-get install ffmpeg` (CI installs it).", e);
        }

        using (p)
        {
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            p.ExitCode.Should().Be(0, err);
        }
    }

    [Fact]
    public void Video_containers_are_told_by_their_first_bytes()
    {
        MediaSniffer.IsVideo("\0\0\0\u0020ftypisom\0\0\0\0"u8).Should().BeTrue("MP4");
        MediaSniffer.IsVideo("\0\0\0\u0014ftypqt  \0\0\0\0"u8).Should().BeTrue("QuickTime");
        MediaSniffer.IsVideo([0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 1, 0, 0, 0]).Should().BeTrue("Matroska / WebM");
        MediaSniffer.IsVideo("RIFF\u0010\0\0\0AVI LIST"u8).Should().BeTrue("AVI");
        MediaSniffer.IsVideo("RIFF\u0010\0\0\0WEBPVP8 "u8).Should().BeFalse("WebP is a photo");
        MediaSniffer.IsVideo([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0, 1]).Should().BeFalse("JPEG");
        MediaSniffer.IsVideo([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]).Should().BeFalse("PNG");
        MediaSniffer.IsVideo("ftyp"u8).Should().BeFalse("too short to decide");
        MediaSniffer.IsVideo(Path.Combine(_root, "missing.mp4")).Should().BeFalse("an unreadable file goes down the photo path");
        MediaSniffer.IsVideo(Face("grace_hopper.jpg")).Should().BeFalse();
    }

    [Fact]
    public void Deidentify_takes_videos_among_photos_by_content_and_resumes()
    {
        string input = Directory.CreateDirectory(Path.Combine(_root, "in")).FullName;
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "hopper.jpg"));
        string video = FaceVideo(input, "visit-3.bin");
        File.WriteAllText(Path.Combine(input, "notes.txt"), "not a video, not a photo");
        string output = Path.Combine(_root, "out");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = BatchRunner.Run(input, output, new PatientInfo(PseudonymKey: "cli-video"), DeidentificationOptions.Default,
            new BatchSettings { Parallel = 1 }, stdout, stderr);

        code.Should().Be(Program.Ok, stderr.ToString());
        stdout.ToString().Should().Contain("2 of 2 inputs (1 video) de-identified");
        File.Exists(Path.Combine(output, "hopper.deid.png")).Should().BeTrue();
        string outVideo = Path.Combine(output, "visit-3.deid.mp4");
        File.Exists(outVideo).Should().BeTrue(stderr.ToString());
        MediaSniffer.IsVideo(outVideo).Should().BeTrue();
        using (JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json"))))
        {
            JsonElement row = report.RootElement.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("File").GetString() == "visit-3.bin");
            row.GetProperty("Status").GetString().Should().Be("Success");
            row.GetProperty("Output").GetString().Should().Be("visit-3.deid.mp4");
            row.GetProperty("Message").GetString().Should().Contain($"{Frames} frame(s)").And.NotContain(input);
            row.GetProperty("Avatar").GetString().Should().StartWith("procedural-");
        }

        DateTime written = File.GetLastWriteTimeUtc(outVideo);
        stdout = new StringWriter();
        BatchRunner.Run(input, output, new PatientInfo(PseudonymKey: "cli-video"), DeidentificationOptions.Default, new BatchSettings { Parallel = 1 }, stdout, new StringWriter())
            .Should().Be(Program.Ok);
        File.GetLastWriteTimeUtc(outVideo).Should().Be(written, "an existing output is skipped unless --overwrite");
        File.ReadAllText(Path.Combine(output, "report.csv")).Should().Contain("visit-3.bin,Skipped");
    }

    [Fact]
    public void Overwrite_redoes_a_finished_video()
    {
        string input = Directory.CreateDirectory(Path.Combine(_root, "in-overwrite")).FullName;
        FaceVideo(input, "visit.mp4", frames: 3);
        string output = Directory.CreateDirectory(Path.Combine(_root, "out-overwrite")).FullName;
        string target = Path.Combine(output, "visit.deid.mp4");
        File.WriteAllBytes(target, [1, 2, 3]);
        var stderr = new StringWriter();

        BatchRunner.Run(input, output, new PatientInfo(PseudonymKey: "cli-video"), DeidentificationOptions.Default, new BatchSettings { Parallel = 1, Overwrite = true },
            new StringWriter(), stderr).Should().Be(Program.Ok, stderr.ToString());

        MediaSniffer.IsVideo(target).Should().BeTrue("--overwrite replaces the finished output with a new video");
        File.ReadAllText(Path.Combine(output, "report.csv")).Should().Contain("visit.mp4,Success");
    }

    [Fact]
    public void A_video_gets_the_patients_avatar_and_a_broken_one_its_status_without_an_output()
    {
        string input = Directory.CreateDirectory(Path.Combine(_root, "in-broken")).FullName;
        FaceVideo(input, "visit.mp4");
        byte[] whole = File.ReadAllBytes(FaceVideo(_root, "whole.mp4"));
        File.WriteAllBytes(Path.Combine(input, "cut.mp4"), whole[..(whole.Length / 2)]);
        string output = Path.Combine(_root, "out-broken");
        var stderr = new StringWriter();

        int code = BatchRunner.Run(input, output, new PatientInfo(AvatarSex.Male, 72, PseudonymKey: "cli-video"), DeidentificationOptions.Default,
            new BatchSettings { Parallel = 1 }, new StringWriter(), stderr);

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Dictionary<string, JsonElement> rows = report.RootElement.GetProperty("items").EnumerateArray().ToDictionary(e => e.GetProperty("File").GetString()!, e => e.Clone());
        rows["visit.mp4"].GetProperty("Status").GetString().Should().Be("Success");
        rows["visit.mp4"].GetProperty("Avatar").GetString().Should().StartWith($"procedural-aged-male-{FaceDefender.Avatars.AvatarAgeBuckets.Map(72)}-",
            "the patient's sex and age reach the video's avatar");
        rows["visit.mp4"].GetProperty("Warnings").ValueKind.Should().Be(JsonValueKind.Null);
        string cutStatus = rows["cut.mp4"].GetProperty("Status").GetString()!;
        cutStatus.Should().NotBe("Success", "half a file with its index at the end cannot be read");
        rows["cut.mp4"].GetProperty("Output").ValueKind.Should().Be(JsonValueKind.Null, "a video that failed has no output");
        File.Exists(Path.Combine(output, "cut.deid.mp4")).Should().BeFalse();
        stderr.ToString().Should().Contain($"[video] {cutStatus}").And.Contain("cut.mp4: ");
        code.Should().Be(Program.SomeFailed);
    }

    [Fact]
    public void Assess_writes_the_time_series_of_a_video()
    {
        string video = FaceVideo(_root, "clip.mp4");
        var csv = new StringWriter();
        var stderr = new StringWriter();
        string plot = Path.Combine(_root, "plot.svg");

        int code = AssessVideo.Run(video, "clip.mp4", csv, stderr, AssessFormat.Csv, plot, progressBar: false, CancellationToken.None);

        code.Should().Be(Program.Ok, stderr.ToString());
        string[] lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(Frames + 1, "a header and one row per frame");
        File.ReadAllText(plot).Should().StartWith("<svg").And.Contain("MRD1");

        var text = new StringWriter();
        AssessVideo.Run(video, "clip.mp4", text, new StringWriter(), AssessFormat.Text, null, progressBar: false, CancellationToken.None).Should().Be(Program.Ok);
        text.ToString().Should().Contain($"frames: {Frames} at 30/1").And.Contain("blinks: 0").And.Contain("MRD1 right: min");

        var json = new StringWriter();
        AssessVideo.Run(video, "clip.mp4", json, new StringWriter(), AssessFormat.Json, null, progressBar: false, CancellationToken.None).Should().Be(Program.Ok);
        using JsonDocument doc = JsonDocument.Parse(json.ToString());
        doc.RootElement.ValueKind.Should().Be(JsonValueKind.Object);

        string notVideo = Path.Combine(_root, "fake.mp4");
        File.WriteAllText(notVideo, "\0\0\0\u0020ftypisom but nothing else");
        var err = new StringWriter();
        AssessVideo.Run(notVideo, "fake.mp4", new StringWriter(), err, AssessFormat.Text, null, progressBar: false, CancellationToken.None).Should().Be(Program.SomeFailed);
        err.ToString().Should().Contain("fake.mp4");
    }
}
