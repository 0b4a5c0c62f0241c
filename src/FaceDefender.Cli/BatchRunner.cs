using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;

namespace FaceDefender.Cli;

/// <summary>De-identifies a file or a folder tree; one bad file fails its item, never the run.</summary>
internal static class BatchRunner
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    public static int Run(string input, string outputDir, PatientInfo info, DeidentificationOptions options, bool overwrite, int parallel, TextWriter stdout, TextWriter stderr,
        string? avatarFolder = null, bool progressBar = false)
    {
        List<(string Source, string Relative)> files;
        if (File.Exists(input))
        {
            files = [(Path.GetFullPath(input), Path.GetFileName(input))];
        }
        else if (Directory.Exists(input))
        {
            string root = Path.GetFullPath(input);
            files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal)
                .Select(f => (f, Path.GetRelativePath(root, f)))
                .ToList();
        }
        else
        {
            stderr.WriteLine($"error: '{input}' is neither a file nor a folder.");
            return Program.Usage;
        }

        if (parallel < 1)
        {
            stderr.WriteLine("error: --parallel must be at least 1.");
            return Program.Usage;
        }

        using var detector = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });
        IAvatarProvider? avatars = null;
        if (avatarFolder is not null)
        {
            try
            {
                // Validate the whole set (manifest, files, one face each) before touching any photo.
                DirectoryAvatarProvider set = DirectoryAvatarProvider.Open(avatarFolder, detector);
                set.Prepare();
                avatars = set;
            }
            catch (Exception e) when (e is AvatarSetException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: avatar set '{avatarFolder}': {e.Message}");
                return Program.Usage;
            }
        }

        Directory.CreateDirectory(outputDir);
        var rows = new ConcurrentBag<ReportRow>();
        int done = 0;
        using var pipeline = new FaceDeidentifier(detector, avatars, options: options);
        var bar = progressBar ? new ProgressReporter(stderr, "de-identifying", bar: true) : null;
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = parallel }, file =>
        {
            string target = Path.Combine(outputDir, Path.ChangeExtension(file.Relative, null) + ".deid.png");
            ReportRow row;
            if (!overwrite && File.Exists(target))
            {
                row = new ReportRow(file.Relative, "Skipped", "Output exists (use --overwrite to redo).", target, null, 0);
            }
            else
            {
                try
                {
                    using DeidentificationResult r = pipeline.Deidentify(file.Source, info);
                    if (r.Succeeded)
                    {
                        r.SavePng(target, overwrite);
                    }

                    row = new ReportRow(file.Relative, r.Status.ToString(), r.Message, r.Succeeded ? target : null, r.Avatar?.Id, r.Timings.TotalMs);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FaceDefenderException)
                {
                    row = new ReportRow(file.Relative, "Error", e.Message, null, null, 0);
                }
            }

            rows.Add(row);
            int n = Interlocked.Increment(ref done);
            if (bar is null)
            {
                stderr.WriteLine($"[{n}/{files.Count}] {row.Status,-16} {file.Relative}");
            }
            else
            {
                // On a terminal: a bar, with only the photos that did not succeed on their own lines.
                if (row.Status is not ("Success" or "Skipped"))
                {
                    bar.Message($"{row.Status,-16} {file.Relative}: {row.Message}");
                }

                bar.Report(n, files.Count);
            }
        });
        bar?.Finish();

        List<ReportRow> ordered = rows.OrderBy(r => r.File, StringComparer.Ordinal).ToList();
        WriteReports(outputDir, ordered);
        int ok = ordered.Count(r => r.Status is "Success" or "Skipped");
        stdout.WriteLine($"{ok} of {ordered.Count} photos de-identified or already done; reports: {Path.Combine(outputDir, "report.json")}, report.csv");
        return ok == ordered.Count ? Program.Ok : Program.SomeFailed;
    }

    private static void WriteReports(string dir, List<ReportRow> rows)
    {
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        Pipeline.AtomicFile.Write(Path.Combine(dir, "report.json"), overwrite: true,
            s => JsonSerializer.Serialize(s, new { generated = stamp, items = rows }, new JsonSerializerOptions { WriteIndented = true }));
        var csv = new StringBuilder("file,status,message,output,avatar,total_ms\n");
        foreach (ReportRow r in rows)
        {
            csv.AppendLine(string.Join(',', Csv(r.File), r.Status, Csv(r.Message), Csv(r.Output ?? string.Empty), Csv(r.Avatar ?? string.Empty),
                r.TotalMs.ToString("F1", CultureInfo.InvariantCulture)));
        }

        Pipeline.AtomicFile.Write(Path.Combine(dir, "report.csv"), overwrite: true, s => s.Write(Encoding.UTF8.GetBytes(csv.ToString())));
    }

    private static string Csv(string v) => v.Contains(',') || v.Contains('"') || v.Contains('\n') ? $"\"{v.Replace("\"", "\"\"")}\"" : v;

    private sealed record ReportRow(string File, string Status, string Message, string? Output, string? Avatar, double TotalMs);
}
