using System.Text.Json;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Cli.Tests;

/// <summary><c>facedefender assess</c> on photos without a face, cut short or not photos at all: what it lists, prints and exits with.</summary>
public sealed class AssessDecisionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fd-assess-decisions-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A photo of noise: no face in it.</summary>
    private static Image<Rgb24> Noise()
    {
        var random = new Random(7);
        var image = new Image<Rgb24>(320, 320);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                foreach (ref Rgb24 p in rows.GetRowSpan(y))
                {
                    p = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                }
            }
        });
        return image;
    }

    [Fact]
    public void A_photo_without_a_face_is_reported_as_such_and_only_a_cut_file_gets_the_truncation_warning()
    {
        using (Image<Rgb24> noise = Noise())
        {
            noise.SaveAsPng(Path.Combine(_dir, "whole.png"));
            using var jpeg = new MemoryStream();
            noise.SaveAsJpeg(jpeg);
            File.WriteAllBytes(Path.Combine(_dir, "cut.jpeg"), jpeg.ToArray()[..(int)(jpeg.Length * 0.8)]);
        }

        var text = new StringWriter();
        AssessCommand.Run(_dir, text, new StringWriter()).Should().Be(Program.SomeFailed);
        string printed = text.ToString();
        int whole = printed.IndexOf("== whole.png", StringComparison.Ordinal);
        whole.Should().BePositive("both files are assessed, the .jpeg one first");
        printed[..whole].Should().Contain("== cut.jpeg").And.Contain("warning: the file is truncated").And.Contain("status: NoFace");
        printed[whole..].Should().Contain("status: NoFace").And.NotContain("truncated");

        var json = new StringWriter();
        AssessCommand.Run(Path.Combine(_dir, "whole.png"), json, new StringWriter(), AssessFormat.Json).Should().Be(Program.SomeFailed);
        using JsonDocument doc = JsonDocument.Parse(json.ToString());
        JsonElement image = doc.RootElement.GetProperty("images").EnumerateArray().Single();
        image.GetProperty("status").GetString().Should().Be("noFace");
        image.GetProperty("message").GetString().Should().Be("No face was found.");
    }

    [Fact]
    public void A_missing_input_is_a_usage_error_naming_it_and_an_unknown_format_is_refused()
    {
        string missing = Path.Combine(_dir, "missing");
        var stderr = new StringWriter();
        AssessCommand.Run(missing, new StringWriter(), stderr).Should().Be(Program.Usage);
        stderr.ToString().Should().Contain($"'{missing}'");

        FluentActions.Invoking(() => AssessCommand.Run(_dir, new StringWriter(), new StringWriter(), (AssessFormat)7))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("format");
    }

    [Fact]
    public void A_cancelled_assessment_is_exit_3_and_prints_no_photo()
    {
        File.WriteAllText(Path.Combine(_dir, "a.jpg"), "not an image");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        AssessCommand.Run(_dir, stdout, stderr, AssessFormat.Text, cancelled.Token).Should().Be(Program.RunFailed);
        stderr.ToString().Should().Contain("cancelled");
        stdout.ToString().Should().NotContain("==");
    }

    [Fact]
    public void An_assessment_without_findings_says_so()
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 768 });
        var benchmark = new LandmarkDiagnosticBenchmark(new ReferenceStandard("empty", "no ranges", []));
        OcularAssessment a = benchmark.Assess(r.Landmarks, new HeadPose(0, 0, 0));
        a.Findings.Should().BeEmpty();
        var o = new StringWriter();
        AssessmentPrinter.Print(a, o);
        o.ToString().Should().Contain("  findings: none against the reference standard");
    }
}
