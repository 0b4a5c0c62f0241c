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

    [Fact]
    public void Printed_numbers_are_the_assessments_values_in_the_right_columns_and_units()
    {
        // Both eyes differ (ptosis on the left, the right iris nasal and up), so a swapped column or row shows.
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene
        {
            ImageSize = 768,
            RightEye = new EyeControl { IrisNasalMm = 1.5f, IrisUpMm = 0.8f, LowerLidDownMm = 0.7f },
            LeftEye = new EyeControl { UpperLidUpMm = -2f },
        });
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(r.Landmarks, new HeadPose(2, -3, 4));
        foreach ((string label, Func<EyeMeasurements, MeasuredValue> get) in PrintedAssessment.Rows)
        {
            Math.Abs(get(a.Measurements.Right).Millimetres - get(a.Measurements.Left).Millimetres).Should().BeGreaterThan(0.02, $"{label}: the eyes must differ for the check to see a swap");
        }

        var o = new StringWriter();
        AssessmentPrinter.Print(a, o);
        PrintedAssessment.ShouldShow(o.ToString(), a);
    }
}
