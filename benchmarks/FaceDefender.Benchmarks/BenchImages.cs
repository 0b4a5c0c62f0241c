using System.Numerics;
using FaceDefender.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Benchmarks;

/// <summary>Deterministic inputs: a textured synthetic RGB image and an eye-region-like feathered mask.</summary>
internal static class BenchImages
{
    public static byte[] Textured(int size, int seed)
    {
        var rng = new Random(seed);
        var b = new byte[size * size * 3];
        double f1 = 0.01 + (rng.NextDouble() * 0.03), f2 = 0.01 + (rng.NextDouble() * 0.03);
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double v = 128 + (60 * Math.Sin((x * f1) + c)) + (40 * Math.Cos((y * f2) - c)) + (rng.NextDouble() * 20);
                    b[(((y * size) + x) * 3) + c] = (byte)Math.Clamp(v, 0, 255);
                }
            }
        }

        return b;
    }

    public static Image<Rgb24> ToImage(byte[] rgb, int size) => Image.LoadPixelData<Rgb24>(rgb, size, size);

    /// <summary>Two feathered eye-region polygons at the canvas convention (eyes at about 0.38 and 0.62 of the width).</summary>
    public static float[] EyeMask(int size)
    {
        float s = size / 1024f;
        var mask = new float[size * size];
        foreach (float cx in new[] { 390f, 634f })
        {
            Vector2[] hull = ConvexHull.Compute([
                new((cx - 80) * s, 440 * s), new((cx + 80) * s, 440 * s), new((cx + 90) * s, 520 * s), new((cx - 90) * s, 520 * s)]);
            PolygonRasterizer.FillPolygon(hull, mask, size, size);
        }

        var feathered = new float[mask.Length];
        MaskOperations.Feather(mask, feathered, size, size, 1.1f * s);
        return feathered;
    }

    public static Matrix3x2 Rotation(int size)
        => Matrix3x2.CreateRotation(0.12f, new Vector2(size / 2f)) * Matrix3x2.CreateScale(1.07f, new Vector2(size / 2f)) * Matrix3x2.CreateTranslation(3.3f, -2.1f);
}
