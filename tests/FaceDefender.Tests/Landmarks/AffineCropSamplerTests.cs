using System.Numerics;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Landmarks;

/// <summary>The crop-to-tensor sampler against a direct scalar reference and analytic cases.</summary>
public sealed class AffineCropSamplerTests
{
    private static Image<Rgb24> RandomImage(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }
        }

        return image;
    }

    private static float[] Run(Image<Rgb24> image, Matrix3x2 map, int size, float scale, float offset, int supersample)
    {
        var result = new float[size * size * 3];
        AffineCropSampler.Sample(AffineCropSampler.Pixels(image).Span, image.Width, image.Height, map, size, scale, offset, supersample, result);
        return result;
    }

    // Direct definition: mean over supersample^2 sub-positions of the bilinear value (black outside)
    // at Vector2.Transform(q, map) - (0.5, 0.5).
    private static float[] Reference(Image<Rgb24> image, Matrix3x2 map, int size, float scale, float offset, int n)
    {
        var result = new float[size * size * 3];
        for (int v = 0; v < size; v++)
        {
            for (int u = 0; u < size; u++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double sum = 0;
                    for (int sy = 0; sy < n; sy++)
                    {
                        for (int sx = 0; sx < n; sx++)
                        {
                            Vector2 p = Vector2.Transform(new Vector2(u + ((sx + 0.5f) / n), v + ((sy + 0.5f) / n)), map) - new Vector2(0.5f);
                            int x0 = (int)Math.Floor(p.X), y0 = (int)Math.Floor(p.Y);
                            double fx = p.X - x0, fy = p.Y - y0;
                            sum += (Channel(image, x0, y0, c) * (1 - fx) * (1 - fy)) + (Channel(image, x0 + 1, y0, c) * fx * (1 - fy))
                                + (Channel(image, x0, y0 + 1, c) * (1 - fx) * fy) + (Channel(image, x0 + 1, y0 + 1, c) * fx * fy);
                        }
                    }

                    result[(((v * size) + u) * 3) + c] = (float)((sum / (n * n) / 255 * scale) + offset);
                }
            }
        }

        return result;
    }

    private static double Channel(Image<Rgb24> image, int x, int y, int c)
    {
        if (x < 0 || y < 0 || x >= image.Width || y >= image.Height)
        {
            return 0;
        }

        Rgb24 p = image[x, y];
        return c == 0 ? p.R : c == 1 ? p.G : p.B;
    }

    [Fact]
    public void IdentityMapReproducesThePixels()
    {
        using Image<Rgb24> image = RandomImage(17, 17, 1);
        float[] result = Run(image, Matrix3x2.Identity, 17, 1f, 0f, 1);
        for (int y = 0; y < 17; y++)
        {
            for (int x = 0; x < 17; x++)
            {
                result[((y * 17) + x) * 3].Should().BeApproximately(image[x, y].R / 255f, 1e-6f);
                result[(((y * 17) + x) * 3) + 2].Should().BeApproximately(image[x, y].B / 255f, 1e-6f);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void RotatedScaledCropMatchesTheDirectDefinition(int supersample)
    {
        // Odd size, a crop that runs past the image's edges, rotation and non-uniform scale.
        using Image<Rgb24> image = RandomImage(37, 29, 2);
        Matrix3x2 map = Matrix3x2.CreateTranslation(-11.5f, -11.5f) * Matrix3x2.CreateScale(1.7f, -1.3f)
            * Matrix3x2.CreateRotation(0.61f) * Matrix3x2.CreateTranslation(20.3f, 13.9f);
        float[] fast = Run(image, map, 23, 2f, -1f, supersample);
        float[] reference = Reference(image, map, 23, 2f, -1f, supersample);
        for (int i = 0; i < fast.Length; i++)
        {
            fast[i].Should().BeApproximately(reference[i], 2e-4f, $"element {i}");
        }

        fast.Should().Contain(v => v == -1f, "part of the crop lies outside the image and reads black");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void InteriorShrinkingCropMatchesTheDirectDefinition(int supersample)
    {
        // A rotated crop inside a larger image, shrinking about 3.3x: with AVX2 most groups of eight output pixels
        // take the vector path, the groups near the image's bottom-right corner the scalar one.
        using Image<Rgb24> image = RandomImage(211, 197, 5);
        Matrix3x2 map = Matrix3x2.CreateTranslation(-20, -20) * Matrix3x2.CreateScale(3.3f, 3.1f)
            * Matrix3x2.CreateRotation(-0.27f) * Matrix3x2.CreateTranslation(112.7f, 101.2f);
        float[] fast = Run(image, map, 40, 1f, 0f, supersample);
        float[] reference = Reference(image, map, 40, 1f, 0f, supersample);
        for (int i = 0; i < fast.Length; i++)
        {
            fast[i].Should().BeApproximately(reference[i], 2e-4f, $"element {i}");
        }
    }

    [Fact]
    public void CropTouchingTheLastPixelMatchesTheDirectDefinition()
    {
        // Identity-like map shifted so samples fall between the last two rows and columns: the vector path must not
        // read past the pixel buffer (the scalar path takes over there).
        using Image<Rgb24> image = RandomImage(24, 9, 6);
        Matrix3x2 map = Matrix3x2.CreateTranslation(0.25f, 0.4f);
        float[] fast = Run(image, map, 24, 1f, 0f, 2);
        float[] reference = Reference(image, map, 24, 1f, 0f, 2);
        for (int i = 0; i < fast.Length; i++)
        {
            fast[i].Should().BeApproximately(reference[i], 2e-4f, $"element {i}");
        }
    }

    [Fact]
    public void FlippedTensorEqualsTheMirroredCrop()
    {
        using Image<Rgb24> image = RandomImage(40, 40, 3);
        Matrix3x2 crop = Matrix3x2.CreateTranslation(-8, -8) * Matrix3x2.CreateScale(1.9f) * Matrix3x2.CreateRotation(0.3f) * Matrix3x2.CreateTranslation(20, 21);
        Matrix3x2 mirrored = Matrix3x2.CreateTranslation(-8, -8) * Matrix3x2.CreateScale(-1.9f, 1.9f) * Matrix3x2.CreateRotation(0.3f) * Matrix3x2.CreateTranslation(20, 21);
        float[] a = Run(image, crop, 16, 1f, 0f, 2);
        float[] b = Run(image, mirrored, 16, 1f, 0f, 2);
        var flipped = new float[a.Length];
        AffineCropSampler.FlipHorizontally(a, flipped, 16);
        for (int i = 0; i < a.Length; i++)
        {
            flipped[i].Should().BeApproximately(b[i], 1e-4f);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void BoxDownscaleOfAWideImageMatchesTheDirectDefinition(int factor)
    {
        // Rows of 203 pixels (609 bytes): the SIMD column sums cover whole 32-byte blocks, the rest is scalar.
        using Image<Rgb24> image = RandomImage(203, 23, 7 + factor);
        (Rgb24[] pixels, int w, int h) = AffineCropSampler.BoxDownscale(AffineCropSampler.Pixels(image).Span, 203, 23, factor);
        w.Should().Be((203 + factor - 1) / factor);
        h.Should().Be((23 + factor - 1) / factor);
        for (int j = 0; j < h; j++)
        {
            for (int i = 0; i < w; i++)
            {
                double r = 0, g = 0, b = 0;
                int count = 0;
                for (int y = j * factor; y < Math.Min(23, (j + 1) * factor); y++)
                {
                    for (int x = i * factor; x < Math.Min(203, (i + 1) * factor); x++)
                    {
                        r += image[x, y].R;
                        g += image[x, y].G;
                        b += image[x, y].B;
                        count++;
                    }
                }

                Rgb24 p = pixels[(j * w) + i];
                p.R.Should().Be((byte)Math.Floor((r / count) + 0.5), $"pixel ({i}, {j})");
                p.G.Should().Be((byte)Math.Floor((g / count) + 0.5), $"pixel ({i}, {j})");
                p.B.Should().Be((byte)Math.Floor((b / count) + 0.5), $"pixel ({i}, {j})");
            }
        }
    }

    [Fact]
    public void BoxDownscaleAveragesBlocksAndClipsEdges()
    {
        using Image<Rgb24> image = RandomImage(7, 5, 4);
        (Rgb24[] pixels, int w, int h) = AffineCropSampler.BoxDownscale(AffineCropSampler.Pixels(image).Span, 7, 5, 3);
        w.Should().Be(3);
        h.Should().Be(2);

        // Bottom-right working pixel covers source x 6..6, y 3..4 only.
        double expected = (image[6, 3].G + image[6, 4].G) / 2.0;
        pixels[(1 * 3) + 2].G.Should().Be((byte)Math.Floor(expected + 0.5));
        double first = 0;
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 3; x++)
            {
                first += image[x, y].R;
            }
        }

        pixels[0].R.Should().Be((byte)Math.Floor((first / 9) + 0.5));
    }
}
