using FaceDefender.Decoding;
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
        var embedderOption = new Option<string>("--embedder")
        {
            Description = "dlib (embedded, default), faceres (from the local model cache: run tools/models/fetch-faceres.sh; FACEDEFENDER_MODEL_CACHE sets the folder), or geometry (an attacker matching the re-detected eye measurements, which every preset keeps).",
            DefaultValueFactory = _ => "dlib",
        };
        var model = new Option<string?>("--model") { Description = "An ONNX face-recognition model to use instead of the embedded dlib ResNet (overrides --embedder)." };
        var preset = new Option<string>("--model-preset") { Description = "How to feed --model: arcface (112, [-1,1], NCHW) or faceres (224, 0..255, NHWC).", DefaultValueFactory = _ => "arcface" };
        var parallel = new Option<int>("--parallel") { Description = "Photos processed at once (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noPeriocular = new Option<bool>("--no-periocular") { Description = "Skip the eye-strip leakage measurement." };
        var noSameTool = new Option<bool>("--no-same-tool") { Description = "Skip the same-tool attack." };
        var noGeometry = new Option<bool>("--no-geometry-attacker")
        {
            Description = "Skip the second audit, with the eye-measurement (geometry) attacker, that runs beside the chosen recogniser by default (every preset keeps the eye geometry).",
        };
        var cmd = new Command("audit", "Measure how well each protection method (ours per ROI preset, blur, pixelation, black face with eye strip, raw) hides identity from a face-recognition model. Reports ranks, accept rates and similarities with 95 % intervals; it never certifies safety.")
        {
            folder, output, embedderOption, model, preset, parallel, noPeriocular, noSameTool, noGeometry,
        };
        cmd.SetAction(pr => Run(
            pr.GetValue(folder)!, pr.GetValue(output)!, pr.GetValue(model), pr.GetValue(preset)!, pr.GetValue(parallel),
            !pr.GetValue(noPeriocular), !pr.GetValue(noSameTool), Console.Out, Console.Error,
            progressBar: !Console.IsErrorRedirected, embedderName: pr.GetValue(embedderOption)!, geometryAttacker: !pr.GetValue(noGeometry)));
        return cmd;
    }

    /// <summary>Runs the audit; returns the exit code (0 done, 1 nothing usable, 2 usage error).</summary>
    /// <remarks>
    /// Progress goes to <paramref name="stderr"/>: a bar redrawn in place when <paramref name="progressBar"/> (stderr is a
    /// terminal), else a line every tenth of the work (logs, pipes). Unless <paramref name="geometryAttacker"/> is false or the
    /// chosen embedder is the geometry attacker itself, a second audit with <see cref="EyeGeometryEmbedder"/> runs on the
    /// same photos and is written beside the first (privacy-audit-geometry.*): every preset keeps the eye geometry, so an
    /// appearance recogniser alone does not bound what an attacker holding eye measurements finds.
    /// </remarks>
    internal static int Run(string folder, string outputDir, string? modelPath, string preset, int parallel,
        bool periocular, bool sameTool, TextWriter stdout, TextWriter stderr, bool progressBar = false, string embedderName = "dlib",
        bool geometryAttacker = true)
    {
        string embedderKind = embedderName.ToLowerInvariant();
        if (modelPath is null && embedderKind is not ("dlib" or "faceres" or "geometry"))
        {
            stderr.WriteLine($"error: unknown --embedder '{embedderName}': use dlib, faceres or geometry.");
            return Program.Usage;
        }

        if (modelPath is null && embedderKind == "faceres" && !FaceResModel.IsAvailable(null, out string? missing))
        {
            stderr.WriteLine($"error: {missing}");
            return Program.SomeFailed;
        }

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

        // Photos stay files: the audit decodes each when it reaches it, so memory does not grow with the folder.
        var samples = new List<AuditPhoto>();
        int skipped = 0;
        var detecting = new ProgressReporter(stderr, "detecting", progressBar);
        using (var detector = new MediaPipeLandmarkDetector())
        {
            for (int i = 0; i < labelled.Length; i++)
            {
                detecting.Report(i, labelled.Length);
                Image<Rgb24> image;
                try
                {
                    image = FaceImageDecoder.Load(labelled[i].File);
                }
                catch (FaceDefenderException e)
                {
                    detecting.Message($"skipped {labelled[i].File}: {e.Message}");
                    skipped++;
                    continue;
                }

                FaceDetection detection;
                using (image)
                {
                    detection = detector.Detect(image);
                }

                if (detection.Face is null)
                {
                    detecting.Message($"skipped {labelled[i].File}: {detection.Status}");
                    skipped++;
                    continue;
                }

                samples.Add(new AuditPhoto(labelled[i].Identity, Path.GetFullPath(labelled[i].File), detection.Face.Landmarks, Path.GetRelativePath(folder, labelled[i].File)));
            }

            detecting.Report(labelled.Length, labelled.Length);
            detecting.Finish();
        }

        if (samples.Select(s => s.Identity).Distinct().Count() < 2)
        {
            stderr.WriteLine("error: faces of fewer than two people were found; nothing to audit.");
            return Program.SomeFailed;
        }

        using IFaceEmbedder embedder = modelPath is not null ? new OnnxFaceEmbedder(modelPath, modelOptions!)
            : embedderKind == "faceres" ? FaceResModel.Load()
            : embedderKind == "geometry" ? new EyeGeometryEmbedder()
            : new DlibFaceEmbedder();
        var avatars = new ProceduralAvatarProvider(new ProceduralAvatarOptions { IdentitiesPerGroup = 64, CacheCapacity = 256 });
        var options = new PrivacyAuditOptions { MaxDegreeOfParallelism = parallel, Periocular = periocular, SameToolAttack = sameTool };
        Directory.CreateDirectory(outputDir);
        PrivacyAuditReport report = AuditAndWrite(samples, avatars, embedder, options, outputDir, "privacy-audit", "auditing", progressBar, stdout, stderr);
        PrivacyAuditReport? geometry = null;
        if (geometryAttacker && embedder is not EyeGeometryEmbedder)
        {
            using var attacker = new EyeGeometryEmbedder();
            geometry = AuditAndWrite(samples, avatars, attacker, options, outputDir, "privacy-audit-geometry", "geometry attacker", progressBar, stdout, stderr);
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{samples.Count} photos audited, {skipped} skipped; reports in {outputDir}: privacy-audit.* ({embedder.Name}){(geometry is null ? "" : ", privacy-audit-geometry.* (eye-geometry attacker)")}"));
        if (geometry is not null && GeometryOnlyComparison(report, geometry) is { } comparison)
        {
            stdout.WriteLine(comparison);
        }

        if (report.NearDuplicates is { } duplicates)
        {
            // The summary's last word: whether the same-tool figures measured the method or copies in the set.
            stdout.WriteLine(duplicates.Summary());
        }

        return Program.Ok;
    }

    /// <summary>
    /// The geometry-only promise checked on this set: an appearance recogniser's same-tool attack on geometry-only outputs
    /// should find no more than the eye-geometry attacker alone, since the output is meant to carry nothing of the patient
    /// but the kept measurements. Null when either report lacks the same-tool figures of the geometry-only method.
    /// </summary>
    internal static string? GeometryOnlyComparison(PrivacyAuditReport appearance, PrivacyAuditReport geometry)
    {
        const string method = "ours-geometry-only";
        ProportionEstimate? a = appearance.Methods.FirstOrDefault(m => m.Method == method)?.SameToolAttack?.Rank1;
        ProportionEstimate? g = geometry.Methods.FirstOrDefault(m => m.Method == method)?.SameToolAttack?.Rank1;
        if (a is null || g is null)
        {
            return null;
        }

        string verdict = a.Successes <= g.Successes
            ? "the appearance recogniser finds no more than the measurements alone"
            : "the appearance recogniser finds MORE than the measurements alone: the geometry-only output carries more of the patient than the kept measurements";
        return string.Create(CultureInfo.InvariantCulture,
            $"geometry-only, same-tool Rank-1: {appearance.Embedder} {a.Successes}/{a.Trials}, eye-geometry attacker {g.Successes}/{g.Trials}: {verdict}.");
    }

    // Runs one audit and writes its JSON, Markdown, PNG plot and SVG plot as <name>.*; each file appears whole or not at all.
    private static PrivacyAuditReport AuditAndWrite(List<AuditPhoto> samples, IAvatarProvider avatars, IFaceEmbedder embedder, PrivacyAuditOptions options,
        string outputDir, string name, string label, bool progressBar, TextWriter stdout, TextWriter stderr)
    {
        var auditing = new ProgressReporter(stderr, label, progressBar);
        // Reported from the worker threads: the reporter serialises the writes.
        var progress = new SynchronousProgress(p => auditing.Report(p.Completed, p.Total));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        PrivacyAuditReport report = PrivacyAudit.Run(samples, PrivacyAudit.StandardMethods(avatars), embedder, options, progress);
        double seconds = clock.Elapsed.TotalSeconds;
        auditing.Finish();
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"audited {samples.Count} photos x {report.Methods.Count} methods in {seconds:F1} s ({samples.Count / seconds:F2} photos/s, {options.MaxDegreeOfParallelism} at once, {embedder.Name})"));
        static void Text(string path, string text) => Pipeline.AtomicFile.Write(path, overwrite: true, st => st.Write(System.Text.Encoding.UTF8.GetBytes(text)));
        Text(Path.Combine(outputDir, name + ".json"), report.ToJson());
        string markdown = report.ToMarkdown();
        Text(Path.Combine(outputDir, name + ".md"), markdown + Environment.NewLine + $"![privacy audit plot]({name}.svg)" +
            Environment.NewLine + Environment.NewLine + PrivacyAuditPlot.Caption + Environment.NewLine);
        Text(Path.Combine(outputDir, name + ".svg"), PrivacyAuditPlot.ToSvg(report));
        stdout.WriteLine(markdown);
        return report;
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

    /// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (Progress&lt;T&gt; posts to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<AuditProgress> report) : IProgress<AuditProgress>
    {
        public void Report(AuditProgress value) => report(value);
    }
}
