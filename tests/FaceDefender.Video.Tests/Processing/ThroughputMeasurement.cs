using System.Diagnostics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Fusion;
using FaceDefender.Video.Processing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace FaceDefender.Video.Tests.Processing;

/// <summary>
/// Per-frame cost at 1280 x 720 (no codec): tracking against full detection, and the whole pipeline in frames per second.
/// A measurement, not a test: it runs only with FACEDEFENDER_VIDEO_THROUGHPUT=1 (docs/video.md gives the command), since
/// unit tests make no timing assertions.
/// </summary>
public sealed class ThroughputMeasurement(PipelineFixture fixture, ITestOutputHelper output) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task Measure_throughput_at_720p()
    {
        if (Environment.GetEnvironmentVariable("FACEDEFENDER_VIDEO_THROUGHPUT") != "1")
        {
            return;
        }

        using GroundTruthRender r = GroundTruthFaceRenderer.Render(KitClips.Scene(8) with { ImageSize = 720, Scale = 0.8f });
        using var frame = new Image<Rgb24>(1280, 720, new Rgb24(100, 100, 100));
        frame.Mutate(x => x.DrawImage(r.Image, new Point(280, 0), 1f));

        FaceDetection first = fixture.Detector.Detect(frame);
        first.Status.Should().Be(FaceDetectionStatus.Found);
        const int n = 40;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            fixture.Detector.Detect(frame);
        }

        double detectMs = sw.Elapsed.TotalMilliseconds / n;
        long detectKb = (GC.GetAllocatedBytesForCurrentThread() - allocated) / n / 1024;
        allocated = GC.GetAllocatedBytesForCurrentThread();
        sw.Restart();
        for (int i = 0; i < n; i++)
        {
            fixture.Detector.Track(frame, first.Face!.Landmarks);
        }

        double trackMs = sw.Elapsed.TotalMilliseconds / n;
        long trackKb = (GC.GetAllocatedBytesForCurrentThread() - allocated) / n / 1024;
        output.WriteLine($"1280x720: full detection {detectMs:F1} ms/frame ({detectKb} KiB allocated), tracking {trackMs:F1} ms/frame ({trackKb} KiB allocated)");

        // The other per-frame steps, one at a time: the measurements and the fusion onto the 1024 canvas.
        var diagnostics = new LandmarkDiagnosticBenchmark();
        sw.Restart();
        for (int i = 0; i < n; i++)
        {
            diagnostics.Assess(first.Face!.Landmarks, first.Face.Pose);
        }

        double assessMs = sw.Elapsed.TotalMilliseconds / n;
        allocated = GC.GetAllocatedBytesForCurrentThread();
        var fuser = new PeriocularFaceFuser();
        using Avatar avatar = fixture.Avatars.Select(new AvatarQuery(AvatarSex.Female, 40, SkinTone.Medium, null));
        sw.Restart();
        for (int i = 0; i < n; i++)
        {
            using FusionResult fused = fuser.Fuse(frame, first.Face!.Landmarks, avatar.Image, avatar.Landmarks, new FusionOptions());
        }

        double fuseMs = sw.Elapsed.TotalMilliseconds / n;
        long fuseKb = (GC.GetAllocatedBytesForCurrentThread() - allocated) / n / 1024;
        output.WriteLine($"measurements {assessMs:F1} ms/frame, fusion onto 1024 x 1024 {fuseMs:F1} ms/frame ({fuseKb} KiB allocated)");

        const int frames = 120;
        var producers = Enumerable.Range(0, frames).Select(_ => (Func<Image<Rgb24>>)(() => frame.Clone())).ToList();
        foreach ((string name, VideoDeidentificationOptions options) in new[]
        {
            ("1024 output, measurements", VideoDeidentificationOptions.Default),
            ("512 output, measurements", new VideoDeidentificationOptions { OutputSize = 512 }),
            ("512 output, no measurements", new VideoDeidentificationOptions { OutputSize = 512, Measurements = false }),
        })
        {
            using var pipeline = new VideoDeidentifier(fixture.Detector, fixture.Avatars);
            await using var source = new InMemorySource(new VideoInfo(1280, 720, new FrameRate(30, 1), frames, null, null, null, 0, false, false), producers);
            var sink = new RecordingSink(keep: false);
            sw.Restart();
            VideoDeidentificationReport report = await pipeline.DeidentifyAsync(source, sink, options);
            output.WriteLine($"pipeline ({name}): {frames / sw.Elapsed.TotalSeconds:F1} frames/s over {frames} frames ({report.FullDetections} full detections, {report.FailedFrames.Count} failed)");
            sink.Written.Should().Be(frames);
        }
    }
}
