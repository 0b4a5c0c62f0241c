using System.CommandLine;
using FaceDefender.Abstractions;
using FaceDefender.Decoding;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Cli;

/// <summary><c>facedefender assess</c>: eye measurements and findings for photos, without de-identifying them.</summary>
internal static class AssessCommand
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A JPEG/PNG photo, a folder searched recursively for photos, or a video (recognised by its content; needs FFmpeg): its measurements over time." };
        var plot = new Option<string?>("--plot") { Description = "For a video: also write the plot of MRD1, blinks and the Hirschberg deviation over time to this SVG file." };
        var json = new Option<bool>("--json") { Description = "Write every measurement, finding and quality flag as one JSON document on stdout (see docs/cli.md)." };
        var csv = new Option<bool>("--csv") { Description = "Write them as CSV on stdout, one row per photo and measure and unit (see docs/cli.md)." };
        var cmd = new Command("assess", "Measure the eye region (iris-to-canthus, fissure, MRD1/MRD2, decentration, pose) and report findings against the default reference standard; for a video, the measurements over time, blinks and cover-uncover events.")
        {
            input, json, csv, plot,
        };
        cmd.SetAction((pr, ct) =>
        {
            bool asJson = pr.GetValue(json), asCsv = pr.GetValue(csv);
            if (asJson && asCsv)
            {
                Console.Error.WriteLine("error: give --json or --csv, not both.");
                return Task.FromResult(Program.Usage);
            }

            AssessFormat format = asJson ? AssessFormat.Json : asCsv ? AssessFormat.Csv : AssessFormat.Text;
            string path = pr.GetValue(input)!;
            if (File.Exists(path) && MediaSniffer.IsVideo(path))
            {
                return Task.FromResult(AssessVideo.Run(path, Path.GetFileName(path), Console.Out, Console.Error, format, pr.GetValue(plot), !Console.IsErrorRedirected, ct));
            }

            if (pr.GetValue(plot) is not null)
            {
                Console.Error.WriteLine("error: --plot is for a video; the input is not one.");
                return Task.FromResult(Program.Usage);
            }

            return Task.FromResult(Run(path, Console.Out, Console.Error, format, ct));
        });
        return cmd;
    }

    public static int Run(string input, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
        => Run(input, stdout, stderr, AssessFormat.Text, cancellationToken);

    /// <summary>
    /// Assesses each photo and writes the results to <paramref name="stdout"/> in <paramref name="format"/>: text as each
    /// photo is done, CSV row by row, JSON as one document once every photo is done (nothing when cancelled).
    /// </summary>
    public static int Run(string input, TextWriter stdout, TextWriter stderr, AssessFormat format, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Text, Json or Csv.");
        }

        List<(string Source, string Relative)> files = File.Exists(input) ? [(input, Path.GetFileName(input))]
            : Directory.Exists(input) ? InputWalker.Walk(input, null, Extensions, followSymlinks: false).Files
            : [];
        if (files.Count == 0)
        {
            stderr.WriteLine($"error: '{input}' is not a photo or a folder with JPEG/PNG photos.");
            return Program.Usage;
        }

        using var detector = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });
        var benchmark = new LandmarkDiagnosticBenchmark();
        var all = new List<AssessedImage>();
        if (format == AssessFormat.Csv)
        {
            stdout.Write(AssessmentExport.CsvHeader + "\r\n");
        }

        int ok = 0;
        foreach ((string file, string relative) in files)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                stderr.WriteLine("error: cancelled.");
                return Program.RunFailed;
            }

            if (format == AssessFormat.Text)
            {
                stdout.WriteLine($"== {relative}");
            }

            AssessedImage result;
            try
            {
                result = Assess(file, relative, detector, benchmark, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                stderr.WriteLine("error: cancelled.");
                return Program.RunFailed;
            }

            if (result.Assessment is not null)
            {
                ok++;
            }

            switch (format)
            {
                case AssessFormat.Text:
                    PrintText(result, stdout);
                    break;
                case AssessFormat.Csv:
                    AssessmentExport.WriteCsv(result, stdout);
                    break;
                default:
                    all.Add(result);
                    break;
            }
        }

        if (format == AssessFormat.Json)
        {
            AssessmentExport.WriteJson(all, stdout);
        }

        return ok == files.Count ? Program.Ok : Program.SomeFailed;
    }

    private static AssessedImage Assess(string file, string relative, MediaPipeLandmarkDetector detector, LandmarkDiagnosticBenchmark benchmark, CancellationToken cancellationToken)
    {
        try
        {
            using DecodedImage decoded = FaceImageDecoder.Decode(file, cancellationToken: cancellationToken);
            FaceDetection d = detector.Detect(decoded.Image);
            if (d.Face is null)
            {
                return new AssessedImage(relative, AssessmentExport.Name(d.Status), Describe(d.Status), decoded.Truncated, null);
            }

            return new AssessedImage(relative, "success", null, decoded.Truncated, benchmark.Assess(d.Face.Landmarks, d.Face.Pose));
        }
        catch (ImageDecodingException e)
        {
            return new AssessedImage(relative, "unreadableImage", $"{e.Failure}: {e.Message.Replace(file, relative, StringComparison.Ordinal)}", false, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One photo's failure is its own result; the others are still assessed.
            return new AssessedImage(relative, "error", $"{e.GetType().Name}: {e.Message}", false, null);
        }
    }

    private static string Describe(FaceDetectionStatus status) => status switch
    {
        FaceDetectionStatus.NoFace => "No face was found.",
        FaceDetectionStatus.SeveralFaces => "Several faces were found; the eye measurements need a photo of one person.",
        FaceDetectionStatus.FaceTooSmall => "The face is too small to measure.",
        FaceDetectionStatus.LowConfidence => "The face was found with too little confidence to measure.",
        _ => status.ToString(),
    };

    private static void PrintText(AssessedImage r, TextWriter stdout)
    {
        if (r.Truncated)
        {
            stdout.WriteLine("warning: the file is truncated; the missing area was filled by the decoder.");
        }

        if (r.Assessment is { } a)
        {
            AssessmentPrinter.Print(a, stdout);
        }
        else
        {
            string status = r.Status switch
            {
                "unreadableImage" => $"UnreadableImage ({r.Message})",
                "error" => $"Error ({r.Message})",
                _ => char.ToUpperInvariant(r.Status[0]) + r.Status[1..], // the detection status as the library names it
            };
            stdout.WriteLine($"status: {status}");
        }
    }
}

/// <summary>What <c>facedefender assess</c> writes.</summary>
internal enum AssessFormat
{
    /// <summary>A table per photo, for people.</summary>
    Text,

    /// <summary>One JSON document.</summary>
    Json,

    /// <summary>Long-format CSV.</summary>
    Csv,
}
