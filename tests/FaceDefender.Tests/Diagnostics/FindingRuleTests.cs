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
        OcularAssessment a = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { Frame = MeasurementFrame.Image }).Assess(ConstructedFaces.Level(), Frontal);

        // Right ratio 40/40 = 1.0 > 0.870 (paper); horizontal vergence 8 px = 2.34 mm > 0.7 (left eye further from centred);
        // vertical difference 3 px = 0.8775 mm > 0.5 with the left iris the displaced one (down): left hypotropia.
        a.Findings.Select(f => (f.Kind, f.Eye, f.Measure)).Should().BeEquivalentTo(new[]
        {
            (FindingKind.LidRetraction, EyeSide.Right, DiagnosticMeasure.FissureHeightToIrisWidthRatio),
            (FindingKind.Esotropia, EyeSide.Left, DiagnosticMeasure.HorizontalVergence),
            (FindingKind.Hypotropia, EyeSide.Left, DiagnosticMeasure.VerticalDifference),
        });
        DiagnosticFinding eso = a.Findings.Single(f => f.Kind == FindingKind.Esotropia);
        eso.Range.Should().Be(ReferenceStandard.Default.Find(DiagnosticMeasure.HorizontalVergence, EyeSide.Both));
        eso.Value.Should().BeApproximately(8 * 11.7 / 40, 1e-5);
        eso.Excess.Should().BeApproximately((8 * 11.7 / 40) - 0.7, 1e-5);
        eso.DeviationMm.Should().BeApproximately(8 * 11.7 / 40, 1e-5);
        eso.Prism!.Value.Dioptres.Should().BeApproximately(8 * 11.7 / 40 * 22, 1e-4);
        eso.Description.Should().Contain("Esotropia").And.Contain("left");
        a.Findings.Single(f => f.Kind == FindingKind.LidRetraction).Range.Source.Should().Contain("Tan, Chen, Wang");
        a.QualityFlags.Should().BeEmpty();
        a.IsCaptureAcceptable.Should().BeTrue();
    }

    [Fact]
    public void Mirror_cases_swap_eye_and_kind()
    {
        // Move the right iris 3 mm temporally (towards image left) and leave the left eye centred on its canthi.
        Vector3[] p = ConstructedFaces.LevelPoints();
        float px = 3 / (11.7f / 40);
        Shift(p, [468, 469, 470, 471, 472], new Vector2(-2 - px, 0));    // right iris: from 2 px nasal to 3 mm temporal
        Shift(p, [473, 474, 475, 476, 477], new Vector2(6, -3));         // left iris centred on (612, 498)
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(new FaceLandmarks(p), Frontal);
        DiagnosticFinding exo = a.Findings.Single(f => f.Measure == DiagnosticMeasure.HorizontalVergence);
        exo.Kind.Should().Be(FindingKind.Exotropia);
        exo.Eye.Should().Be(EyeSide.Right);
        exo.DeviationMm.Should().BeApproximately(3, 1e-4);
        a.Findings.Should().NotContain(f => f.Measure == DiagnosticMeasure.VerticalDifference);
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
