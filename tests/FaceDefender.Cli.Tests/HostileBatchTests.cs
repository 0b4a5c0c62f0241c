using System.Diagnostics;
using System.Text.Json;
using FaceDefender.Pipeline;

namespace FaceDefender.Cli.Tests;

/// <summary>
/// The batch under hostile and broken input: whatever one photo or the folder tree does, the other photos are done, the
/// report is written with a row per photo, and the exit code says what happened. Every temporary folder is removed.
/// </summary>
public sealed class HostileBatchTests : IDisposable
{
    private readonly List<string> _temp = [];

    private static string Face(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", name);

    private string Temp(string name)
    {
        string dir = Directory.CreateTempSubdirectory("fd-hostile-" + name).FullName;
        _temp.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        foreach (string d in _temp)
        {
            try
            {
                Directory.Delete(d, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int Run(string input, string output, BatchSettings settings, StringWriter? stdout = null, StringWriter? stderr = null, PatientInfo? info = null) =>
        BatchRunner.Run(input, output, info ?? new PatientInfo(), DeidentificationOptions.Default, settings with { Parallel = Math.Max(1, settings.Parallel) },
            stdout ?? new StringWriter(), stderr ?? new StringWriter());

    private static Dictionary<string, JsonElement> Rows(string output)
    {
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        return report.RootElement.GetProperty("items").EnumerateArray().ToDictionary(e => e.GetProperty("File").GetString()!, e => e.Clone());
    }

    [Fact]
    public void An_unexpected_exception_on_one_photo_is_its_error_row_and_the_batch_goes_on()
    {
        string input = Temp("in");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "b.jpg"));
        File.Copy(Face("astronaut.png"), Path.Combine(input, "c.png"));
        string output = Path.Combine(Temp("out"), "out");
        int code = Run(input, output, new BatchSettings
        {
            Parallel = 2,
            BeforePhoto = p => _ = Path.GetFileName(p) == "b.jpg" ? throw new NullReferenceException("planted") : 0,
        });

        code.Should().Be(Program.SomeFailed);
        Dictionary<string, JsonElement> rows = Rows(output);
        rows.Should().HaveCount(3);
        rows["b.jpg"].GetProperty("Status").GetString().Should().Be("Error");
        rows["b.jpg"].GetProperty("Message").GetString().Should().StartWith("NullReferenceException: planted");
        rows["a.png"].GetProperty("Status").GetString().Should().Be("Success");
        rows["c.png"].GetProperty("Status").GetString().Should().Be("Success");
    }

    [Fact]
    public void Inputs_whose_names_would_collide_get_distinct_outputs_each_linked_to_its_own_input()
    {
        string input = Temp("in");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "a.jpg"));
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "A.JPG"));
        string output = Path.Combine(Temp("out"), "out");
        Run(input, output, new BatchSettings()).Should().Be(Program.Ok);
        Dictionary<string, JsonElement> rows = Rows(output);
        rows.Should().HaveCount(3);
        var outputs = rows.ToDictionary(r => r.Key, r => r.Value.GetProperty("Output").GetString()!);
        outputs.Values.Should().OnlyHaveUniqueItems().And.AllSatisfy(o => File.Exists(Path.Combine(output, o)).Should().BeTrue());
        outputs.Values.Select(o => o.ToLowerInvariant()).Should().OnlyHaveUniqueItems("outputs must not collide on a case-insensitive file system either");
        outputs["a.png"].Should().Be("a.png.deid.png");
        outputs["a.jpg"].Should().StartWith("a.jpg");

        // A second run skips each finished output instead of reporting another photo's output as its own.
        Run(input, output, new BatchSettings()).Should().Be(Program.Ok);
        Rows(output).Values.Select(r => r.GetProperty("Status").GetString()).Should().AllBe("Skipped");
    }

    [Fact]
    public void Overwrite_redoes_finished_outputs_and_without_it_they_are_skipped()
    {
        string output = Path.Combine(Temp("out"), "out");
        Run(Face("astronaut.png"), output, new BatchSettings()).Should().Be(Program.Ok);
        string target = Path.Combine(output, "astronaut.deid.png");
        File.WriteAllBytes(target, [1, 2, 3]);
        Run(Face("astronaut.png"), output, new BatchSettings()).Should().Be(Program.Ok);
        File.ReadAllBytes(target).Should().Equal([1, 2, 3], "without --overwrite a finished output is kept");
        Rows(output)["astronaut.png"].GetProperty("Status").GetString().Should().Be("Skipped");

        Run(Face("astronaut.png"), output, new BatchSettings { Overwrite = true }).Should().Be(Program.Ok);
        new FileInfo(target).Length.Should().BeGreaterThan(1000, "--overwrite redoes it");
        Rows(output)["astronaut.png"].GetProperty("Status").GetString().Should().Be("Success");
    }

    [Fact]
    public void An_output_folder_inside_the_input_is_not_searched()
    {
        string input = Temp("in");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        string output = Path.Combine(input, "out");
        Run(input, output, new BatchSettings()).Should().Be(Program.Ok);
        Run(input, output, new BatchSettings { Overwrite = true }).Should().Be(Program.Ok);
        Rows(output).Keys.Should().Equal("a.png");
        Directory.GetFiles(output, "*.png", SearchOption.AllDirectories).Select(Path.GetFileName).Should().Equal("a.deid.png");
    }

    [Fact]
    public void Folder_symlink_loops_are_not_followed_by_default_and_each_real_folder_is_listed_once_when_following()
    {
        string input = Temp("in");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        File.Copy(Face("astronaut.png"), Path.Combine(input, "sub", "a.png"));
        Directory.CreateSymbolicLink(Path.Combine(input, "sub", "loop"), input);
        Directory.CreateSymbolicLink(Path.Combine(input, "loop2"), Path.Combine(input, "sub"));
        var err = new StringWriter();
        string output = Path.Combine(Temp("out"), "out");
        Run(input, output, new BatchSettings(), stderr: err).Should().Be(Program.Ok);
        Rows(output).Keys.Should().Equal(Path.Combine("sub", "a.png"));
        err.ToString().Should().Contain("not followed");

        string output2 = Path.Combine(Temp("out"), "out");
        Run(input, output2, new BatchSettings { FollowSymlinks = true }).Should().Be(Program.Ok);
        Rows(output2).Should().HaveCount(1, "the linked folders lead back to folders already listed");
    }

    [Fact]
    public async Task A_fifo_named_like_a_photo_is_refused_without_blocking()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string input = Temp("in");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        string fifo = Path.Combine(input, "b.jpg");
        Process.Start("mkfifo", [fifo])!.WaitForExit();
        File.Exists(fifo).Should().BeTrue();
        string output = Path.Combine(Temp("out"), "out");
        Task<int> run = Task.Run(() => Run(input, output, new BatchSettings()));
        Task first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(120)));
        first.Should().BeSameAs(run, "a FIFO must not block the batch");
        (await run).Should().Be(Program.SomeFailed);
        JsonElement row = Rows(output)["b.jpg"];
        row.GetProperty("Status").GetString().Should().Be("UnreadableImage");
        row.GetProperty("Message").GetString().Should().Contain("not a regular file");
    }

    [Fact]
    public void A_name_near_the_file_system_limit_still_gets_an_output()
    {
        string input = Temp("in");
        string name = new string('n', 240) + ".png";
        File.Copy(Face("astronaut.png"), Path.Combine(input, name));
        string output = Path.Combine(Temp("out"), "out");
        Run(input, output, new BatchSettings()).Should().Be(Program.Ok);
        string written = Rows(output)[name].GetProperty("Output").GetString()!;
        File.Exists(Path.Combine(output, written)).Should().BeTrue();
        System.Text.Encoding.UTF8.GetByteCount(written).Should().BeLessThanOrEqualTo(255);
    }

    [Fact]
    public void An_unusable_output_folder_fails_the_run_with_exit_3_and_the_report_goes_to_stderr()
    {
        string parent = Temp("out");
        string file = Path.Combine(parent, "a-file");
        File.WriteAllText(file, "x");
        var err = new StringWriter();
        Run(Face("astronaut.png"), file, new BatchSettings(), stderr: err).Should().Be(Program.Usage, "-o naming a file is a usage error");
        err.ToString().Should().Contain("is a file");

        var err2 = new StringWriter();
        Run(Face("astronaut.png"), Path.Combine(file, "out"), new BatchSettings(), stderr: err2).Should().Be(Program.RunFailed);
        string text = err2.ToString();
        text.Should().Contain("the run stopped").And.Contain("file,status,message").And.Contain("astronaut.png,NotProcessed");
        System.Text.RegularExpressions.Match fallback = System.Text.RegularExpressions.Regex.Match(text, @"reports written instead to (\S+)");
        fallback.Success.Should().BeTrue("the report goes to a fallback folder when the output folder cannot take it");
        Path.GetFileName(fallback.Groups[1].Value).Should().StartWith("facedefender-report-", "a folder of its own, which alone is deleted below");
        File.Exists(Path.Combine(fallback.Groups[1].Value, "report.json")).Should().BeTrue();
        Directory.Delete(fallback.Groups[1].Value, recursive: true);
    }

    [Fact]
    public void Stale_temporary_files_of_an_interrupted_run_are_removed_and_other_files_kept()
    {
        string output = Path.Combine(Temp("out"), "out");
        Directory.CreateDirectory(Path.Combine(output, "sub"));
        string ours = Path.Combine(output, "sub", AtomicFile.TemporaryPrefix + new string('a', 32) + ".tmp");
        string older = Path.Combine(output, ".astronaut.deid.png." + new string('0', 32) + ".tmp");
        string theirs = Path.Combine(output, ".notes.tmp");
        File.WriteAllBytes(ours, []);
        File.WriteAllBytes(older, []);
        File.WriteAllText(theirs, "keep");
        Run(Face("astronaut.png"), output, new BatchSettings()).Should().Be(Program.Ok);
        File.Exists(ours).Should().BeFalse();
        File.Exists(older).Should().BeFalse();
        File.Exists(theirs).Should().BeTrue();
    }

    [Fact]
    public void Opaque_names_hide_the_input_names_and_the_map_stays_outside_the_output()
    {
        string input = Temp("in");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "Doe_John_12345.png"));
        string output = Path.Combine(Temp("out"), "out");
        string map = Path.Combine(Temp("map"), "map.csv");
        byte[] key = "clinic secret"u8.ToArray();
        Run(input, output, new BatchSettings { NameMapFile = map, Key = key }).Should().Be(Program.Ok);
        foreach (string f in Directory.GetFiles(output, "*", SearchOption.AllDirectories))
        {
            Path.GetFileName(f).Should().NotContain("Doe");
            File.ReadAllText(f, System.Text.Encoding.Latin1).Should().NotContain("Doe_John", $"{Path.GetFileName(f)} must not carry the input name");
        }

        string[] lines = File.ReadAllLines(map);
        lines.Should().HaveCount(2);
        lines[1].Should().StartWith("Doe_John_12345.png,").And.EndWith(".deid.png");
        File.Exists(Path.Combine(output, lines[1].Split(',')[1])).Should().BeTrue();

        var err = new StringWriter();
        Run(input, output, new BatchSettings { NameMapFile = Path.Combine(output, "map.csv") }, stderr: err).Should().Be(Program.Usage);
        err.ToString().Should().Contain("outside the output folder");
    }

    [Fact]
    public void Reports_carry_relative_paths_only()
    {
        string input = Temp("in");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        File.WriteAllText(Path.Combine(input, "bad.jpg"), "not an image");
        string output = Path.Combine(Temp("out"), "out");
        Run(input, output, new BatchSettings()).Should().Be(Program.SomeFailed);
        File.ReadAllText(Path.Combine(output, "report.json")).Should().NotContain(input).And.NotContain(output);
        File.ReadAllText(Path.Combine(output, "report.csv")).Should().NotContain(input).And.NotContain(output);
    }

    [Fact]
    public void A_pseudonym_with_the_default_key_is_warned_about_and_the_key_reaches_the_avatar_choice()
    {
        string output = Path.Combine(Temp("out"), "out");
        var info = new PatientInfo(PseudonymKey: "patient-0042");
        var err = new StringWriter();
        Run(Face("astronaut.png"), output, new BatchSettings(), stderr: err, info: info).Should().Be(Program.Ok);
        err.ToString().Should().Contain("public default key");
        string defaultAvatar = Rows(output)["astronaut.png"].GetProperty("Avatar").GetString()!;

        // Among a few keys, at least one picks another of the group's 8 identities: the key is used.
        var avatars = new HashSet<string>();
        foreach (string k in new[] { "k1", "k2", "k3", "k4" })
        {
            var err2 = new StringWriter();
            Run(Face("astronaut.png"), output, new BatchSettings { Overwrite = true, Key = System.Text.Encoding.UTF8.GetBytes(k) }, stderr: err2, info: info).Should().Be(Program.Ok);
            err2.ToString().Should().NotContain("public default key");
            avatars.Add(Rows(output)["astronaut.png"].GetProperty("Avatar").GetString()!);
        }

        avatars.Should().Contain(a => a != defaultAvatar);
    }

    [Fact]
    public void Usage_errors_are_exit_2_and_help_lists_the_exit_codes()
    {
        string output = Temp("out");
        Program.Main(["deidentify", Face("astronaut.png"), "-o", output, "--age", "-5"]).Should().Be(Program.Usage);
        Program.Main(["deidentify", Face("astronaut.png"), "-o", output, "--age", "200"]).Should().Be(Program.Usage);
        Program.Main(["deidentify", Face("astronaut.png"), "-o", output, "--formats", "jpeg,heic"]).Should().Be(Program.Usage);
        Directory.GetFiles(output).Should().BeEmpty("a usage error writes nothing");
        TextWriter saved = Console.Out;
        var help = new StringWriter();
        try
        {
            Console.SetOut(help);
            Program.Main(["deidentify", "--help"]).Should().Be(0);
        }
        finally
        {
            Console.SetOut(saved);
        }

        help.ToString().Should().Contain("Exit codes: 0").And.Contain("3 the run itself failed");
    }
}
