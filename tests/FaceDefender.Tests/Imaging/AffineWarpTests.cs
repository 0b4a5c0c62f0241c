using System.Numerics;
using FaceDefender.Imaging;
using SixLabors.ImageSharp;

namespace FaceDefender.Tests.Imaging;

[Trait("Category", "Kernels")]
public class AffineWarpTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<int, int, int, int, WarpBorderMode> Cases => new()
    {
        { 37, 29, 41, 23, WarpBorderMode.Constant },
        { 64, 65, 63, 66, WarpBorderMode.Replicate },
        { 101, 7, 13, 99, WarpBorderMode.Transparent },
        { 1, 1, 5, 5, WarpBorderMode.Replicate },
        { 2, 3, 9, 4, WarpBorderMode.Constant },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vector_path_equals_scalar_path_exactly_on_odd_sizes_and_borders(int sw, int sh, int dw, int dh, WarpBorderMode border)
    {
        byte[] src = TestImages.Random(sw, sh, 3, 1);
        for (int t = 0; t < 6; t++)
        {
            Matrix3x2 m = Matrix3x2.CreateRotation(0.3f * t - 0.7f, new Vector2(sw / 2f, sh / 2f)) *
                          Matrix3x2.CreateScale(0.7f + 0.2f * t) * Matrix3x2.CreateTranslation(t - 3.3f, 1.7f - t);
            byte[] simd = TestImages.Random(dw, dh, 3, 2);
            byte[] scalar = (byte[])simd.Clone();
            AffineWarp.WarpRgb24Core(src, sw, sh, simd, dw, dh, m, border, (10, 20, 30), null, 1, allowSimd: true);
            AffineWarp.WarpRgb24Core(src, sw, sh, scalar, dw, dh, m, border, (10, 20, 30), null, 1, allowSimd: false);
            simd.Should().Equal(scalar);
        }
    }

    [Theory]
    [InlineData(WarpBorderMode.Constant)]
    [InlineData(WarpBorderMode.Transparent)]
    [InlineData(WarpBorderMode.Replicate)]
    public void Eight_pixel_vector_blocks_equal_the_scalar_path_on_a_portrait_with_edges_and_regions(WarpBorderMode border)
    {
        // Blocks wholly inside, wholly outside and straddling the source edge, the last source row and column,
        // upscaling (many pixels share a source pair) and a region starting at an odd column.
        (byte[] src, int w, int h) = TestImages.LoadRgb("faces/astronaut.png");
        Matrix3x2[] transforms =
        [
            Matrix3x2.CreateRotation(0.12f, new Vector2(w / 2f, h / 2f)) * Matrix3x2.CreateScale(1.07f, new Vector2(w / 2f, h / 2f)),
            Matrix3x2.CreateScale(5.8f) * Matrix3x2.CreateTranslation(-900, -1100),
            Matrix3x2.CreateRotation(-2.5f, new Vector2(100, 300)) * Matrix3x2.CreateScale(0.45f),
            Matrix3x2.CreateTranslation(0.25f, -0.75f),
        ];
        foreach (Matrix3x2 m in transforms)
        {
            foreach (Rectangle? roi in new Rectangle?[] { null, new Rectangle(3, 5, 301, 211) })
            {
                byte[] simd = TestImages.Random(w, h, 3, 9);
                byte[] scalar = (byte[])simd.Clone();
                AffineWarp.WarpRgb24Core(src, w, h, simd, w, h, m, border, (200, 100, 50), roi, 1, allowSimd: true);
                AffineWarp.WarpRgb24Core(src, w, h, scalar, w, h, m, border, (200, 100, 50), roi, 1, allowSimd: false);
                simd.AsSpan().SequenceEqual(scalar).Should().BeTrue("the vector path must be bit-identical ({0}, {1})", m, roi);
            }
        }
    }

    [Theory]
    [InlineData(WarpBorderMode.Constant)]
    [InlineData(WarpBorderMode.Transparent)]
    [InlineData(WarpBorderMode.Replicate)]
    public void Plane_warp_vector_path_equals_scalar_path_exactly(WarpBorderMode border)
    {
        foreach ((int sw, int sh, int dw, int dh) in new[] { (37, 29, 41, 23), (300, 211, 257, 199), (2, 2, 17, 9), (1, 5, 12, 3) })
        {
            float[] src = TestImages.RandomFloats(sw * sh, 41);
            Matrix3x2[] transforms =
            [
                Matrix3x2.CreateRotation(0.12f, new Vector2(sw / 2f, sh / 2f)) * Matrix3x2.CreateScale(1.07f),
                Matrix3x2.CreateScale(5.8f) * Matrix3x2.CreateTranslation(-30, -20),
                Matrix3x2.CreateRotation(-2.5f, new Vector2(10, 30)) * Matrix3x2.CreateScale(0.45f),
                Matrix3x2.CreateTranslation(0.25f, -0.75f),
            ];
            foreach (Matrix3x2 m in transforms)
            {
                foreach (Rectangle? roi in new Rectangle?[] { null, new Rectangle(1, 1, dw - 2, dh - 2) })
                {
                    float[] simd = TestImages.RandomFloats(dw * dh, 42);
                    float[] scalar = (float[])simd.Clone();
                    AffineWarp.WarpPlaneCore(src, sw, sh, simd, dw, dh, m, border, 0.25f, roi, allowSimd: true);
                    AffineWarp.WarpPlaneCore(src, sw, sh, scalar, dw, dh, m, border, 0.25f, roi, allowSimd: false);
                    int firstDifference = Enumerable.Range(0, simd.Length)
                        .FirstOrDefault(i => BitConverter.SingleToInt32Bits(simd[i]) != BitConverter.SingleToInt32Bits(scalar[i]), -1);
                    firstDifference.Should().Be(-1, $"{sw} x {sh} -> {dw} x {dh} must be bit-identical");
                }
            }
        }
    }

    [Fact]
    public void Identity_warp_is_the_identity()
    {
        byte[] src = TestImages.Random(33, 17, 3, 3);
        byte[] dst = new byte[src.Length];
        AffineWarp.WarpRgb24(src, 33, 17, dst, 33, 17, Matrix3x2.Identity);
        dst.Should().Equal(src);

        float[] plane = TestImages.RandomFloats(33 * 17, 4);
        float[] outPlane = new float[plane.Length];
        AffineWarp.WarpPlane(plane, 33, 17, outPlane, 33, 17, Matrix3x2.Identity);
        outPlane.Should().Equal(plane);
    }

    [Fact]
    public void Integer_translation_shifts_pixels_exactly_and_fills_the_constant_border()
    {
        byte[] src = TestImages.Random(20, 10, 3, 5);
        byte[] dst = new byte[src.Length];
        AffineWarp.WarpRgb24(src, 20, 10, dst, 20, 10, Matrix3x2.CreateTranslation(3, 2), WarpBorderMode.Constant, (1, 2, 3));
        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 20; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    byte expected = x >= 3 && y >= 2 ? src[((((y - 2) * 20) + x - 3) * 3) + c] : (byte)(c + 1);
                    dst[(((y * 20) + x) * 3) + c].Should().Be(expected);
                }
            }
        }
    }

    [Fact]
    public void Transparent_border_leaves_the_destination_untouched_outside_the_source()
    {
        byte[] src = TestImages.Random(10, 10, 3, 6);
        byte[] dst = Enumerable.Repeat((byte)77, 30 * 30 * 3).ToArray();
        AffineWarp.WarpRgb24(src, 10, 10, dst, 30, 30, Matrix3x2.CreateTranslation(10, 10), WarpBorderMode.Transparent);
        dst[0].Should().Be(77);
        dst[((29 * 30) + 29) * 3].Should().Be(77);
        dst[((15 * 30) + 15) * 3].Should().Be(src[((5 * 10) + 5) * 3]);
    }

    [Fact]
    public void Plane_warp_of_a_linear_ramp_is_exactly_linear()
    {
        // Bilinear interpolation reproduces affine functions: f(x, y) = 2x + 3y + 1.
        int w = 40, h = 30;
        float[] ramp = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                ramp[(y * w) + x] = (2 * x) + (3 * y) + 1;
            }
        }

        Matrix3x2 m = Matrix3x2.CreateRotation(0.2f) * Matrix3x2.CreateScale(1.3f) * Matrix3x2.CreateTranslation(2, 1);
        Matrix3x2.Invert(m, out Matrix3x2 inv).Should().BeTrue();
        float[] dst = new float[w * h];
        AffineWarp.WarpPlane(ramp, w, h, dst, w, h, m, WarpBorderMode.Transparent, 0);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                Vector2 s = Vector2.Transform(new Vector2(x, y), inv);
                if (s.X >= 0 && s.Y >= 0 && s.X <= w - 1 && s.Y <= h - 1)
                {
                    dst[(y * w) + x].Should().BeApproximately((2 * s.X) + (3 * s.Y) + 1, 1e-3f);
                }
            }
        }
    }

    [Fact]
    public void Warp_then_inverse_warp_returns_the_portrait_within_interpolation_error()
    {
        (byte[] src, int w, int h) = TestImages.LoadRgb("faces/astronaut.png");
        Matrix3x2 m = Matrix3x2.CreateRotation(0.15f, new Vector2(w / 2f, h / 2f)) * Matrix3x2.CreateScale(1.1f, new Vector2(w / 2f, h / 2f));
        Matrix3x2.Invert(m, out Matrix3x2 inv).Should().BeTrue();
        byte[] a = new byte[src.Length], b = new byte[src.Length];
        AffineWarp.WarpRgb24(src, w, h, a, w, h, m);
        AffineWarp.WarpRgb24(a, w, h, b, w, h, inv);

        // Compare the central region that stayed inside the frame both ways.
        double sum = 0;
        int count = 0;
        for (int y = 128; y < 384; y++)
        {
            for (int x = 128; x < 384; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int i = (((y * w) + x) * 3) + c;
                    sum += Math.Abs(src[i] - b[i]);
                    count++;
                }
            }
        }

        output.WriteLine(FormattableString.Invariant($"mean absolute difference after warp and inverse warp: {sum / count:F3} levels"));
        (sum / count).Should().BeLessThan(4.0, "two bilinear resamplings blur but do not move the image");
    }

    [Fact]
    public void Region_limits_the_written_pixels_and_matches_the_full_warp_inside()
    {
        byte[] src = TestImages.Random(50, 40, 3, 7);
        Matrix3x2 m = Matrix3x2.CreateRotation(0.4f) * Matrix3x2.CreateTranslation(5, -3);
        byte[] full = new byte[src.Length];
        byte[] part = new byte[src.Length];
        AffineWarp.WarpRgb24(src, 50, 40, full, 50, 40, m);
        var roi = new Rectangle(7, 5, 21, 13);
        AffineWarp.WarpRgb24(src, 50, 40, part, 50, 40, m, region: roi);
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x < 50; x++)
            {
                int i = ((y * 50) + x) * 3;
                if (roi.Contains(x, y))
                {
                    part[i].Should().Be(full[i]);
                }
                else
                {
                    part[i].Should().Be(0);
                }
            }
        }
    }

    [Fact]
    public void Multithreaded_warp_equals_single_threaded()
    {
        (byte[] src, int w, int h) = TestImages.LoadRgb("faces/grace_hopper.jpg");
        Matrix3x2 m = Matrix3x2.CreateRotation(-0.3f, new Vector2(200, 300));
        byte[] one = new byte[src.Length], many = new byte[src.Length];
        AffineWarp.WarpRgb24(src, w, h, one, w, h, m, maxDegreeOfParallelism: 1);
        AffineWarp.WarpRgb24(src, w, h, many, w, h, m, maxDegreeOfParallelism: 4);
        many.Should().Equal(one);
    }

    [Fact]
    public void Bad_arguments_fail_with_specific_errors()
    {
        byte[] src = new byte[10 * 10 * 3];
        byte[] dst = new byte[10 * 10 * 3];
        var nan = new Matrix3x2(float.NaN, 0, 0, 1, 0, 0);
        var singular = new Matrix3x2(1, 2, 2, 4, 0, 0);
        FluentActions.Invoking(() => AffineWarp.WarpRgb24(src, 10, 10, dst, 10, 10, nan))
            .Should().Throw<ArgumentException>().WithMessage("*NaN*");
        FluentActions.Invoking(() => AffineWarp.WarpRgb24(src, 10, 10, dst, 10, 10, singular))
            .Should().Throw<ArgumentException>().WithMessage("*singular*");
        FluentActions.Invoking(() => AffineWarp.WarpRgb24(src, 10, 11, dst, 10, 10, Matrix3x2.Identity))
            .Should().Throw<ArgumentException>().WithParameterName("source");
        FluentActions.Invoking(() => AffineWarp.WarpRgb24(src, 0, 10, dst, 10, 10, Matrix3x2.Identity))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sourceWidth");
        FluentActions.Invoking(() => AffineWarp.WarpRgb24(src, 10, 10, dst, 10, 10, Matrix3x2.Identity, region: new Rectangle(5, 5, 10, 10)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("region");
    }
}
