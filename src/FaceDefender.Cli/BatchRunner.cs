using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Decoding;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Video.IO;
using FaceDefender.Video.Processing;

namespace FaceDefender.Cli;

/// <summary>How a batch names its outputs and what it may follow.</summary>
internal sealed record BatchSettings
{
    public bool Overwrite { get; init; }

    public int Parallel { get; init; } = Environment.ProcessorCount;

    public string? AvatarFolder { get; init; }

    public bool ProgressBar { get; init; }

    public bool FollowSymlinks { get; init; }

    /// <summary>Write outputs under keyed-hash names, with the name mapping in this file (outside the output folder).</summary>
    public string? NameMapFile { get; init; }

    /// <summary>HMAC key for pseudonyms and opaque names; null uses the documented default key (with a warning).</summary>
    public byte[]? Key { get; init; }

    /// <summary>This worker's part of the inputs (index from 0, count of workers), or null for all of them.</summary>
    public BatchShard? Shard { get; init; }

    /// <summary>Test seam: runs before each photo with its source path (tests make it throw to stand in for a bug).</summary>
    internal Action<string>? BeforePhoto { get; init; }
}

/// <summary>One of <see cref="Count"/> workers over one input folder: it takes the inputs whose relative path hashes to
/// <see cref="Index"/>, so the workers' parts are disjoint and together cover the folder.</summary>
internal sealed record BatchShard(int Index, int Count)
{
    /// <summary>Parses "i/n" (0 &lt;= i &lt; n), the form Kubernetes Indexed Jobs give as JOB_COMPLETION_INDEX and completions.</summary>
    public static bool TryParse(string? text, out BatchShard? shard, out string? error)
    {
        shard = null;
        error = null;
        if (text is null)
        {
            return true;
        }

        string[] parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            error = $"--shard '{text}': give INDEX/COUNT, for example 0/4 (indices start at 0).";
            return false;
        }

        if (n < 1 || n > 100_000 || i >= n)
        {
            error = $"--shard '{text}': the index must be at least 0 and below the count, and the count between 1 and 100000.";
            return false;
        }

        shard = new BatchShard(i, n);
        return true;
    }

    /// <summary>The worker an input belongs to: SHA-256 of its relative path ('/' separators, UTF-8), first 8 bytes
    /// big-endian, modulo the count. Depends on nothing but the path, so every worker agrees.</summary>
    public static int Of(string relative, int count)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(relative.Replace('\\', '/')));
        return (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count);
    }

    /// <summary>The report file name of this worker: report-shard-INDEX-of-COUNT.</summary>
    public string ReportName => string.Create(CultureInfo.InvariantCulture, $"report-shard-{Index}-of-{Count}");
}

/// <summary>
/// De-identifies a file or a folder tree. Nothing one photo does can stop the run: every photo has its own try, an
/// unexpected exception is that photo's <c>Error</c> row, and the reports are always written (to a fallback file and
/// stderr when the output folder cannot take them).
/// </summary>
internal static class BatchRunner
{
    public const string DefaultKeyWarning =
        "warning: pseudonyms are hashed with the public default key, so anyone can tell which pseudonyms share an avatar; set --pseudonym-key or FACEDEFENDER_PSEUDONYM_KEY.";

    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    public static int Run(string input, string outputDir, PatientInfo info, DeidentificationOptions options, BatchSettings settings, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken = default)
    {
        if (settings.Parallel < 1)
        {
            stderr.WriteLine("error: --parallel must be at least 1.");
            return Program.Usage;
        }

        if (File.Exists(outputDir))
        {
            stderr.WriteLine($"error: the output '{outputDir}' is a file; give a folder.");
            return Program.Usage;
        }

        string outputFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDir));
        if (settings.NameMapFile is { } map && IsInside(Path.GetFullPath(map), outputFull))
        {
            stderr.WriteLine("error: --name-map must lie outside the output folder (the outputs are what gets shared; the map links them back to the input names).");
            return Program.Usage;
        }

        List<(string Source, string Relative)> files;
        List<string> problems = [];
        string[] extensions = ExtensionsFor(options.Decoding.AllowedFormats);
        if (File.Exists(input))
        {
            files = [(Path.GetFullPath(input), Path.GetFileName(input))];
        }
        else if (Directory.Exists(input))
        {
            // Photos by their extension, videos by their content (whatever their names).
            InputWalker.Listing listing = InputWalker.Walk(input, outputFull, extensions, settings.FollowSymlinks, MediaSniffer.IsVideo);
            files = listing.Files;
            problems = listing.Problems;
        }
        else
        {
            stderr.WriteLine($"error: '{input}' is neither a file nor a folder.");
            return Program.Usage;
        }

        foreach (string p in problems)
        {
            stderr.WriteLine($"note: {p}");
        }

        if (info.PseudonymKey is not null && settings.Key is null)
        {
            stderr.WriteLine(DefaultKeyWarning);
        }

        // Output names are fixed before any work: unique (case-insensitively too), so no photo can take another's output.
        string[] targets = settings.NameMapFile is null ? BatchNaming.OutputNames(files.Select(f => f.Relative).ToList()) : OpaqueNames(files.Select(f => f.Relative).ToList(), settings.Key);
        bool[] isVideo = files.Select(f => MediaSniffer.IsVideo(f.Source)).ToArray();
        for (int i = 0; i < targets.Length; i++)
        {
            if (isVideo[i])
            {
                targets[i] = targets[i][..^".png".Length] + ".mp4"; // NAME.deid.mp4: the same unique stem
            }
        }

        // Names come from the whole listing (above), so a worker names its part exactly as a single run would.
        List<(string Source, string Relative)> allFiles = files;
        string[] allTargets = targets;
        int[] indices = Enumerable.Range(0, files.Count).ToArray();
        if (settings.Shard is { } shard)
        {
            indices = indices.Where(i => BatchShard.Of(files[i].Relative, shard.Count) == shard.Index).ToArray();
            files = indices.Select(i => allFiles[i]).ToList();
            targets = indices.Select(i => allTargets[i]).ToArray();
            bool[] allIsVideo = isVideo;
            isVideo = indices.Select(i => allIsVideo[i]).ToArray();
            stderr.WriteLine($"note: shard {shard.Index}/{shard.Count}: {files.Count} of {allFiles.Count} inputs.");
        }

        var rows = new ReportRow[files.Count];
        using var detector = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });
        IAvatarProvider avatars;
        try
        {
            avatars = Avatars(settings, detector);
        }
        catch (Exception e) when (e is AvatarSetException or IOException or UnauthorizedAccessException)
        {
            // A usage error found before any photo: nothing is written.
            stderr.WriteLine($"error: avatar set '{settings.AvatarFolder}': {e.Message}");
            return Program.Usage;
        }

        try
        {
            Directory.CreateDirectory(outputFull);
            // Workers of one sharded run share the output folder: only temporary files older than any photo takes are
            // another run's leftovers, not a running worker's.
            int stale = settings.Shard is null
                ? AtomicFile.RemoveStaleTemporaryFiles(outputFull, recursive: true)
                : AtomicFile.RemoveStaleTemporaryFiles(outputFull, recursive: true, olderThan: TimeSpan.FromHours(1));
            if (stale > 0)
            {
                stderr.WriteLine($"note: removed {stale} temporary file(s) left by an interrupted run.");
            }

            if (settings.NameMapFile is { } mapFile)
            {
                // The whole map, the same from every worker.
                WriteNameMap(mapFile, allFiles, allTargets);
            }

            RunPhotos(detector, avatars, files, targets, isVideo, rows, outputFull, info, options, settings, stderr, cancellationToken);
            RunVideos(detector, avatars, files, targets, isVideo, rows, outputFull, info, options, settings, stderr, cancellationToken);
            FillNotProcessed(rows, files, settings, "The run was cancelled before this video was started."); // the videos a cancellation left
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The run itself failed (output folder not creatable, avatar set unusable, cancelled...): every photo not done is reported.
            stderr.WriteLine($"error: the run stopped: {e.GetType().Name}: {Scrub(e.Message, files, input, outputFull)}");
            FillNotProcessed(rows, files, settings, $"The run stopped before this photo ({e.GetType().Name}).");

            WriteReportsSomewhere(outputFull, rows, settings.Shard, indices, allFiles.Count, stdout, stderr);
            return Program.RunFailed;
        }

        bool written = WriteReportsSomewhere(outputFull, rows, settings.Shard, indices, allFiles.Count, stdout, stderr);
        int ok = rows.Count(r => r.Status is "Success" or "Skipped");
        int videoCount = isVideo.Count(v => v);
        string what = videoCount == 0 ? "photos" : $"inputs ({videoCount} video{(videoCount == 1 ? "" : "s")})";
        stdout.WriteLine($"{ok} of {rows.Length} {what} de-identified or already done.");
        if (!written || cancellationToken.IsCancellationRequested)
        {
            return Program.RunFailed;
        }

        return ok == rows.Length ? Program.Ok : Program.SomeFailed;
    }

    private static IAvatarProvider Avatars(BatchSettings settings, ILandmarkDetector detector)
    {
        if (settings.AvatarFolder is null)
        {
            return new ProceduralAvatarProvider(settings.Key is null ? ProceduralAvatarOptions.Default : new ProceduralAvatarOptions { PseudonymHmacKey = settings.Key });
        }

        // Validate the whole set (manifest, files, one face each) before touching any photo.
        DirectoryAvatarProvider set = DirectoryAvatarProvider.Open(settings.AvatarFolder, detector, pseudonymHmacKey: settings.Key);
        set.Prepare();
        return set;
    }

    private static void RunPhotos(ILandmarkDetector detector, IAvatarProvider avatars, List<(string Source, string Relative)> files, string[] targets, bool[] isVideo,
        ReportRow[] rows, string outputFull, PatientInfo info, DeidentificationOptions options, BatchSettings settings, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (isVideo.All(v => v))
        {
            return;
        }

        using var pipeline = new FaceDeidentifier(detector, avatars, options: options);
        var bar = settings.ProgressBar ? new ProgressReporter(stderr, "de-identifying", bar: true) : null;
        int[] photoIndex = Enumerable.Range(0, files.Count).Where(i => !isVideo[i]).ToArray();
        var items = photoIndex.Select(i => new BatchItem(files[i].Source, Path.Combine(outputFull, targets[i]))).ToList();
        var batchOptions = new BatchOptions { Overwrite = settings.Overwrite, MaxDegreeOfParallelism = settings.Parallel, Patient = info, BeforeItem = settings.BeforePhoto };
        var byItem = new Dictionary<BatchItem, int>(ReferenceEqualityComparer.Instance);
        for (int k = 0; k < items.Count; k++)
        {
            byItem[items[k]] = photoIndex[k];
        }

        ReportRow Row(BatchItemResult r)
        {
            int i = byItem[r.Item];
            string shown = Shown(files[i].Relative, settings);
            return r.Outcome switch
            {
                BatchOutcome.Done or BatchOutcome.Failed => new ReportRow(shown, r.Status!.Value.ToString(), r.Message.Replace(files[i].Source, shown, StringComparison.Ordinal),
                    r.Outcome == BatchOutcome.Done ? targets[i] : null, r.AvatarId, r.TotalMs, r.Warnings == DeidentificationWarnings.None ? null : r.Warnings.ToString()),
                BatchOutcome.Skipped => new ReportRow(shown, "Skipped", "Output exists (use --overwrite to redo).", targets[i], null, 0, null),
                BatchOutcome.Error => new ReportRow(shown, "Error", Scrub(r.Message, files, files[i].Source, outputFull), null, null, 0, null),
                _ => new ReportRow(shown, "NotProcessed", "The run was cancelled before this photo was done.", null, null, 0, null),
            };
        }

        var progress = new SynchronousProgress<BatchProgress>(p =>
        {
            ReportRow row = Row(p.Latest);
            rows[byItem[p.Latest.Item]] = row;
            if (bar is null)
            {
                stderr.WriteLine($"[{p.Completed}/{p.Total}] {row.Status,-16} {row.File}");
            }
            else
            {
                if (row.Status is not ("Success" or "Skipped"))
                {
                    bar.Message($"{row.Status,-16} {row.File}: {row.Message}");
                }

                bar.Report(p.Completed, p.Total);
            }
        });
        BatchResult result = new BatchDeidentifier(pipeline).RunAsync(items, batchOptions, progress, cancellationToken).GetAwaiter().GetResult();
        foreach (BatchItemResult r in result.Items)
        {
            rows[byItem[r.Item]] ??= Row(r); // the items a cancellation left, which reported no progress
        }

        bar?.Finish();
    }

    private static void RunVideos(MediaPipeLandmarkDetector detector, IAvatarProvider avatars, List<(string Source, string Relative)> files, string[] targets, bool[] isVideo,
        ReportRow[] rows, string outputFull, PatientInfo info, DeidentificationOptions options, BatchSettings settings, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!isVideo.Any(v => v))
        {
            return;
        }

        using var videos = new VideoDeidentifier(detector, avatars);
        var fileOptions = new VideoFileOptions
        {
            Processing = new VideoDeidentificationOptions { Deidentification = options, Patient = info },
            Write = new VideoWriteOptions { Overwrite = settings.Overwrite },
        };
        for (int i = 0; i < files.Count; i++)
        {
            if (!isVideo[i])
            {
                continue;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            (string source, string relative) = files[i];
            string target = Path.Combine(outputFull, targets[i]);
            string shown = Shown(relative, settings);
            var progress = new ProgressReporter(stderr, $"video {shown}", settings.ProgressBar);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            ReportRow row;
            try
            {
                settings.BeforePhoto?.Invoke(source);
                if (!settings.Overwrite && File.Exists(target))
                {
                    row = new ReportRow(shown, "Skipped", "Output exists (use --overwrite to redo).", targets[i], null, 0, null);
                }
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    VideoFileResult r = videos.DeidentifyFileAsync(source, target, fileOptions,
                        new SynchronousProgress<VideoProgress>(p => progress.Report(p.FramesWritten, (int)Math.Min(int.MaxValue, p.TotalFrames ?? 0))), cancellationToken)
                        .GetAwaiter().GetResult();
                    progress.Finish();
                    string? warnings = r.Report is { FailedFrames.Count: > 0 } report ? $"FailedFrames={report.FailedFrames.Count}" : null;
                    row = new ReportRow(shown, r.Succeeded ? "Success" : r.Status.ToString(), r.Message.Replace(source, shown, StringComparison.Ordinal),
                        r.Succeeded ? targets[i] : null, r.Report?.Avatar.Id, clock.Elapsed.TotalMilliseconds,
                        r.Status == VideoFileStatus.InputEndedEarly ? Join(warnings, "InputEndedEarly") : warnings);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                row = new ReportRow(shown, "NotProcessed", "The run was cancelled.", null, null, 0, null);
            }
            catch (Exception e)
            {
                // A bug or an environment failure on this video: its row says so, and the batch goes on.
                row = new ReportRow(shown, "Error", $"{e.GetType().Name}: {Scrub(e.Message, files, source, outputFull)}", null, null, 0, null);
            }

            rows[i] = row;
            stderr.WriteLine($"[video] {row.Status,-16} {shown}{(row.Status is "Success" or "Skipped" ? "" : ": " + row.Message)}");
        }

        static string Join(string? a, string b) => a is null ? b : $"{a}, {b}";
    }

    /// <summary>Reports on the calling thread, at once (<see cref="Progress{T}"/> would post to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static void FillNotProcessed(ReportRow[] rows, List<(string Source, string Relative)> files, BatchSettings settings, string why)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] ??= new ReportRow(Shown(files[i].Relative, settings), "NotProcessed", why, null, null, 0, null);
        }
    }

    /// <summary>Keyed-hash names (<c>&lt;20 hex&gt;.deid.png</c>, flat): they reveal nothing of the input names.</summary>
    internal static string[] OpaqueNames(IReadOnlyList<string> relatives, byte[]? key)
    {
        byte[] k = key ?? AvatarPseudonym.DefaultKey.ToArray();
        return relatives.Select(r => Convert.ToHexStringLower(HMACSHA256.HashData(k, Encoding.UTF8.GetBytes("output-name\n" + r)))[..20] + ".deid.png").ToArray();
    }

    private static string Shown(string relative, BatchSettings settings) =>
        settings.NameMapFile is null ? relative : OpaqueNames([relative], settings.Key)[0][..20];

    private static void WriteNameMap(string mapFile, List<(string Source, string Relative)> files, string[] targets)
    {
        var csv = new StringBuilder("input,output\n");
        for (int i = 0; i < files.Count; i++)
        {
            csv.Append(Csv(files[i].Relative)).Append(',').Append(targets[i]).Append('\n');
        }

        AtomicFile.Write(mapFile, overwrite: true, s => s.Write(Encoding.UTF8.GetBytes(csv.ToString())));
    }

    private static string[] ExtensionsFor(ImageFormats formats)
    {
        var list = new List<string>(Extensions);
        if ((formats & ImageFormats.Gif) != 0) list.Add(".gif");
        if ((formats & ImageFormats.Bmp) != 0) list.Add(".bmp");
        if ((formats & ImageFormats.Tiff) != 0) list.AddRange([".tif", ".tiff"]);
        if ((formats & ImageFormats.Webp) != 0) list.Add(".webp");
        if ((formats & ImageFormats.Tga) != 0) list.Add(".tga");
        if ((formats & ImageFormats.Pbm) != 0) list.AddRange([".pbm", ".pgm", ".ppm"]);
        return list.ToArray();
    }

    private static bool IsInside(string path, string folder) =>
        path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || string.Equals(path, folder, StringComparison.Ordinal);

    /// <summary>Absolute paths out of a message: reports carry relative names only.</summary>
    private static string Scrub(string message, List<(string Source, string Relative)> files, string input, string output)
    {
        foreach ((string source, string relative) in files)
        {
            message = message.Replace(source, relative, StringComparison.Ordinal);
        }

        return message.Replace(output, "<output>", StringComparison.Ordinal).Replace(Path.GetFullPath(input), "<input>", StringComparison.Ordinal);
    }

    private static bool WriteReportsSomewhere(string dir, ReportRow[] rows, BatchShard? shard, int[] indices, int total, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (shard is null)
            {
                WriteReports(dir, rows);
                stdout.WriteLine($"reports: {Path.Combine(dir, "report.json")}, report.csv");
            }
            else
            {
                // Each worker its own report; `facedefender report merge` makes report.json and report.csv of them all.
                string name = shard.ReportName;
                AtomicFile.Write(Path.Combine(dir, name + ".json"), overwrite: true,
                    s => JsonSerializer.Serialize(s, new ShardReport(Stamp(), shard.Index, shard.Count, total, indices, rows), ReportJson));
                AtomicFile.Write(Path.Combine(dir, name + ".csv"), overwrite: true, s => s.Write(Encoding.UTF8.GetBytes(Csv(rows))));
                stdout.WriteLine($"reports: {Path.Combine(dir, name + ".json")}, {name}.csv (merge the shards with: facedefender report merge {dir})");
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string fallback = Path.Combine(Path.GetTempPath(), $"facedefender-report-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
            stderr.WriteLine($"error: the reports could not be written to the output folder ({e.GetType().Name}: {e.Message}).");
            try
            {
                WriteReports(fallback, rows);
                stderr.WriteLine($"reports written instead to {fallback}");
            }
            catch (Exception e2) when (e2 is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: the fallback folder failed too ({e2.Message}); the report follows.");
            }

            stderr.Write(Csv(rows));
            return false;
        }
    }

    internal static void WriteReports(string dir, ReportRow[] rows)
    {
        string stamp = Stamp();
        AtomicFile.Write(Path.Combine(dir, "report.json"), overwrite: true,
            s => JsonSerializer.Serialize(s, new { generated = stamp, items = rows }, ReportJson));
        AtomicFile.Write(Path.Combine(dir, "report.csv"), overwrite: true, s => s.Write(Encoding.UTF8.GetBytes(Csv(rows))));
    }

    private static string Stamp() => DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    internal static readonly JsonSerializerOptions ReportJson = new() { WriteIndented = true };

    /// <summary>One worker's report: its rows and where each stands in the whole listing (ordinal by relative path).</summary>
    internal sealed record ShardReport(string Generated, int Shard, int Shards, int Total, int[] Indices, ReportRow[] Items);

    private static string Csv(ReportRow[] rows)
    {
        var csv = new StringBuilder("file,status,message,output,avatar,total_ms,warnings\n");
        foreach (ReportRow r in rows)
        {
            csv.AppendLine(string.Join(',', Csv(r.File), r.Status, Csv(r.Message), Csv(r.Output ?? string.Empty), Csv(r.Avatar ?? string.Empty),
                r.TotalMs.ToString("F1", CultureInfo.InvariantCulture), Csv(r.Warnings ?? string.Empty)));
        }

        return csv.ToString();
    }

    private static string Csv(string v) => AssessmentExport.CsvField(v);

    internal sealed record ReportRow(string File, string Status, string Message, string? Output, string? Avatar, double TotalMs, string? Warnings);
}
