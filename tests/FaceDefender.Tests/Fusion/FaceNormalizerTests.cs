using System.Numerics;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using FaceDefender.Tests.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Fusion;

/// <summary><see cref="FaceNormalizer"/> on bad input, and the smallest canvas it accepts.</summary>
public sealed class FaceNormalizerTests
{
    [Fact]
    public void Null_image_or_landmarks_fail_with_the_argument_named()
    {
        using var image = new Image<Rgb24>(64, 64);
        FaceLandmarks face = ConstructedFaces.Level();
        FluentActions.Invoking(() => FaceNormalizer.Normalize(null!, face)).Should().Throw<ArgumentNullException>().WithParameterName("image");
        FluentActions.Invoking(() => FaceNormalizer.Normalize(image, null!)).Should().Throw<ArgumentNullException>().WithParameterName("landmarks");
        FluentActions.Invoking(() => FaceNormalizer.ComputeTransform(null!)).Should().Throw<ArgumentNullException>().WithParameterName("landmarks");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(15)]
    [InlineData(int.MinValue)]
    public void A_canvas_under_16_pixels_is_refused(int size)
    {
        using var image = new Image<Rgb24>(64, 64);
        FaceLandmarks face = ConstructedFaces.Level();
        FluentActions.Invoking(() => FaceNormalizer.Normalize(image, face, size)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("canvasSize");
        FluentActions.Invoking(() => FaceNormalizer.ComputeTransform(face, size)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("canvasSize");
    }

    [Fact]
    public void Degenerate_landmarks_are_refused()
    {
        using var image = new Image<Rgb24>(64, 64);
        var collapsed = new FaceLandmarks(Enumerable.Repeat(new Vector3(10, 10, 0), FaceLandmarks.Count).ToArray());
        FluentActions.Invoking(() => FaceNormalizer.Normalize(image, collapsed)).Should().Throw<ArgumentException>().WithParameterName("landmarks");
    }

    [Fact]
    public void The_smallest_canvas_levels_the_eyes_and_maps_the_landmarks()
    {
        using var image = new Image<Rgb24>(1000, 800, new Rgb24(90, 60, 40));
        FaceLandmarks face = ConstructedFaces.Level();
        (Image<Rgb24> canvas, FaceLandmarks mapped, Matrix3x2 m) = FaceNormalizer.Normalize(image, face, 16);
        using (canvas)
        {
            canvas.Width.Should().Be(16);
            canvas.Height.Should().Be(16);
            mapped.Space.Should().Be(CoordinateSpace.Normalized);
            Vector2.Distance(mapped[468], Vector2.Transform(face[468], m)).Should().BeLessThan(1e-4f);
            MathF.Abs(mapped[468].Y - mapped[473].Y).Should().BeLessThan(0.5f, "the eye line is level");
        }
    }
}
