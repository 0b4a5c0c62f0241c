using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// The photographic Hirschberg test on kit renders with a light at the camera, the schematic eye and an angle kappa of
/// 3.28 degrees (the 0.3 mm the default removes): the kit's exact landmarks, the reflexes found in the render.
/// </summary>
public sealed class HirschbergKitTests(ITestOutputHelper output)
{
    private const float Kappa = 3.28f; // asin(0.3 mm / 5.24 mm): the default AngleKappaMillimetres on the kit's eye

    private static bool IsAlignment(DiagnosticFinding f) =>
        f.Kind is FindingKind.Esotropia or FindingKind.Exotropia or FindingKind.Hypertropia or FindingKind.Hypotropia;

    private static GroundTruthScene Scene(int identity, float gazeRight, float gazeUp, EyeControl? right = null, EyeControl? left = null) => new()
    {
        ImageSize = 640,
        Identity = identity,
        Sex = identity % 2 == 0 ? AvatarSex.Female : AvatarSex.Male,
        CameraLight = CameraLight.Default,
        Fixation = EyeFixation.Camera,
        GazeHorizontalDegrees = gazeRight,
        GazeUpDegrees = gazeUp,
        RightEye = (right ?? EyeControl.Neutral) with { AngleKappaDegrees = Kappa },
        LeftEye = (left ?? EyeControl.Neutral) with { AngleKappaDegrees = Kappa },
    };

    [Theory]
    [InlineData(0, 0)]
    [InlineData(20, 0)]
    [InlineData(-20, 0)]
    [InlineData(0, 15)]
    [InlineData(0, -15)]
    [InlineData(14, 10)]
    [InlineData(-14, -10)]
    public void A_shared_gaze_with_no_deviation_makes_no_alignment_finding(float gazeRight, float gazeUp)
    {
        var bench = new LandmarkDiagnosticBenchmark();
        foreach (int identity in new[] { 2, 11 })
        {
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(Scene(identity, gazeRight, gazeUp));
            OcularAssessment a = bench.Assess(r.Landmarks.WithReflexes(r.Image));
            a.Measurements.Hirschberg.IsAvailable.Should().BeTrue($"identity {identity}: both reflexes are drawn ({a.Measurements.Right.Reflex.Status}, {a.Measurements.Left.Reflex.Status})");
            a.Findings.Where(IsAlignment).Should().BeEmpty($"identity {identity}, gaze {gazeRight}/{gazeUp}");
            output.WriteLine($"id {identity} gaze {gazeRight}/{gazeUp}: H {a.Measurements.Hirschberg.HorizontalPrism.Dioptres:F2} V {a.Measurements.Hirschberg.VerticalPrism.Dioptres:F2} PD, gaze {a.Measurements.Hirschberg.GazeRightDegrees:F1}/{a.Measurements.Hirschberg.GazeUpDegrees:F1}");

            // Measured at commit time: |H| and |V| at most 1.9 PD over these gazes; bound 4 PD.
            Math.Abs(a.Measurements.Hirschberg.HorizontalPrism.Dioptres).Should().BeLessThan(4);
            Math.Abs(a.Measurements.Hirschberg.VerticalPrism.Dioptres).Should().BeLessThan(4);

            // The shared gaze is read from the reflexes: within 4 degrees of the rendered one (measured: within 2.3).
            a.Measurements.Hirschberg.GazeRightDegrees.Should().BeApproximately(gazeRight, 4);
            bool flagged = a.QualityFlags.Any(f => f.Issue == CaptureQualityIssue.OffCentreGaze);
            flagged.Should().Be(Math.Abs(gazeRight) > 12 || Math.Abs(gazeUp) > 12, "the 10-degree gaze limit, with the rendered gazes well clear of it");
        }
    }

    public static TheoryData<float, float, bool> Deviations => new()
    {
        // horizontal PD of one eye (positive eso), vertical PD (positive hyper), right eye deviates. The combined case is
        // 25 eso / 15 hyper: with 20 / 15 on the left eye and this scene's shared gaze (6 degrees right, 4 down) both eyes
        // are turned about 7.3 degrees from the camera (right 7.23, left 7.35 with the kit's exact limbus centres; 7.37
        // and 7.22 with the vertical centres measured on the image, 0.05 px from them), so the rule that names the eye
        // turned further from the camera cannot tell which eye deviates; at 25 / 15 the left eye is at 9.0 degrees.
        { 15, 0, true }, { -15, 0, false }, { 25, 0, false }, { -30, 0, true }, { 40, 0, true }, { -40, 0, false },
        { 0, 15, true }, { 0, -20, false }, { 25, 15, false },
    };

    [Theory]
    [MemberData(nameof(Deviations))]
    public void Deviations_of_15_PD_and_more_are_classified_with_the_deviating_eye_and_magnitude(float horizontal, float vertical, bool rightDeviates)
    {
        var bench = new LandmarkDiagnosticBenchmark();
        var dev = new EyeControl { HorizontalDeviationPrismDioptres = horizontal, VerticalDeviationPrismDioptres = vertical };
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(Scene(7, 6, -4, rightDeviates ? dev : null, rightDeviates ? null : dev));
        OcularAssessment a = bench.Assess(r.Landmarks.WithReflexes(r.Image));
        AlignmentTruth truth = r.Truth.Alignment!;
        HirschbergAlignment h = a.Measurements.Hirschberg;
        output.WriteLine($"truth H {truth.HorizontalDeviationPrismDioptres:F1} V {truth.VerticalDeviationPrismDioptres:F1}; measured H {h.HorizontalPrism} V {h.VerticalPrism}");

        // Both limbus centres are measured on the image, so nothing casts doubt on the alignment.
        a.QualityFlags.Should().NotContain(f => f.Issue == CaptureQualityIssue.LimbusNotMeasured);

        // Measured at commit time: errors up to 3.0 PD on these renders (40 PD read 43); bound 5 PD.
        h.HorizontalPrism.Dioptres.Should().BeApproximately(truth.HorizontalDeviationPrismDioptres, 5);
        h.VerticalPrism.Dioptres.Should().BeApproximately(truth.VerticalDeviationPrismDioptres, 5);
        EyeSide eye = rightDeviates ? EyeSide.Right : EyeSide.Left;
        if (horizontal != 0)
        {
            DiagnosticFinding f = a.Findings.Single(x => x.Measure == DiagnosticMeasure.HirschbergHorizontal);
            f.Kind.Should().Be(horizontal > 0 ? FindingKind.Esotropia : FindingKind.Exotropia);
            f.Eye.Should().Be(eye);
        }

        if (vertical != 0)
        {
            DiagnosticFinding f = a.Findings.Single(x => x.Measure == DiagnosticMeasure.HirschbergVertical);
            f.Kind.Should().Be(vertical > 0 ? FindingKind.Hypertropia : FindingKind.Hypotropia);
            f.Eye.Should().Be(eye);
        }
    }

    [Fact]
    public void A_turned_eyes_reflex_and_scale_are_found_through_the_detector_where_the_landmarks_put_the_iris_a_third_of_a_radius_off()
    {
        // Shared gaze 14 degrees to the image's left with a 20 PD exotropia of the right eye: that eye is turned about 26
        // degrees and the landmark models put its iris centre 2 px nasal and 3 px high of the truth, with a radius 13 %
        // short. The reflex disc around that centre takes in the bright sclera beside the iris, whose patch was taken for
        // the spot and rejected as off centre (AtIrisEdge): no alignment at all. Searched again around the limbus centre
        // the chords measure, the true reflex is found. Through the detector, as a user runs it.
        var bench = new LandmarkDiagnosticBenchmark();
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(Scene(14, -14, -9, right: new EyeControl { HorizontalDeviationPrismDioptres = -20 }) with { ImageSize = 768 });
        using var detector = new MediaPipeLandmarkDetector();
        OcularAssessment a = bench.Assess(detector.Detect(r.Image).Face!);
        foreach ((EyeMeasurements e, EyeTruth t) in new[] { (a.Measurements.Right, r.Truth.Right), (a.Measurements.Left, r.Truth.Left) })
        {
            e.Reflex.IsFound.Should().BeTrue($"{e.Side} eye: {e.Reflex.Status}");
            e.Reflex.IsLimbusCentreMeasured.Should().BeTrue($"{e.Side} eye");
            float off = System.Numerics.Vector2.Distance(e.Reflex.Position!.Value, t.Alignment!.CornealReflex);
            output.WriteLine($"{e.Side}: turned {t.Alignment.HorizontalRotationDegrees:F1} degrees, reflex {off:F2} px from the truth");

            // Measured: 0.11 px (right) and 0.20 px (left); bound 0.5 px.
            off.Should().BeLessThan(0.5f);

            // The displacement in mm against the kit's: the landmarks' ring of this turned eye is as narrow as its limbus is
            // along the eye line, so scaled by the ring its displacement read 13 % large (1.133); scaled by the radius of
            // the ellipse fitted to its limbus, measured 1.039 (right) and 1.061 (left, turned 14 degrees). Bounds 0.95-1.09
            // for the turned eye, 0.9-1.1 for the other.
            double ratio = Math.Abs(e.Reflex.Nasal.Millimetres) / Math.Abs(t.Alignment.ReflexMinusLimbusMillimetres.X);
            output.WriteLine($"{e.Side}: displacement {e.Reflex.Nasal.Millimetres:F3} mm against {t.Alignment.ReflexMinusLimbusMillimetres.X:F3} mm, ratio {ratio:F3}");
            (double low, double high) = e.Side == EyeSide.Right ? (0.95, 1.09) : (0.9, 1.1);
            ratio.Should().BeInRange(low, high, $"{e.Side} eye");
        }

        a.Measurements.Hirschberg.IsAvailable.Should().BeTrue();
        a.Findings.Should().Contain(f => f.Kind == FindingKind.Exotropia && f.Eye == EyeSide.Right);
    }

    [Fact]
    public void An_eye_turned_down_under_its_lids_has_no_measured_limbus_centre_and_its_alignment_findings_are_unreliable()
    {
        // A shared gaze 12 degrees down with a 20 PD exo and hypo of the right eye: that eye looks about 26 degrees down and
        // its limbus centre lies at the lower lid's margin, so no chord across the iris can be measured beside the reflex.
        // The alignment then rests on the landmarks' iris centre (exact here, several px off from a model), so its findings
        // are kept but marked unreliable, and the other findings are not touched.
        var bench = new LandmarkDiagnosticBenchmark();
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(Scene(24, 9.4f, -12.1f,
            right: new EyeControl { HorizontalDeviationPrismDioptres = -20, VerticalDeviationPrismDioptres = -20 }));
        OcularAssessment a = bench.Assess(r.Landmarks.WithReflexes(r.Image));
        a.Measurements.Hirschberg.IsAvailable.Should().BeTrue();
        (a.Measurements.Right.Reflex.IsLimbusCentreMeasured, a.Measurements.Left.Reflex.IsLimbusCentreMeasured).Should().Be((false, true));
        a.QualityFlags.Where(f => f.Issue == CaptureQualityIssue.LimbusNotMeasured).Select(f => f.Eye).Should().Equal(EyeSide.Right);
        a.Findings.Where(IsAlignment).Should().NotBeEmpty().And.OnlyContain(f => !f.IsReliable);
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(-5, 0)]
    [InlineData(0, 5)]
    [InlineData(-7, 0)]
    public void Deviations_below_8_PD_make_no_finding(float horizontal, float vertical)
    {
        var bench = new LandmarkDiagnosticBenchmark();
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(Scene(13, -5, 3, new EyeControl { HorizontalDeviationPrismDioptres = horizontal, VerticalDeviationPrismDioptres = vertical }));
        OcularAssessment a = bench.Assess(r.Landmarks.WithReflexes(r.Image));
        a.Measurements.Hirschberg.IsAvailable.Should().BeTrue();
        a.Findings.Where(IsAlignment).Should().BeEmpty();
    }

    [Fact]
    public void Mrd_from_the_reflex_matches_the_kits_reflex_based_truth()
    {
        // The kit's MRD1 / MRD2 read from the rendered reflex; measured at commit time: mean error 0.049 mm; bound 0.1 mm.
        var bench = new LandmarkDiagnosticBenchmark();
        var errors = new List<double>();
        foreach ((int id, float gr, float gu) in new[] { (3, 0f, 0f), (8, 6f, -4f), (15, -7f, 5f) })
        {
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(Scene(id, gr, gu));
            OcularMeasurements m = bench.Measure(r.Landmarks.WithReflexes(r.Image));
            foreach ((EyeMeasurements e, EyeTruth t) in new[] { (m.Right, r.Truth.Right), (m.Left, r.Truth.Left) })
            {
                e.MrdOrigin.Should().Be(MarginReflexOrigin.CornealReflex);
                errors.Add(Math.Abs(e.Mrd1.Millimetres - t.Alignment!.Mrd1FromReflex.Millimetres));
                errors.Add(Math.Abs(e.Mrd2.Millimetres - t.Alignment!.Mrd2FromReflex.Millimetres));
            }
        }

        output.WriteLine($"MRD mean abs error {errors.Average():F3} mm, max {errors.Max():F3}");
        errors.Average().Should().BeLessThan(0.1);
    }

    [Fact]
    public void Without_a_light_at_the_camera_there_is_no_alignment_and_a_flag_says_why()
    {
        var bench = new LandmarkDiagnosticBenchmark();
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(Scene(5, 0, 0, new EyeControl { HorizontalDeviationPrismDioptres = 30 }) with { CameraLight = null });
        OcularAssessment a = bench.Assess(r.Landmarks.WithReflexes(r.Image));
        a.Measurements.Hirschberg.IsAvailable.Should().BeFalse();
        a.Findings.Where(IsAlignment).Should().BeEmpty("no reflex, no alignment finding, even for a 30 PD esotropia");
        a.QualityFlags.Where(f => f.Issue == CaptureQualityIssue.NoCornealReflex).Should().NotBeEmpty();
    }
}
