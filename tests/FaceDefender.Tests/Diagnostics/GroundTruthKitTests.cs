using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// The benchmark on the ground-truth face kit's exact (projected) landmarks: arithmetic against the
/// kit's own truths, findings for controlled deviations, invariance under scale and roll.
/// </summary>
public sealed class GroundTruthKitTests(Xunit.Abstractions.ITestOutputHelper testOutput)
{
    private static readonly HeadPose Frontal = new(0, 0, 0);

    public static TheoryData<string, GroundTruthScene> Scenes => new()
    {
        { "neutral", new GroundTruthScene { ImageSize = 256 } },
        { "eso R + ptosis L", new GroundTruthScene { ImageSize = 256, Identity = 3, Sex = AvatarSex.Male, RightEye = new EyeControl { IrisNasalMm = 2.5f }, LeftEye = new EyeControl { UpperLidUpMm = -2f } } },
        { "hyper L + retraction R", new GroundTruthScene { ImageSize = 320, Identity = 7, AgeYears = 60, LeftEye = new EyeControl { IrisUpMm = 1.5f, IrisNasalMm = -1f }, RightEye = new EyeControl { UpperLidUpMm = 2f, LowerLidDownMm = 1.5f } } },
        { "posed", new GroundTruthScene { ImageSize = 256, Identity = 11, YawDegrees = 12, PitchDegrees = 8, RollDegrees = 9, Scale = 0.8f, RightEye = new EyeControl { IrisUpMm = -2f } } },
        { "iris 10.5 mm", new GroundTruthScene { ImageSize = 256, Identity = 5, IrisDiameterMm = 10.5f, LeftEye = new EyeControl { IrisNasalMm = -3f, LowerLidDownMm = -1.5f } } },
    };

    [Theory]
    [MemberData(nameof(Scenes))]
    public void Arithmetic_matches_the_kit_truth_to_a_hundredth_of_a_millimetre(string name, GroundTruthScene scene)
    {
        _ = name;
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(scene);
        var b = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { Frame = MeasurementFrame.Image, IrisDiameterMm = scene.IrisDiameterMm });
        OcularMeasurements m = b.Measure(r.Landmarks, Frontal);
        FaceMeasurementTruth t = r.Truth;
        foreach ((EyeMeasurements e, EyeTruth et) in new[] { (m.Right, t.Right), (m.Left, t.Left) })
        {
            Same(e.IrisWidth, et.IrisWidth);
            Same(e.FissureHeight, et.FissureHeight);
            Same(e.FissureWidth, et.FissureWidth);
            Same(e.Mrd1, et.Mrd1);
            Same(e.Mrd2, et.Mrd2);
            Same(e.IrisToInnerCanthus, et.IrisToInnerCanthus);
            Same(e.DecentrationNasal, et.DecentrationNasal);
            Same(e.DecentrationUp, et.DecentrationUp);
            e.FissureHeightToIrisWidthRatio.Should().BeApproximately(et.HeightToIrisWidthRatio, 1e-5);
        }

        Same(m.L, t.L);
        Same(m.R, t.R);
        Same(m.D, t.D);
        Same(m.NasalDecentrationDifference, t.NasalDecentrationDifference);
        Same(m.VerticalDifference, t.UpDecentrationDifference);
    }

    [Fact]
    public void Neutral_renders_within_the_pose_limits_give_no_findings_and_no_flags()
    {
        // The renders are 256 px (a quarter of the paper's 1024), so the pixel-size limits are scaled by a quarter too.
        var small = new DiagnosticOptions { MinIrisDiameterPixels = 5, MinInterPupillaryPixels = 20 };
        var b = new LandmarkDiagnosticBenchmark(KitStandard, small);
        var d = new LandmarkDiagnosticBenchmark(options: small);
        foreach (GroundTruthScene s in NeutralScenes())
        {
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(s);
            OcularAssessment a = b.Assess(r.Landmarks);
            a.Findings.Should().BeEmpty($"{s} is neutral");
            a.QualityFlags.Should().BeEmpty($"{s} is within the limits");
            d.Assess(r.Landmarks).Findings.Where(f => f.Kind != FindingKind.OutOfRange).Should().BeEmpty($"the default standard should also accept {s}");
        }
    }

    public static TheoryData<string, EyeControl?, EyeControl?, FindingKind, EyeSide> Deviations
    {
        get
        {
            // Threshold = half-width of the inter-eye range: 0.7 mm horizontal, 0.5 mm vertical. Deviations are 1.5x.
            const float h = 1.05f, v = 0.75f;
            return new()
            {
                { "eso R", new EyeControl { IrisNasalMm = h }, null, FindingKind.Esotropia, EyeSide.Right },
                { "eso L", null, new EyeControl { IrisNasalMm = h }, FindingKind.Esotropia, EyeSide.Left },
                { "exo R", new EyeControl { IrisNasalMm = -h }, null, FindingKind.Exotropia, EyeSide.Right },
                { "exo L", null, new EyeControl { IrisNasalMm = -h }, FindingKind.Exotropia, EyeSide.Left },
                { "hyper R", new EyeControl { IrisUpMm = v }, null, FindingKind.Hypertropia, EyeSide.Right },
                { "hyper L", null, new EyeControl { IrisUpMm = v }, FindingKind.Hypertropia, EyeSide.Left },
                { "hypo R", new EyeControl { IrisUpMm = -v }, null, FindingKind.Hypotropia, EyeSide.Right },
                { "hypo L", null, new EyeControl { IrisUpMm = -v }, FindingKind.Hypotropia, EyeSide.Left },
                { "large exo L", null, new EyeControl { IrisNasalMm = -4f }, FindingKind.Exotropia, EyeSide.Left },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Deviations))]
    public void An_iris_moved_against_the_canthi_is_reported_but_is_never_an_alignment_finding(string name, EyeControl? right, EyeControl? left, FindingKind kind, EyeSide eye)
    {
        // The canthus-based decentration moves with canthus placement, face shape and gaze, so it is a reported measure and
        // never the source of a strabismus finding (those come from the corneal reflexes). `kind` and `eye` name what the
        // old canthus rule would have suggested.
        _ = (name, kind, eye);
        var b = new LandmarkDiagnosticBenchmark(KitStandard);
        foreach (GroundTruthScene baseScene in NeutralScenes().Take(2))
        {
            GroundTruthScene scene = baseScene with { RightEye = right ?? EyeControl.Neutral, LeftEye = left ?? EyeControl.Neutral };
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(scene);
            OcularAssessment a = b.Assess(r.Landmarks.WithReflexes(r.Image));
            a.Findings.Should().NotContain(f => f.Kind == FindingKind.Esotropia || f.Kind == FindingKind.Exotropia
                || f.Kind == FindingKind.Hypertropia || f.Kind == FindingKind.Hypotropia);
            EyeControl moved = (right ?? left)!;
            EyeMeasurements m = a.Measurements[right is null ? EyeSide.Left : EyeSide.Right];
            using GroundTruthRender n0 = GroundTruthFaceRenderer.Render(baseScene);
            EyeMeasurements neutral = b.Assess(n0.Landmarks).Measurements[right is null ? EyeSide.Left : EyeSide.Right];
            // Within 12 %: a horizontally rotated eye's iris is foreshortened (cos 19 degrees = 0.95 at 4 mm), which
            // inflates that eye's mm values under the default per-eye iris-width scale by about 5 %.
            double change = moved.IrisNasalMm != 0 ? m.DecentrationNasal.Millimetres - neutral.DecentrationNasal.Millimetres : m.DecentrationUp.Millimetres - neutral.DecentrationUp.Millimetres;
            double truth = moved.IrisNasalMm + moved.IrisUpMm;
            change.Should().BeApproximately(truth, 0.12 * Math.Abs(truth), "the reported decentration follows the rendered offset");
        }
    }

    [Fact]
    public void Lid_deviations_give_ptosis_retraction_and_asymmetry()
    {
        var b = new LandmarkDiagnosticBenchmark(KitStandard);

        // Identity 8 (female, 76) has the lowest neutral MRD1 of the kit faces we tried (about 3.9 mm): lowering
        // the lid by 1.5x its distance to the 2.0 mm limit stays within the kit's -3 mm lid range.
        var old = new GroundTruthScene { ImageSize = 256, Identity = 8, AgeYears = 76 };
        using GroundTruthRender neutral = GroundTruthFaceRenderer.Render(old);
        double mrd1 = b.Measure(neutral.Landmarks).Right.Mrd1.Millimetres;
        double lower = KitStandard.Find(DiagnosticMeasure.Mrd1, EyeSide.Right)!.Lower!.Value;
        (1.5 * (mrd1 - lower)).Should().BeLessThanOrEqualTo(3.0, "the kit's lid range must allow a 1.5x deviation");
        using GroundTruthRender ptosis = GroundTruthFaceRenderer.Render(old with { RightEye = new EyeControl { UpperLidUpMm = (float)(-1.5 * (mrd1 - lower)) } });
        OcularAssessment a = b.Assess(ptosis.Landmarks);
        a.Findings.Should().Contain(f => f.Kind == FindingKind.Ptosis && f.Eye == EyeSide.Right && f.Measure == DiagnosticMeasure.Mrd1);
        a.Findings.Should().NotContain(f => f.Eye == EyeSide.Left);

        using GroundTruthRender retraction = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 256, LeftEye = new EyeControl { UpperLidUpMm = 2.5f, LowerLidDownMm = 2.5f } });
        OcularAssessment c = b.Assess(retraction.Landmarks);
        c.Findings.Should().Contain(f => f.Kind == FindingKind.LidRetraction && f.Eye == EyeSide.Left && f.Measure == DiagnosticMeasure.Mrd1);
        c.Findings.Should().Contain(f => f.Kind == FindingKind.LidRetraction && f.Eye == EyeSide.Left && f.Measure == DiagnosticMeasure.Mrd2);
        c.Findings.Should().Contain(f => f.Kind == FindingKind.Asymmetry && f.Measure == DiagnosticMeasure.Mrd1Asymmetry);
        c.Findings.Should().NotContain(f => f.Eye == EyeSide.Right);
    }

    // Measured (largest relative change of a measure, of an iris diameter for values near zero; fissure ratio): 0.5x 2.23e-6,
    // 2.52e-6; 2x 1.39e-6, 7.94e-7 (float rounding: scale is exact on the kit's projected landmarks); roll +15 1.71e-3,
    // 5.83e-4; roll -15 1.71e-3, 7.34e-4 (the roll resamples the lid contour). Bounds 2x for scale, 1.5x for roll (both were
    // 2 %, up to 25,000x).
    [Theory]
    [InlineData(0.5f, 0f, 5e-6, 5e-6)]
    [InlineData(2f, 0f, 3e-6, 2e-6)]
    [InlineData(1f, 15f, 2.6e-3, 1.1e-3)]
    [InlineData(1f, -15f, 2.6e-3, 1.1e-3)]
    public void Scale_free_measures_hold_under_scale_and_roll(float scale, float roll, double bound, double ratioBound)
    {
        var b = new LandmarkDiagnosticBenchmark();
        var scene = new GroundTruthScene { ImageSize = 384, Scale = 0.8f, Identity = 4, RightEye = new EyeControl { IrisNasalMm = 1.5f, UpperLidUpMm = -1f } };
        using GroundTruthRender r0 = GroundTruthFaceRenderer.Render(scene);
        using GroundTruthRender r1 = GroundTruthFaceRenderer.Render(scene with { Scale = 0.8f * scale, RollDegrees = roll });
        OcularMeasurements a = b.Measure(r0.Landmarks);
        OcularMeasurements c = b.Measure(r1.Landmarks);
        double worst = 0;
        foreach ((MeasuredValue x, MeasuredValue y) in MeasurementArithmeticTests.Pairs(a, c))
        {
            worst = Math.Max(worst, Math.Abs(y.IrisDiameters - x.IrisDiameters) / Math.Max(Math.Abs(x.IrisDiameters), 1.0));
        }

        double ratio = Math.Abs(a.Right.FissureHeightToIrisWidthRatio - c.Right.FissureHeightToIrisWidthRatio) / a.Right.FissureHeightToIrisWidthRatio;
        testOutput.WriteLine(FormattableString.Invariant($"scale {scale}, roll {roll}: largest change {worst:E2} (relative; of an iris diameter near zero), fissure ratio {ratio:E2}"));
        worst.Should().BeLessThanOrEqualTo(bound);
        ratio.Should().BeLessThanOrEqualTo(ratioBound);
    }

    [Fact]
    public void Original_and_deidentified_images_give_the_same_numbers()
    {
        var b = new LandmarkDiagnosticBenchmark();
        using GroundTruthRender patient = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 512, Identity = 2, RollDegrees = 6, RightEye = new EyeControl { IrisNasalMm = 2f, UpperLidUpMm = -1.5f } });
        using GroundTruthRender avatar = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 512, Identity = 20, Sex = AvatarSex.Male });
        using FusionResult fused = new PeriocularFaceFuser().Fuse(patient.Image, patient.Landmarks, avatar.Image, avatar.Landmarks);
        fused.PatientLandmarks.Space.Should().Be(CoordinateSpace.Output);
        OcularAssessment original = b.Assess(patient.Landmarks);
        OcularAssessment output = b.Assess(fused.PatientLandmarks);
        testOutput.WriteLine(FormattableString.Invariant($"largest difference {MeasurementArithmeticTests.Pairs(original.Measurements, output.Measurements).Max(p => Math.Abs(p.Item2.Millimetres - p.Item1.Millimetres)):E2} mm"));
        foreach ((MeasuredValue x, MeasuredValue y) in MeasurementArithmeticTests.Pairs(original.Measurements, output.Measurements))
        {
            // Measured: largest difference 1.52e-5 mm; bound 2x (it was 1e-3 mm, 66x, beside a redundant 0.1 mm).
            y.Millimetres.Should().BeApproximately(x.Millimetres, 3e-5, "a similarity transform leaves scale-free values unchanged up to float rounding");
        }

        output.Findings.Select(f => (f.Kind, f.Eye, f.Measure)).Should().Equal(original.Findings.Select(f => (f.Kind, f.Eye, f.Measure)));
        output.Space.Should().Be(CoordinateSpace.Output);
    }

    /// <summary>
    /// The default standard with the per-eye decentration centres calibrated to the kit's neutral faces
    /// (their iris centre sits about 0.15 mm temporal and 0.2-1.2 mm above the canthal midpoint), and the
    /// inter-eye vergence centred on twice the nasal value; the half-widths (the thresholds) are the default's.
    /// </summary>
    internal static ReferenceStandard KitStandard { get; } = BuildKitStandard();

    private static ReferenceStandard BuildKitStandard()
    {
        var b = new LandmarkDiagnosticBenchmark();
        var nasal = new List<double>();
        var up = new List<double>();
        foreach (GroundTruthScene s in NeutralScenes().Take(4))
        {
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(s);
            OcularMeasurements m = b.Measure(r.Landmarks);
            nasal.AddRange([m.Right.DecentrationNasal.Millimetres, m.Left.DecentrationNasal.Millimetres]);
            up.AddRange([m.Right.DecentrationUp.Millimetres, m.Left.DecentrationUp.Millimetres]);
        }

        double n = nasal.Average(), u = up.Average();
        const string how = "test calibration: mean of the kit's neutral renders, default half-width";
        var ranges = ReferenceStandard.Default.Ranges.Select(r => r.Measure switch
        {
            DiagnosticMeasure.DecentrationNasal => r with { Lower = n - 1, Upper = n + 1, Method = how },
            DiagnosticMeasure.DecentrationUp => r with { Lower = u - 1, Upper = u + 1, Method = how },
            DiagnosticMeasure.HorizontalVergence => r with { Lower = (2 * n) - 0.7, Upper = (2 * n) + 0.7, Method = how },
            _ => r,
        }).ToList();
        return new ReferenceStandard("kit-calibrated default", "Default standard with decentration centres from the ground-truth kit's neutral faces.", ranges);
    }

    private static IEnumerable<GroundTruthScene> NeutralScenes()
    {
        yield return new GroundTruthScene { ImageSize = 256, Identity = 0 };
        yield return new GroundTruthScene { ImageSize = 256, Identity = 1, Sex = AvatarSex.Male, AgeYears = 45 };
        yield return new GroundTruthScene { ImageSize = 256, Identity = 2, AgeYears = 70, SkinTone = SkinTone.Dark };
        yield return new GroundTruthScene { ImageSize = 256, Identity = 3, Sex = AvatarSex.Male, AgeYears = 25, SkinTone = SkinTone.Light };
        yield return new GroundTruthScene { ImageSize = 256, Identity = 12, YawDegrees = 6, PitchDegrees = -5 };
        yield return new GroundTruthScene { ImageSize = 256, Identity = 13, Sex = AvatarSex.Male, RollDegrees = 12, Scale = 1.4f };
        yield return new GroundTruthScene { ImageSize = 256, Identity = 8, Scale = 0.7f, PitchDegrees = 6 };
    }

    private static void Same(MeasuredValue mine, TruthValue truth)
    {
        mine.Pixels.Should().BeApproximately(truth.Pixels, 1e-3);
        mine.Millimetres.Should().BeApproximately(truth.Millimetres, 0.01);
    }
}
