using System.CommandLine;
using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Landmarks;
using FaceDefender.Privacy;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Cli;

/// <summary><c>facedefender audit &lt;folder&gt;</c>: measures re-identification risk of each protection method on a labelled folder.</summary>
public static class AuditCommand
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var folder = new Argument<string>("folder")
        {
            Description = "Photos labelled by identity: one sub-folder per person (folder/<person>/*.jpg), or files named <person>_<anything>.jpg.",
        };
        var output = new Option<string>("--output", "-o") { Description = "Where privacy-audit.json and privacy-audit.md are written.", DefaultValueFactory = _ => "facedefender-audit" };
        var model = new Option<string?>("--model") { Description = "An ONNX face-recognition model to use instead of the embedded dlib ResNet." };
        var preset = new Option<string>("--model-preset") { Description = "How to feed --model: arcface (112, [-1,1], NCHW) or faceres (224, 0..255, NHWC).", DefaultValueFactory = _ => "arcface" };
        var parallel = new Option<int>("--parallel") { Description = "Photos processed at once (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noPeriocular = new Option<bool>("--no-periocular") { Description = "Skip the eye-strip leakage measurement." };
        var noSameTool = new Option<bool>("--no-same-tool") { Description = "Skip the same-tool attack." };
        var cmd = new Command("audit", "Measure how well each protection method (ours per ROI preset, blur, pixelation, black face with eye strip, raw) hides identity from a face-recognition model. Reports ranks, accept rates and similarities with 95 % intervals; it never certifies safety.")
        {
            folder, output, model, preset, parallel, noPeriocular, noSameTool,
        };
        cmd.SetAction(pr => Run(
            pr.GetValue(folder)!, pr.GetValue(output)!, pr.GetValue(model), pr.GetValue(preset)!, pr.GetValue(parallel),
            !pr.GetValue(noPeriocular), !pr.GetValue(noSameTool), Console.Out, Console.Error));
        return cmd;
    }

    /// <summary>Runs the audit; returns the exit code (0 done, 1 nothing usable, 2 usage error).</summary>
    internal static int Run(string folder, string outputDir, string? modelPath, string preset, int parallel,
        bool periocular, bool sameTool, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(folder))
        {
            stderr.WriteLine($"error: folder '{folder}' does not exist.");
            return Program.Usage;
        }

        if (parallel < 1)
        {
            stderr.WriteLine("error: --parallel must be at least 1.");
            return Program.Usage;
        }

        OnnxFaceEmbedderOptions? modelOptions = null;
        if (modelPath is not null)
        {
            modelOptions = preset.ToLowerInvariant() switch
            {
                "arcface" => OnnxFaceEmbedderOptions.ArcFace,
                "faceres" => OnnxFaceEmbedderOptions.FaceRes,
                _ => null,
            };
            if (modelOptions is null)
            {
                stderr.WriteLine($"error: unknown --model-preset '{preset}': use arcface or faceres.");
                return Program.Usage;
            }
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var labelled = files.Select(f => (File: f, Identity: IdentityOf(folder, f))).ToArray();
        if (labelled.Select(l => l.Identity).Distinct().Count() < 2)
        {
            stderr.WriteLine("error: the audit needs photos of at least two people (sub-folders or <person>_ file-name prefixes).");
            return Program.Usage;
        }

        var samples = new List<AuditSample>();
        int skipped = 0;
        using (var detector = new MediaPipeLandmarkDetector())
        {
            for (int i = 0; i < labelled.Length; i++)
            {
                DrawProgress(stderr, "detecting", i, labelled.Length);
                Image<Rgb24> image;
                try
                {
                    image = FaceImageDecoder.Load(labelled[i].File);
                }
                catch (FaceDefenderException e)
                {
                    stderr.WriteLine($"\nskipped {labelled[i].File}: {e.Message}");
                    skipped++;
                    continue;
                }

                FaceDetection detection = detector.Detect(image);
                if (detection.Face is null)
                {
                    stderr.WriteLine($"\nskipped {labelled[i].File}: {detection.Status}");
                    image.Dispose();
                    skipped++;
                    continue;
                }

                samples.Add(new AuditSample(labelled[i].Identity, image, detection.Face.Landmarks, Path.GetRelativePath(folder, labelled[i].File)));
            }

            DrawProgress(stderr, "detecting", labelled.Length, labelled.Length);
            stderr.WriteLine();
        }

        try
        {
            if (samples.Select(s => s.Identity).Distinct().Count() < 2)
            {
                stderr.WriteLine("error: faces of fewer than two people were found; nothing to audit.");
                return Program.SomeFailed;
            }

            using IFaceEmbedder embedder = modelPath is null ? new DlibFaceEmbedder() : new OnnxFaceEmbedder(modelPath, modelOptions!);
            var avatars = new ProceduralAvatarProvider(new ProceduralAvatarOptions(identitiesPerGroup: 64, cacheCapacity: 256));
            var progress = new Progress<AuditProgress>(p => DrawProgress(stderr, "auditing", p.Completed, p.Total));
            PrivacyAuditReport report = PrivacyAudit.Run(samples, PrivacyAudit.StandardMethods(avatars), embedder,
                new PrivacyAuditOptions(maxDegreeOfParallelism: parallel, periocular: periocular, sameToolAttack: sameTool), progress);
            stderr.WriteLine();
            Directory.CreateDirectory(outputDir);
            string json = Path.Combine(outputDir, "privacy-audit.json");
            string md = Path.Combine(outputDir, "privacy-audit.md");
            File.WriteAllText(json, report.ToJson());
            string markdown = report.ToMarkdown();
            File.WriteAllText(md, markdown);
            stdout.WriteLine(markdown);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {json} and {md} ({samples.Count} photos audited, {skipped} skipped)"));
            return Program.Ok;
        }
        finally
        {
            foreach (AuditSample s in samples)
            {
                s.Image.Dispose();
            }
        }
    }

    /// <summary>The person a file belongs to: its first sub-folder under the root, else its name up to the first underscore.</summary>
    internal static string IdentityOf(string root, string file)
    {
        string relative = Path.GetRelativePath(root, file);
        int sep = relative.IndexOfAny([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);
        if (sep > 0)
        {
            return relative[..sep];
        }

        string stem = Path.GetFileNameWithoutExtension(file);
        int underscore = stem.IndexOf('_', StringComparison.Ordinal);
        return underscore > 0 ? stem[..underscore] : stem;
    }

    private static void DrawProgress(TextWriter w, string what, int done, int total)
    {
        const int width = 30;
        int filled = total == 0 ? width : done * width / total;
        w.Write(string.Create(CultureInfo.InvariantCulture, $"\r{what} [{new string('#', filled)}{new string('.', width - filled)}] {done}/{total}"));
    }
}
