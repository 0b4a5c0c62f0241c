namespace FaceDefender.Cli.Tests;

public class AssessCommandTests
{
    [Fact]
    public void Assess_prints_measurements_for_a_portrait_and_fails_cleanly_on_a_bad_file()
    {
        string dir = Directory.CreateTempSubdirectory("fd-assess").FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", "astronaut.png"), Path.Combine(dir, "a.png"));
        File.WriteAllText(Path.Combine(dir, "b.jpg"), "not an image");
        var output = new StringWriter();
        int code = AssessCommand.Run(dir, output, new StringWriter());
        code.Should().Be(Program.SomeFailed, "one of the two files is not an image");
        string text = output.ToString();
        text.Should().Contain("MRD1").And.Contain("palpebral fissure height").And.Contain("status: UnreadableImage (UnknownFormat");
        text.Should().NotContain(dir, "the output names photos by their path relative to the input folder");
        Directory.Delete(dir, recursive: true);
        AssessCommand.Run(Path.Combine(dir, "missing"), new StringWriter(), new StringWriter()).Should().Be(Program.Usage);
    }
}
