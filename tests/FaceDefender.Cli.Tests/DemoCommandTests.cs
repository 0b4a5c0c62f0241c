using FaceDefender.Abstractions;
using FaceDefender.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Cli.Tests;

/// <summary>The README's first command, <c>facedefender demo</c>, into a temporary folder that is deleted afterwards.</summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fd-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Demo_writes_the_deidentified_portrait_and_the_before_after_pair_and_prints_the_librarys_numbers()
    {
        string outDir = Path.Combine(_dir, "out");
        var stdout = new StringWriter();
        Program.Main(["demo", "-o", outDir]).Should().Be(Program.Ok);
        File.Exists(Path.Combine(outDir, "astronaut.deid.png")).Should().BeTrue("the command itself writes the portrait");

        // The same run through the command's own entry point, to read what it prints.
        Demo.Run(outDir, stdout).Should().Be(Program.Ok);
        string text = stdout.ToString();
        text.Should().Contain("status:  Success");

        string deidentified = Path.Combine(outDir, "astronaut.deid.png");
        string pair = Path.Combine(outDir, "astronaut.before-after.png");
        Directory.GetFiles(outDir).Select(Path.GetFileName).Should().BeEquivalentTo(["astronaut.deid.png", "astronaut.before-after.png"],
            "the two outputs and no temporary file");
        using (Image<Rgb24> d = Image.Load<Rgb24>(deidentified))
        {
            d.Size().Should().Be(new Size(1024, 1024));
        }

        using (Image<Rgb24> p = Image.Load<Rgb24>(pair))
        {
            p.Size().Should().Be(new Size(1024, 512));
        }

        text.Should().Contain(Path.GetFullPath(deidentified)).And.Contain(Path.GetFullPath(pair));

        // The printed assessment is the pipeline's on the bundled photo.
        using Stream s = typeof(Program).Assembly.GetManifestResourceStream("FaceDefender.Cli.Samples.astronaut.png")!;
        using Image<Rgb24> photo = Image.Load<Rgb24>(s);
        using var pipeline = new FaceDeidentifier();
        using DeidentificationResult r = pipeline.Deidentify(photo, new PatientInfo(PseudonymKey: "demo-patient"));
        OcularAssessment expected = r.Assessment!;
        PrintedAssessment.ShouldShow(text, expected);
        text.Should().Contain($"avatar:  {r.Avatar!.Id} ");
    }
}
