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
    /// <summary>
    /// A face with only the normalisation's points placed (each eye's six points around its centre, the mouth corners around
    /// the mouth); every other point at the mid-eye.
    /// </summary>
    private static FaceLandmarks Face(Vector2 rightEye, Vector2 leftEye, Vector2 mouth)
    {
        var p = new Vector3[FaceLandmarks.Count];
        Array.Fill(p, new Vector3((rightEye + leftEye) / 2, 0));
        Vector2[] around = [new(-12, 1), new(-4, -6), new(4, -6), new(12, -1), new(4, 6), new(-4, 6)];
        int[] right = [33, 159, 158, 133, 153, 144], left = [362, 385, 386, 263, 373, 380];
        for (int i = 0; i < 6; i++)
        {
            p[right[i]] = new Vector3(rightEye + around[i], 0);
            p[left[i]] = new Vector3(leftEye + around[i], 0);
        }

        p[61] = new Vector3(mouth + new Vector2(-30, 2), 0);
        p[308] = new Vector3(mouth + new Vector2(30, -2), 0);
        return new FaceLandmarks(p);
    }

    [Theory]
    // Eyes 200 px apart, mouth 150 px below them: the eyes set the scale, 2 x 200 px of face onto the canvas (1.28 at 1024);
    // the mid-eye lands at the centre, raised by a tenth of the eye-to-mouth distance.
    [InlineData(150f, 1024, 1.28f)]
    [InlineData(150f, 512, 0.64f)]
    // Mouth 300 px below: the mouth sets the scale, 1.8 x 300 px onto the canvas.
    [InlineData(300f, 1024, 1024f / 1080f)]
    public void The_eyes_land_level_and_centred_at_the_documented_scale(float mouthBelow, int canvas, float scale)
    {
        foreach (float roll in new[] { 0f, 30f, -75f })
        {
            FaceLandmarks level = Face(new Vector2(400, 500), new Vector2(600, 500), new Vector2(500, 500 + mouthBelow));
            FaceLandmarks face = ConstructedFaces.Transformed(level, 1.3f, roll, new Vector2(37, -21));
            Matrix3x2 m = FaceNormalizer.ComputeTransform(face, canvas);
            Vector2 right = Vector2.Transform(Mean(face, [33, 159, 158, 133, 153, 144]), m);
            Vector2 left = Vector2.Transform(Mean(face, [362, 385, 386, 263, 373, 380]), m);
            float y = (canvas / 2f) - (0.1f * mouthBelow * scale);
            right.X.Should().BeApproximately((canvas / 2f) - (100 * scale), 0.01f, $"roll {roll}");
            left.X.Should().BeApproximately((canvas / 2f) + (100 * scale), 0.01f, $"roll {roll}");
            right.Y.Should().BeApproximately(y, 0.01f, $"roll {roll}");
            left.Y.Should().BeApproximately(y, 0.01f, $"roll {roll}");

            // A similarity: the mouth lands straight below the mid-eye.
            Vector2 mouth = Vector2.Transform((face[61] + face[308]) / 2, m);
            mouth.X.Should().BeApproximately(canvas / 2f, 0.01f, $"roll {roll}");
            mouth.Y.Should().BeApproximately(y + (mouthBelow * scale), 0.02f, $"roll {roll}");
        }
    }

    [Fact]
    public void Eyes_that_coincide_or_a_mouth_that_cancels_the_eye_line_are_refused()
    {
        // Both eye centres at one point, the mouth below: no eye line.
        FaceLandmarks oneEye = Face(new Vector2(500, 500), new Vector2(500, 500), new Vector2(500, 650));
        FluentActions.Invoking(() => FaceNormalizer.ComputeTransform(oneEye)).Should().Throw<ArgumentException>()
            .WithParameterName("landmarks").WithMessage("The eye and mouth landmarks coincide*");

        // Eyes 200 px apart and the mouth 200 px above them: eye_to_eye - rot90(eye_to_mouth) is zero.
        FaceLandmarks mouthAbove = Face(new Vector2(400, 500), new Vector2(600, 500), new Vector2(500, 300));
        FluentActions.Invoking(() => FaceNormalizer.ComputeTransform(mouthAbove)).Should().Throw<ArgumentException>()
            .WithParameterName("landmarks").WithMessage("The eye and mouth landmarks coincide*");
    }

    private static Vector2 Mean(FaceLandmarks l, int[] idx) => idx.Aggregate(Vector2.Zero, (s, i) => s + l[i]) / idx.Length;
}
