using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Imaging;

/// <summary>Deterministic test images and fixture access for the kernel tests.</summary>
internal static class TestImages
{
    public static string FixturePath(params string[] parts)
        => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    /// <summary>Loads a portrait as contiguous RGB bytes.</summary>
    public static (byte[] Pixels, int Width, int Height) LoadRgb(string relative)
    {
        using var image = Image.Load<Rgb24>(FixturePath(relative.Split('/')));
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(MemoryMarshal.Cast<byte, Rgb24>(bytes.AsSpan()));
        return (bytes, image.Width, image.Height);
    }

    public static byte[] Random(int width, int height, int channels, int seed)
    {
        var rng = new Random(seed);
        var b = new byte[width * height * channels];
        rng.NextBytes(b);
        return b;
    }

    public static float[] RandomFloats(int count, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var f = new float[count];
        for (int i = 0; i < count; i++)
        {
            f[i] = (float)rng.NextDouble() * scale;
        }

        return f;
    }

    /// <summary>A smooth, textured synthetic RGB image (sums of sinusoids), values well inside 0..255.</summary>
    public static byte[] Smooth(int width, int height, int seed)
    {
        var rng = new Random(seed);
        double[] f = [rng.NextDouble() * 0.05, rng.NextDouble() * 0.05, rng.NextDouble() * 0.05];
        var b = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double v = 128 + (60 * Math.Sin((x * f[c]) + (c * 1.3))) + (50 * Math.Cos((y * f[(c + 1) % 3]) - c));
                    b[(((y * width) + x) * 3) + c] = (byte)Math.Clamp(Math.Round(v), 0, 255);
                }
            }
        }

        return b;
    }

    public static int MaxAbsDiff(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        a.Length.Should().Be(b.Length);
        int m = 0;
        for (int i = 0; i < a.Length; i++)
        {
            m = Math.Max(m, Math.Abs(a[i] - b[i]));
        }

        return m;
    }
}
