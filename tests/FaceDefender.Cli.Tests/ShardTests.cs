using System.Text.Json;
using FaceDefender.Pipeline;

namespace FaceDefender.Cli.Tests;

/// <summary><c>deidentify --shard i/n</c> and <c>report merge</c>: n workers over one folder do a single run's work, no more, no less.</summary>
public sealed class ShardTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fd-shard-tests-").FullName;
    private int _folders;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Temp(string name) => Directory.CreateDirectory(Path.Combine(_root, $"{name}-{++_folders}")).FullName;

    private static string Face(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", name);

    private static int Run(string input, string output, BatchShard? shard, TextWriter? stdout = null, TextWriter? stderr = null) =>
        BatchRunner.Run(input, output, new PatientInfo(PseudonymKey: "shard-test"), DeidentificationOptions.Default,
            new BatchSettings { Parallel = 1, Shard = shard }, stdout ?? new StringWriter(), stderr ?? new StringWriter());

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    [InlineData("0/100000", 0, 100000)]
    public void Shard_text_parses(string text, int index, int count)
    {
        BatchShard.TryParse(text, out BatchShard? shard, out string? error).Should().BeTrue(error);
        shard.Should().Be(new BatchShard(index, count));
    }

    [Theory]
    [InlineData("4/4")]
    [InlineData("-1/4")]
    [InlineData("1/0")]
    [InlineData("1/100001")]
    [InlineData("1")]
    [InlineData("1/2/3")]
    [InlineData("a/b")]
    [InlineData("1 /2")]
    public void Bad_shard_text_is_a_usage_error_that_says_the_form(string text)
    {
        BatchShard.TryParse(text, out BatchShard? shard, out string? error).Should().BeFalse();
        shard.Should().BeNull();
        error.Should().Contain("--shard").And.Contain(text);
    }

    [Fact]
    public void The_partition_depends_only_on_the_relative_path_and_spreads_the_inputs()
    {
        string[] names = [.. Enumerable.Range(0, 4000).Select(i => $"clinic/{i % 37}/photo-{i}.jpg")];
        int[] counts = new int[4];
        foreach (string n in names)
        {
            int s = BatchShard.Of(n, 4);
            s.Should().BeInRange(0, 3);
            BatchShard.Of(n.Replace('/', '\\'), 4).Should().Be(s, "the same input from a Windows worker");
            counts[s]++;
        }

        // 1000 expected per worker; a binomial sd of 27, so 850..1150 is more than 5 sd.
        counts.Should().OnlyContain(c => c > 850 && c < 1150);
        BatchShard.Of("a.jpg", 1).Should().Be(0);
    }

    [Fact]
    public async Task Three_workers_write_the_same_outputs_as_one_run_and_merge_into_its_report()
    {
        string input = Temp("in");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "astronaut.png"));
        Directory.CreateDirectory(Path.Combine(input, "b"));
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "b", "hopper.jpg"));
        // Names that collide (a.jpg / a.png, which fall to different workers): their outputs are named from the whole
        // listing (a.jpg.deid.png, a.png.deid.png), not from a worker's part, where each would be a.deid.png.
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "a.jpg"));
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        BatchShard.Of("a.jpg", 3).Should().NotBe(BatchShard.Of("a.png", 3));
        for (int i = 0; i < 6; i++)
        {
            File.WriteAllText(Path.Combine(input, $"broken-{i}.jpg"), "not an image");
        }

        string single = Path.Combine(Temp("single"), "out");
        Run(input, single, null).Should().Be(Program.SomeFailed);

        string sharded = Path.Combine(Temp("sharded"), "out");
        int[] codes = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Task.Run(() => Run(input, sharded, new BatchShard(i, 3)))));
        codes.Should().OnlyContain(c => c == Program.Ok || c == Program.SomeFailed);
        File.Exists(Path.Combine(sharded, "report.json")).Should().BeFalse("a worker writes only its own report");
        Directory.GetFiles(sharded, "report-shard-*-of-3.json").Should().HaveCount(3);

        var merged = new StringWriter();
        ReportCommand.Merge(sharded, merged, new StringWriter()).Should().Be(Program.Ok);
        merged.ToString().Should().Contain("merged 3 shard reports: 10 inputs");

        // The outputs: the same files, byte for byte.
        string[] Outputs(string dir) => [.. Directory.GetFiles(dir, "*.png", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal)];
        Outputs(sharded).Should().Equal(Outputs(single)).And.HaveCount(4).And.Contain("a.jpg.deid.png");
        foreach (string f in Outputs(single))
        {
            File.ReadAllBytes(Path.Combine(sharded, f)).Should().Equal(File.ReadAllBytes(Path.Combine(single, f)), f);
        }

        // The reports: the same rows in the same order but for the time each photo took.
        // (total_ms is the sixth column, "F1", the only number of this form in these rows.)
        static string[] Rows(string dir) => [.. File.ReadAllLines(Path.Combine(dir, "report.csv")).Select(l => System.Text.RegularExpressions.Regex.Replace(l, @",[0-9]+\.[0-9],", ",T,"))];
        Rows(sharded).Should().Equal(Rows(single)).And.HaveCount(11);
        static string[] Items(string dir)
        {
            using JsonDocument d = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
            return [.. d.RootElement.GetProperty("items").EnumerateArray()
                .Select(e => string.Join('|', e.EnumerateObject().Where(p => p.Name != "TotalMs").Select(p => $"{p.Name}={p.Value}")))];
        }

        Items(sharded).Should().Equal(Items(single)).And.HaveCount(10);
    }

    [Fact]
    public void Merge_refuses_missing_doubled_or_mismatched_shards_and_writes_nothing()
    {
        string input = Temp("in");
        for (int i = 0; i < 8; i++)
        {
            File.WriteAllText(Path.Combine(input, $"broken-{i}.jpg"), "not an image");
        }

        string output = Path.Combine(Temp("out"), "out");
        Run(input, output, new BatchShard(0, 3));
        Run(input, output, new BatchShard(2, 3));
        var err = new StringWriter();
        ReportCommand.Merge(output, new StringWriter(), err).Should().Be(Program.SomeFailed);
        err.ToString().Should().Contain("shard(s) 1 of 3 have no report");
        File.Exists(Path.Combine(output, "report.json")).Should().BeFalse();

        // A worker of another run (another count) in the same folder.
        Run(input, output, new BatchShard(1, 3));
        Run(input, output, new BatchShard(0, 2));
        err = new StringWriter();
        ReportCommand.Merge(output, new StringWriter(), err).Should().Be(Program.SomeFailed);
        err.ToString().Should().Contain("different runs");
        File.Delete(Path.Combine(output, "report-shard-0-of-2.json"));

        // A shard report that lists an input twice.
        string path = Path.Combine(output, "report-shard-1-of-3.json");
        BatchRunner.ShardReport one = JsonSerializer.Deserialize<BatchRunner.ShardReport>(File.ReadAllText(path), BatchRunner.ReportJson)!;
        BatchRunner.ShardReport other = JsonSerializer.Deserialize<BatchRunner.ShardReport>(File.ReadAllText(Path.Combine(output, "report-shard-0-of-3.json")), BatchRunner.ReportJson)!;
        File.WriteAllText(path, JsonSerializer.Serialize(one with { Indices = [.. one.Indices.Take(one.Indices.Length - 1), other.Indices[0]] }, BatchRunner.ReportJson));
        err = new StringWriter();
        ReportCommand.Merge(output, new StringWriter(), err).Should().Be(Program.SomeFailed);
        err.ToString().Should().Contain("distinct");
        File.Exists(Path.Combine(output, "report.json")).Should().BeFalse();

        ReportCommand.Merge(Path.Combine(output, "missing"), new StringWriter(), new StringWriter()).Should().Be(Program.Usage);
        ReportCommand.Merge(input, new StringWriter(), err = new StringWriter()).Should().Be(Program.SomeFailed);
        err.ToString().Should().Contain("no report-shard");
    }

    [Fact]
    public void A_worker_leaves_the_fresh_temporary_files_of_the_others_and_removes_old_ones()
    {
        string input = Temp("in");
        File.WriteAllText(Path.Combine(input, "broken.jpg"), "not an image");
        string output = Path.Combine(Temp("out"), "out");
        Directory.CreateDirectory(output);
        string fresh = Path.Combine(output, AtomicFile.TemporaryPrefix + new string('a', 32) + ".tmp");
        string old = Path.Combine(output, AtomicFile.TemporaryPrefix + new string('b', 32) + ".tmp");
        File.WriteAllText(fresh, "another worker's photo being written");
        File.WriteAllText(old, "left by a killed run");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));

        Run(input, output, new BatchShard(0, 2));
        File.Exists(fresh).Should().BeTrue("another worker is still writing it");
        File.Exists(old).Should().BeFalse();

        Run(input, output, null);
        File.Exists(fresh).Should().BeFalse("a single run owns the folder");
    }
}
