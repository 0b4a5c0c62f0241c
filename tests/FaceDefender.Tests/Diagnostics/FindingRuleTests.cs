using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>Findings and quality flags on the hand-built face, against the default standard.</summary>
public sealed class FindingRuleTests
{
    private static readonly HeadPose Frontal = new(0, 0, 0);

    [Fact]
    public void Constructed_face_gives_the_expected_findings_each_naming_its_measure_and_range()
    {
        // The left iris sits 8 px (2.34 mm) off its canthal centre and 3 px low: the canthus-based vergence and vertical
        // difference are reported, but they are not alignment findings (no reflexes: no alignment at all).
        OcularAssessment a = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { Frame = MeasurementFrame.Image }).Assess(ConstructedFaces.Level(), Frontal);
        a.Findings.Select(f => (f.Kind, f.Eye, f.Measure)).Should().BeEquivalentTo(new[]
        {
            (FindingKind.LidRetraction, EyeSide.Right, DiagnosticMeasure.FissureHeightToIrisWidthRatio),
        });
        a.Measurements.HorizontalVergence.Millimetres.Should().BeApproximately(8 * 11.7 / 40, 1e-5);
        a.Measurements.Hirschberg.IsAvailable.Should().BeFalse();
        a.Findings.Single(f => f.Kind == FindingKind.LidRetraction).Range.Source.Should().Contain("Tan, Chen, Wang");
        a.QualityFlags.Should().BeEmpty("landmarks without an image were never searched for reflexes, which is not a capture problem");
        a.IsCaptureAcceptable.Should().BeTrue();

        // With reflexes: the right one at its normal kappa place (0.3 mm nasal = image right), the left one 1.0 mm beyond
        // its kappa place temporally (image right) and 0.8 mm up: left esotropia and left hypotropia.
        OcularAssessment b = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { Frame = MeasurementFrame.Image })
            .Assess(ConstructedFaces.WithReflexes(ConstructedFaces.Level(), new Vector2(0.3f, 0), new Vector2(0.7f, -0.8f)), Frontal);
        b.Findings.Select(f => (f.Kind, f.Eye, f.Measure)).Should().BeEquivalentTo(new[]
        {
            (FindingKind.LidRetraction, EyeSide.Right, DiagnosticMeasure.FissureHeightToIrisWidthRatio),
            (FindingKind.Esotropia, EyeSide.Left, DiagnosticMeasure.HirschbergHorizontal),
            (FindingKind.Hypotropia, EyeSide.Left, DiagnosticMeasure.HirschbergVertical),
        });

        // h = 100 / 19.4 mm from the corneal centre to the limbus plane; the left eye turned asin(1.0 / h) nasally and
        // asin(0.8 / h) down; the right eye straight.
        double h = 100 / 19.4;
        double esoPd = 100 * Math.Tan(Math.Asin(1.0 / h)), hypoPd = 100 * Math.Tan(Math.Asin(0.8 / h));
        DiagnosticFinding eso = b.Findings.Single(f => f.Kind == FindingKind.Esotropia);
        eso.Range.Should().Be(ReferenceStandard.Default.Find(DiagnosticMeasure.HirschbergHorizontal, EyeSide.Both));
        eso.Value.Should().BeApproximately(esoPd, 2e-3);
        eso.Excess.Should().BeApproximately(esoPd - 10, 2e-3);
        eso.DeviationMm.Should().BeApproximately(1.0, 1e-4);
        eso.Prism!.Value.Dioptres.Should().BeApproximately(esoPd, 2e-3);
        eso.Prism!.Value.Low.Should().BeLessThan(eso.Prism.Value.Dioptres, "the low Hirschberg ratio reads a smaller angle");
        eso.Description.Should().Contain("Esotropia").And.Contain("left").And.Contain("corneal reflexes");
        b.Findings.Single(f => f.Kind == FindingKind.Hypotropia).Value.Should().BeApproximately(hypoPd, 2e-3);
        b.Measurements.Right.MrdOrigin.Should().Be(MarginReflexOrigin.CornealReflex);
        b.Measurements.Left.Reflex.NasalRotationDegrees.Should().BeApproximately(Math.Asin(1.0 / h) * 180 / Math.PI, 1e-3);
        b.Measurements.Left.Reflex.UpRotationDegrees.Should().BeApproximately(-Math.Asin(0.8 / h) * 180 / Math.PI, 1e-3);
    }

    [Fact]
    public void Mirror_cases_swap_eye_and_kind()
    {
        // Right eye turned out 1.2 mm beyond kappa (reflex nasal: image right), left eye at its kappa place.
        FaceLandmarks level = ConstructedFaces.Level();
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(ConstructedFaces.WithReflexes(level, new Vector2(1.5f, 0), new Vector2(-0.3f, 0)), Frontal);
        DiagnosticFinding exo = a.Findings.Single(f => f.Measure == DiagnosticMeasure.HirschbergHorizontal);
        exo.Kind.Should().Be(FindingKind.Exotropia);
        exo.Eye.Should().Be(EyeSide.Right);
        exo.DeviationMm.Should().BeApproximately(1.2, 1e-4);
        a.Findings.Should().NotContain(f => f.Measure == DiagnosticMeasure.HirschbergVertical);

        // The mirror: the left eye turned out by the same amount (reflex nasal: image left).
        OcularAssessment b = new LandmarkDiagnosticBenchmark().Assess(ConstructedFaces.WithReflexes(level, new Vector2(0.3f, 0), new Vector2(-1.5f, 0)), Frontal);
        DiagnosticFinding mirror = b.Findings.Single(f => f.Measure == DiagnosticMeasure.HirschbergHorizontal);
        mirror.Kind.Should().Be(FindingKind.Exotropia);
        mirror.Eye.Should().Be(EyeSide.Left);
        mirror.Value.Should().BeApproximately(exo.Value, 1e-3, "float reflex positions");

        // Right eye 1 mm higher than its fellow (reflex 1 mm below its limbus centre): right hypertropia.
        OcularAssessment c = new LandmarkDiagnosticBenchmark().Assess(ConstructedFaces.WithReflexes(level, new Vector2(0.3f, 1.0f), new Vector2(-0.3f, 0)), Frontal);
        c.Findings.Single(f => f.Measure == DiagnosticMeasure.HirschbergVertical).Kind.Should().Be(FindingKind.Hypertropia);
        c.Findings.Single(f => f.Measure == DiagnosticMeasure.HirschbergVertical).Eye.Should().Be(EyeSide.Right);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1.2, 0)]
    [InlineData(-1.2, 0)]
    [InlineData(0, 1.0)]
    [InlineData(0.9, -0.9)]
    public void A_gaze_both_eyes_share_cancels_and_makes_no_alignment_finding_but_a_gaze_flag(double shiftX, double shiftY)
    {
        // Both reflexes moved alike (a shared gaze) from their kappa places.
        var shift = new Vector2((float)shiftX, (float)shiftY);
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(
            ConstructedFaces.WithReflexes(ConstructedFaces.Level(), new Vector2(0.3f, 0) + shift, new Vector2(-0.3f, 0) + shift), Frontal);
        a.Measurements.Hirschberg.HorizontalPrism.Dioptres.Should().BeApproximately(0, 1e-3, "float reflex positions");
        a.Measurements.Hirschberg.VerticalPrism.Dioptres.Should().BeApproximately(0, 1e-3, "float reflex positions");
        a.Findings.Should().NotContain(f => f.Kind == FindingKind.Esotropia || f.Kind == FindingKind.Exotropia || f.Kind == FindingKind.Hypertropia || f.Kind == FindingKind.Hypotropia);

        // 1.2 mm is asin(1.2 / 5.15) = 13.5 degrees, past the 10-degree gaze limit; 0.9 mm is 10.1 degrees.
        bool off = Math.Abs(shiftX) > 0.87 || Math.Abs(shiftY) > 0.87;
        a.QualityFlags.Any(f => f.Issue == CaptureQualityIssue.OffCentreGaze).Should().Be(off);
        a.Measurements.Right.MrdOrigin.Should().Be(off ? MarginReflexOrigin.LimbusCentre : MarginReflexOrigin.CornealReflex, "MRD is read from the reflexes only when the eyes look at the light");
        if (shiftX != 0)
        {
            // Reflexes displaced to the image's right mean the eyes turned to the image's left.
            a.Measurements.Hirschberg.GazeRightDegrees.Should().BeApproximately(-Math.Asin(shiftX / (100 / 19.4)) * 180 / Math.PI, 1e-3);
        }
    }

    [Fact]
    public void Deviations_just_inside_and_outside_the_range_decide_the_finding()
    {
        // 10 PD is the range's edge: asin(0.1) x h = 0.5129 mm of displacement beyond kappa reads 9.95 PD (in),
        // 0.5230 mm reads 10.15 PD (out).
        double h = 100 / 19.4;
        foreach ((double mm, bool finding) in new[] { (h * Math.Sin(Math.Atan(0.0995)), false), (h * Math.Sin(Math.Atan(0.1015)), true) })
        {
            OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(
                ConstructedFaces.WithReflexes(ConstructedFaces.Level(), new Vector2(0.3f - (float)mm, 0), new Vector2(-0.3f, 0)), Frontal);
            a.Findings.Any(f => f.Measure == DiagnosticMeasure.HirschbergHorizontal).Should().Be(finding, $"{mm:F4} mm");
        }
    }

    [Theory]
    [InlineData(CornealReflexStatus.NoReflex)]
    [InlineData(CornealReflexStatus.Multiple)]
    [InlineData(CornealReflexStatus.NotCompact)]
    [InlineData(CornealReflexStatus.AtIrisEdge)]
    public void A_missing_reflex_gives_no_alignment_a_flag_naming_why_and_limbus_based_mrd(CornealReflexStatus why)
    {
        FaceLandmarks level = ConstructedFaces.Level();
        var good = new CornealReflex(level[468] + new Vector2(3, 0), 1.5f, 150);
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(level.WithReflexes(new CornealReflexes(good, null, CornealReflexStatus.Found, why)), Frontal);
        a.Measurements.Hirschberg.IsAvailable.Should().BeFalse();
        a.Findings.Should().NotContain(f => f.Measure == DiagnosticMeasure.HirschbergHorizontal || f.Measure == DiagnosticMeasure.HirschbergVertical);
        CaptureQualityFlag flag = a.QualityFlags.Single(f => f.Issue == CaptureQualityIssue.NoCornealReflex);
        flag.Eye.Should().Be(EyeSide.Left);
        flag.Description.Should().Contain("left");
        a.Measurements.Left.MrdOrigin.Should().Be(MarginReflexOrigin.LimbusCentre);
        a.Measurements.Right.MrdOrigin.Should().Be(MarginReflexOrigin.LimbusCentre, "a lone highlight in one eye is not taken as the light the eyes fixate");
        a.Findings.Should().OnlyContain(f => f.IsReliable, "a missing reflex bears on no finding");
    }

    [Fact]
    public void Mrd_from_the_reflex_reads_the_lids_on_the_vertical_through_it()
    {
        // Right eye: lids straight at y 480 and 520; reflex 1 mm (3.42 px) above the limbus centre (498): MRD1 = 18 - 3.42 px.
        FaceLandmarks level = ConstructedFaces.Level();
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(ConstructedFaces.WithReflexes(level, new Vector2(0.3f, -1.0f), new Vector2(-0.3f, 0)), Frontal);
        double up = 1.0 / (11.7 / 40);
        a.Measurements.Right.Mrd1.Pixels.Should().BeApproximately(18 - up, 1e-3);
        a.Measurements.Right.Mrd2.Pixels.Should().BeApproximately(22 + up, 1e-3);
        a.Measurements.Right.Reflex.Up.Millimetres.Should().BeApproximately(1.0, 1e-4);
        a.Measurements.Right.Reflex.Nasal.Millimetres.Should().BeApproximately(0.3, 1e-4);
        a.Measurements.Right.Reflex.NasalIrisRadii.Should().BeApproximately(0.3 / 5.85, 1e-4);
    }

    [Fact]
    public void Lid_findings_ptosis_retraction_and_asymmetry()
    {
        Vector3[] p = ConstructedFaces.LevelPoints();
        float mmPx = 11.7f / 40;
        ConstructedFaces.Set(p, 159, 390, 498 - (1.0f / mmPx));  // right MRD1 1.0 mm: ptosis (< 2.0)
        ConstructedFaces.Set(p, 386, 612, 501 - (6.5f / mmPx));  // left MRD1 6.5 mm: retraction (> 5.5)
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(new FaceLandmarks(p), Frontal);
        a.Findings.Should().Contain(f => f.Kind == FindingKind.Ptosis && f.Eye == EyeSide.Right && f.Measure == DiagnosticMeasure.Mrd1);
        a.Findings.Should().Contain(f => f.Kind == FindingKind.LidRetraction && f.Eye == EyeSide.Left && f.Measure == DiagnosticMeasure.Mrd1);
        a.Findings.Should().Contain(f => f.Kind == FindingKind.Asymmetry && f.Eye == EyeSide.Both && f.Measure == DiagnosticMeasure.Mrd1Asymmetry);
        a.Findings.Single(f => f.Kind == FindingKind.Ptosis && f.Measure == DiagnosticMeasure.Mrd1).Excess.Should().BeApproximately(1.0, 1e-3);
    }

    [Fact]
    public void Quality_flags_closed_eye_small_iris_small_face_pose_and_gaze()
    {
        Vector3[] p = ConstructedFaces.LevelPoints();
        ConstructedFaces.Set(p, 159, 390, 508);
        ConstructedFaces.Set(p, 145, 390, 512); // right fissure 4 px = 0.1 iris: closed
        OcularAssessment closed = new LandmarkDiagnosticBenchmark().Assess(new FaceLandmarks(p), new HeadPose(2, 25, -20));
        closed.QualityFlags.Should().Contain(f => f.Issue == CaptureQualityIssue.EyeClosed && f.Eye == EyeSide.Right);
        closed.QualityFlags.Where(f => f.Issue == CaptureQualityIssue.PoseBeyondLimits).Select(f => f.Value).Should().BeEquivalentTo(new[] { 25.0, -20.0 });
        closed.IsCaptureAcceptable.Should().BeFalse();

        OcularAssessment tiny = new LandmarkDiagnosticBenchmark().Assess(ConstructedFaces.Transformed(ConstructedFaces.Level(), 0.25f, 0, Vector2.Zero), Frontal);
        tiny.QualityFlags.Select(f => f.Issue).Should().Contain([CaptureQualityIssue.IrisTooSmall, CaptureQualityIssue.FaceTooSmall]);

        // Both irises 2 mm towards the image's right: right eye nasal, left eye temporal.
        Vector3[] g = ConstructedFaces.LevelPoints();
        float px = 2 / (11.7f / 40);
        Shift(g, [468, 469, 470, 471, 472], new Vector2(-2 + px, 0));
        Shift(g, [473, 474, 475, 476, 477], new Vector2(6 + px, -3));
        OcularAssessment gaze = new LandmarkDiagnosticBenchmark().Assess(new FaceLandmarks(g), Frontal);
        gaze.QualityFlags.Should().ContainSingle(f => f.Issue == CaptureQualityIssue.OffCentreGaze).Which.Value.Should().BeApproximately(2, 1e-3);
    }

    private static void Shift(Vector3[] p, int[] indices, Vector2 d)
    {
        foreach (int i in indices)
        {
            p[i] += new Vector3(d, 0);
        }
    }
}
