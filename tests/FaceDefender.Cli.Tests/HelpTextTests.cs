using System.CommandLine;

namespace FaceDefender.Cli.Tests;

/// <summary>The tool's help names it the way it is installed and documented, whatever the executable is called.</summary>
public class HelpTextTests
{
    private static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        int code = Program.CreateRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return (code, output.ToString());
    }

    [Theory]
    [InlineData("--help", "facedefender [command] [options]")]
    [InlineData("deidentify --help", "facedefender deidentify <input> [options]")]
    [InlineData("assess --help", "facedefender assess <input> [options]")]
    [InlineData("audit --help", "facedefender audit")]
    [InlineData("demo --help", "facedefender demo [options]")]
    public void Help_usage_lines_name_the_tool_facedefender(string args, string usage)
    {
        (int code, string text) = Run(args.Split(' '));
        code.Should().Be(0);
        text.Should().Contain("Usage:" + Environment.NewLine + "  " + usage).And.NotContain("FaceDefender.Cli");
    }

    [Fact]
    public void Version_is_printed()
    {
        (int code, string text) = Run("--version");
        code.Should().Be(0);
        text.Trim().Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }
}
