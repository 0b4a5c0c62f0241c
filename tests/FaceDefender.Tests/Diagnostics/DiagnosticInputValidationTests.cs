using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// What the options, reference ranges and standards accept and refuse, at each limit; how a standard picks the range for
/// an eye; and which capture-quality flags bear on which finding.
/// </summary>
public sealed class DiagnosticInputValidationTests
{
    public static TheoryData<string, double, double> Limits => new()
    {
        { nameof(DiagnosticOptions.IrisDiameterMm), 8, 15 },
        { nameof(DiagnosticOptions.IrisDiameterSdMm), 0, 3 },
        { nameof(DiagnosticOptions.PrismDioptresPerMm), 5, 40 },
        { nameof(DiagnosticOptions.PrismDioptresPerMmLow), 5, 40 },
        { nameof(DiagnosticOptions.PrismDioptresPerMmHigh), 5, 40 },
        { nameof(DiagnosticOptions.ReflexPrismDioptresPerMm), 5, 40 },
        { nameof(DiagnosticOptions.AngleKappaMillimetres), -1.5, 1.5 },
        { nameof(DiagnosticOptions.MaxGazeDegrees), 0, 45 },
        { nameof(DiagnosticOptions.MaxRollDegrees), 0, 90 },
        { nameof(DiagnosticOptions.MaxYawDegrees), 0, 90 },
        { nameof(DiagnosticOptions.MaxPitchDegrees), 0, 90 },
        { nameof(DiagnosticOptions.MinIrisDiameterPixels), 0, 10_000 },
        { nameof(DiagnosticOptions.MinInterPupillaryPixels), 0, 100_000 },
        { nameof(DiagnosticOptions.MinEyeOpenness), 0, 2 },
        { nameof(DiagnosticOptions.OffCentreGazeMm), 0, 20 },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void Each_numeric_option_accepts_its_limits_and_refuses_beyond_them_naming_itself(string name, double min, double max)
    {
        Get(Set(name, min), name).Should().Be(min);
        Get(Set(name, max), name).Should().Be(max);
        Get(Set(name, (min + max) / 2), name).Should().Be((min + max) / 2);
        foreach (double bad in new[] { min - 1e-9, max + 1e-9, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            FluentActions.Invoking(() => Set(name, bad)).Should().Throw<ArgumentOutOfRangeException>(bad.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithParameterName(name).WithMessage(FormattableString.Invariant($"{name} must be between {min} and {max}.*"));
        }
    }

    [Fact]
    public void Options_default_to_the_documented_values()
    {
        var o = new DiagnosticOptions();
        new[]
        {
            o.IrisDiameterMm, o.IrisDiameterSdMm, o.PrismDioptresPerMm, o.PrismDioptresPerMmLow, o.PrismDioptresPerMmHigh, o.ReflexPrismDioptresPerMm,
            o.AngleKappaMillimetres, o.MaxGazeDegrees, o.MaxRollDegrees, o.MaxYawDegrees, o.MaxPitchDegrees, o.MinIrisDiameterPixels,
            o.MinInterPupillaryPixels, o.MinEyeOpenness, o.OffCentreGazeMm,
        }.Should().Equal(11.7, 0.42, 22, 14, 24, 19.4, 0.3, 10, 15, 10, 15, 20, 80, 0.3, 1.5);
        (o.Frame, o.LidMargin, o.Scale, o.UsePaperHorizontalRule).Should().Be((MeasurementFrame.EyeLine, LidMarginPoint.Midpoint, IrisScale.PerEyeHorizontalWidth, false));
        (o.UpperLidSource, o.LowerLidSource, o.CanthusSource).Should().Be((EyePointSource.FineContour, EyePointSource.FineContour, EyePointSource.Refined));
    }

    [Fact]
    public void Landmark_sources_accept_every_defined_value_and_refuse_others_naming_the_option()
    {
        foreach (EyePointSource s in Enum.GetValues<EyePointSource>())
        {
            var o = new DiagnosticOptions { UpperLidSource = s, LowerLidSource = s, CanthusSource = s };
            (o.UpperLidSource, o.LowerLidSource, o.CanthusSource).Should().Be((s, s, s));
        }

        var bad = (EyePointSource)99;
        FluentActions.Invoking(() => new DiagnosticOptions { UpperLidSource = bad }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName(nameof(DiagnosticOptions.UpperLidSource)).WithMessage("UpperLidSource must be FineContour, Mesh, Average or Refined.*");
        FluentActions.Invoking(() => new DiagnosticOptions { LowerLidSource = bad }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(DiagnosticOptions.LowerLidSource));
        FluentActions.Invoking(() => new DiagnosticOptions { CanthusSource = bad }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(DiagnosticOptions.CanthusSource));
    }

    [Fact]
    public void A_range_centre_is_the_midpoint_or_its_one_limit_and_limits_are_inside()
    {
        R(2, 6).Centre.Should().Be(4);
        R(2, null).Centre.Should().Be(2);
        R(null, 6).Centre.Should().Be(6);
        R(null, null).Centre.Should().Be(0);

        ReferenceRange r = R(2, 6);
        new[] { 1.999, 2, 4, 6, 6.001 }.Select(r.Compare).Should().Equal(-1, 0, 0, 0, 1);
        new[] { -1e9, 6, 6.001 }.Select(R(null, 6).Compare).Should().Equal(0, 0, 1);
        new[] { 1.999, 2, 1e9 }.Select(R(2, null).Compare).Should().Equal(-1, 0, 0);
    }

    [Fact]
    public void Validate_accepts_a_usable_range_at_every_edge()
    {
        R(2, 5).Validate();
        R(null, 5).Validate();
        R(2, null).Validate();
        R(3, 3).Validate();
        (R(2, 5) with { N = 1, Coverage = 0.95 }).Validate();
        (R(2, 5) with { Coverage = 1e-9 }).Validate();
        (R(2, 5) with { Coverage = 1 - 1e-9 }).Validate();
        (R(2, 5) with { Measure = DiagnosticMeasure.HorizontalVergence, Unit = MeasureUnit.PrismDioptres }).Validate();
        (R(2, 5) with { Eye = EyeSide.Left }).Validate();
        (R(2, 5) with { Eye = EyeSide.Right }).Validate();
    }

    [Fact]
    public void Validate_refuses_each_unusable_range_with_the_reason()
    {
        ReferenceRange ok = R(2, 5);
        Refused(ok with { Measure = (DiagnosticMeasure)999 }, "*undefined enum value*", "Measure");
        Refused(ok with { Eye = (EyeSide)9 }, "*undefined enum value*", "Measure");
        Refused(ok with { Unit = (MeasureUnit)99 }, "*undefined enum value*", "Measure");
        Refused(R(null, null), "*give a lower limit, an upper limit or both*", "Lower");
        Refused(R(double.NaN, 5), "*limits must be finite numbers*", "Lower");
        Refused(R(double.NegativeInfinity, null), "*limits must be finite numbers*", "Lower");
        Refused(R(2, double.PositiveInfinity), "*limits must be finite numbers*", "Lower");
        Refused(R(null, double.NaN), "*limits must be finite numbers*", "Lower");
        Refused(R(6, 5), "*lower limit 6 is above upper limit 5*", "Lower");
        Refused(ok with { Unit = MeasureUnit.Degrees }, "*unit Degrees does not apply (use Millimetres or IrisDiameters or Pixels)*", "Unit");
        Refused(ok with { Measure = DiagnosticMeasure.Mrd1Asymmetry, Eye = EyeSide.Left }, "*an inter-eye measure takes Eye = Both*", "Eye");
        Refused(ok with { Method = " " }, "*state the method and the source*", "Source");
        Refused(ok with { Source = "" }, "*state the method and the source*", "Source");
        Refused(ok with { N = 0 }, "*N must be positive and Coverage in (0, 1)*", "N");
        Refused(ok with { Coverage = 0 }, "*N must be positive*", "N");
        Refused(ok with { Coverage = 1 }, "*N must be positive*", "N");
        Refused(ok with { Coverage = -0.5 }, "*N must be positive*", "N");
        Refused(ok with { Coverage = 1.5 }, "*N must be positive*", "N");
        Refused(ok with { Coverage = double.NaN }, "*N must be positive*", "N");
    }

    [Fact]
    public void A_standard_refuses_null_and_empty_arguments_a_null_range_and_a_second_range_for_one_eye()
    {
        ReferenceRange both = R(2, 5);
        FluentActions.Invoking(() => new ReferenceStandard(null!, "", [both])).Should().Throw<ArgumentNullException>().WithParameterName("name");
        FluentActions.Invoking(() => new ReferenceStandard(" ", "", [both])).Should().Throw<ArgumentException>().WithParameterName("name");
        FluentActions.Invoking(() => new ReferenceStandard("x", null!, [both])).Should().Throw<ArgumentNullException>().WithParameterName("description");
        FluentActions.Invoking(() => new ReferenceStandard("x", "", null!)).Should().Throw<ArgumentNullException>().WithParameterName("ranges");
        FluentActions.Invoking(() => new ReferenceStandard("x", "", [both, null!])).Should().Throw<ArgumentException>().WithParameterName("ranges").WithMessage("A range is null.*");
        FluentActions.Invoking(() => new ReferenceStandard("x", "", [both, both with { Upper = 6 }])).Should().Throw<ArgumentException>()
            .WithParameterName("ranges").WithMessage("Two ranges for Mrd1 / Both; keep one.*");
        FluentActions.Invoking(() => new ReferenceStandard("x", "", [both, R(7, 6)])).Should().Throw<ArgumentException>().WithMessage("*above upper*");

        var s = new ReferenceStandard("name", "what", [both, both with { Eye = EyeSide.Right }, both with { Eye = EyeSide.Left }]);
        (s.Name, s.Description).Should().Be(("name", "what"));
        s.Ranges.Select(r => r.Eye).Should().Equal(EyeSide.Both, EyeSide.Right, EyeSide.Left);
    }

    [Fact]
    public void Find_prefers_the_eyes_own_range_wherever_it_is_listed_and_falls_back_to_both()
    {
        ReferenceRange both = R(2, 5), right = both with { Eye = EyeSide.Right, Upper = 6 };
        ReferenceRange other = R(1, 9) with { Measure = DiagnosticMeasure.Mrd2 };
        foreach (ReferenceStandard s in new[] { new ReferenceStandard("a", "", [other, both, right]), new ReferenceStandard("b", "", [right, both, other]) })
        {
            s.Find(DiagnosticMeasure.Mrd1, EyeSide.Right).Should().BeSameAs(right, s.Name);
            s.Find(DiagnosticMeasure.Mrd1, EyeSide.Left).Should().BeSameAs(both, s.Name);
            s.Find(DiagnosticMeasure.Mrd1, EyeSide.Both).Should().BeSameAs(both, s.Name);
            s.Find(DiagnosticMeasure.Mrd2, EyeSide.Left).Should().BeSameAs(other, s.Name);
            s.Find(DiagnosticMeasure.FissureHeight, EyeSide.Right).Should().BeNull(s.Name);
        }

        var rightOnly = new ReferenceStandard("c", "", [right]);
        rightOnly.Find(DiagnosticMeasure.Mrd1, EyeSide.Left).Should().BeNull("another eye's range does not apply");
        rightOnly.Find(DiagnosticMeasure.Mrd1, EyeSide.Both).Should().BeNull();
        ReferenceStandard.Default.Should().BeSameAs(ReferenceStandard.Default);
    }

    [Fact]
    public void Json_leaves_out_missing_values_and_reads_a_hand_written_standard_with_defaults_for_omitted_parts()
    {
        string json = new ReferenceStandard("x", "d", [R(2, null)]).ToJson();
        json.Should().Contain("\n").And.Contain("\"name\": \"x\"").And.Contain("\"eye\": \"Both\"").And.Contain("\"lower\": 2")
            .And.NotContain("upper").And.NotContain("coverage").And.NotContain("\"n\"");

        ReferenceStandard bare = ReferenceStandard.FromJson("{\"name\":\"bare\"}");
        (bare.Name, bare.Description, bare.Ranges.Length).Should().Be(("bare", string.Empty, 0));

        FaceDefenderException e = FluentActions.Invoking(() => ReferenceStandard.FromJson("{\"description\":\"no name\"}")).Should().Throw<FaceDefenderException>().Which;
        e.InnerException.Should().BeAssignableTo<ArgumentException>();
        e.Message.Should().StartWith("Not a valid reference standard: ").And.Contain(e.InnerException!.Message).And.EndWith("Fix the JSON (see docs/diagnostics.md for the shape).");
        FluentActions.Invoking(() => ReferenceStandard.FromJson("null")).Should().Throw<FaceDefenderException>().WithMessage("*The JSON text is 'null'.*")
            .WithInnerException<System.Text.Json.JsonException>();
        FluentActions.Invoking(() => ReferenceStandard.FromJson(null!)).Should().Throw<ArgumentNullException>().WithParameterName("json");
        FluentActions.Invoking(() => ReferenceStandard.FromJson("{\"name\":\"x\",\"ranges\":[{\"measure\":\"Mrd1\",\"eye\":\"Both\",\"unit\":\"Millimetres\",\"method\":\"m\",\"source\":\"s\"}]}"))
            .Should().Throw<FaceDefenderException>().WithMessage("*give a lower limit*");
    }

    [Fact]
    public void An_eye_flag_bears_on_that_eyes_findings_and_on_inter_eye_and_alignment_findings_and_a_missing_reflex_on_none()
    {
        OcularMeasurements m = new LandmarkDiagnosticBenchmark().Measure(ConstructedFaces.Level(), new HeadPose(0, 0, 0));
        var leftClosed = new CaptureQualityFlag(CaptureQualityIssue.EyeClosed, EyeSide.Left, 0.1, 0.3, "left closed");
        var rightNoReflex = new CaptureQualityFlag(CaptureQualityIssue.NoCornealReflex, EyeSide.Right, 3, 0, "right no reflex");
        var rightSmall = new CaptureQualityFlag(CaptureQualityIssue.IrisTooSmall, EyeSide.Right, 12, 20, "right small");
        DiagnosticFinding[] findings =
        [
            Finding(FindingKind.Ptosis, EyeSide.Right, DiagnosticMeasure.Mrd1),
            Finding(FindingKind.OutOfRange, EyeSide.Right, DiagnosticMeasure.IrisToInnerCanthus),
            Finding(FindingKind.Esotropia, EyeSide.Right, DiagnosticMeasure.IrisToInnerCanthus),
            Finding(FindingKind.Exotropia, EyeSide.Right, DiagnosticMeasure.IrisToInnerCanthus),
            Finding(FindingKind.Hypertropia, EyeSide.Right, DiagnosticMeasure.Mrd1),
            Finding(FindingKind.Hypotropia, EyeSide.Right, DiagnosticMeasure.Mrd1),
            Finding(FindingKind.LidRetraction, EyeSide.Left, DiagnosticMeasure.Mrd1),
            Finding(FindingKind.OutOfRange, EyeSide.Both, DiagnosticMeasure.InterPupillaryDistance),
            Finding(FindingKind.Asymmetry, EyeSide.Right, DiagnosticMeasure.Mrd1Asymmetry),
        ];

        var a = new OcularAssessment(m, findings, [rightNoReflex, leftClosed], "s", CoordinateSpace.Source);
        a.Findings.Select(f => f.CaptureConcerns.Count).Should().Equal(0, 0, 1, 1, 1, 1, 1, 1, 1);
        a.Findings.Where(f => !f.IsReliable).Should().OnlyContain(f => f.CaptureConcerns.Single() == leftClosed);
        a.ReliableFindings.Should().Equal(a.Findings[0], a.Findings[1]);
        a.AreFindingsReliable.Should().BeFalse();
        a.IsCaptureAcceptable.Should().BeFalse();
        a.FindingsFor(EyeSide.Left).Should().Equal(a.Findings[6]);
        a.FindingsFor(EyeSide.Right).Should().HaveCount(7);
        (a.StandardName, a.Space).Should().Be(("s", CoordinateSpace.Source));
        a.QualityFlags.Should().Equal(rightNoReflex, leftClosed);

        // The right eye's own flag bears on the right-eye findings and, as above, on the inter-eye and alignment ones.
        var b = new OcularAssessment(m, findings, [rightSmall], "s", CoordinateSpace.Output);
        b.Findings.Select(f => f.CaptureConcerns.Count).Should().Equal(1, 1, 1, 1, 1, 1, 0, 1, 1);

        var clean = new OcularAssessment(m, [], [], "s", CoordinateSpace.Source);
        (clean.AreFindingsReliable, clean.IsCaptureAcceptable, clean.ReliableFindings.Count).Should().Be((true, true, 0));
        findings[0].IsReliable.Should().BeTrue("outside an assessment a finding has no concerns");

        FluentActions.Invoking(() => new OcularAssessment(null!, findings, [], "s", CoordinateSpace.Source)).Should().Throw<ArgumentNullException>().WithParameterName("measurements");
        FluentActions.Invoking(() => new OcularAssessment(m, null!, [], "s", CoordinateSpace.Source)).Should().Throw<ArgumentNullException>().WithParameterName("findings");
        FluentActions.Invoking(() => new OcularAssessment(m, findings, null!, "s", CoordinateSpace.Source)).Should().Throw<ArgumentNullException>().WithParameterName("qualityFlags");
        FluentActions.Invoking(() => new OcularAssessment(m, findings, [], null!, CoordinateSpace.Source)).Should().Throw<ArgumentNullException>().WithParameterName("standardName");
    }

    private static DiagnosticFinding Finding(FindingKind kind, EyeSide eye, DiagnosticMeasure measure) =>
        new(kind, eye, measure, 1, R(2, 5), 1, null, null, $"{kind} {eye} {measure}");

    private static ReferenceRange R(double? lower, double? upper) =>
        new(DiagnosticMeasure.Mrd1, EyeSide.Both, MeasureUnit.Millimetres, lower, upper, "method", null, "source");

    private static void Refused(ReferenceRange r, string message, string parameter) =>
        FluentActions.Invoking(r.Validate).Should().Throw<ArgumentException>(message).WithMessage(message).WithParameterName(parameter);

    private static DiagnosticOptions Set(string name, double v) => name switch
    {
        nameof(DiagnosticOptions.IrisDiameterMm) => new DiagnosticOptions { IrisDiameterMm = v },
        nameof(DiagnosticOptions.IrisDiameterSdMm) => new DiagnosticOptions { IrisDiameterSdMm = v },
        nameof(DiagnosticOptions.PrismDioptresPerMm) => new DiagnosticOptions { PrismDioptresPerMm = v },
        nameof(DiagnosticOptions.PrismDioptresPerMmLow) => new DiagnosticOptions { PrismDioptresPerMmLow = v },
        nameof(DiagnosticOptions.PrismDioptresPerMmHigh) => new DiagnosticOptions { PrismDioptresPerMmHigh = v },
        nameof(DiagnosticOptions.ReflexPrismDioptresPerMm) => new DiagnosticOptions { ReflexPrismDioptresPerMm = v },
        nameof(DiagnosticOptions.AngleKappaMillimetres) => new DiagnosticOptions { AngleKappaMillimetres = v },
        nameof(DiagnosticOptions.MaxGazeDegrees) => new DiagnosticOptions { MaxGazeDegrees = v },
        nameof(DiagnosticOptions.MaxRollDegrees) => new DiagnosticOptions { MaxRollDegrees = v },
        nameof(DiagnosticOptions.MaxYawDegrees) => new DiagnosticOptions { MaxYawDegrees = v },
        nameof(DiagnosticOptions.MaxPitchDegrees) => new DiagnosticOptions { MaxPitchDegrees = v },
        nameof(DiagnosticOptions.MinIrisDiameterPixels) => new DiagnosticOptions { MinIrisDiameterPixels = v },
        nameof(DiagnosticOptions.MinInterPupillaryPixels) => new DiagnosticOptions { MinInterPupillaryPixels = v },
        nameof(DiagnosticOptions.MinEyeOpenness) => new DiagnosticOptions { MinEyeOpenness = v },
        nameof(DiagnosticOptions.OffCentreGazeMm) => new DiagnosticOptions { OffCentreGazeMm = v },
        _ => throw new ArgumentException(name),
    };

    private static double Get(DiagnosticOptions o, string name) => name switch
    {
        nameof(DiagnosticOptions.IrisDiameterMm) => o.IrisDiameterMm,
        nameof(DiagnosticOptions.IrisDiameterSdMm) => o.IrisDiameterSdMm,
        nameof(DiagnosticOptions.PrismDioptresPerMm) => o.PrismDioptresPerMm,
        nameof(DiagnosticOptions.PrismDioptresPerMmLow) => o.PrismDioptresPerMmLow,
        nameof(DiagnosticOptions.PrismDioptresPerMmHigh) => o.PrismDioptresPerMmHigh,
        nameof(DiagnosticOptions.ReflexPrismDioptresPerMm) => o.ReflexPrismDioptresPerMm,
        nameof(DiagnosticOptions.AngleKappaMillimetres) => o.AngleKappaMillimetres,
        nameof(DiagnosticOptions.MaxGazeDegrees) => o.MaxGazeDegrees,
        nameof(DiagnosticOptions.MaxRollDegrees) => o.MaxRollDegrees,
        nameof(DiagnosticOptions.MaxYawDegrees) => o.MaxYawDegrees,
        nameof(DiagnosticOptions.MaxPitchDegrees) => o.MaxPitchDegrees,
        nameof(DiagnosticOptions.MinIrisDiameterPixels) => o.MinIrisDiameterPixels,
        nameof(DiagnosticOptions.MinInterPupillaryPixels) => o.MinInterPupillaryPixels,
        nameof(DiagnosticOptions.MinEyeOpenness) => o.MinEyeOpenness,
        nameof(DiagnosticOptions.OffCentreGazeMm) => o.OffCentreGazeMm,
        _ => throw new ArgumentException(name),
    };
}
