using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Diagnostics;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using FaceDefender.Synthesis;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Synthesis;

/// <summary>
/// <see cref="GeometryPrecision"/>: the kept geometry is rounded to its clinical steps before the eyes are drawn, the
/// output's kept measurements report the precision, and the re-detected output gives the rounded values.
/// </summary>
public sealed class GeometryPrecisionTests(GeometryOnlyTests.Kit kit, ITestOutputHelper output) : IClassFixture<GeometryOnlyTests.Kit>
{
    private static readonly (string Name, Func<EyeMeasurements, double> Get, Func<GeometryPrecision, double> Step)[] Kept =
    [
        ("MRD1", e => e.Mrd1.Millimetres, p => p.Millimetres),
        ("MRD2", e => e.Mrd2.Millimetres, p => p.Millimetres),
        ("fissure width", e => e.FissureWidth.Millimetres, p => p.Millimetres),
        ("iris to inner canthus", e => e.IrisToInnerCanthus.Millimetres, p => p.Millimetres),
        ("decentration up", e => e.DecentrationUp.Millimetres, p => p.Millimetres),
        ("canthal tilt", e => e.CanthalTiltDegrees, p => p.Degrees),
    ];

    [Fact]
    public void Round_and_validation()
    {
        GeometryPrecision.Round(3.74, 0.5).Should().Be(3.5);
        GeometryPrecision.Round(3.75, 0.5).Should().Be(4.0);
        GeometryPrecision.Round(-0.25, 0.5).Should().Be(-0.5);
        GeometryPrecision.Round(3.74, 0).Should().Be(3.74);
        GeometryPrecision.Default.ToString().Should().Be("0.5 mm, 1 PD, 1 deg, IPD 1 mm");
        GeometryPrecision.Exact.IsExact.Should().BeTrue();
        GeometryPrecision.Default.LargestChangeMillimetres.Should().Be(0.5);
        FluentActions.Invoking(() => new GeometryPrecision(millimetres: -0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("millimetres");
        FluentActions.Invoking(() => new GeometryPrecision(degrees: double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("degrees");
        FluentActions.Invoking(() => GeometryPrecision.Round(1, -1)).Should().Throw<ArgumentOutOfRangeException>();
        new SyntheticEyeOptions().Precision.Should().Be(GeometryPrecision.Default);
    }

    [Theory]
    [InlineData(0.5, 1, 1, 1)]
    [InlineData(1, 2, 2, 2)]
    [InlineData(2, 5, 5, 5)]
    public void Rounding_puts_every_kept_quantity_on_its_grid_and_moves_it_at_most_half_a_step(double mm, double pd, double deg, double ipd)
    {
        var precision = new GeometryPrecision(mm, pd, deg, ipd);
        FaceLandmarks lm = kit.PortraitFace.Landmarks;
        CornealReflexes reflexes = CornealReflexDetector.DetectHighlights(kit.Portrait, lm);
        var options = new DiagnosticOptions();
        OcularMeasurements before = new LandmarkDiagnosticBenchmark().Measure(lm, new HeadPose(0, 0, 0));
        output.WriteLine($"reflexes: {lm.Reflexes.RightStatus} {lm.Reflexes.LeftStatus}");
        GeometryRounding.Result r = GeometryRounding.Apply(lm, reflexes, precision);
        OcularMeasurements after = new LandmarkDiagnosticBenchmark().Measure(r.Landmarks, new HeadPose(0, 0, 0));
        r.Measurements.Precision.Should().Be(precision);
        double residual = GeometryRounding.Residual(after, precision, options);
        output.WriteLine(F($"{precision}: residual {residual:E2}, iterations' result {r.Residual:E2}"));
        // Measured: residual below 1e-4 (mm, deg or PD) for all three precisions; bound 0.01.
        residual.Should().BeLessThan(0.01);
        foreach (EyeSide side in new[] { EyeSide.Right, EyeSide.Left })
        {
            foreach ((string name, Func<EyeMeasurements, double> get, Func<GeometryPrecision, double> step) in Kept)
            {
                double a = get(after[side]), b = get(before[side]);
                output.WriteLine(F($"{side} {name}: {b:F3} -> {a:F3}"));
                Math.Abs(a - b).Should().BeLessThanOrEqualTo((step(precision) / 2) + 0.01, $"{side} {name} moves at most half a step");
                Math.Abs(a - GeometryPrecision.Round(a, step(precision))).Should().BeLessThan(0.01, $"{side} {name} is on the grid");
            }

            if (after[side].Reflex.IsFound)
            {
                double stepMm = pd / options.ReflexPrismDioptresPerMm;
                double n = after[side].Reflex.Nasal.Millimetres;
                Math.Abs(n - GeometryPrecision.Round(n, stepMm)).Should().BeLessThan(0.01, "the reflex displacement is on its grid");
            }
        }

        after.InterPupillaryDistance.Millimetres.Should().BeApproximately(GeometryPrecision.Round(before.InterPupillaryDistance.Millimetres, ipd), 0.01);
    }

    [Fact]
    public void Exact_precision_changes_nothing()
    {
        FaceLandmarks lm = kit.PortraitFace.Landmarks;
        GeometryRounding.Result r = GeometryRounding.Apply(lm, lm.Reflexes, GeometryPrecision.Exact);
        r.Landmarks.Points.ToArray().Should().Equal(lm.Points.ToArray());
        r.Measurements.Precision.Should().Be(GeometryPrecision.Exact);
    }

    [Fact]
    public void Geometry_only_output_carries_only_the_rounded_values_and_reports_their_precision()
    {
        using Avatar avatar = kit.Avatars.Get(AvatarSex.Female, AvatarAgeBuckets.Map(42), SkinTone.Light, 1);
        var fuser = new PeriocularFaceFuser();
        using FusionResult r = fuser.Fuse(kit.Portrait, kit.PortraitFace.Landmarks, avatar.Image, avatar.Landmarks, new FusionOptions { Roi = RoiPreset.GeometryOnly });
        r.KeptMeasurements.Should().NotBeNull();
        r.KeptMeasurements!.Precision.Should().Be(GeometryPrecision.Default);
        // What was drawn (the result's landmarks and reflexes) measures on the grid.
        OcularMeasurements drawn = new LandmarkDiagnosticBenchmark().Measure(r.PatientLandmarks, new HeadPose(0, 0, 0));
        GeometryRounding.Residual(drawn, GeometryPrecision.Default, new DiagnosticOptions()).Should().BeLessThan(0.01);

        // The pixel-keeping presets keep no rounded measurements.
        using FusionResult eyes = fuser.Fuse(kit.Portrait, kit.PortraitFace.Landmarks, avatar.Image, avatar.Landmarks, new FusionOptions { Roi = RoiPreset.EyesOnly });
        eyes.KeptMeasurements.Should().BeNull();

        // Re-detected on the output, each kept measure is its rounded value within half a step (the lines between grid
        // points are drawn as such) plus the detector's own repeatability, measured here as the re-detection error of the
        // unrounded (exact) output of the same photo and avatar, plus 0.5 for the two renders' own differences.
        // Measured on this portrait: at most 0.32 (left fissure width, mm) beyond the exact output's error plus half a step.
        using FusionResult exact = fuser.Fuse(kit.Portrait, kit.PortraitFace.Landmarks, avatar.Image, avatar.Landmarks,
            new FusionOptions { Roi = RoiPreset.GeometryOnly, SyntheticEyes = new SyntheticEyeOptions { Precision = GeometryPrecision.Exact } });
        exact.KeptMeasurements!.Precision.Should().Be(GeometryPrecision.Exact);
        OcularMeasurements seenExact = Redetect(exact), seen = Redetect(r);
        foreach (EyeSide side in new[] { EyeSide.Right, EyeSide.Left })
        {
            foreach ((string name, Func<EyeMeasurements, double> get, Func<GeometryPrecision, double> step) in Kept)
            {
                double kept = get(r.KeptMeasurements[side]), detected = get(seen[side]);
                double repeatability = Math.Abs(get(seenExact[side]) - get(exact.KeptMeasurements[side]));
                output.WriteLine(F($"{side} {name}: kept {kept:F3}, re-detected {detected:F3}; exact output: kept {get(exact.KeptMeasurements[side]):F3}, re-detected {get(seenExact[side]):F3}"));
                Math.Abs(detected - kept).Should().BeLessThanOrEqualTo(repeatability + (step(GeometryPrecision.Default) / 2) + 0.5, $"{side} {name} re-detected near its rounded value");
            }
        }
    }

    private OcularMeasurements Redetect(FusionResult r)
    {
        DetectedFace again = kit.Detector.Detect(r.Image).Face ?? throw new InvalidOperationException("output not detected");
        return new LandmarkDiagnosticBenchmark().Measure(again.Landmarks, again.Pose);
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
