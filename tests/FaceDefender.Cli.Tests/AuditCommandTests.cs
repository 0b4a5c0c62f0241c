using System.Text.Json;
using FaceDefender.Privacy;

namespace FaceDefender.Cli.Tests;

[Trait("Category", "PrivacyAudit")]
public sealed class AuditCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fd-audit-tests-").FullName;
    private int _folders;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A new empty folder inside this test's temporary root, which <see cref="Dispose"/> deletes.</summary>
    private string Temp(string name) => Directory.CreateDirectory(Path.Combine(_root, $"{name}-{++_folders}")).FullName;

    private static string Face(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", name);

    [Theory]
    [InlineData("alice/1.jpg", "alice")]
    [InlineData("bob_2024-01.png", "bob")]
    [InlineData("carol.png", "carol")]
    public void Identity_comes_from_the_subfolder_or_the_file_name_prefix(string relative, string expected)
    {
        string root = Path.Combine(Path.GetTempPath(), "root");
        AuditCommand.IdentityOf(root, Path.Combine(root, relative)).Should().Be(expected);
    }

    [Fact]
    public void Usage_errors_are_reported_with_exit_code_2()
    {
        var err = new StringWriter();
        AuditCommand.Run(Path.Combine(Path.GetTempPath(), "no-such-folder-fd"), "out", null, "arcface", 1, true, true, new StringWriter(), err)
            .Should().Be(Program.Usage);
        string one = Temp("fd-audit-one");
        File.Copy(Face("astronaut.png"), Path.Combine(one, "a_1.png"));
        AuditCommand.Run(one, "out", null, "arcface", 1, true, true, new StringWriter(), err).Should().Be(Program.Usage);
        err.ToString().Should().Contain("at least two people");
    }

    [Fact]
    public void Audit_of_two_people_writes_json_and_markdown_with_intervals()
    {
        string input = Temp("fd-audit-in");
        string output = Path.Combine(Temp("fd-audit-out"), "report");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "astronaut_1.png"));
        // A second file of the same capture: the audit must say its same-tool figures are an upper bound from copies.
        File.Copy(Face("astronaut.png"), Path.Combine(input, "astronaut_2.png"));
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "hopper_1.jpg"));
        File.WriteAllText(Path.Combine(input, "broken_1.jpg"), "not an image");
        var stdout = new StringWriter();
        var err = new StringWriter();

        int code = AuditCommand.Run(input, output, null, "arcface", 2, periocular: false, sameTool: true, stdout, err);

        code.Should().Be(Program.Ok, err.ToString());
        // Not a terminal: progress as lines, no carriage returns.
        err.ToString().Should().Contain("skipped").And.Contain("auditing 3/3").And.Contain("photos/s").And.NotContain("\r");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "privacy-audit.json")));
        json.RootElement.GetProperty("identities").GetInt32().Should().Be(2);
        json.RootElement.GetProperty("sameToolIsUpperBoundFromCopies").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("nearDuplicates").GetProperty("pairsChecked").GetInt32().Should().Be(1);
        stdout.ToString().Should().Contain("UPPER BOUND FROM COPIES");
        int standard = FaceDefender.Privacy.PrivacyAudit.StandardMethods(new FaceDefender.Avatars.ProceduralAvatarProvider()).Count;
        json.RootElement.GetProperty("methods").GetArrayLength().Should().Be(standard);
        string md = File.ReadAllText(Path.Combine(output, "privacy-audit.md"));
        md.Should().Contain("(upper bound from copies)").And.Contain("| ours-eyes-only |").And.Contain("Gallery size for identification: 2").And.Contain("[").And.Contain("![privacy audit plot](privacy-audit.svg)");
        Directory.GetFiles(output).Select(Path.GetFileName).Should().NotContain(f => f!.EndsWith(".png", StringComparison.Ordinal), "the plots are SVG, with their labels");

        File.ReadAllText(Path.Combine(output, "privacy-audit.svg")).Should().StartWith("<svg").And.Contain("ours-eyes-only");

        // Beside the recogniser, by default, the eye-geometry attacker on the same photos, with its own report files and
        // the geometry-only comparison of the two in the summary.
        using JsonDocument geometry = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "privacy-audit-geometry.json")));
        geometry.RootElement.GetProperty("embedder").GetString().Should().Be("eye-geometry");
        geometry.RootElement.GetProperty("methods").GetArrayLength().Should().Be(standard);
        File.ReadAllText(Path.Combine(output, "privacy-audit-geometry.md")).Should().Contain("privacy-audit-geometry.svg");
        File.ReadAllText(Path.Combine(output, "privacy-audit-geometry.svg")).Should().StartWith("<svg");
        err.ToString().Should().Contain("geometry attacker 3/3");
        stdout.ToString().Should().Contain("geometry-only, same-tool Rank-1: dlib-resnet").And.Contain("eye-geometry attacker");
    }

    [Fact]
    public void The_geometry_attacker_can_be_left_out_and_is_not_run_twice()
    {
        string input = Temp("fd-audit-nogeo-in");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "astronaut_1.png"));
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "hopper_1.jpg"));
        string without = Path.Combine(Temp("fd-audit-nogeo-out"), "report");
        AuditCommand.Run(input, without, null, "arcface", 2, periocular: false, sameTool: false, new StringWriter(), new StringWriter(), geometryAttacker: false)
            .Should().Be(Program.Ok);
        File.Exists(Path.Combine(without, "privacy-audit.json")).Should().BeTrue();
        Directory.EnumerateFiles(without, "privacy-audit-geometry.*").Should().BeEmpty("--no-geometry-attacker leaves it out");

        string geometryOnly = Path.Combine(Temp("fd-audit-geoonly-out"), "report");
        AuditCommand.Run(input, geometryOnly, null, "arcface", 2, periocular: false, sameTool: false, new StringWriter(), new StringWriter(), embedderName: "geometry")
            .Should().Be(Program.Ok);
        Directory.EnumerateFiles(geometryOnly, "privacy-audit-geometry.*").Should().BeEmpty("the chosen embedder already is the geometry attacker");
    }

    [Theory]
    [InlineData(5, 9, "no more than the measurements alone")]
    [InlineData(9, 9, "no more than the measurements alone")]
    [InlineData(10, 9, "finds MORE than the measurements alone")]
    public void The_geometry_only_comparison_says_which_attack_found_more(int appearance, int geometry, string verdict)
    {
        static PrivacyAuditReport Report(string embedder, int sameToolHits)
        {
            var p = new ProportionEstimate(sameToolHits, 24, sameToolHits / 24.0, 0, 1);
            var id = new IdentificationResult(6, p, p, 1 / 6.0, 5 / 6.0);
            var summary = new ScoreSummary(1, 0, 0, 0, 0, 0, 0, 0);
            MethodAuditResult Method(string name) => new(name, 24, 0, null, [], id, id, 0, null, null, null);
            return new PrivacyAuditReport(embedder, 24, 0, 6, summary, null, null, [], [Method("ours-eyes-only"), Method("ours-geometry-only")]);
        }

        string line = AuditCommand.GeometryOnlyComparison(Report("dlib-resnet", appearance), Report("eye-geometry", geometry))!;
        line.Should().Contain($"dlib-resnet {appearance}/24, eye-geometry attacker {geometry}/24").And.Contain(verdict);
        AuditCommand.GeometryOnlyComparison(Report("dlib-resnet", 1) with { Methods = [] }, Report("eye-geometry", 1)).Should().BeNull();
    }

    [Fact]
    public void Progress_is_a_bar_on_a_terminal_and_lines_otherwise()
    {
        var bar = new StringWriter();
        var terminal = new ProgressReporter(bar, "auditing", bar: true);
        for (int i = 0; i <= 20; i++)
        {
            terminal.Report(i, 20);
        }

        terminal.Report(5, 20); // late, out-of-order report from a worker: ignored
        terminal.Finish();
        bar.ToString().Should().StartWith("\rauditing [").And.EndWith("] 20/20 100%" + Environment.NewLine);
        bar.ToString().Split('\r').Should().HaveCount(22, "one redraw per count");

        var log = new StringWriter();
        var lines = new ProgressReporter(log, "auditing", bar: false);
        for (int i = 0; i <= 200; i++)
        {
            lines.Report(i, 200);
        }

        lines.Finish();
        string[] written = log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        written.Should().HaveCount(11, "one line per tenth of the work, from 0 to 200");
        written[^1].Should().Be("auditing 200/200");
        log.ToString().Should().NotContain("\r");
    }

    [Fact]
    public void Unknown_embedder_is_a_usage_error()
    {
        string input = Temp("fd-audit-emb");
        var err = new StringWriter();
        AuditCommand.Run(input, "out", null, "arcface", 1, true, true, new StringWriter(), err, embedderName: "arcface")
            .Should().Be(Program.Usage);
        err.ToString().Should().Contain("--embedder");
    }
    [Fact]
    public void Geometry_embedder_audits_with_the_eye_measurement_attacker()
    {
        string input = Temp("fd-audit-geo-in");
        string output = Path.Combine(Temp("fd-audit-geo-out"), "report");
        File.Copy(Face("astronaut.png"), Path.Combine(input, "astronaut_1.png"));
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "hopper_1.jpg"));
        var err = new StringWriter();

        int code = AuditCommand.Run(input, output, null, "arcface", 2, periocular: false, sameTool: false, new StringWriter(), err, embedderName: "geometry");

        code.Should().Be(Program.Ok, err.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "privacy-audit.json")));
        json.RootElement.GetProperty("embedder").GetString().Should().Be("eye-geometry");
        json.RootElement.GetProperty("failedImages").GetInt32().Should().Be(0, "the attacker re-detects both portraits");
    }
}
