using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;

namespace FaceDefender.Cli.Tests;

public class AssessmentPrinterTests
{
    [Fact]
    public void Findings_the_capture_does_not_support_are_printed_as_unreliable_with_the_flags()
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 768 });

        // A standard no real MRD1 meets, so both eyes get a ptosis finding.
        var standard = new ReferenceStandard("test", "MRD1 at least 50 mm", [
            new ReferenceRange(DiagnosticMeasure.Mrd1, EyeSide.Both, MeasureUnit.Millimetres, 50, null, "test", null, "test"),
        ]);
        var benchmark = new LandmarkDiagnosticBenchmark(standard);

        var frontal = new StringWriter();
        AssessmentPrinter.Print(benchmark.Assess(r.Landmarks, new HeadPose(0, 0, 0)), frontal);
        frontal.ToString().Should().Contain("  finding: ").And.NotContain("unreliable");

        var turned = new StringWriter();
        AssessmentPrinter.Print(benchmark.Assess(r.Landmarks, new HeadPose(0, 30, 0)), turned);
        turned.ToString().Should().Contain("finding (unreliable: PoseBeyondLimits): ").And.NotContain("  finding: ");
    }
}
