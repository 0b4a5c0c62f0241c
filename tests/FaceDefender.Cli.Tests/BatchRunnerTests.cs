using System.Text.Json;
using FaceDefender.Fusion;
using FaceDefender.Pipeline;

namespace FaceDefender.Cli.Tests;

public sealed class BatchRunnerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fd-batch-tests-").FullName;
    private int _folders;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A new empty folder inside this test's temporary root, which <see cref="Dispose"/> deletes.</summary>
    private string Temp(string name) => Directory.CreateDirectory(Path.Combine(_root, $"{name}-{++_folders}")).FullName;

    private static string Face(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", name);

    private static int Run(string input, string output, PatientInfo info, DeidentificationOptions options, bool overwrite, int parallel, TextWriter stdout, TextWriter stderr,
        string? avatarFolder = null, bool progressBar = false) =>
        BatchRunner.Run(input, output, info, options, new BatchSettings { Overwrite = overwrite, Parallel = parallel, AvatarFolder = avatarFolder, ProgressBar = progressBar },
            stdout, stderr);

    [Fact]
    public void A_file_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text_in_report_csv()
    {
        // Unreadable files are enough: their names and messages reach report.csv without any face work.
        string input = Temp("fd-cli-formula");
        string output = Path.Combine(Temp("fd-cli-formula-out"), "out");
        File.WriteAllText(Path.Combine(input, "=HYPERLINK(1).jpg"), "not an image");
        File.WriteAllText(Path.Combine(input, "-2+3.jpg"), "not an image");
        File.WriteAllText(Path.Combine(input, "plain.jpg"), "not an image");
        Run(input, output, new PatientInfo(), DeidentificationOptions.Default, overwrite: false, parallel: 1, new StringWriter(), new StringWriter());

        string[] cells = [.. File.ReadAllLines(Path.Combine(output, "report.csv")).Skip(1).Select(l => l.Split(',')[0].Trim('"'))];
        cells.Should().BeEquivalentTo(["'=HYPERLINK(1).jpg", "'-2+3.jpg", "plain.jpg"]);

        // The JSON report keeps the names as they are.
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        report.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("File").GetString())
            .Should().Contain(["=HYPERLINK(1).jpg", "-2+3.jpg"]);
    }

    [Fact]
    public void The_secret_key_chooses_the_avatar_for_a_pseudonym_and_the_opaque_output_name()
    {
        byte[] key = System.Text.Encoding.UTF8.GetBytes("clinic-secret-1");
        const int identities = 8;

        // A pseudonym for which the secret key and the public default key choose different identities.
        string pseudonym = Enumerable.Range(0, 50).Select(i => $"patient-{i}").First(p =>
            FaceDefender.Avatars.AvatarPseudonym.Choose(key, p, identities) != FaceDefender.Avatars.AvatarPseudonym.Choose(FaceDefender.Avatars.AvatarPseudonym.DefaultKey, p, identities));
        int keyed = FaceDefender.Avatars.AvatarPseudonym.Choose(key, pseudonym, identities);

        string input = Temp("fd-cli-key");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        string output = Path.Combine(Temp("fd-cli-key-out"), "out");
        string map = Path.Combine(Temp("fd-cli-key-map"), "names.csv");
        int code = BatchRunner.Run(input, output, new PatientInfo(PseudonymKey: pseudonym), DeidentificationOptions.Default,
            new BatchSettings { Parallel = 1, Key = key, NameMapFile = map }, new StringWriter(), new StringWriter());
        code.Should().Be(Program.Ok);

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        string avatar = report.RootElement.GetProperty("items")[0].GetProperty("Avatar").GetString()!;
        avatar.Should().EndWith($"-{keyed}", "the avatar is the one the secret key chooses for this pseudonym, not the default key's");

        // The output is named by an HMAC of its relative path under the same key.
        string expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes("output-name\na.png")))[..20] + ".deid.png";
        Directory.GetFiles(output, "*.deid.png").Select(Path.GetFileName).Should().Equal(expected);
        File.ReadAllText(map).Should().Contain($"a.png,{expected}");
    }

    [Fact]
    public void The_report_names_an_output_only_for_photos_done_and_a_warning_only_where_there_is_one()
    {
        string input = Temp("fd-cli-report");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        byte[] hopper = File.ReadAllBytes(Face("grace_hopper.jpg"));
        File.WriteAllBytes(Path.Combine(input, "cut.jpg"), hopper[..(int)(hopper.Length * 0.99)]); // still shows the face
        File.WriteAllText(Path.Combine(input, "broken.jpg"), "not an image");
        string output = Path.Combine(Temp("fd-cli-report-out"), "out");
        Run(input, output, new PatientInfo(), DeidentificationOptions.Default, overwrite: false, parallel: 1, new StringWriter(), new StringWriter())
            .Should().Be(Program.SomeFailed);

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Dictionary<string, JsonElement> rows = report.RootElement.GetProperty("items").EnumerateArray().ToDictionary(e => e.GetProperty("File").GetString()!, e => e.Clone());
        string? Text(string file, string column) => rows[file].GetProperty(column).ValueKind == JsonValueKind.Null ? null : rows[file].GetProperty(column).GetString();

        Text("a.png", "Status").Should().Be("Success");
        Text("a.png", "Output").Should().EndWith("a.deid.png");
        Text("a.png", "Warnings").Should().BeNull("nothing to warn about");
        Text("cut.jpg", "Status").Should().Be("Success");
        Text("cut.jpg", "Warnings").Should().Be("TruncatedImage");
        Text("broken.jpg", "Status").Should().Be("UnreadableImage");
        Text("broken.jpg", "Output").Should().BeNull("a failed photo has no output");
        File.ReadAllLines(Path.Combine(output, "report.csv")).Single(l => l.StartsWith("broken.jpg,", StringComparison.Ordinal))
            .Should().Contain(",UnreadableImage,").And.NotContain(".deid.png");
    }

    [Fact]
    public void A_bad_file_fails_its_item_the_rest_complete_and_a_rerun_skips_finished_outputs()
    {
        string input = Temp("fd-cli-in");
        string output = Path.Combine(Temp("fd-cli-out"), "out");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "sub", "b.jpg"));
        File.WriteAllText(Path.Combine(input, "broken.jpg"), "not an image");
        File.WriteAllText(Path.Combine(input, "notes.txt"), "ignored");
        byte[] before = File.ReadAllBytes(Path.Combine(input, "a.png"));

        var err = new StringWriter();
        int code = Run(input, output, new PatientInfo(), DeidentificationOptions.Default, overwrite: false, parallel: 2, new StringWriter(), err);
        code.Should().Be(Program.SomeFailed);
        File.Exists(Path.Combine(output, "a.deid.png")).Should().BeTrue();
        File.Exists(Path.Combine(output, "sub", "b.deid.png")).Should().BeTrue();
        File.Exists(Path.Combine(output, "broken.deid.png")).Should().BeFalse();
        File.ReadAllBytes(Path.Combine(input, "a.png")).Should().Equal(before, "inputs are never modified");
        Directory.GetFiles(output, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty();

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var statuses = report.RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(e => e.GetProperty("File").GetString()!, e => e.GetProperty("Status").GetString());
        statuses.Should().HaveCount(3);
        statuses["a.png"].Should().Be("Success");
        statuses["broken.jpg"].Should().Be("UnreadableImage");
        File.ReadAllLines(Path.Combine(output, "report.csv")).Should().HaveCount(4);

        // Re-run: finished outputs are skipped, not redone or overwritten.
        DateTime stamp = File.GetLastWriteTimeUtc(Path.Combine(output, "a.deid.png"));
        Run(input, output, new PatientInfo(), DeidentificationOptions.Default, false, 1, new StringWriter(), new StringWriter());
        File.GetLastWriteTimeUtc(Path.Combine(output, "a.deid.png")).Should().Be(stamp);
        File.ReadAllText(Path.Combine(output, "report.json")).Should().Contain("Skipped");
    }

    [Fact]
    public void A_users_avatar_set_is_used_and_a_broken_one_stops_the_run_before_any_photo()
    {
        string set = Temp("fd-cli-avatars");
        using (var a = new FaceDefender.Avatars.ProceduralAvatarProvider().Get(FaceDefender.Abstractions.AvatarSex.Female, FaceDefender.Avatars.AvatarAgeBuckets.Map(45), FaceDefender.Abstractions.SkinTone.Light, 5))
        {
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(a.Image, Path.Combine(set, "mine.png"));
        }

        File.WriteAllText(Path.Combine(set, FaceDefender.Avatars.AvatarManifest.DefaultFileName),
            "{\"avatars\":[{\"file\":\"mine.png\",\"sex\":\"female\",\"age\":45,\"skinTone\":\"light\",\"licence\":\"Apache-2.0\",\"id\":\"my-avatar\"}]}");
        string output = Path.Combine(Temp("fd-cli-out"), "out");
        Run(Face("astronaut.png"), output, new PatientInfo(), DeidentificationOptions.Default, false, 1, new StringWriter(), new StringWriter(), set)
            .Should().Be(Program.Ok);
        File.ReadAllText(Path.Combine(output, "report.csv")).Should().Contain("my-avatar");

        File.WriteAllText(Path.Combine(set, FaceDefender.Avatars.AvatarManifest.DefaultFileName), "{\"avatars\":[{\"file\":\"missing.png\"}]}");
        var err = new StringWriter();
        string output2 = Path.Combine(Temp("fd-cli-out"), "out");
        Run(Face("astronaut.png"), output2, new PatientInfo(), DeidentificationOptions.Default, false, 1, new StringWriter(), err, set)
            .Should().Be(Program.Usage);
        err.ToString().Should().Contain("avatar set");
        Directory.Exists(output2).Should().BeFalse("nothing is written when the avatar set is unusable");
    }

    [Fact]
    public void On_a_terminal_progress_is_a_bar_and_only_failures_get_their_own_line()
    {
        string input = Temp("fd-cli-in");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        File.WriteAllText(Path.Combine(input, "broken.jpg"), "not an image");
        string output = Path.Combine(Temp("fd-cli-out"), "out");
        var err = new StringWriter();
        Run(input, output, new PatientInfo(), DeidentificationOptions.Default, false, 1, new StringWriter(), err, progressBar: true)
            .Should().Be(Program.SomeFailed);
        string text = err.ToString();
        text.Should().Contain("\rde-identifying [").And.Contain("2/2 100%");
        text.Should().Contain("UnreadableImage").And.Contain("broken.jpg");
        text.Should().NotContain("a.png", "successful photos only advance the bar");
    }

    [Fact]
    public void Missing_input_and_bad_parallelism_are_usage_errors()
    {
        var err = new StringWriter();
        Run("/nonexistent/photos", Path.GetTempPath(), new PatientInfo(), DeidentificationOptions.Default, false, 1, new StringWriter(), err)
            .Should().Be(Program.Usage);
        err.ToString().Should().Contain("neither a file nor a folder");
        Run(Face("astronaut.png"), Path.GetTempPath(), new PatientInfo(), DeidentificationOptions.Default, false, 0, new StringWriter(), new StringWriter())
            .Should().Be(Program.Usage);
    }

    [Fact]
    public void Command_line_parses_and_help_works()
    {
        Program.Main(["--help"]).Should().Be(0);
        Program.Main(["deidentify", "--help"]).Should().Be(0);
        Program.Main(["deidentify"]).Should().NotBe(0, "input and --output are required");
        Program.Main(["deidentify", Face("astronaut.png"), "-o", Path.GetTempPath(), "--roi", "Nonsense"]).Should().NotBe(0);
        _ = RoiPreset.Paper;
    }
}
