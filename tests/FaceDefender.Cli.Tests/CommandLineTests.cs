using System.CommandLine;
using System.Text.Json;

namespace FaceDefender.Cli.Tests;

/// <summary>The tests that swap the process's console or its key variable: run alone, never beside another test.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>
/// <c>facedefender deidentify</c> and <c>assess</c> as a user types them: each bad option is a usage error (exit 2) whose
/// message names the option, each value at the edge of its range is accepted, and the options reach the run.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CommandLineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fd-command-line-").FullName;
    private int _folders;
    private readonly string? _savedKey = Environment.GetEnvironmentVariable(Program.KeyVariable);

    public CommandLineTests() => Environment.SetEnvironmentVariable(Program.KeyVariable, null);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Program.KeyVariable, _savedKey);
        Directory.Delete(_root, recursive: true);
    }

    private static string Face(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", name);

    /// <summary>Runs the tool in this process with its console captured.</summary>
    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        TextWriter savedOut = Console.Out, savedErr = Console.Error;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            int code = Program.Main(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedErr);
        }
    }

    /// <summary>A folder holding one file that is not an image: a run over it does no face work.</summary>
    private string Unreadable(string name = "a.jpg")
    {
        string dir = Directory.CreateDirectory(Path.Combine(_root, $"in-{++_folders}")).FullName;
        File.WriteAllText(Path.Combine(dir, name), "not an image");
        return dir;
    }

    [Theory]
    [InlineData("--age -1", "--age -1")]
    [InlineData("--age 131", "--age 131")]
    [InlineData("--formats jpeg,heic", "--formats 'jpeg,heic'")]
    [InlineData("--formats ,", "--formats ','")]
    [InlineData("--max-memory 63", "--max-memory")]
    [InlineData("--shard 4/4", "--shard '4/4'")]
    [InlineData("--shard x", "--shard 'x'")]
    [InlineData("--parallel 0", "--parallel")]
    // A value at the edge of its range passes, so the next check (a bad --max-memory or --shard) is the one reported.
    [InlineData("--age 0 --max-memory 63", "--max-memory")]
    [InlineData("--age 130 --max-memory 63", "--max-memory")]
    [InlineData("--max-memory 64 --shard x", "--shard 'x'")]
    [InlineData("--formats gif,BMP,tif,tiff,webp,tga,pbm,pgm,ppm,jpg,jpeg,png --shard x", "--shard 'x'")]
    [InlineData("--pseudonym-key k --shard x", "--shard 'x'")]
    public void A_bad_option_is_a_usage_error_that_names_it_and_writes_nothing(string options, string named)
    {
        string output = Path.Combine(_root, "out");
        (int code, _, string err) = Cli(["deidentify", Face("astronaut.png"), "-o", output, .. options.Split(' ')]);
        code.Should().Be(Program.Usage, err);
        err.Should().StartWith("error: " + named);
        Directory.Exists(output).Should().BeFalse("a usage error writes nothing");
    }

    [Fact]
    public void An_empty_pseudonym_key_is_a_usage_error_whether_given_as_the_option_or_the_variable()
    {
        string output = Path.Combine(_root, "out");
        (int code, _, string err) = Cli("deidentify", Face("astronaut.png"), "-o", output, "--pseudonym-key", "", "--shard", "x");
        code.Should().Be(Program.Usage);
        err.Should().StartWith("error: the pseudonym key is empty").And.Contain(Program.KeyVariable);

        // The option wins over the variable, even when the option is the empty one.
        Environment.SetEnvironmentVariable(Program.KeyVariable, "from-the-environment");
        (code, _, err) = Cli("deidentify", Face("astronaut.png"), "-o", output, "--pseudonym-key", "", "--shard", "x");
        code.Should().Be(Program.Usage);
        err.Should().StartWith("error: the pseudonym key is empty");
        Directory.Exists(output).Should().BeFalse();
    }

    [Fact]
    public void The_options_reach_the_run_key_from_option_or_variable_roi_memory_and_opaque_names()
    {
        string input = Directory.CreateDirectory(Path.Combine(_root, "faces")).FullName;
        File.Copy(Face("astronaut.png"), Path.Combine(input, "astronaut.png"));
        string expectedName = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("clinic-key"u8.ToArray(),
            "output-name\nastronaut.png"u8.ToArray()))[..20] + ".deid.png";

        string geometry = Path.Combine(_root, "geometry");
        (int code, string stdout, string err) = Cli("deidentify", input, "-o", geometry, "--roi", "GeometryOnly", "--pseudonym", "p-1", "--pseudonym-key", "clinic-key",
            "--max-memory", "512", "--opaque-names", Path.Combine(_root, "map1.csv"));
        code.Should().Be(Program.Ok, err);
        stdout.Should().Contain("1 of 1 photos de-identified");
        err.Should().NotContain("public default key");
        File.ReadAllLines(Path.Combine(_root, "map1.csv")).Should().Equal("input,output", $"astronaut.png,{expectedName}");

        // The key from the variable, the default region.
        Environment.SetEnvironmentVariable(Program.KeyVariable, "clinic-key");
        string eyes = Path.Combine(_root, "eyes");
        (code, _, err) = Cli("deidentify", input, "-o", eyes, "--pseudonym", "p-1", "--opaque-names", Path.Combine(_root, "map2.csv"));
        code.Should().Be(Program.Ok, err);
        err.Should().NotContain("public default key");
        File.Exists(Path.Combine(eyes, expectedName)).Should().BeTrue("the variable's key names the output");
        File.ReadAllBytes(Path.Combine(eyes, expectedName)).Should().NotEqual(File.ReadAllBytes(Path.Combine(geometry, expectedName)),
            "--roi GeometryOnly keeps no patient pixel, unlike the default EyesOnly");
    }

    [Fact]
    public void Without_a_key_the_run_goes_on_with_the_default_one_and_a_plain_progress_line_when_stderr_is_not_a_terminal()
    {
        string input = Unreadable();
        string output = Path.Combine(_root, "out");
        (int code, string stdout, string err) = Cli("deidentify", input, "-o", output, "--pseudonym", "p-1");
        code.Should().Be(Program.SomeFailed, err);
        stdout.Should().Contain("0 of 1 photos de-identified");
        err.Should().Contain(BatchRunner.DefaultKeyWarning);
        File.Exists(Path.Combine(output, "report.json")).Should().BeTrue();
        if (Console.IsErrorRedirected)
        {
            err.Should().Contain("[1/1] UnreadableImage").And.NotContain("\r");
        }
        else
        {
            err.Should().Contain("\rde-identifying [");
        }
    }

    [Fact]
    public void Assess_writes_text_json_or_csv_as_asked_and_refuses_both_at_once()
    {
        string input = Unreadable("x.jpg");

        (int code, string stdout, string err) = Cli("assess", input);
        code.Should().Be(Program.SomeFailed, err);
        stdout.Should().Contain("== x.jpg").And.Contain("status: UnreadableImage");

        (code, stdout, err) = Cli("assess", input, "--json");
        code.Should().Be(Program.SomeFailed, err);
        using (JsonDocument doc = JsonDocument.Parse(stdout))
        {
            doc.RootElement.GetProperty("images")[0].GetProperty("status").GetString().Should().Be("unreadableImage");
        }

        (code, stdout, err) = Cli("assess", input, "--csv");
        code.Should().Be(Program.SomeFailed, err);
        stdout.Should().StartWith(AssessmentExport.CsvHeader + "\r\n").And.Contain("x.jpg,unreadableImage");

        (code, stdout, err) = Cli("assess", input, "--json", "--csv");
        code.Should().Be(Program.Usage);
        err.Should().Contain("--json or --csv");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public void Assess_plot_is_for_a_video_only_and_a_video_goes_to_the_video_assessment()
    {
        string photo = Path.Combine(Unreadable("x.jpg"), "x.jpg");
        string plot = Path.Combine(_root, "plot.svg");
        (int code, string stdout, string err) = Cli("assess", photo, "--plot", plot);
        code.Should().Be(Program.Usage);
        err.Should().Contain("--plot is for a video");
        stdout.Should().BeEmpty();

        // A file whose first bytes say MP4 is assessed as a video (this one cannot be read: exit 1, not a usage error).
        string video = Path.Combine(_root, "clip.bin");
        File.WriteAllBytes(video, [.. "\0\0\0\u0020ftypisom\0\0\0\0isomiso2avc1mp41"u8]);
        (code, _, err) = Cli("assess", video, "--plot", plot);
        code.Should().Be(Program.SomeFailed, err);
        err.Should().Contain("clip.bin").And.NotContain("--plot is for a video");
    }

    [Fact]
    public void Every_option_and_command_has_a_help_description_and_demo_writes_to_its_documented_folder()
    {
        Command root = Program.CreateRootCommand();
        IEnumerable<Command> commands = root.Subcommands.SelectMany(c => c.Subcommands.Prepend(c));
        foreach (Command command in commands)
        {
            command.Description.Should().NotBeNullOrWhiteSpace(command.Name);
            foreach (Option option in command.Options)
            {
                option.Description.Should().NotBeNullOrWhiteSpace($"{command.Name} {option.Name}");
            }

            foreach (Argument argument in command.Arguments)
            {
                argument.Description.Should().NotBeNullOrWhiteSpace($"{command.Name} {argument.Name}");
            }
        }

        ParseResult demo = root.Parse("demo");
        demo.Errors.Should().BeEmpty();
        demo.GetValue<string>("--output").Should().Be("facedefender-demo");
    }
}
