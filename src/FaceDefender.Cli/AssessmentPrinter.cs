using System.Globalization;
using FaceDefender.Abstractions;

namespace FaceDefender.Cli;

/// <summary>Prints an ocular assessment as a short table.</summary>
internal static class AssessmentPrinter
{
    public static void Print(OcularAssessment a, TextWriter o)
    {
        var inv = CultureInfo.InvariantCulture;
        OcularMeasurements m = a.Measurements;
        o.WriteLine(string.Create(inv, $"assessment (standard: {a.StandardName}; iris diameter {m.IrisDiameterMm:F1} ± {m.IrisDiameterSdMm:F2} mm):"));
        o.WriteLine("  measure                        right eye          left eye");
        Row(o, "iris to inner canthus (L/R)", m.Right.IrisToInnerCanthus, m.Left.IrisToInnerCanthus);
        Row(o, "palpebral fissure height", m.Right.FissureHeight, m.Left.FissureHeight);
        Row(o, "fissure width", m.Right.FissureWidth, m.Left.FissureWidth);
        Row(o, "MRD1", m.Right.Mrd1, m.Left.Mrd1);
        Row(o, "MRD2", m.Right.Mrd2, m.Left.Mrd2);
        Row(o, "iris decentration, nasal", m.Right.DecentrationNasal, m.Left.DecentrationNasal);
        Row(o, "iris decentration, up", m.Right.DecentrationUp, m.Left.DecentrationUp);
        o.WriteLine(string.Create(inv, $"  |L - R| {m.D.Millimetres:F2} mm; inter-pupil distance {m.InterPupillaryDistance.Millimetres:F1} mm; head roll {m.Pose.Roll:F1}° yaw {m.Pose.Yaw:F1}° pitch {m.Pose.Pitch:F1}°"));
        o.WriteLine($"  corneal reflex: right {m.Right.Reflex.Status}, left {m.Left.Reflex.Status}; MRD from: right {m.Right.MrdOrigin}, left {m.Left.MrdOrigin}");
        HirschbergAlignment h = m.Hirschberg;
        o.WriteLine(h.IsAvailable
            ? string.Create(inv, $"  alignment (corneal reflexes): horizontal {h.HorizontalPrism.Dioptres:F1} PD ({h.HorizontalPrism.Low:F1} to {h.HorizontalPrism.High:F1}; + eso, - exo), vertical {h.VerticalPrism.Dioptres:F1} PD (+ right higher); shared gaze {h.GazeRightDegrees:F1}° right, {h.GazeUpDegrees:F1}° up")
            : "  alignment (corneal reflexes): not measured, a reflex is missing");
        if (a.Findings.Count == 0)
        {
            o.WriteLine("  findings: none against the reference standard");
        }

        foreach (DiagnosticFinding f in a.Findings)
        {
            string prefix = f.IsReliable
                ? "finding"
                : $"finding (unreliable: {string.Join(", ", f.CaptureConcerns.Select(q => q.Issue).Distinct())})";
            o.WriteLine($"  {prefix}: {f.Description}");
        }

        foreach (CaptureQualityFlag q in a.QualityFlags)
        {
            o.WriteLine($"  capture quality: {q.Description}");
        }

        o.WriteLine("  (screening aid from a single photo, not a diagnosis)");
    }

    private static void Row(TextWriter o, string name, MeasuredValue right, MeasuredValue left)
        => o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-30} {right.Millimetres,6:F2} mm ±{right.MillimetresUncertainty:F2}  {left.Millimetres,6:F2} mm ±{left.MillimetresUncertainty:F2}"));
}
