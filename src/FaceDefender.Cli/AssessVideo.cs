using System.Globalization;
using System.Text;
using FaceDefender.Abstractions;
using FaceDefender.Pipeline;
using FaceDefender.Video;
using FaceDefender.Video.IO;
using FaceDefender.Video.Processing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Cli;

/// <summary>
/// <c>facedefender assess &lt;video&gt;</c>: the eye measurements over time (per frame MRD1/MRD2, fissure, gaze, Hirschberg,
/// covered-eye flags; blinks; the summary) as text, CSV or JSON on stdout, and the plot as SVG with <c>--plot</c>. No
/// de-identified video is written.
/// </summary>
internal static class AssessVideo
{
    public static int Run(string input, string shown, TextWriter stdout, TextWriter stderr, AssessFormat format, string? plot, bool progressBar,
        CancellationToken cancellationToken)
    {
        VideoOpenResult opened = FfmpegVideoSource.OpenAsync(input, cancellationToken: cancellationToken).GetAwaiter().GetResult();
        if (opened.Source is not { } source)
        {
            stderr.WriteLine($"error: {shown}: {opened.Status}: {opened.Message}");
            return opened.Status == VideoOpenStatus.FfmpegNotFound ? Program.RunFailed : Program.SomeFailed;
        }

        VideoDeidentificationReport report;
        try
        {
            using var pipeline = new VideoDeidentifier();
            var progress = new ProgressReporter(stderr, $"assessing {shown}", progressBar);
            // The smallest output: the frames are discarded, only the measurements are kept.
            var options = new VideoDeidentificationOptions { OutputSize = 128, Measurements = true };
            report = pipeline.DeidentifyAsync(source, new DiscardingSink(), options,
                new FrameProgress(p => progress.Report(p.FramesWritten, (int)Math.Min(int.MaxValue, p.TotalFrames ?? 0))), cancellationToken).GetAwaiter().GetResult();
            progress.Finish();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stderr.WriteLine("error: cancelled.");
            return Program.RunFailed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stderr.WriteLine($"error: {shown}: {e.GetType().Name}: {e.Message.Replace(input, shown, StringComparison.Ordinal)}");
            return Program.SomeFailed;
        }
        finally
        {
            source.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        if (source.EndedEarly)
        {
            stderr.WriteLine($"warning: {shown} ended early (truncated or damaged): {report.FrameCount} frame(s) could be read and were measured.");
        }

        switch (format)
        {
            case AssessFormat.Json:
                using (var buffer = new MemoryStream())
                {
                    VideoMeasurementWriter.WriteJson(report, buffer);
                    stdout.Write(Encoding.UTF8.GetString(buffer.ToArray()));
                }

                break;
            case AssessFormat.Csv:
                VideoMeasurementWriter.WriteCsv(report, stdout);
                break;
            default:
                PrintSummary(shown, source.Info, report, stdout);
                break;
        }

        if (plot is not null)
        {
            var svg = new StringWriter(CultureInfo.InvariantCulture);
            VideoMeasurementWriter.WriteSvg(report, svg);
            AtomicFile.Write(plot, overwrite: true, s => s.Write(Encoding.UTF8.GetBytes(svg.ToString())));
            stderr.WriteLine($"wrote {plot}");
        }

        return report.Summary is { MeasuredFrames: > 0 } ? Program.Ok : Program.SomeFailed;
    }

    private static void PrintSummary(string shown, VideoInfo info, VideoDeidentificationReport report, TextWriter stdout)
    {
        static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        stdout.WriteLine($"== {shown}");
        stdout.WriteLine(F($"frames: {report.FrameCount} at {info.FrameRate} ({report.FrameRate.PerSecond:F2}/s), {info.Width} x {info.Height}"));
        stdout.WriteLine(F($"frames without a trustworthy face: {report.FailedFrames.Count}"));
        foreach (IGrouping<FrameFailureReason, FrameFailure> g in report.FailedFrames.GroupBy(f => f.Reason))
        {
            stdout.WriteLine(F($"  {g.Key}: {g.Count()} (first at frame {g.Min(f => f.Frame)})"));
        }

        if (report.Summary is not { } s)
        {
            stdout.WriteLine("no measurements");
            return;
        }

        stdout.WriteLine(F($"measured frames: {s.MeasuredFrames} of {report.FrameCount} ({s.DurationSeconds:F1} s)"));
        stdout.WriteLine(F($"blinks: {s.BlinkCount} ({s.BlinksPerMinute:F1} per minute)"));
        foreach (BlinkEvent b in report.Blinks.Take(20))
        {
            stdout.WriteLine(F($"  frames {b.StartFrame}-{b.EndFrame}, {b.DurationMs:F0} ms, narrowest fissure {b.MinimumFissureMm:F1} mm"));
        }

        stdout.WriteLine(F($"MRD1 right: min {s.RightMrd1.Minimum:F2}, median {s.RightMrd1.Median:F2}, max {s.RightMrd1.Maximum:F2} mm"));
        stdout.WriteLine(F($"MRD1 left:  min {s.LeftMrd1.Minimum:F2}, median {s.LeftMrd1.Median:F2}, max {s.LeftMrd1.Maximum:F2} mm"));
        foreach (CoverEvent c in s.Covers)
        {
            string eye = c.Eye == EyeSide.Right ? "right" : "left";
            stdout.WriteLine(F($"cover {eye} eye: frames {c.CoverStartFrame}-{c.UncoverFrame}; on uncover {c.UncoverDeviationPrism:F1} PD, settled {c.SettledDeviationPrism:F1} PD, refixation {c.RefixationPrism:F1} PD"));
        }
    }

    /// <summary>Frames that nobody keeps: assess measures, it does not write the patient's video.</summary>
    private sealed class DiscardingSink : IVideoFrameSink
    {
        public ValueTask WriteAsync(Image<Rgb24> frame, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public Task CompleteAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class FrameProgress(Action<VideoProgress> report) : IProgress<VideoProgress>
    {
        public void Report(VideoProgress value) => report(value);
    }
}
