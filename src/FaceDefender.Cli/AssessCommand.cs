using System.CommandLine;
using FaceDefender.Abstractions;
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
        cmd.SetAction(pr => Run(pr.GetValue(input)!, Console.Out, Console.Error));
        return cmd;
    }

    public static int Run(string input, TextWriter stdout, TextWriter stderr)
    {
        string[] files = File.Exists(input) ? [input]
            : Directory.Exists(input) ? Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToArray()
            : [];
        if (files.Length == 0)
        {
            stderr.WriteLine($"error: '{input}' is not a photo or a folder with JPEG/PNG photos.");
            return Program.Usage;
        }

        using var detector = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });
        var benchmark = new LandmarkDiagnosticBenchmark();
        int ok = 0;
        foreach (string file in files)
        {
            stdout.WriteLine($"== {file}");
            try
            {
                FaceDetection d = detector.Detect(file);
                if (d.Face is null)
                {
                    stdout.WriteLine($"status: {d.Status}");
                    continue;
                }

                AssessmentPrinter.Print(benchmark.Assess(d.Face.Landmarks, d.Face.Pose), stdout);
                ok++;
            }
            catch (FaceDefenderException e)
            {
                stdout.WriteLine($"status: unreadable ({e.Message})");
            }
        }

        return ok == files.Length ? Program.Ok : Program.SomeFailed;
    }
}
