using System.Collections.Concurrent;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Landmarks;

/// <summary>
/// Landmarks found on a transformed copy of a portrait, mapped back through the known transform,
/// agree with those found on the original within 2 % of the inter-pupil distance: every eye point
/// (lids, canthi, iris centres) and the mean over all 468 mesh points. Brows are looser (3 %): the
/// outer ends of faint brows (Grace Hopper's) are where the mesh model is least certain.
/// </summary>
[Collection(DetectorCollection.Name)]
public sealed class InvarianceTests(DetectorFixture fixture, ITestOutputHelper output)
{
    private const float Tolerance = 0.02f;
    private const float BrowTolerance = 0.03f;

    /// <summary>
    /// Each comparison computed once per test run, by whichever caller asks first (every caller passes a detector with
    /// the default options, so the result is the same): these tests and Docs.PublishedFiguresTests, which checks the
    /// figures docs/landmarks.md publishes.
    /// </summary>
    private static readonly ConcurrentDictionary<string, Lazy<LandmarkComparison>> Measured = new();

    private static FaceLandmarks DetectOne(MediaPipeLandmarkDetector detector, Image<Rgb24> image)
    {
        FaceDetection result = detector.Detect(image);
        result.Status.Should().Be(FaceDetectionStatus.Found);
        return result.Faces[0].Landmarks;
    }

    private static LandmarkComparison Once(string key, Func<LandmarkComparison> measure) =>
        Measured.GetOrAdd(key, _ => new Lazy<LandmarkComparison>(measure)).Value;

    /// <summary>A portrait turned by <paramref name="degrees"/>, detected and mapped back, against the upright detection.</summary>
    internal static LandmarkComparison RollComparison(MediaPipeLandmarkDetector detector, string file, float degrees) =>
        Once(FormattableString.Invariant($"roll {file} {degrees}"), () =>
        {
            using Image<Rgb24> original = TestImages.Portrait(file);
            FaceLandmarks reference = DetectOne(detector, original);
            (Image<Rgb24> rotated, Matrix3x2 toSource) = TestImages.Rotate(original, degrees);
            using (rotated)
            {
                return LandmarkComparison.Compare(reference, MapBack(DetectOne(detector, rotated), toSource));
            }
        });

    /// <summary>The Grace Hopper portrait at 2x, scaled by <paramref name="factor"/>, detected and mapped back.</summary>
    internal static LandmarkComparison ScaleComparison(MediaPipeLandmarkDetector detector, float factor) =>
        Once(FormattableString.Invariant($"scale {factor}"), () =>
        {
            // Base: the Grace Hopper portrait at 2x (1024 x 1200, inter-pupil distance about 165 px),
            // so that 0.25x still leaves a face of about 100 px.
            using Image<Rgb24> portrait = TestImages.Portrait("grace_hopper.jpg");
            (Image<Rgb24> baseImage, _) = TestImages.Scale(portrait, 2f);
            using (baseImage)
            {
                FaceLandmarks reference = DetectOne(detector, baseImage);
                (Image<Rgb24> scaled, Matrix3x2 toBase) = TestImages.Scale(baseImage, factor);
                using (scaled)
                {
                    return LandmarkComparison.Compare(reference, MapBack(DetectOne(detector, scaled), toBase));
                }
            }
        });

    /// <summary>The mirrored portrait, detected, mapped back and re-paired left/right.</summary>
    internal static LandmarkComparison MirrorComparison(MediaPipeLandmarkDetector detector, string file) =>
        Once($"mirror {file}", () =>
        {
            using Image<Rgb24> original = TestImages.Portrait(file);
            FaceLandmarks reference = DetectOne(detector, original);
            using Image<Rgb24> mirrored = original.Clone(x => x.Flip(FlipMode.Horizontal));
            Matrix3x2 flip = new(-1, 0, 0, 1, original.Width, 0);
            return LandmarkComparison.Compare(reference, MapBack(DetectOne(detector, mirrored), flip), LandmarkComparison.MirrorMap());
        });

    private void AssertAgree(LandmarkComparison c, string what)
    {
        output.WriteLine($"{what}: {c}");
        c.MaxEyes.Should().BeLessThanOrEqualTo(Tolerance, $"{what}: eye points and iris centres within 2 % of IPD");
        c.MaxBrows.Should().BeLessThanOrEqualTo(BrowTolerance, $"{what}: brow points within 3 % of IPD");
        c.MeanAll.Should().BeLessThanOrEqualTo(Tolerance, $"{what}: mean over all points within 2 % of IPD");
    }

    private static Vector2[] MapBack(FaceLandmarks landmarks, Matrix3x2 toReference) =>
        landmarks.Points.ToArray().Select(p => Vector2.Transform(new Vector2(p.X, p.Y), toReference)).ToArray();

    [Theory]
    [InlineData("grace_hopper.jpg", 30f)]
    [InlineData("grace_hopper.jpg", -30f)]
    [InlineData("astronaut.png", 30f)]
    [InlineData("astronaut.png", -30f)]
    public void Roll(string file, float degrees) =>
        AssertAgree(RollComparison(fixture.Detector, file, degrees), $"{file} roll {degrees}");

    [Theory]
    [InlineData(0.25f)]
    [InlineData(0.5f)]
    [InlineData(2f)]
    [InlineData(4f)]
    public void Scale(float factor) => AssertAgree(ScaleComparison(fixture.Detector, factor), $"scale {factor}");

    [Theory]
    [InlineData("grace_hopper.jpg")]
    [InlineData("astronaut.png")]
    public void MirroringSwapsLeftAndRight(string file) => AssertAgree(MirrorComparison(fixture.Detector, file), $"{file} mirrored");
}
