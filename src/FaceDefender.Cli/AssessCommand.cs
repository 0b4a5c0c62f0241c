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
        var input = new Argument<string>("input") { Description = "A JPEG/PNG photo, or a folder searched recursively." };
        var cmd = new Command("assess", "Measure the eye region (iris-to-canthus, fissure, MRD1/MRD2, decentration, pose) and report findings against the default reference standard.")
        {
            input,
        };
        cmd.SetAction((pr, ct) => Task.FromResult(Run(pr.GetValue(input)!, Console.Out, Console.Error, ct)));
        return cmd;
    }

    public static int Run(string input, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
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
        int ok = 0;
        foreach ((string file, string relative) in files)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                stderr.WriteLine("error: cancelled.");
                return Program.RunFailed;
            }

            stdout.WriteLine($"== {relative}");
            try
            {
                using DecodedImage decoded = FaceImageDecoder.Decode(file, cancellationToken: cancellationToken);
                if (decoded.Truncated)
                {
                    stdout.WriteLine("warning: the file is truncated; the missing area was filled by the decoder.");
                }

                FaceDetection d = detector.Detect(decoded.Image);
                if (d.Face is null)
                {
                    stdout.WriteLine($"status: {d.Status}");
                    continue;
                }

                AssessmentPrinter.Print(benchmark.Assess(d.Face.Landmarks, d.Face.Pose), stdout);
                ok++;
            }
            catch (ImageDecodingException e)
            {
                stdout.WriteLine($"status: UnreadableImage ({e.Failure}: {e.Message.Replace(file, relative, StringComparison.Ordinal)})");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                stderr.WriteLine("error: cancelled.");
                return Program.RunFailed;
            }
            catch (Exception e)
            {
                // One photo's failure is its own line; the others are still assessed.
                stdout.WriteLine($"status: Error ({e.GetType().Name}: {e.Message})");
            }
        }

        return ok == files.Count ? Program.Ok : Program.SomeFailed;
    }
}
