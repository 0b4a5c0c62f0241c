using System.Text.Json;
using FaceDefender.Decoding;
using FaceDefender.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Cli.Tests;

/// <summary>
/// What a batch decides for each input: which files it lists, which it skips or redoes, what each report row says, and
/// which exit code the run ends with. Most inputs are files that are not images, so no face work is done.
/// </summary>
public sealed class BatchDecisionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fd-batch-decisions-").FullName;
    private int _folders;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Temp(string name) => Directory.CreateDirectory(Path.Combine(_root, $"{name}-{++_folders}")).FullName;

    private static string Face(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", name);

    /// <summary>The first bytes of an MP4: a video to the batch, whatever its name, but nothing a decoder can read.</summary>
    private static void FakeVideo(string path) => File.WriteAllBytes(path, [.. "\0\0\0\u0020ftypisom\0\0\0\0isomiso2avc1mp41"u8]);

    private static int Run(string input, string output, BatchSettings settings, TextWriter? stdout = null, TextWriter? stderr = null,
        DeidentificationOptions? options = null, CancellationToken cancellationToken = default) =>
        BatchRunner.Run(input, output, new PatientInfo(), options ?? DeidentificationOptions.Default, settings with { Parallel = Math.Max(1, settings.Parallel) },
            stdout ?? new StringWriter(), stderr ?? new StringWriter(), cancellationToken);

    private static Dictionary<string, JsonElement> JsonRows(string output, string report = "report.json")
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, report)));
        return doc.RootElement.GetProperty(report == "report.json" ? "items" : "Items").EnumerateArray().ToDictionary(e => e.GetProperty("File").GetString()!, e => e.Clone());
    }

    /// <summary>report.csv as records of fields (quoted fields may hold commas and doubled quotes; no line breaks in these rows).</summary>
    private static List<string[]> CsvRecords(string path)
    {
        var records = new List<string[]>();
        foreach (string line in File.ReadAllLines(path))
        {
            var fields = new List<string>();
            var field = new System.Text.StringBuilder();
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ',' && !quoted)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(c);
                }
            }

            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }

    private static string? Text(JsonElement row, string column) =>
        row.GetProperty(column).ValueKind == JsonValueKind.Null ? null : row.GetProperty(column).GetString();

    [Fact]
    public void Each_allowed_format_adds_its_extensions_and_the_default_lists_only_jpeg_and_png()
    {
        string input = Temp("in");
        string[] photos = ["a.jpg", "b.jpeg", "c.png", "d.gif", "e.bmp", "f.tif", "g.tiff", "h.webp", "i.tga", "j.pbm", "k.pgm", "l.ppm"];
        foreach (string name in photos)
        {
            File.WriteAllText(Path.Combine(input, name), "not an image");
        }

        File.WriteAllText(Path.Combine(input, "m.txt"), "not an image");
        ImageFormats all = ImageFormats.Default | ImageFormats.Gif | ImageFormats.Bmp | ImageFormats.Tiff | ImageFormats.Webp | ImageFormats.Tga | ImageFormats.Pbm;

        string output = Path.Combine(Temp("out"), "out");
        Run(input, output, new BatchSettings(), options: DeidentificationOptions.Default with { Decoding = ImageDecodingOptions.Default with { AllowedFormats = all } })
            .Should().Be(Program.SomeFailed);
        JsonRows(output).Keys.Should().BeEquivalentTo(photos);

        string defaults = Path.Combine(Temp("out"), "out");
        Run(input, defaults, new BatchSettings()).Should().Be(Program.SomeFailed);
        JsonRows(defaults).Keys.Should().BeEquivalentTo(["a.jpg", "b.jpeg", "c.png"]);
    }

    [Fact]
    public void Report_csv_has_the_same_fields_as_report_json_for_done_refused_failed_and_skipped_photos()
    {
        string input = Temp("in");
        byte[] hopper = File.ReadAllBytes(Face("grace_hopper.jpg"));
        File.WriteAllBytes(Path.Combine(input, "cut.jpg"), hopper[..(int)(hopper.Length * 0.99)]); // still shows the face, with a warning
        using (Image<Rgb24> left = Image.Load<Rgb24>(Face("astronaut.png")))
        using (Image<Rgb24> right = Image.Load<Rgb24>(Face("grace_hopper.jpg")))
        using (var two = new Image<Rgb24>(1024, 600, new Rgb24(128, 128, 128)))
        {
            two.Mutate(c => c.DrawImage(left, new Point(0, 44), 1f).DrawImage(right, new Point(512, 0), 1f));
            two.SaveAsPng(Path.Combine(input, "two.png"));
        }

        File.WriteAllText(Path.Combine(input, "broken.jpg"), "not an image");
        File.WriteAllText(Path.Combine(input, "done.png"), "not an image");
        string output = Path.Combine(Temp("out"), "out");
        Directory.CreateDirectory(output);
        File.WriteAllBytes(Path.Combine(output, "done.deid.png"), [1, 2, 3]);

        Run(input, output, new BatchSettings()).Should().Be(Program.SomeFailed);

        Dictionary<string, JsonElement> json = JsonRows(output);
        Text(json["cut.jpg"], "Status").Should().Be("Success");
        Text(json["cut.jpg"], "Warnings").Should().Be("TruncatedImage");
        Text(json["cut.jpg"], "Avatar").Should().StartWith("procedural-");
        Text(json["two.png"], "Status").Should().Be("SeveralFaces", "a photo of two people is refused, not de-identified for one of them");
        Text(json["two.png"], "Output").Should().BeNull();
        File.Exists(Path.Combine(output, "two.deid.png")).Should().BeFalse();
        Text(json["done.png"], "Status").Should().Be("Skipped");
        Text(json["done.png"], "Output").Should().Be("done.deid.png");
        File.ReadAllBytes(Path.Combine(output, "done.deid.png")).Should().Equal([1, 2, 3]);

        List<string[]> csv = CsvRecords(Path.Combine(output, "report.csv"));
        csv[0].Should().Equal("file", "status", "message", "output", "avatar", "total_ms", "warnings");
        csv.Should().HaveCount(json.Count + 1);
        foreach (string[] record in csv.Skip(1))
        {
            JsonElement row = json[record[0]];
            string[] expected =
            [
                record[0], Text(row, "Status")!, Text(row, "Message")!, Text(row, "Output") ?? "", Text(row, "Avatar") ?? "",
                row.GetProperty("TotalMs").GetDouble().ToString("F1", System.Globalization.CultureInfo.InvariantCulture), Text(row, "Warnings") ?? "",
            ];
            record.Should().Equal(expected, $"the CSV row of {record[0]} says what its JSON row says");
        }
    }

    [Fact]
    public void A_shard_report_is_rewritten_on_a_rerun_and_the_worker_says_its_share_and_how_to_merge()
    {
        string input = Temp("in");
        string[] names = ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"];
        foreach (string name in names)
        {
            File.WriteAllText(Path.Combine(input, name), "not an image");
        }

        int mine = names.Count(n => BatchShard.Of(n, 2) == 1);
        string output = Path.Combine(Temp("out"), "out");
        Directory.CreateDirectory(Path.Combine(output, "sub"));
        string old = Path.Combine(output, "sub", AtomicFile.TemporaryPrefix + new string('c', 32) + ".tmp");
        File.WriteAllText(old, "left by a killed run");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Run(input, output, new BatchSettings { Shard = new BatchShard(1, 2) }, stdout, stderr).Should().Be(Program.SomeFailed);
        stderr.ToString().Should().Contain($"shard 1/2: {mine} of 5 inputs").And.Contain("removed 1 temporary file(s)");
        File.Exists(old).Should().BeFalse("an old temporary file in a sub-folder is another run's leftover");
        stdout.ToString().Should().Contain("report-shard-1-of-2.csv").And.Contain($"facedefender report merge {output}");

        // The same worker again: its reports are replaced, not a reason to fail the run.
        File.WriteAllText(Path.Combine(output, "report-shard-1-of-2.csv"), "stale");
        Run(input, output, new BatchSettings { Shard = new BatchShard(1, 2) }).Should().Be(Program.SomeFailed);
        string[] csv = File.ReadAllLines(Path.Combine(output, "report-shard-1-of-2.csv"));
        csv.Should().HaveCount(mine + 1);
        csv.Skip(1).Should().AllSatisfy(l => l.Should().Contain(",UnreadableImage,"));
        JsonRows(output, "report-shard-1-of-2.json").Should().HaveCount(mine);
    }

    [Fact]
    public void A_rerun_with_opaque_names_replaces_the_name_map()
    {
        string input = Temp("in");
        File.WriteAllText(Path.Combine(input, "a.jpg"), "not an image");
        string output = Path.Combine(Temp("out"), "out");
        string map = Path.Combine(Temp("map"), "map.csv");
        Run(input, output, new BatchSettings { NameMapFile = map }).Should().Be(Program.SomeFailed);
        File.WriteAllText(Path.Combine(input, "b.jpg"), "not an image");
        Run(input, output, new BatchSettings { NameMapFile = map }).Should().Be(Program.SomeFailed, "resuming a run rewrites its map");
        File.ReadAllLines(map).Select(l => l.Split(',')[0]).Should().Equal("input", "a.jpg", "b.jpg");
    }

    [Fact]
    public void A_cancelled_run_is_exit_3_with_a_not_processed_row_for_every_photo_and_video()
    {
        string input = Temp("in");
        File.WriteAllText(Path.Combine(input, "a.jpg"), "not an image");
        FakeVideo(Path.Combine(input, "v.mp4"));
        string output = Path.Combine(Temp("out"), "out");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Run(input, output, new BatchSettings(), cancellationToken: cancelled.Token).Should().Be(Program.RunFailed);

        Dictionary<string, JsonElement> rows = JsonRows(output);
        rows.Keys.Should().BeEquivalentTo(["a.jpg", "v.mp4"]);
        rows.Values.Select(r => Text(r, "Status")).Should().AllBe("NotProcessed");
        Text(rows["a.jpg"], "Message").Should().Contain("cancelled");
        Text(rows["v.mp4"], "Message").Should().Contain("cancelled");
        Directory.GetFiles(output, "*.deid.*").Should().BeEmpty();
    }

    [Fact]
    public void An_exception_on_a_video_is_its_error_row_and_photos_are_not_taken_for_videos()
    {
        string input = Temp("in");
        File.WriteAllText(Path.Combine(input, "a.jpg"), "not an image");
        FakeVideo(Path.Combine(input, "v.bin"));
        string output = Path.Combine(Temp("out"), "out");
        var stderr = new StringWriter();

        Run(input, output, new BatchSettings { BeforePhoto = p => _ = Path.GetFileName(p) == "v.bin" ? throw new NullReferenceException("planted") : 0 }, stderr: stderr)
            .Should().Be(Program.SomeFailed);

        Dictionary<string, JsonElement> rows = JsonRows(output);
        Text(rows["v.bin"], "Status").Should().Be("Error");
        Text(rows["v.bin"], "Message").Should().Be("NullReferenceException: planted");
        Text(rows["a.jpg"], "Status").Should().Be("UnreadableImage", "a photo is decoded as a photo only");
        stderr.ToString().Should().Contain("[video] Error").And.Contain("v.bin: NullReferenceException: planted");
    }

    [Fact]
    public void An_avatar_set_with_a_faceless_image_is_refused_before_any_photo()
    {
        string set = Temp("avatars");
        using (var blank = new Image<Rgb24>(256, 256, new Rgb24(200, 170, 150)))
        {
            blank.SaveAsPng(Path.Combine(set, "blank.png"));
        }

        File.WriteAllText(Path.Combine(set, FaceDefender.Avatars.AvatarManifest.DefaultFileName),
            "{\"avatars\":[{\"file\":\"blank.png\",\"sex\":\"female\",\"age\":45,\"skinTone\":\"light\",\"licence\":\"Apache-2.0\",\"id\":\"blank\"}]}");
        string input = Temp("in");
        File.WriteAllText(Path.Combine(input, "a.jpg"), "not an image");
        string output = Path.Combine(Temp("out"), "out");
        var stderr = new StringWriter();

        Run(input, output, new BatchSettings { AvatarFolder = set }, stderr: stderr).Should().Be(Program.Usage);

        stderr.ToString().Should().Contain($"avatar set '{set}'");
        Directory.Exists(output).Should().BeFalse("nothing is written when the avatar set is unusable");
    }

    [Fact]
    public void On_a_terminal_a_skipped_photo_only_advances_the_bar()
    {
        string input = Temp("in");
        File.WriteAllText(Path.Combine(input, "a.png"), "not an image");
        File.WriteAllText(Path.Combine(input, "b.jpg"), "not an image");
        string output = Path.Combine(Temp("out"), "out");
        Directory.CreateDirectory(output);
        File.WriteAllBytes(Path.Combine(output, "a.deid.png"), [1, 2, 3]);
        var stderr = new StringWriter();

        Run(input, output, new BatchSettings { ProgressBar = true }, stderr: stderr).Should().Be(Program.SomeFailed);

        JsonRows(output).Should().ContainKey("a.png").WhoseValue.GetProperty("Status").GetString().Should().Be("Skipped");
        stderr.ToString().Should().Contain("b.jpg", "a failed photo gets its line").And.NotContain("a.png", "a skipped one does not");
    }

    [Fact]
    public void Too_little_parallelism_is_a_usage_error_that_names_the_option()
    {
        var stderr = new StringWriter();
        BatchRunner.Run(Face("astronaut.png"), Path.Combine(_root, "never"), new PatientInfo(), DeidentificationOptions.Default, new BatchSettings { Parallel = 0 },
            new StringWriter(), stderr).Should().Be(Program.Usage);
        stderr.ToString().Should().Contain("--parallel");
        Directory.Exists(Path.Combine(_root, "never")).Should().BeFalse();
    }
}
