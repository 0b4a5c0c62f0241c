using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>Every measurement on a hand-built landmark set, against values worked out by hand (see ConstructedFaces).</summary>
public sealed class MeasurementArithmeticTests
{
    private const double MmPerPx = 11.7 / 40;
    private static readonly HeadPose Frontal = new(0, 0, 0);

    [Fact]
    public void Measurements_match_hand_computed_values()
    {
        var b = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { Frame = MeasurementFrame.Image });
        OcularMeasurements m = b.Measure(ConstructedFaces.Level(), Frontal);

        // Right eye: iris centre (392, 498), canthi (340, 496) / (440, 500), lids y 480 / 520.
        Px(m.Right.IrisWidth, 40);
        Px(m.Right.Mrd1, 18);
        Px(m.Right.Mrd2, 22);
        Px(m.Right.FissureHeight, 40);
        Px(m.Right.FissureWidth, Math.Sqrt((100 * 100) + (4 * 4)));
        Px(m.R, 48);
        Px(m.Right.DecentrationNasal, 2);
        Px(m.Right.DecentrationUp, 0);
        m.Right.FissureHeightToIrisWidthRatio.Should().BeApproximately(1.0, 1e-9);
        m.Right.CanthalTiltDegrees.Should().BeApproximately(Math.Atan2(4, 100) * 180 / Math.PI, 1e-9);

        // Left eye: iris centre (606, 501), canthi (664, 496) / (560, 500), lids y 485 / 517.
        Px(m.Left.Mrd1, 16);
        Px(m.Left.Mrd2, 16);
        Px(m.Left.FissureHeight, 32);
        Px(m.Left.FissureWidth, Math.Sqrt((104 * 104) + (4 * 4)));
        Px(m.L, 46);
        Px(m.Left.DecentrationNasal, 6);
        Px(m.Left.DecentrationUp, -3);
        m.Left.FissureHeightToIrisWidthRatio.Should().BeApproximately(0.8, 1e-9);
        m.Left.CanthalTiltDegrees.Should().BeApproximately(Math.Atan2(4, 104) * 180 / Math.PI, 1e-9);

        Px(m.D, 2);
        Px(m.HorizontalVergence, 8);
        Px(m.VerticalDifference, 3);
        Px(m.Mrd1Asymmetry, 2);
        Px(m.InterPupillaryDistance, Math.Sqrt((214 * 214) + (3 * 3)));
        m.HorizontalVergencePrism.Dioptres.Should().BeApproximately(8 * MmPerPx * 22, 1e-6);
        m.HorizontalVergencePrism.Low.Should().BeApproximately(8 * MmPerPx * 14, 1e-6);
        m.HorizontalVergencePrism.High.Should().BeApproximately(8 * MmPerPx * 24, 1e-6);
        m.VerticalDifferencePrism.Dioptres.Should().BeApproximately(3 * MmPerPx * 22, 1e-6);
        m.EyeLineRollDegrees.Should().BeApproximately(0, 1e-9);
        m.Pose.Should().Be(Frontal);
        m.PoseFromDetector.Should().BeTrue();
    }

    [Fact]
    public void Millimetre_uncertainty_is_proportional_to_the_iris_diameter_sd()
    {
        var b = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { IrisDiameterMm = 12, IrisDiameterSdMm = 0.6 });
        OcularMeasurements m = b.Measure(ConstructedFaces.Level(), Frontal);
        m.Right.Mrd1.Millimetres.Should().BeApproximately(18.0 / 40 * 12, 1e-9);
        m.Right.Mrd1.MillimetresUncertainty.Should().BeApproximately(18.0 / 40 * 12 * 0.05, 1e-9);
        m.HorizontalVergence.MillimetresUncertainty.Should().BeApproximately(8.0 / 40 * 12 * 0.05, 1e-9, "one assumed diameter scales both eyes (fully correlated)");
    }

    [Fact]
    public void Above_pupil_reads_the_lid_polyline_at_the_iris_centre()
    {
        Vector3[] p = ConstructedFaces.LevelPoints();
        ConstructedFaces.Set(p, 158, 402.5f, 470); // next upper-lid point nasal of 159 (390, 480)
        var face = new FaceLandmarks(p);
        var mid = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { Frame = MeasurementFrame.Image });
        var above = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { Frame = MeasurementFrame.Image, LidMargin = LidMarginPoint.AbovePupil });
        mid.Measure(face, Frontal).Right.Mrd1.Pixels.Should().BeApproximately(18, 1e-4);

        // Iris centre x 392 lies 2/12.5 of the way from 159 to 158: lid y = 480 - 10 * 0.16 = 478.4.
        above.Measure(face, Frontal).Right.Mrd1.Pixels.Should().BeApproximately(498 - 478.4, 1e-4);
    }

    [Theory]
    [InlineData(0.5f, 0f)]
    [InlineData(2f, 0f)]
    [InlineData(1f, 15f)]
    [InlineData(1f, -15f)]
    [InlineData(0.5f, 15f)]
    [InlineData(2f, -15f)]
    public void Eye_line_frame_is_invariant_under_similarity_transforms(float scale, float roll)
    {
        var b = new LandmarkDiagnosticBenchmark();
        OcularMeasurements a = b.Measure(ConstructedFaces.Level(), Frontal);
        OcularMeasurements t = b.Measure(ConstructedFaces.Transformed(ConstructedFaces.Level(), scale, roll, new Vector2(37, -21)), Frontal);
        foreach ((MeasuredValue x, MeasuredValue y) in Pairs(a, t))
        {
            y.IrisDiameters.Should().BeApproximately(x.IrisDiameters, 1e-5);
            y.Millimetres.Should().BeApproximately(x.Millimetres, 1e-4);
            y.Pixels.Should().BeApproximately(x.Pixels * scale, 1e-3 * scale);
        }

        t.EyeLineRollDegrees.Should().BeApproximately(roll, 1e-3);
        t.Right.CanthalTiltDegrees.Should().BeApproximately(a.Right.CanthalTiltDegrees, 1e-3);
    }

    [Fact]
    public void Image_frame_is_not_roll_invariant_which_is_why_eye_line_is_the_default()
    {
        var b = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { Frame = MeasurementFrame.Image });
        OcularMeasurements a = b.Measure(ConstructedFaces.Level(), Frontal);
        OcularMeasurements t = b.Measure(ConstructedFaces.Transformed(ConstructedFaces.Level(), 1, 15, Vector2.Zero), Frontal);
        Math.Abs(t.R.IrisDiameters - a.R.IrisDiameters).Should().BeGreaterThan(0.01);
    }

    [Fact]
    public void Shared_iris_scales_use_the_mean_of_both_eyes()
    {
        Vector3[] p = ConstructedFaces.LevelPoints();
        ConstructedFaces.Set(p, 474, 630, 501); // left iris now 44 px wide
        var face = new FaceLandmarks(p);
        OcularMeasurements own = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { Frame = MeasurementFrame.Image }).Measure(face, Frontal);
        OcularMeasurements shared = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { Frame = MeasurementFrame.Image, Scale = IrisScale.BothEyesHorizontalWidth }).Measure(face, Frontal);
        own.Left.IrisDiameterPixels.Should().BeApproximately(44, 1e-4);
        shared.Left.IrisDiameterPixels.Should().BeApproximately(42, 1e-4);
        shared.Right.IrisDiameterPixels.Should().BeApproximately(42, 1e-4);
        shared.Left.Mrd1.Millimetres.Should().BeApproximately(16 * 11.7 / 42, 1e-6);
    }

    [Fact]
    public void Invalid_options_throw_when_set()
    {
        FluentActions.Invoking(() => new DiagnosticOptions { IrisDiameterMm = 0 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("IrisDiameterMm");
        FluentActions.Invoking(() => new DiagnosticOptions { MaxYawDegrees = double.NaN }).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { PrismDioptresPerMm = 30 })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new LandmarkDiagnosticBenchmark().Assess(null!)).Should().Throw<ArgumentNullException>();
    }

    private static void Px(MeasuredValue v, double px)
    {
        v.Pixels.Should().BeApproximately(px, 1e-4);
        v.IrisDiameters.Should().BeApproximately(px / 40, 1e-6);
        v.Millimetres.Should().BeApproximately(px * MmPerPx, 1e-5);
        v.MillimetresUncertainty.Should().BeApproximately(Math.Abs(px * MmPerPx) * 0.42 / 11.7, 1e-6);
    }

    internal static IEnumerable<(MeasuredValue, MeasuredValue)> Pairs(OcularMeasurements a, OcularMeasurements b)
    {
        foreach (EyeSide e in new[] { EyeSide.Right, EyeSide.Left })
        {
            yield return (a[e].IrisWidth, b[e].IrisWidth);
            yield return (a[e].Mrd1, b[e].Mrd1);
            yield return (a[e].Mrd2, b[e].Mrd2);
            yield return (a[e].FissureHeight, b[e].FissureHeight);
            yield return (a[e].FissureWidth, b[e].FissureWidth);
            yield return (a[e].IrisToInnerCanthus, b[e].IrisToInnerCanthus);
            yield return (a[e].DecentrationNasal, b[e].DecentrationNasal);
            yield return (a[e].DecentrationUp, b[e].DecentrationUp);
        }

        yield return (a.D, b.D);
        yield return (a.HorizontalVergence, b.HorizontalVergence);
        yield return (a.VerticalDifference, b.VerticalDifference);
        yield return (a.InterPupillaryDistance, b.InterPupillaryDistance);
    }
}
