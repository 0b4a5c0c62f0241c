using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// The finding and flag decisions at their edges, on the hand-built face: a range placed just around the measured value,
/// a quality limit set to the measured value, a pose exactly at its limit. Each finding kind, direction and flag is
/// checked from both sides.
/// </summary>
public sealed class FindingDecisionTests
{
    private static readonly HeadPose Frontal = new(0, 0, 0);
    private static readonly LandmarkDiagnosticBenchmark Benchmark = new();
    private static readonly OcularMeasurements Level = Benchmark.Measure(ConstructedFaces.Level(), Frontal);

    [Theory]
    [InlineData(DiagnosticMeasure.Mrd1, MeasureUnit.Millimetres, FindingKind.Ptosis, FindingKind.LidRetraction, "MRD1", "upper lid sits low", "upper lid sits high")]
    [InlineData(DiagnosticMeasure.Mrd2, MeasureUnit.Millimetres, FindingKind.OutOfRange, FindingKind.LidRetraction, "MRD2", "lower lid sits high", "lower lid sits low")]
    [InlineData(DiagnosticMeasure.FissureHeight, MeasureUnit.Millimetres, FindingKind.Ptosis, FindingKind.LidRetraction, "palpebral fissure height", "below", "above")]
    [InlineData(DiagnosticMeasure.FissureHeightToIrisWidthRatio, MeasureUnit.Ratio, FindingKind.Ptosis, FindingKind.LidRetraction, "fissure height / iris width", "narrow fissure", "wide fissure")]
    [InlineData(DiagnosticMeasure.FissureWidth, MeasureUnit.Millimetres, FindingKind.OutOfRange, FindingKind.OutOfRange, "FissureWidth", "below", "above")]
    [InlineData(DiagnosticMeasure.IrisWidth, MeasureUnit.Pixels, FindingKind.OutOfRange, FindingKind.OutOfRange, "IrisWidth", "px is below", "px is above")]
    [InlineData(DiagnosticMeasure.CanthalTilt, MeasureUnit.Degrees, FindingKind.OutOfRange, FindingKind.OutOfRange, "CanthalTilt", "° is below", "° is above")]
    public void Each_per_eye_measure_gives_its_kind_below_and_above_its_range_and_none_at_a_limit(
        DiagnosticMeasure measure, MeasureUnit unit, FindingKind below, FindingKind above, string what, string belowText, string aboveText)
    {
        foreach (EyeSide eye in new[] { EyeSide.Right, EyeSide.Left })
        {
            double v = MeasureCatalog.Value(Level, measure, eye, unit);
            string name = eye == EyeSide.Right ? "Right" : "Left";

            // Below: the range starts 1 above the value; only this eye has a range.
            DiagnosticFinding low = Findings(Std(Range(measure, eye, unit, v + 1, v + 2))).Should().ContainSingle().Which;
            low.Kind.Should().Be(below);
            low.Eye.Should().Be(eye);
            low.Measure.Should().Be(measure);
            low.Value.Should().Be(v);
            low.Excess.Should().BeApproximately(1, 1e-9);
            low.DeviationMm.Should().BeNull();
            low.Prism.Should().BeNull();
            low.Description.Should().StartWith(name + " ").And.Contain(what).And.Contain(belowText).And.Contain("is below [").And.Contain("(test source)").And.EndWith(".");

            DiagnosticFinding high = Findings(Std(Range(measure, eye, unit, v - 2, v - 1))).Should().ContainSingle().Which;
            high.Kind.Should().Be(above);
            high.Eye.Should().Be(eye);
            high.Excess.Should().BeApproximately(1, 1e-9);
            high.Description.Should().StartWith(name + " ").And.Contain(what).And.Contain(aboveText).And.Contain("is above [");
            // A measure without a unit (the ratio) reads "0.7 is above", not "0.7  is above".
            low.Description.Should().NotContain("  ");
            high.Description.Should().NotContain("  ");

            // A value on a limit is inside; a one-sided range leaves the other side open.
            Findings(Std(Range(measure, eye, unit, v, v + 1))).Should().BeEmpty();
            Findings(Std(Range(measure, eye, unit, v - 1, v))).Should().BeEmpty();
            Findings(Std(Range(measure, eye, unit, null, v + 1))).Should().BeEmpty();
            Findings(Std(Range(measure, eye, unit, v - 1, null))).Should().BeEmpty();
            Findings(Std(Range(measure, eye, unit, null, v - 1))).Should().ContainSingle().Which.Description.Should().Contain("[-, ");
        }
    }

    [Fact]
    public void The_papers_horizontal_rule_reads_a_short_distance_as_esotropia_and_a_long_one_as_exotropia_only_when_turned_on()
    {
        var paper = new DiagnosticOptions { UsePaperHorizontalRule = true };
        double r = MeasureCatalog.Value(Level, DiagnosticMeasure.IrisToInnerCanthus, EyeSide.Right, MeasureUnit.IrisDiameters);
        double l = MeasureCatalog.Value(Level, DiagnosticMeasure.IrisToInnerCanthus, EyeSide.Left, MeasureUnit.IrisDiameters);
        ReferenceStandard s = Std(
            Range(DiagnosticMeasure.IrisToInnerCanthus, EyeSide.Right, MeasureUnit.IrisDiameters, r + 0.1, r + 0.2),
            Range(DiagnosticMeasure.IrisToInnerCanthus, EyeSide.Left, MeasureUnit.IrisDiameters, l - 0.2, l - 0.1));

        List<DiagnosticFinding> found = FindingRules.Findings(Level, s, paper);
        found.Select(f => (f.Kind, f.Eye)).Should().Equal((FindingKind.Esotropia, EyeSide.Right), (FindingKind.Exotropia, EyeSide.Left));
        found[0].Description.Should().StartWith("The right iris centre is nearer the inner canthus").And.Contain("paper's rule");
        found[1].Description.Should().StartWith("The left iris centre is farther from the inner canthus");
        FindingRules.Findings(Level, s, new DiagnosticOptions()).Should().BeEmpty("the rule is off by default");
    }

    [Theory]
    [InlineData(DiagnosticMeasure.IrisToInnerCanthusDifference, MeasureUnit.IrisDiameters, "iris diameters")]
    [InlineData(DiagnosticMeasure.InterPupillaryDistance, MeasureUnit.Millimetres, "mm")]
    [InlineData(DiagnosticMeasure.HorizontalVergence, MeasureUnit.PrismDioptres, "PD")]
    [InlineData(DiagnosticMeasure.VerticalDifference, MeasureUnit.Pixels, "px")]
    public void An_inter_eye_measure_outside_its_range_is_an_out_of_range_finding_on_both_eyes(DiagnosticMeasure measure, MeasureUnit unit, string unitText)
    {
        double v = MeasureCatalog.Value(Level, measure, EyeSide.Both, unit);
        DiagnosticFinding low = Findings(Std(Range(measure, EyeSide.Both, unit, v + 0.5, v + 2))).Should().ContainSingle().Which;
        low.Kind.Should().Be(FindingKind.OutOfRange);
        low.Eye.Should().Be(EyeSide.Both);
        low.Measure.Should().Be(measure);
        low.Value.Should().Be(v);
        low.Excess.Should().BeApproximately(0.5, 1e-9);
        low.Description.Should().StartWith($"{measure} ").And.Contain($" {unitText} is below [");

        Findings(Std(Range(measure, EyeSide.Both, unit, v - 2, v - 0.5))).Should().ContainSingle().Which.Description.Should().Contain("is above [");
        Findings(Std(Range(measure, EyeSide.Both, unit, v, v))).Should().BeEmpty("a value on both limits is inside");
    }

    [Theory]
    [InlineData(DiagnosticMeasure.Mrd1Asymmetry, "MRD1 differs between the eyes")]
    [InlineData(DiagnosticMeasure.FissureHeightAsymmetry, "Fissure height differs between the eyes")]
    public void An_asymmetry_outside_its_range_is_an_asymmetry_finding(DiagnosticMeasure measure, string text)
    {
        double v = MeasureCatalog.Value(Level, measure, EyeSide.Both, MeasureUnit.Millimetres);
        DiagnosticFinding f = Findings(Std(Range(measure, EyeSide.Both, MeasureUnit.Millimetres, v - 3, v - 1))).Should().ContainSingle().Which;
        f.Kind.Should().Be(FindingKind.Asymmetry);
        f.Eye.Should().Be(EyeSide.Both);
        f.Excess.Should().BeApproximately(1, 1e-9);
        f.Description.Should().StartWith(text + ": right minus left");
        Findings(Std(Range(measure, EyeSide.Both, MeasureUnit.Millimetres, v - 1, v + 1))).Should().BeEmpty();
    }

    [Fact]
    public void A_description_gives_the_value_and_limits_to_three_decimals_and_the_source()
    {
        double mrd1 = Level.Right.Mrd1.Millimetres;
        mrd1.Should().BeApproximately(18 * 11.7 / 40, 1e-3);
        Findings(Std(Range(DiagnosticMeasure.Mrd1, EyeSide.Right, MeasureUnit.Millimetres, 6.123456, 7.98765))).Should().ContainSingle()
            .Which.Description.Should().Be("Right MRD1 5.265 mm is below [6.123, 7.988] (test source): the upper lid sits low.");
    }

    [Fact]
    public void Findings_come_right_eye_first_then_left_then_both_even_when_the_alignment_one_is_on_the_right()
    {
        // A right esotropia from the reflexes (found after both eyes' lid findings) and a left lid finding.
        OcularMeasurements m = Benchmark.Measure(ConstructedFaces.WithReflexes(ConstructedFaces.Level(), new Vector2(-0.9f, 0), new Vector2(-0.3f, 0)), Frontal);
        double mrd1 = MeasureCatalog.Value(m, DiagnosticMeasure.Mrd1, EyeSide.Left, MeasureUnit.Millimetres);
        ReferenceStandard s = Std(
            Range(DiagnosticMeasure.HirschbergHorizontal, EyeSide.Both, MeasureUnit.PrismDioptres, -5, 5),
            Range(DiagnosticMeasure.Mrd1, EyeSide.Left, MeasureUnit.Millimetres, mrd1 + 1, mrd1 + 2),
            Range(DiagnosticMeasure.InterPupillaryDistance, EyeSide.Both, MeasureUnit.Millimetres, 0, 1));
        List<DiagnosticFinding> found = FindingRules.Findings(m, s, new DiagnosticOptions());
        found.Select(f => (f.Kind, f.Eye)).Should().Equal(
            (FindingKind.Esotropia, EyeSide.Right), (FindingKind.Ptosis, EyeSide.Left), (FindingKind.OutOfRange, EyeSide.Both));
    }

    [Fact]
    public void Vertical_deviations_name_the_eye_turned_further_hypertropia_or_hypotropia()
    {
        // Right reflex 1 mm above its limbus centre: the right eye turned down (right hypotropia).
        DiagnosticFinding rightLow = Alignment(new Vector2(0.3f, -1.0f), new Vector2(-0.3f, 0), DiagnosticMeasure.HirschbergVertical);
        rightLow.Kind.Should().Be(FindingKind.Hypotropia);
        rightLow.Eye.Should().Be(EyeSide.Right);
        rightLow.Description.Should().StartWith("Hypotropia of the right eye").And.Contain("vertical deviation");

        // Left reflex 1 mm below its limbus centre: the left eye turned up (left hypertropia).
        DiagnosticFinding leftHigh = Alignment(new Vector2(0.3f, 0), new Vector2(-0.3f, 1.0f), DiagnosticMeasure.HirschbergVertical);
        leftHigh.Kind.Should().Be(FindingKind.Hypertropia);
        leftHigh.Eye.Should().Be(EyeSide.Left);
        leftHigh.Description.Should().StartWith("Hypertropia of the left eye");

        // Magnitudes are positive whatever the direction.
        foreach (DiagnosticFinding f in new[] { rightLow, leftHigh })
        {
            f.DeviationMm.Should().BeApproximately(1.0, 1e-4);
            f.Prism!.Value.Dioptres.Should().BePositive();
            f.Prism.Value.Low.Should().BePositive();
            f.Prism.Value.High.Should().BePositive();
            f.Description.Should().Contain("1.00 mm of reflex displacement");
        }

        DiagnosticFinding exo = Alignment(new Vector2(1.5f, 0), new Vector2(-0.3f, 0), DiagnosticMeasure.HirschbergHorizontal);
        exo.Kind.Should().Be(FindingKind.Exotropia);
        exo.Prism!.Value.Dioptres.Should().BePositive();
        exo.Prism.Value.Low.Should().BePositive();
        exo.Prism.Value.High.Should().BePositive();
        exo.Description.Should().Contain("horizontal deviation").And.Contain("is below [-10, 10]");
    }

    [Theory]
    [InlineData(2.0, 0.0, 1.5, 1.5, EyeSide.Left)]  // the left eye turned further in both axes together (2.12 against 2.0 degrees)
    [InlineData(2.0, 0.0, 0.0, 1.9, EyeSide.Right)]
    [InlineData(1.5, 1.5, 2.0, 0.0, EyeSide.Right)]
    [InlineData(0.0, 2.0, 0.0, -2.0, EyeSide.Right)] // a tie goes to the right eye
    [InlineData(-3.0, 0.0, 2.0, 0.0, EyeSide.Right)] // a temporal turn counts as much as a nasal one
    public void The_deviating_eye_is_the_one_whose_reflex_says_it_turned_further(double nasalR, double upR, double nasalL, double upL, EyeSide expected)
    {
        static CornealReflexOffset Turned(double nasal, double up) =>
            new(CornealReflexStatus.Found, Vector2.Zero, default, default, 0, 0, nasal, up);
        var h = new HirschbergAlignment(true, new MeasuredValue(0, 0, 0.8, 0), new MeasuredValue(0, 0, -0.6, 0), new PrismValue(15, 11, 19), new PrismValue(-12, -9, -14), 0, 0, 0.3);
        OcularMeasurements m = Rebuild(Level, right: Copy(Level.Right, reflex: Turned(nasalR, upR)), left: Copy(Level.Left, reflex: Turned(nasalL, upL)), hirschberg: h);
        ReferenceStandard s = Std(
            Range(DiagnosticMeasure.HirschbergHorizontal, EyeSide.Both, MeasureUnit.PrismDioptres, -10, 10),
            Range(DiagnosticMeasure.HirschbergVertical, EyeSide.Both, MeasureUnit.PrismDioptres, -10, 10));
        List<DiagnosticFinding> found = FindingRules.Findings(m, s, new DiagnosticOptions());
        found.Select(f => (f.Kind, f.Eye)).Should().Equal(
            (FindingKind.Esotropia, expected), (expected == EyeSide.Right ? FindingKind.Hypotropia : FindingKind.Hypertropia, expected));
        (found[0].DeviationMm, found[0].Prism).Should().Be((0.8, new PrismValue(15, 11, 19)));
        (found[1].DeviationMm, found[1].Prism).Should().Be((0.6, new PrismValue(12, 9, 14)), "the vertical finding carries the vertical displacement, as a magnitude");
    }

    [Fact]
    public void Pose_flags_each_axis_against_its_own_limit_and_a_pose_on_the_limit_passes()
    {
        var o = new DiagnosticOptions { MaxRollDegrees = 20, MaxYawDegrees = 5, MaxPitchDegrees = 30 };
        PoseFlags(new HeadPose(20, 5, 30), o).Should().BeEmpty();
        PoseFlags(new HeadPose(-20, -5, -30), o).Should().BeEmpty();

        CaptureQualityFlag roll = PoseFlags(new HeadPose(-20.5f, 5, 30), o).Should().ContainSingle().Which;
        (roll.Eye, roll.Value, roll.Limit).Should().Be((EyeSide.Both, -20.5, 20.0));
        roll.Description.Should().Be("Head roll -20.5° (detector) exceeds ±20°.");

        CaptureQualityFlag yaw = PoseFlags(new HeadPose(0, 5.5f, 0), o).Should().ContainSingle().Which;
        (yaw.Value, yaw.Limit).Should().Be((5.5, 5.0));
        yaw.Description.Should().StartWith("Head yaw 5.5° (detector) exceeds ±5°").And.Contain("foreshortened");

        CaptureQualityFlag pitch = PoseFlags(new HeadPose(0, 0, -30.5f), o, fromDetector: false).Should().ContainSingle().Which;
        (pitch.Value, pitch.Limit).Should().Be((-30.5, 30.0));
        pitch.Description.Should().StartWith("Head pitch -30.5° (landmark fit) exceeds ±30°").And.Contain("lid measures are biased");
    }

    [Fact]
    public void Closed_eye_small_iris_and_small_face_flags_fire_below_their_limit_and_not_on_it()
    {
        double openR = Level.Right.FissureHeight.IrisDiameters, openL = Level.Left.FissureHeight.IrisDiameters;
        openL.Should().BeLessThan(openR);
        Quality(new DiagnosticOptions { MinEyeOpenness = openR }).Should().ContainSingle().Which.Should().BeEquivalentTo(
            new { Issue = CaptureQualityIssue.EyeClosed, Eye = EyeSide.Left, Value = openL, Limit = openR });
        Quality(new DiagnosticOptions { MinEyeOpenness = openL }).Should().BeEmpty();
        Quality(new DiagnosticOptions { MinEyeOpenness = openR }).Single().Description.Should().StartWith("The left eye is closed or nearly so");

        double iris = Level.Right.EffectiveIrisDiameterPixels;
        Level.Left.EffectiveIrisDiameterPixels.Should().Be(iris);
        Quality(new DiagnosticOptions { MinIrisDiameterPixels = iris }).Should().BeEmpty();
        List<CaptureQualityFlag> small = Quality(new DiagnosticOptions { MinIrisDiameterPixels = iris + 0.5 });
        small.Select(f => (f.Issue, f.Eye, f.Value, f.Limit)).Should().Equal(
            (CaptureQualityIssue.IrisTooSmall, EyeSide.Right, iris, iris + 0.5), (CaptureQualityIssue.IrisTooSmall, EyeSide.Left, iris, iris + 0.5));
        small[0].Description.Should().Be(FormattableString.Invariant($"The right iris is 40.0 px wide (< {iris + 0.5} px): too coarse for mm precision."));
        small[1].Description.Should().StartWith("The left iris is 40.0 px wide (<");

        double ipd = Level.InterPupillaryDistance.Pixels;
        Quality(new DiagnosticOptions { MinInterPupillaryPixels = ipd }).Should().BeEmpty();
        CaptureQualityFlag face = Quality(new DiagnosticOptions { MinInterPupillaryPixels = ipd + 0.01 }).Should().ContainSingle().Which;
        (face.Issue, face.Eye, face.Value, face.Limit).Should().Be((CaptureQualityIssue.FaceTooSmall, EyeSide.Both, ipd, ipd + 0.01));
        face.Description.Should().StartWith("The face is small:");
    }

    [Fact]
    public void A_blurred_or_enlarged_iris_is_judged_on_its_detail_and_the_flag_says_so()
    {
        OcularMeasurements m = Rebuild(Level, right: Copy(Level.Right, effective: 12));
        CaptureQualityFlag flag = FindingRules.Quality(m, ReferenceStandard.Default, new DiagnosticOptions()).Should().ContainSingle().Which;
        (flag.Issue, flag.Eye, flag.Value, flag.Limit).Should().Be((CaptureQualityIssue.IrisTooSmall, EyeSide.Right, 12.0, 20.0));
        flag.Description.Should().StartWith("The right iris is 40.0 px wide but its detail").And.Contain("that of 12.0 px (< 20 px)").And.Contain("enlarged or is blurred");

        // Detail within half a pixel of the width reads as the width.
        OcularMeasurements near = Rebuild(Level, right: Copy(Level.Right, effective: Level.Right.IrisDiameterPixels - 0.5));
        FindingRules.Quality(near, ReferenceStandard.Default, new DiagnosticOptions { MinIrisDiameterPixels = 39.75 })
            .Single(f => f.Eye == EyeSide.Right).Description.Should().Be("The right iris is 40.0 px wide (< 39.75 px): too coarse for mm precision.");
    }

    [Theory]
    [InlineData(CornealReflexStatus.IrisTooSmall, "the iris is too small in the image")]
    [InlineData(CornealReflexStatus.Occluded, "too little of the iris is visible")]
    [InlineData(CornealReflexStatus.NoReflex, "no bright spot on the cornea")]
    [InlineData(CornealReflexStatus.NotCompact, "the bright region is too large")]
    [InlineData(CornealReflexStatus.Multiple, "two or more bright spots")]
    [InlineData(CornealReflexStatus.AtIrisEdge, "the bright spot lies far from the iris centre")]
    public void A_missing_reflex_flag_names_its_eye_and_reason(CornealReflexStatus why, string reason)
    {
        OcularMeasurements m = Rebuild(Level, right: Copy(Level.Right, reflex: CornealReflexOffset.Missing(why)));
        CaptureQualityFlag flag = FindingRules.Quality(m, ReferenceStandard.Default, new DiagnosticOptions()).Should().ContainSingle().Which;
        (flag.Issue, flag.Eye, flag.Value, flag.Limit).Should().Be((CaptureQualityIssue.NoCornealReflex, EyeSide.Right, (double)(int)why, (double)(int)CornealReflexStatus.Found));
        flag.Description.Should().StartWith($"No trustworthy corneal reflex in the right eye ({reason}");

        OcularMeasurements notSearched = Rebuild(Level, left: Copy(Level.Left, reflex: CornealReflexOffset.Missing(CornealReflexStatus.NotSearched)));
        FindingRules.Quality(notSearched, ReferenceStandard.Default, new DiagnosticOptions()).Should().BeEmpty("never searched is not a capture problem");
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void A_reflex_whose_limbus_centre_was_not_measured_makes_only_the_alignment_findings_unreliable(bool rightMeasured, bool leftMeasured)
    {
        static CornealReflexOffset Found(bool measured) =>
            new(CornealReflexStatus.Found, Vector2.Zero, default, default, 0, 0, 1, 0) { IsLimbusCentreMeasured = measured };
        var h = new HirschbergAlignment(true, new MeasuredValue(0, 0, 0.8, 0), default, new PrismValue(15, 11, 19), default, 0, 0, 0.3);
        OcularMeasurements m = Rebuild(Level, right: Copy(Level.Right, reflex: Found(rightMeasured)), left: Copy(Level.Left, reflex: Found(leftMeasured)), hirschberg: h);
        List<CaptureQualityFlag> flags = FindingRules.Quality(m, ReferenceStandard.Default, new DiagnosticOptions());
        var expected = new List<EyeSide>();
        if (!rightMeasured)
        {
            expected.Add(EyeSide.Right);
        }

        if (!leftMeasured)
        {
            expected.Add(EyeSide.Left);
        }

        flags.Where(f => f.Issue == CaptureQualityIssue.LimbusNotMeasured).Select(f => f.Eye).Should().Equal(expected);
        flags.Count(f => f.Issue != CaptureQualityIssue.LimbusNotMeasured).Should().Be(0);
        foreach (CaptureQualityFlag flag in flags)
        {
            (flag.Value, flag.Limit).Should().Be((0.0, 1.0));
            flag.Description.Should().StartWith($"The {(flag.Eye == EyeSide.Right ? "right" : "left")} limbus centre could not be measured on the image");
        }

        // Without an alignment measurement the flag has nothing to bear on and is not raised.
        FindingRules.Quality(Rebuild(m, hirschberg: HirschbergAlignment.Unavailable(0.3)), ReferenceStandard.Default, new DiagnosticOptions())
            .Should().NotContain(f => f.Issue == CaptureQualityIssue.LimbusNotMeasured);

        // It bears on the alignment findings (of either eye) and on no other finding, not even the same eye's lid finding.
        ReferenceRange range = Range(DiagnosticMeasure.Mrd1, EyeSide.Right, MeasureUnit.Millimetres, 3, 5);
        var eso = new DiagnosticFinding(FindingKind.Esotropia, EyeSide.Left, DiagnosticMeasure.HirschbergHorizontal, 15, range, 5, 0.8, new PrismValue(15, 11, 19), "eso");
        var ptosis = new DiagnosticFinding(FindingKind.Ptosis, EyeSide.Right, DiagnosticMeasure.Mrd1, 2, range, 1, null, null, "ptosis");
        var a = new OcularAssessment(m, [eso, ptosis], flags, "test", CoordinateSpace.Source);
        a.Findings.Single(f => f.Kind == FindingKind.Esotropia).IsReliable.Should().Be(rightMeasured && leftMeasured);
        a.Findings.Single(f => f.Kind == FindingKind.Ptosis).IsReliable.Should().BeTrue();
    }

    [Theory]
    [InlineData(10.5, 0, "The eyes look 10.5° towards the image's right of the camera (corneal reflexes; limit 10°).")]
    [InlineData(-10.5, 0, "The eyes look 10.5° towards the image's left of the camera (corneal reflexes; limit 10°).")]
    [InlineData(0, 10.5, "The eyes look 10.5° above the camera (corneal reflexes; limit 10°).")]
    [InlineData(0, -10.5, "The eyes look 10.5° below the camera (corneal reflexes; limit 10°).")]
    [InlineData(10, -10, null)]
    [InlineData(-10, 10, null)]
    public void A_shared_gaze_from_the_reflexes_beyond_the_limit_is_flagged_and_one_on_it_is_not(double right, double up, string? description)
    {
        // The irises sit displaced alike against the canthi, but with reflexes the gaze is read from them alone.
        Vector3[] g = ConstructedFaces.LevelPoints();
        foreach (int i in new[] { 468, 469, 470, 471, 472, 473, 474, 475, 476, 477 })
        {
            g[i] += new Vector3(20, 0, 0);
        }

        OcularMeasurements shifted = Benchmark.Measure(new FaceLandmarks(g), Frontal);
        var h = new HirschbergAlignment(true, default, default, default, default, right, up, 0.3);
        List<CaptureQualityFlag> flags = FindingRules.Quality(Rebuild(shifted, hirschberg: h), ReferenceStandard.Default, new DiagnosticOptions());
        if (description is null)
        {
            flags.Should().BeEmpty();
            FindingRules.Quality(shifted, ReferenceStandard.Default, new DiagnosticOptions()).Should().ContainSingle(f => f.Issue == CaptureQualityIssue.OffCentreGaze,
                "without reflexes the displaced irises are the sign");
            return;
        }

        CaptureQualityFlag flag = flags.Should().ContainSingle().Which;
        (flag.Issue, flag.Eye, flag.Value, flag.Limit).Should().Be((CaptureQualityIssue.OffCentreGaze, EyeSide.Both, right != 0 ? right : up, 10.0));
        flag.Description.Should().Be(description);
    }

    [Theory]
    [InlineData(-3.0, "up")]
    [InlineData(3.0, "down")]
    public void Without_reflexes_both_irises_displaced_vertically_beyond_the_limit_flag_the_gaze(double mmDown, string way)
    {
        Vector3[] g = ConstructedFaces.LevelPoints();
        float px = (float)mmDown / (11.7f / 40);
        foreach (int i in new[] { 468, 469, 470, 471, 472, 473, 474, 475, 476, 477 })
        {
            g[i] += new Vector3(0, px, 0);
        }

        OcularMeasurements m = Benchmark.Measure(new FaceLandmarks(g), Frontal);
        double upR = m.Right.DecentrationUp.Millimetres, upL = m.Left.DecentrationUp.Millimetres;
        Math.Sign(upR).Should().Be(Math.Sign(upL));
        double least = Math.Min(Math.Abs(upR), Math.Abs(upL));
        CaptureQualityFlag flag = FindingRules.Quality(m, ReferenceStandard.Default, new DiagnosticOptions()).Should().ContainSingle().Which;
        (flag.Issue, flag.Eye, flag.Limit).Should().Be((CaptureQualityIssue.OffCentreGaze, EyeSide.Both, 1.5));
        flag.Value.Should().BeApproximately((upR + upL) / 2, 1e-9);
        flag.Description.Should().StartWith($"Both irises are displaced {way} (");
        FindingRules.Quality(m, ReferenceStandard.Default, new DiagnosticOptions { OffCentreGazeMm = least }).Should().BeEmpty("on the limit is not beyond it");
    }

    [Fact]
    public void Without_reflexes_both_irises_displaced_to_the_image_right_beyond_the_limit_flag_the_gaze_and_on_it_do_not()
    {
        // Both irises 20 px (5.85 mm) towards the image's right: the right eye nasally, the left eye temporally.
        Vector3[] g = ConstructedFaces.LevelPoints();
        foreach (int i in new[] { 468, 469, 470, 471, 472, 473, 474, 475, 476, 477 })
        {
            g[i] += new Vector3(20, 0, 0);
        }

        OcularMeasurements m = Benchmark.Measure(new FaceLandmarks(g), Frontal);
        double imageR = m.Right.DecentrationNasal.Millimetres, imageL = -m.Left.DecentrationNasal.Millimetres;
        imageR.Should().BeGreaterThan(imageL).And.BeGreaterThan(0);
        CaptureQualityFlag flag = FindingRules.Quality(m, ReferenceStandard.Default, new DiagnosticOptions()).Should().ContainSingle().Which;
        (flag.Issue, flag.Eye, flag.Limit).Should().Be((CaptureQualityIssue.OffCentreGaze, EyeSide.Both, 1.5));
        flag.Value.Should().BeApproximately((imageR + imageL) / 2, 1e-9);
        flag.Description.Should().StartWith("Both irises are displaced towards the image's right (").And.EndWith("the subject is not looking at the camera.");
        FindingRules.Quality(m, ReferenceStandard.Default, new DiagnosticOptions { OffCentreGazeMm = imageL }).Should().BeEmpty("on the limit is not beyond it");
    }

    [Fact]
    public void Without_reflexes_a_horizontal_gaze_needs_both_irises_beyond_the_limit_the_same_way_from_the_standards_centre()
    {
        // The level face: right iris 2 px nasal (image right), left iris 6 px nasal (image left): opposite ways, no gaze.
        double nasalR = Level.Right.DecentrationNasal.Millimetres, nasalL = Level.Left.DecentrationNasal.Millimetres;
        var loose = new DiagnosticOptions { OffCentreGazeMm = 0.1 };
        FindingRules.Quality(Level, ReferenceStandard.Default, loose).Should().BeEmpty();

        // A standard whose normal decentration is the mean of the two: both irises then sit the same distance towards the image's left.
        double c = (nasalR + nasalL) / 2, off = (nasalR - nasalL) / 2;
        off.Should().BeLessThan(-0.5);
        foreach (ReferenceRange r in new[]
        {
            Range(DiagnosticMeasure.DecentrationNasal, EyeSide.Both, MeasureUnit.Millimetres, c - 0.25, c + 0.25),
            Range(DiagnosticMeasure.DecentrationNasal, EyeSide.Both, MeasureUnit.IrisDiameters, (c - 0.25) / 11.7, (c + 0.25) / 11.7),
        })
        {
            CaptureQualityFlag flag = FindingRules.Quality(Level, Std(r), loose).Should().ContainSingle().Which;
            flag.Value.Should().BeApproximately(off, 1e-9, r.Unit.ToString());
            flag.Description.Should().StartWith("Both irises are displaced towards the image's left (");
            FindingRules.Quality(Level, Std(r), new DiagnosticOptions { OffCentreGazeMm = Math.Abs(off) + 1e-6 }).Should().BeEmpty(r.Unit.ToString());
        }

        // A pixel range has no face-independent centre in mm: the centre is taken as 0 and the irises still go opposite ways.
        FindingRules.Quality(Level, Std(Range(DiagnosticMeasure.DecentrationNasal, EyeSide.Both, MeasureUnit.Pixels, 10, 20)), loose).Should().BeEmpty();

        // One eye's own range overrides the Both range: with the right eye's centre at c and the left's at 0, both irises
        // sit towards the image's left (by 0.585 and 1.755 mm).
        FindingRules.Quality(Level, Std(
            Range(DiagnosticMeasure.DecentrationNasal, EyeSide.Both, MeasureUnit.Millimetres, -0.25, 0.25),
            Range(DiagnosticMeasure.DecentrationNasal, EyeSide.Right, MeasureUnit.Millimetres, c - 0.25, c + 0.25)), loose)
            .Should().ContainSingle().Which.Value.Should().BeApproximately(((nasalR - c) - nasalL) / 2, 1e-6);
        FindingRules.Quality(Level, Std(
            Range(DiagnosticMeasure.DecentrationNasal, EyeSide.Both, MeasureUnit.Millimetres, -0.25, 0.25),
            Range(DiagnosticMeasure.DecentrationNasal, EyeSide.Right, MeasureUnit.Millimetres, c - 0.25, c + 0.25)), new DiagnosticOptions { OffCentreGazeMm = 0.6 })
            .Should().BeEmpty("the nearer iris (0.585 mm) is within the limit, however far the other one is");

        // The vertical centre likewise: 1 mm above the canthal line is normal, so the right iris (level) sits 1 mm low
        // and the left one (0.88 mm below the line) 1.88 mm low.
        double upR = Level.Right.DecentrationUp.Millimetres, upL = Level.Left.DecentrationUp.Millimetres;
        CaptureQualityFlag down = FindingRules.Quality(Level, Std(Range(DiagnosticMeasure.DecentrationUp, EyeSide.Both, MeasureUnit.Millimetres, 0.5, 1.5)),
            new DiagnosticOptions { OffCentreGazeMm = 0.5 }).Should().ContainSingle().Which;
        down.Value.Should().BeApproximately(((upR - 1) + (upL - 1)) / 2, 1e-9);
        down.Description.Should().StartWith("Both irises are displaced down (");
    }

    private static List<CaptureQualityFlag> PoseFlags(HeadPose pose, DiagnosticOptions o, bool fromDetector = true) =>
        FindingRules.Quality(Rebuild(Level, pose: pose, fromDetector: fromDetector), ReferenceStandard.Default, o);

    private static List<CaptureQualityFlag> Quality(DiagnosticOptions o) => FindingRules.Quality(Level, ReferenceStandard.Default, o);

    private static List<DiagnosticFinding> Findings(ReferenceStandard s) => FindingRules.Findings(Level, s, new DiagnosticOptions());

    private static DiagnosticFinding Alignment(Vector2 rightMm, Vector2 leftMm, DiagnosticMeasure measure) =>
        Benchmark.Assess(ConstructedFaces.WithReflexes(ConstructedFaces.Level(), rightMm, leftMm), Frontal).Findings.Single(f => f.Measure == measure);

    internal static ReferenceRange Range(DiagnosticMeasure measure, EyeSide eye, MeasureUnit unit, double? lower, double? upper) =>
        new(measure, eye, unit, lower, upper, "test", null, "test source");

    internal static ReferenceStandard Std(params ReferenceRange[] ranges) => new("test", "ranges placed around the measured values", ranges);

    internal static OcularMeasurements Rebuild(OcularMeasurements m, EyeMeasurements? right = null, EyeMeasurements? left = null, HeadPose? pose = null,
        bool? fromDetector = null, HirschbergAlignment? hirschberg = null) =>
        new(right ?? m.Right, left ?? m.Left, m.InterPupillaryDistance, m.HorizontalVergencePrism, m.VerticalDifferencePrism, m.EyeLineRollDegrees,
            pose ?? m.Pose, fromDetector ?? m.PoseFromDetector, m.IrisDiameterMm, m.IrisDiameterSdMm)
        {
            Hirschberg = hirschberg ?? m.Hirschberg,
        };

    internal static EyeMeasurements Copy(EyeMeasurements e, double? effective = null, CornealReflexOffset? reflex = null) =>
        new(e.Side, e.Points, e.IrisDiameterPixels, e.MillimetresPerPixel, e.IrisWidth, e.FissureHeight, e.FissureWidth, e.Mrd1, e.Mrd2,
            e.IrisToInnerCanthus, e.DecentrationNasal, e.DecentrationUp, e.CanthalTiltDegrees)
        {
            EffectiveIrisDiameterPixels = effective ?? double.NaN,
            Reflex = reflex ?? e.Reflex,
            MrdOrigin = e.MrdOrigin,
        };
}
