using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace FaceDefender.Cli;

/// <summary><c>facedefender report merge &lt;folder&gt;</c>: one report of the workers of a sharded run.</summary>
internal static class ReportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "The output folder the workers of a sharded run (deidentify --shard i/n) wrote to." };
        var merge = new Command("merge", "Merge the workers' report-shard-INDEX-of-COUNT.json into report.json and report.csv, in the order a single run writes (ordinal by relative path). Every shard must be there, once.")
        {
            folder,
        };
        merge.SetAction(pr => Merge(pr.GetValue(folder)!, Console.Out, Console.Error));
        return new Command("report", "Work with batch reports.") { merge };
    }

    /// <summary>Merges the shard reports of <paramref name="folder"/>; returns the exit code (0 merged, 1 shards missing or
    /// inconsistent, nothing written, 2 usage error).</summary>
    internal static int Merge(string folder, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(folder))
        {
            stderr.WriteLine($"error: folder '{folder}' does not exist.");
            return Program.Usage;
        }

        string[] files = Directory.GetFiles(folder, "report-shard-*-of-*.json").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            stderr.WriteLine($"error: no report-shard-*-of-*.json in '{folder}'; run deidentify with --shard first.");
            return Program.SomeFailed;
        }

        var shards = new List<BatchRunner.ShardReport>();
        foreach (string file in files)
        {
            try
            {
                BatchRunner.ShardReport? r = JsonSerializer.Deserialize<BatchRunner.ShardReport>(File.ReadAllText(file), BatchRunner.ReportJson);
                if (r is null || r.Items is null || r.Indices is null || r.Items.Length != r.Indices.Length)
                {
                    stderr.WriteLine($"error: {Path.GetFileName(file)} is not a shard report.");
                    return Program.SomeFailed;
                }

                shards.Add(r);
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {Path.GetFileName(file)} cannot be read ({e.GetType().Name}: {e.Message}).");
                return Program.SomeFailed;
            }
        }

        if (Inconsistency(shards) is { } problem)
        {
            stderr.WriteLine($"error: {problem} Nothing was written.");
            return Program.SomeFailed;
        }

        BatchRunner.ReportRow[] rows = shards
            .SelectMany(s => s.Indices.Zip(s.Items))
            .OrderBy(p => p.First)
            .Select(p => p.Second)
            .ToArray();
        BatchRunner.WriteReports(Path.GetFullPath(folder), rows);
        int ok = rows.Count(r => r.Status is "Success" or "Skipped");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"merged {shards.Count} shard reports: {rows.Length} inputs, {ok} de-identified or already done; wrote {Path.Combine(folder, "report.json")}, report.csv"));
        return Program.Ok;
    }

    // Every worker ran over the same listing with the same count, each index once, and together they cover it.
    private static string? Inconsistency(List<BatchRunner.ShardReport> shards)
    {
        int count = shards[0].Shards, total = shards[0].Total;
        if (shards.Any(s => s.Shards != count || s.Total != total))
        {
            return "the shard reports come from different runs (their shard counts or input totals differ).";
        }

        int[] missing = Enumerable.Range(0, count).Except(shards.Select(s => s.Shard)).ToArray();
        if (missing.Length > 0)
        {
            return $"shard(s) {string.Join(", ", missing.Take(20))} of {count} have no report (not run, or still running).";
        }

        int[] indices = shards.SelectMany(s => s.Indices).ToArray();
        if (indices.Length != total || indices.Distinct().Count() != total || indices.Any(i => i < 0 || i >= total))
        {
            return $"the shards list {indices.Length} inputs ({indices.Distinct().Count()} distinct) where the listing had {total}.";
        }

        return null;
    }
}
