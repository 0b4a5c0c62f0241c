using FaceDefender.Imaging;
using SixLabors.ImageSharp;

namespace FaceDefender.Tests.Imaging;

[Trait("Category", "Kernels")]
public class GaussianBlurTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Direct 2-D convolution in double precision: the independent oracle.</summary>
    private static double[] Reference(ReadOnlySpan<float> src, int w, int h, int c, GaussianKernel k, BlurBorderMode border)
    {
        var wts = k.Weights;
        int r = k.Radius;
        var tmp = new double[w * h * c];
        var result = new double[w * h * c];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    double a = 0;
                    for (int d = -r; d <= r; d++)
                    {
                        a += wts[d + r] * src[(((MapIndex(y + d, h, border) * w) + x) * c) + ch];
                    }

                    tmp[(((y * w) + x) * c) + ch] = a;
                }
            }
        }

        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    double a = 0;
                    for (int d = -r; d <= r; d++)
                    {
                        a += wts[d + r] * tmp[(((y * w) + MapIndex(x + d, w, border)) * c) + ch];
                    }

                    result[(((y * w) + x) * c) + ch] = a;
                }
            }
        }

        return result;
    }

    // Written independently of the library's BorderIndex, from the definitions in the docs.
    private static int MapIndex(int i, int n, BlurBorderMode mode)
    {
        while (i < 0 || i >= n)
        {
            if (n == 1)
            {
                return 0;
            }

            i = mode switch
            {
                BlurBorderMode.Replicate => Math.Clamp(i, 0, n - 1),
                BlurBorderMode.Reflect101 => i < 0 ? -i : (2 * (n - 1)) - i,
                _ => i < 0 ? -i - 1 : (2 * n) - 1 - i,
            };
        }

        return i;
    }

    [Theory]
    [InlineData(37, 23, 1, 1.5f, BlurBorderMode.Reflect101)]
    [InlineData(41, 19, 3, 2.7f, BlurBorderMode.Replicate)]
    [InlineData(13, 50, 3, 4.0f, BlurBorderMode.Reflect)]
    [InlineData(5, 4, 1, 3.0f, BlurBorderMode.Reflect101)]
    [InlineData(1, 9, 3, 1.0f, BlurBorderMode.Reflect)]
    public void Float_blur_matches_direct_convolution_on_odd_sizes_and_borders(int w, int h, int c, float sigma, BlurBorderMode border)
    {
        float[] src = TestImages.RandomFloats(w * h * c, 11, 255f);
        var k = GaussianKernel.Create(sigma);
        double[] expected = Reference(src, w, h, c, k, border);
        float[] simd = new float[src.Length], scalar = new float[src.Length];
        SeparableGaussianBlur.Run<float, float>(src, simd, w, h, c, k, border, null, 1, allowSimd: true);
        SeparableGaussianBlur.Run<float, float>(src, scalar, w, h, c, k, border, null, 1, allowSimd: false);
        for (int i = 0; i < src.Length; i++)
        {
            simd[i].Should().BeApproximately((float)expected[i], 2e-3f);
            simd[i].Should().BeApproximately(scalar[i], 1e-5f * 255);
        }
    }

    [Theory]
    [InlineData(BlurBorderMode.Replicate)]
    [InlineData(BlurBorderMode.Reflect101)]
    [InlineData(BlurBorderMode.Reflect)]
    public void Blur_of_a_constant_image_is_the_constant(BlurBorderMode border)
    {
        byte[] src = Enumerable.Repeat((byte)173, 31 * 17 * 3).ToArray();
        byte[] dst = new byte[src.Length];
        SeparableGaussianBlur.BlurRgb24(src, dst, 31, 17, GaussianKernel.Create(5f), border);
        dst.Should().OnlyContain(v => v == 173);
    }

    [Fact]
    public void Byte_blur_vector_and_scalar_paths_agree_and_round_like_the_reference()
    {
        (byte[] src, int w, int h) = TestImages.LoadRgb("faces/astronaut.png");
        var k = GaussianKernel.FromSize(31);
        byte[] simd = new byte[src.Length], scalar = new byte[src.Length];
        SeparableGaussianBlur.Run<byte, byte>(src, simd, w, h, 3, k, BlurBorderMode.Reflect101, null, 1, allowSimd: true);
        SeparableGaussianBlur.Run<byte, byte>(src, scalar, w, h, 3, k, BlurBorderMode.Reflect101, null, 1, allowSimd: false);
        TestImages.MaxAbsDiff(simd, scalar).Should().BeLessThanOrEqualTo(1, "float sums in a different order can only flip a rounding");
    }

    [Fact]
    public void Region_blur_equals_the_full_blur_inside_the_region()
    {
        (byte[] src, int w, int h) = TestImages.LoadRgb("faces/grace_hopper.jpg");
        var k = GaussianKernel.Create(6f);
        byte[] full = new byte[src.Length], part = new byte[src.Length];
        SeparableGaussianBlur.BlurRgb24(src, full, w, h, k);
        var roi = new Rectangle(3, 200, 151, 77);
        SeparableGaussianBlur.BlurRgb24(src, part, w, h, k, region: roi);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = ((y * w) + x) * 3;
                part[i].Should().Be(roi.Contains(x, y) ? full[i] : (byte)0);
            }
        }
    }

    [Fact]
    public void Multithreaded_blur_equals_single_threaded()
    {
        (byte[] src, int w, int h) = TestImages.LoadRgb("faces/astronaut.png");
        var k = GaussianKernel.Create(4f);
        byte[] one = new byte[src.Length], many = new byte[src.Length];
        SeparableGaussianBlur.BlurRgb24(src, one, w, h, k, maxDegreeOfParallelism: 1);
        SeparableGaussianBlur.BlurRgb24(src, many, w, h, k, maxDegreeOfParallelism: 3);
        many.Should().Equal(one);
    }

    [Fact]
    public void Kernel_follows_OpenCV_size_rule_and_sums_to_one()
    {
        var k = GaussianKernel.FromSize(31);
        k.Sigma.Should().BeApproximately((0.3f * ((30 * 0.5f) - 1)) + 0.8f, 1e-6f);
        k.Size.Should().Be(31);
        k.Weights.ToArray().Sum().Should().BeApproximately(1f, 1e-6f);
        k.Weights[15].Should().BeGreaterThan(k.Weights[14]);
        k.Weights[14].Should().Be(k.Weights[16]);
    }

    [Theory]
    [InlineData(8f)]
    [InlineData(23f)]
    [InlineData(30f)]
    [InlineData(64f)]
    public void Large_sigma_blur_is_within_half_a_grey_level_of_the_exact_blur_on_a_portrait(float sigma)
    {
        (byte[] src, int w, int h) = TestImages.LoadRgb("faces/astronaut.png");
        float[] exact = new float[src.Length], fast = new float[src.Length];
        int margin = (int)(3 * sigma) + (2 * (int)(sigma / 4)) + 1;
        var roi = Rectangle.FromLTRB(margin, margin, w - margin, h - margin);
        SeparableGaussianBlur.BlurToFloat(src, exact, w, h, 3, GaussianKernel.Create(sigma), region: roi);
        LargeSigmaGaussianBlur.BlurToFloat(src, fast, w, h, 3, sigma, region: roi);
        float max = 0;
        for (int y = roi.Y; y < roi.Bottom; y++)
        {
            for (int i = ((y * w) + roi.X) * 3; i < ((y * w) + roi.Right) * 3; i++)
            {
                max = Math.Max(max, Math.Abs(exact[i] - fast[i]));
            }
        }

        output.WriteLine(FormattableString.Invariant($"sigma {sigma}: max {max:F4} levels"));
        max.Should().BeLessThanOrEqualTo(0.5f);
    }

    [Fact]
    public void Large_sigma_blur_of_a_worst_case_step_edge_stays_within_one_and_a_half_grey_levels()
    {
        int w = 400, h = 64;
        byte[] src = new byte[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 200; x < w; x++)
            {
                src[(y * w) + x] = 255;
            }
        }

        foreach (float sigma in new[] { 10f, 23f, 30f })
        {
            float[] exact = new float[src.Length], fast = new float[src.Length];
            SeparableGaussianBlur.BlurToFloat(src, exact, w, h, 1, GaussianKernel.Create(sigma));
            LargeSigmaGaussianBlur.BlurToFloat(src, fast, w, h, 1, sigma);
            int margin = (int)(3 * sigma) + (2 * (int)(sigma / 4)) + 1;
            float max = 0;
            for (int x = margin; x < w - margin; x++)
            {
                max = Math.Max(max, Math.Abs(exact[(30 * w) + x] - fast[(30 * w) + x]));
            }

            output.WriteLine(FormattableString.Invariant($"step edge, sigma {sigma}: max {max:F4} levels"));
            max.Should().BeLessThanOrEqualTo(1.5f, $"sigma {sigma}");
        }
    }

    [Fact]
    public void Bad_arguments_fail_with_specific_errors()
    {
        FluentActions.Invoking(() => GaussianKernel.Create(0f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sigma");
        FluentActions.Invoking(() => GaussianKernel.Create(-2f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sigma");
        FluentActions.Invoking(() => GaussianKernel.Create(float.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sigma");
        FluentActions.Invoking(() => GaussianKernel.FromSize(4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("size");
        FluentActions.Invoking(() => SeparableGaussianBlur.BlurRgb24(new byte[10], new byte[12], 2, 2, GaussianKernel.Create(1)))
            .Should().Throw<ArgumentException>().WithParameterName("source");
        FluentActions.Invoking(() => SeparableGaussianBlur.BlurRgb24(new byte[12], new byte[12], 2, 2, null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("kernel");
    }
}
