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
}
