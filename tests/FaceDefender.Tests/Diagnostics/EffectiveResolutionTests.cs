using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// The effective iris diameter (<see cref="EyeContour.EffectiveIrisDiameterPixels"/>, <see cref="EyeMeasurements.EffectiveIrisDiameterPixels"/>)
/// and the <see cref="CaptureQualityIssue.IrisTooSmall"/> flag it drives: an enlarged copy of a small photo keeps the
/// flag (its pixels hold no more detail), a sharp photo with a large iris does not get it.
/// </summary>
[Collection(DetectorCollection.Name)]
public sealed class EffectiveResolutionTests(DetectorFixture fixture, ITestOutputHelper output)
{
    /// <summary>Kit scenes are drawn from this seed (<see cref="KitScenes.Random"/>); FD_EFFRES_SEED gives another (held-out) set.</summary>
    private const int DefaultSeed = 31;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("FD_EFFRES_SEED"), out int s) ? s : DefaultSeed;

    private static int SceneCount => int.TryParse(Environment.GetEnvironmentVariable("FD_EFFRES_N"), out int n) ? n : 2;

    private static Image<Rgb24> Resized(Image<Rgb24> image, float scale, IResampler resampler) =>
        image.Clone(x => x.Resize(Math.Max(8, (int)MathF.Round(image.Width * scale)), Math.Max(8, (int)MathF.Round(image.Height * scale)), resampler));

    private (FaceDetection Detection, OcularAssessment? Assessment) Assess(Image<Rgb24> image)
    {
        FaceDetection d = fixture.Detector.Detect(image);
        return (d, d.Face is { } f ? new LandmarkDiagnosticBenchmark().Assess(f.Landmarks, f.Pose) : null);
    }

    private static bool TooSmall(OcularAssessment a, EyeSide side) =>
        a.QualityFlags.Any(f => f.Issue == CaptureQualityIssue.IrisTooSmall && f.Eye == side);

    private void Report(string name, OcularAssessment a)
    {
        foreach (EyeMeasurements e in new[] { a.Measurements.Right, a.Measurements.Left })
        {
            output.WriteLine(ScaleSweep.F($"| {name} | {e.Side} | {e.IrisDiameterPixels:F1} | {e.EffectiveIrisDiameterPixels:F1} | {(TooSmall(a, e.Side) ? "yes" : "no")} |"));
        }
    }

    /// <remarks>
    /// Seed 31 (two scenes) is the set the sharpness constants were tuned on: enlarged copies read at most 19.1 px
    /// (limit 20), the sharp 30 and 36 px irises at least 21.3 px; the held-out seed 2029 (three scenes, FD_EFFRES_SEED=2029
    /// FD_EFFRES_N=3) reads at most 18.9 and at least 20.5 px. The margins either side of the 20 px limit are thin.
    /// </remarks>
    [Fact]
    public void Enlarged_copies_of_small_kit_renders_stay_too_small_and_sharp_large_ones_are_not()
    {
        output.WriteLine("| photo | eye | iris px | effective px | IrisTooSmall |");
        var rng = new Random(Seed);
        int cases = 0;
        for (int i = 0; i < SceneCount; i++)
        {
            GroundTruthScene scene = KitScenes.Random(rng, 1024, () => KitScenes.RandomEye(rng));
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(scene);
            foreach (float iris in new[] { 14f, 16.5f, 19f })
            {
            using DegradedGroundTruth small = GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { TargetIrisDiameterPixels = iris });
            foreach (float k in new[] { 2f, 3f })
            {
                foreach ((string rname, IResampler resampler) in new (string, IResampler)[] { ("bicubic", KnownResamplers.Bicubic), ("bilinear", KnownResamplers.Triangle) })
                {
                    using Image<Rgb24> big = Resized(small.Image, k, resampler);
                    (FaceDetection d, OcularAssessment? a) = Assess(big);
                    a.Should().NotBeNull($"kit scene {i} at iris {iris:F1} px x{k} ({rname}) is a clear face: {d.Status}");
                    Report(ScaleSweep.F($"kit {Seed}/{i} iris {iris:F1} px x{k} {rname}"), a!);
                    foreach (EyeSide side in new[] { EyeSide.Right, EyeSide.Left })
                    {
                        a!.Measurements[side].IrisDiameterPixels.Should().BeGreaterThan(25, "the enlarged iris is wide in pixels");
                        TooSmall(a, side).Should().BeTrue($"kit scene {i}, iris {iris:F1} px enlarged x{k} ({rname}), {side} eye: the pixels hold no more detail than the small render");
                        cases++;
                    }
                }
            }

            }

            // The same render sharp (reduced from 1024 px) at an iris of 30 and 36 px: no flag.
            foreach (float sharpIris in new[] { 30f, 36f })
            {
                using DegradedGroundTruth sharp = GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { TargetIrisDiameterPixels = sharpIris });
                (FaceDetection d, OcularAssessment? a) = Assess(sharp.Image);
                a.Should().NotBeNull($"kit scene {i} at iris {sharpIris} px is a clear face: {d.Status}");
                Report(ScaleSweep.F($"kit {Seed}/{i} sharp iris {sharpIris:F0} px"), a!);
                foreach (EyeSide side in new[] { EyeSide.Right, EyeSide.Left })
                {
                    TooSmall(a!, side).Should().BeFalse($"kit scene {i}, sharp iris {sharpIris} px, {side} eye");
                }
            }
        }

        cases.Should().Be(SceneCount * 3 * 2 * 2 * 2);
    }

    [Theory]
    [InlineData("grace_hopper.jpg")]
    [InlineData("astronaut.png")]
    public void Portraits_reduced_to_a_small_iris_then_enlarged_stay_too_small(string file)
    {
        output.WriteLine("| photo | eye | iris px | effective px | IrisTooSmall |");
        using Image<Rgb24> photo = TestImages.Portrait(file);
        (_, OcularAssessment? original) = Assess(photo);
        original.Should().NotBeNull();
        double iris = (original!.Measurements.Right.IrisDiameterPixels + original.Measurements.Left.IrisDiameterPixels) / 2;
        float reduce = (float)(16 / iris);
        using Image<Rgb24> small = Resized(photo, reduce, KnownResamplers.Bicubic);
        foreach (float k in new[] { 2f, 3f })
        {
            using Image<Rgb24> big = Resized(small, k, KnownResamplers.Bicubic);
            (FaceDetection d, OcularAssessment? a) = Assess(big);
            a.Should().NotBeNull($"{file} reduced x{reduce:F2} then enlarged x{k}: {d.Status}");
            Report(ScaleSweep.F($"{file} x{reduce:F2} then x{k}"), a!);
            foreach (EyeSide side in new[] { EyeSide.Right, EyeSide.Left })
            {
                a!.Measurements[side].IrisDiameterPixels.Should().BeGreaterThan(25);
                TooSmall(a, side).Should().BeTrue($"{file}, iris about 16 px enlarged x{k}, {side} eye");
            }
        }
    }

    /// <summary>FD_EFFRES_TABLE=1 prints effective / pixel diameter for sharp and enlarged kit renders (tuning aid, no assertion).</summary>
    [Fact]
    public void Calibration_table()
    {
        if (Environment.GetEnvironmentVariable("FD_EFFRES_TABLE") is null)
        {
            return;
        }

        var rng = new Random(Seed);
        for (int i = 0; i < SceneCount; i++)
        {
            GroundTruthScene scene = KitScenes.Random(rng, 1024, () => KitScenes.RandomEye(rng));
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(scene);
            foreach (float iris in new[] { 14f, 16.5f, 19f, 22f, 26f, 30f, 36f })
            {
                using DegradedGroundTruth small = GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { TargetIrisDiameterPixels = iris });
                foreach (float k in new[] { 1f, 1.5f, 2f, 3f })
                {
                    using Image<Rgb24> big = Resized(small.Image, k, KnownResamplers.Bicubic);
                    FaceDetection d = fixture.Detector.Detect(big);
                    if (d.Face is not { } f)
                    {
                        continue;
                    }

                    OcularMeasurements m = new LandmarkDiagnosticBenchmark().Measure(f.Landmarks, f.Pose);
                    var px = new SixLabors.ImageSharp.PixelFormats.Rgb24[big.Width * big.Height];
                    big.CopyPixelDataTo(px);
                    FaceLandmarks lm = f.Landmarks;
                    float Sigma(int c, int a, int b) => LimbusSharpness.EdgeSigma(px, big.Width, big.Height, lm[c],
                        (System.Numerics.Vector2.Distance(lm[c + 1], lm[c]) + System.Numerics.Vector2.Distance(lm[c + 3], lm[c])) / 2, lm[b] - lm[a]);
                    output.WriteLine(ScaleSweep.F($"scene {i} iris {iris} x{k}: R {m.Right.IrisDiameterPixels:F1} -> {m.Right.EffectiveIrisDiameterPixels:F1} s {Sigma(468, 33, 133):F3}, L {m.Left.IrisDiameterPixels:F1} -> {m.Left.EffectiveIrisDiameterPixels:F1} s {Sigma(473, 263, 362):F3}"));
                }
            }
        }
    }

    /// <summary>A dark disc (60 levels) of radius <paramref name="radius"/> on a bright ground (200), 4 x 4 supersampled.</summary>
    private static Image<Rgb24> Disc(int size, float radius)
    {
        var image = new Image<Rgb24>(size, size);
        var centre = new System.Numerics.Vector2(size / 2f, size / 2f);
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                float sum = 0;
                for (int k = 0; k < 16; k++)
                {
                    var p = new System.Numerics.Vector2(x + (((k % 4) + 0.5f) / 4), y + (((k / 4) + 0.5f) / 4));
                    sum += System.Numerics.Vector2.Distance(p, centre) <= radius ? 60 : 200;
                }

                byte v = (byte)MathF.Round(sum / 16);
                image[x, y] = new Rgb24(v, v, v);
            }
        }

        return image;
    }

    private static float Effective(Image<Rgb24> image, float radius)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        var centre = new System.Numerics.Vector2(image.Width / 2f, image.Height / 2f);
        return LimbusSharpness.EffectiveDiameter(pixels, image.Width, image.Height, centre, radius, System.Numerics.Vector2.UnitX, 2 * radius);
    }

    [Fact]
    public void A_sharp_disc_reads_about_its_pixel_diameter_and_an_enlarged_or_blurred_one_its_detail()
    {
        // Measured: sharp 20 px disc 20.0 (the cap), sharp 40 px 40.0; the 20 px disc enlarged 2x (bicubic) 18.1 and 3x
        // 20.8; the 40 px disc blurred (Gaussian sigma 2) 8.0. The enlarged copies must read their original 20 px (+-4,
        // about twice the measured spread), not their 40 and 60 pixels.
        using Image<Rgb24> small = Disc(48, 10), large = Disc(96, 20);
        using Image<Rgb24> x2 = small.Clone(c => c.Resize(96, 96, KnownResamplers.Bicubic));
        using Image<Rgb24> x3 = small.Clone(c => c.Resize(144, 144, KnownResamplers.Bicubic));
        using Image<Rgb24> blurred = large.Clone(c => c.GaussianBlur(2));
        output.WriteLine(ScaleSweep.F($"sharp 20: {Effective(small, 10):F1}, sharp 40: {Effective(large, 20):F1}, 20 x2: {Effective(x2, 20):F1}, 20 x3: {Effective(x3, 30):F1}, 40 blurred: {Effective(blurred, 20):F1}"));
        Effective(small, 10).Should().BeInRange(17, 20.001f, "a sharp 20 px disc");
        Effective(large, 20).Should().BeInRange(34, 40.001f, "a sharp 40 px disc");
        Effective(x2, 20).Should().BeInRange(16, 24, "the 20 px disc enlarged 2x holds the detail of 20 px, not 40");
        Effective(x3, 30).Should().BeInRange(16, 24, "the 20 px disc enlarged 3x holds the detail of 20 px, not 60");
        Effective(blurred, 20).Should().BeLessThan(16, "a blurred 40 px disc holds far less detail than its pixels (measured 8.0)");
        using Image<Rgb24> flat = Disc(48, 0.01f);
        float.IsNaN(Effective(flat, 10)).Should().BeTrue("no edge: unknown");
    }

    [Fact]
    public void The_flag_uses_the_effective_diameter_and_says_so()
    {
        // A sharp kit render with an iris of about 36 px and a right ptosis; its contours rebuilt with a given effective diameter.
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 800, RightEye = new EyeControl { UpperLidUpMm = -2.5f } });
        FaceLandmarks lm = fixture.Detector.Detect(r.Image).Face!.Landmarks;
        FaceLandmarks With(float effective) => new(lm.Points.ToArray(), lm.Space,
            new EyeContour(lm.RightEyeContour!.Points.ToArray(), lm.RightEyeContour.HasRefinedCanthi) { EffectiveIrisDiameterPixels = effective },
            new EyeContour(lm.LeftEyeContour!.Points.ToArray(), lm.LeftEyeContour.HasRefinedCanthi) { EffectiveIrisDiameterPixels = effective });
        var benchmark = new LandmarkDiagnosticBenchmark();

        OcularAssessment coarse = benchmark.Assess(With(12));
        coarse.Measurements.Right.IrisDiameterPixels.Should().BeGreaterThan(30);
        coarse.Measurements.Right.EffectiveIrisDiameterPixels.Should().Be(12);
        CaptureQualityFlag flag = coarse.QualityFlags.Single(f => f.Issue == CaptureQualityIssue.IrisTooSmall && f.Eye == EyeSide.Right);
        flag.Value.Should().Be(12);
        flag.Description.Should().Contain("effective").And.Contain("12.0 px");
        coarse.Findings.Should().NotBeEmpty().And.OnlyContain(f => !f.IsReliable, "with too little detail no finding is reliable");

        OcularAssessment unknown = benchmark.Assess(With(float.NaN));
        unknown.Measurements.Right.EffectiveIrisDiameterPixels.Should().Be(unknown.Measurements.Right.IrisDiameterPixels, "unknown detail: the pixel diameter stands");
        unknown.QualityFlags.Should().NotContain(f => f.Issue == CaptureQualityIssue.IrisTooSmall);
        unknown.Findings.Should().Contain(f => f.IsReliable, "the same ptosis on a detailed photo is a reliable finding");

        OcularAssessment more = benchmark.Assess(With(500));
        more.Measurements.Left.EffectiveIrisDiameterPixels.Should().Be(more.Measurements.Left.IrisDiameterPixels, "detail beyond the pixels is capped at the pixel diameter");

        // Transform keeps the detail (the coordinates change, the photo does not).
        With(12).Transform(System.Numerics.Matrix3x2.CreateScale(2), CoordinateSpace.Source).RightEyeContour!.EffectiveIrisDiameterPixels.Should().Be(12);
        FluentActions.Invoking(() => new EyeContour(lm.RightEyeContour!.Points.ToArray()) { EffectiveIrisDiameterPixels = 0 })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("EffectiveIrisDiameterPixels");
        FluentActions.Invoking(() => new EyeContour(lm.RightEyeContour!.Points.ToArray()) { EffectiveIrisDiameterPixels = float.PositiveInfinity })
            .Should().Throw<ArgumentOutOfRangeException>();
    }
}
