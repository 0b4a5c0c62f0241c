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

    /// <summary>Every line the printer writes besides the table rows: the header, the reflexes and where MRD was measured
    /// from, the alignment (measured or not), each capture-quality flag, the unreliable finding's concerns, the note.</summary>
    [Fact]
    public void The_header_reflex_alignment_quality_and_note_lines_are_printed()
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 768 });
        var standard = new ReferenceStandard("test", "MRD1 at least 50 mm", [
            new ReferenceRange(DiagnosticMeasure.Mrd1, EyeSide.Both, MeasureUnit.Millimetres, 50, null, "test", null, "test"),
        ]);
        OcularAssessment a = new LandmarkDiagnosticBenchmark(standard).Assess(r.Landmarks, new HeadPose(0, 30, 0));
        var o = new StringWriter();
        AssessmentPrinter.Print(a, o);
        string[] lines = o.ToString().Split(Environment.NewLine);
        lines.Should().Contain("  measure                        right eye          left eye");
        OcularMeasurements m = a.Measurements;
        lines.Should().Contain($"  corneal reflex: right {m.Right.Reflex.Status}, left {m.Left.Reflex.Status}; MRD from: right {m.Right.MrdOrigin}, left {m.Left.MrdOrigin}");
        lines.Should().Contain(l => l.StartsWith("  alignment (corneal reflexes): ", StringComparison.Ordinal));
        if (!m.Hirschberg.IsAvailable)
        {
            lines.Should().Contain("  alignment (corneal reflexes): not measured, a reflex is missing");
        }

        a.QualityFlags.Should().NotBeEmpty("the head is turned 30°");
        foreach (CaptureQualityFlag q in a.QualityFlags)
        {
            lines.Should().Contain($"  capture quality: {q.Description}");
        }

        lines.Should().Contain(l => l.StartsWith("  finding (unreliable: PoseBeyondLimits", StringComparison.Ordinal));
        lines.Should().Contain("  (screening aid from a single photo, not a diagnosis)");
    }
}
