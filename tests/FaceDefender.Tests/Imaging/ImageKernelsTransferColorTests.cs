using FaceDefender.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Imaging;

/// <summary>
/// <see cref="ImageKernels.TransferColor"/>, the image-level colour transfer, against a plain double-precision reference
/// written from its documented formula (corrected = warped · G(reference) / G(warped) per channel, G an exact Gaussian with
/// radius ceil(3σ) and reflect-101 borders, a denominator ≤ 1 raised by 128, rounded half up and clamped), and on bad input.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class ImageKernelsTransferColorTests
{
    private const int W = 40, H = 30;

    private static Image<Rgb24> Random(int seed, int low, int high)
    {
        var rng = new Random(seed);
        var image = new Image<Rgb24>(W, H);
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                // A smooth ramp plus noise, so the blurred ratio varies across the image.
                int Value(int c) => Math.Clamp(low + (((high - low) * ((x * (c + 1)) + (2 * y))) / ((W * 3) + (2 * H))) + rng.Next(-20, 21), 0, 255);
                image[x, y] = new Rgb24((byte)Value(0), (byte)Value(1), (byte)Value(2));
            }
        }

        return image;
    }

    private static double[,,] ReferenceBlur(Image<Rgb24> image, float sigma)
    {
        int r = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var w = new double[(2 * r) + 1];
        for (int i = -r; i <= r; i++)
        {
            w[i + r] = Math.Exp(-(i * (double)i) / (2.0 * sigma * sigma));
        }

        double sum = w.Sum();
        int Reflect(int i, int n) => i < 0 ? -i : i >= n ? (2 * (n - 1)) - i : i;
        var rows = new double[H, W, 3];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                for (int k = -r; k <= r; k++)
                {
                    Rgb24 p = image[Reflect(x + k, W), y];
                    rows[y, x, 0] += w[k + r] / sum * p.R;
                    rows[y, x, 1] += w[k + r] / sum * p.G;
                    rows[y, x, 2] += w[k + r] / sum * p.B;
                }
            }
        }

        var result = new double[H, W, 3];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    for (int k = -r; k <= r; k++)
                    {
                        result[y, x, c] += w[k + r] / sum * rows[Reflect(y + k, H), x, c];
                    }
                }
            }
        }

        return result;
    }

    private static byte Expected(Image<Rgb24> warped, double[,,] gRef, double[,,] gWarp, int x, int y, int c)
    {
        Rgb24 p = warped[x, y];
        double v = c == 0 ? p.R : c == 1 ? p.G : p.B;
        double d = gWarp[y, x, c] <= 1 ? gWarp[y, x, c] + 128 : gWarp[y, x, c];
        return (byte)Math.Clamp(Math.Floor((v * gRef[y, x, c] / d) + 0.5), 0, 255);
    }

    private static byte Channel(Rgb24 p, int c) => c == 0 ? p.R : c == 1 ? p.G : p.B;

    [Theory]
    [InlineData(2f)]
    [InlineData(4.5f)]
    public void Exact_blur_matches_the_reference_formula_within_a_rounding(float sigma)
    {
        using Image<Rgb24> warped = Random(1, 30, 200);
        using Image<Rgb24> reference = Random(2, 80, 250);
        using Image<Rgb24> before = warped.Clone();
        using Image<Rgb24> result = ImageKernels.TransferColor(warped, reference, default, sigma, ColorTransferBlur.Exact);
        double[,,] gRef = ReferenceBlur(reference, sigma), gWarp = ReferenceBlur(warped, sigma);
        int off = 0, max = 0, changed = 0;
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int d = Math.Abs(Channel(result[x, y], c) - Expected(warped, gRef, gWarp, x, y, c));
                    max = Math.Max(max, d);
                    off += d > 0 ? 1 : 0;
                    changed += Channel(result[x, y], c) != Channel(warped[x, y], c) ? 1 : 0;
                }
            }
        }

        changed.Should().BeGreaterThan(W * H, "the reference is lighter: most values change");
        max.Should().BeLessThanOrEqualTo(1, "float blurs against double ones can only flip a rounding");
        off.Should().BeLessThanOrEqualTo(W * H * 3 / 100, "and only rarely");
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                warped[x, y].Should().Be(before[x, y], "the input is not modified");
            }
        }
    }

    [Fact]
    public void Outside_the_masks_bounding_box_the_result_is_the_warped_image()
    {
        using Image<Rgb24> warped = Random(3, 30, 200);
        using Image<Rgb24> reference = Random(4, 80, 250);
        var mask = new float[W * H];
        for (int y = 10; y < 20; y++)
        {
            for (int x = 12; x < 25; x++)
            {
                mask[(y * W) + x] = 0.5f;
            }
        }

        using Image<Rgb24> masked = ImageKernels.TransferColor(warped, reference, mask, 3f, ColorTransferBlur.Exact);
        using Image<Rgb24> full = ImageKernels.TransferColor(warped, reference, default, 3f, ColorTransferBlur.Exact);
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                bool inside = x is >= 12 and < 25 && y is >= 10 and < 20;
                masked[x, y].Should().Be(inside ? full[x, y] : warped[x, y], $"pixel ({x}, {y})");
            }
        }

        using Image<Rgb24> none = ImageKernels.TransferColor(warped, reference, new float[W * H], 3f);
        none[5, 5].Should().Be(warped[5, 5], "an all-zero mask changes nothing");
    }

    [Fact]
    public void Bad_input_fails_with_the_argument_named()
    {
        using var a = new Image<Rgb24>(W, H);
        using var b = new Image<Rgb24>(W, H);
        using var small = new Image<Rgb24>(W - 1, H);
        FluentActions.Invoking(() => ImageKernels.TransferColor(null!, b, default, 3f)).Should().Throw<ArgumentNullException>().WithParameterName("warped");
        FluentActions.Invoking(() => ImageKernels.TransferColor(a, null!, default, 3f)).Should().Throw<ArgumentNullException>().WithParameterName("reference");
        FluentActions.Invoking(() => ImageKernels.TransferColor(a, small, default, 3f)).Should().Throw<ArgumentException>().WithParameterName("reference").WithMessage("*differ in size*");
        FluentActions.Invoking(() => ImageKernels.TransferColor(a, b, new float[(W * H) - 1], 3f)).Should().Throw<ArgumentException>().WithParameterName("mask");
        foreach (float sigma in new[] { 0f, -1f, float.NaN, float.PositiveInfinity })
        {
            FluentActions.Invoking(() => ImageKernels.TransferColor(a, b, default, sigma)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sigma");
        }
    }
}
