using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>Each finding carries the capture-quality flags that bear on it.</summary>
public sealed class FindingReliabilityTests
{
    private static readonly HeadPose Frontal = new(0, 0, 0);

    [Fact]
    public void An_eye_flag_makes_that_eyes_and_inter_eye_findings_unreliable_only()
    {
        System.Numerics.Vector3[] p = ConstructedFaces.LevelPoints();
        ConstructedFaces.Set(p, 159, 390, 508);
        ConstructedFaces.Set(p, 145, 390, 512);                        // right eye closed (fissure 0.1 iris diameters)
        ConstructedFaces.Set(p, 386, 612, 501 - (6.5f / (11.7f / 40))); // left MRD1 6.5 mm: lid retraction
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(new FaceLandmarks(p), Frontal);

        CaptureQualityFlag closed = a.QualityFlags.Should().ContainSingle().Which;
        closed.Issue.Should().Be(CaptureQualityIssue.EyeClosed);
        closed.Eye.Should().Be(EyeSide.Right);

        DiagnosticFinding retraction = a.Findings.Single(f => f.Kind == FindingKind.LidRetraction && f.Eye == EyeSide.Left && f.Measure == DiagnosticMeasure.Mrd1);
        retraction.IsReliable.Should().BeTrue("the closed right eye does not bear on the left lid");
        a.Findings.Where(f => f.Eye == EyeSide.Right).Should().NotBeEmpty().And.OnlyContain(f => !f.IsReliable && f.CaptureConcerns.Single() == closed);
        a.Findings.Where(f => MeasureCatalog.IsInterEye(f.Measure)).Should().NotBeEmpty().And.OnlyContain(f => !f.IsReliable, "inter-eye measures read the closed eye too");
        a.ReliableFindings.Should().Contain(retraction).And.OnlyContain(f => f.IsReliable);
        a.AreFindingsReliable.Should().BeFalse();
    }

    [Fact]
    public void A_whole_face_flag_makes_every_finding_unreliable_and_none_without_flags()
    {
        OcularAssessment turned = new LandmarkDiagnosticBenchmark().Assess(ConstructedFaces.Level(), new HeadPose(0, 25, 0));
        turned.Findings.Should().NotBeEmpty();
        turned.Findings.Should().OnlyContain(f => f.CaptureConcerns.Any(q => q.Issue == CaptureQualityIssue.PoseBeyondLimits));
        turned.ReliableFindings.Should().BeEmpty();

        OcularAssessment frontal = new LandmarkDiagnosticBenchmark().Assess(ConstructedFaces.Level(), Frontal);
        frontal.Findings.Should().NotBeEmpty().And.OnlyContain(f => f.IsReliable);
        frontal.ReliableFindings.Should().HaveCount(frontal.Findings.Count);
        frontal.AreFindingsReliable.Should().BeTrue();
    }
}
