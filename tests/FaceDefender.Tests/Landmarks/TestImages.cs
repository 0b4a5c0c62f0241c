using System.Numerics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Tests.Landmarks;

/// <summary>Test images and an exact, independent bilinear warp (continuous pixel coordinates).</summary>
internal static class TestImages
{
    public static Image<Rgb24> Portrait(string file) => Image.Load<Rgb24>(ModelFixture.FixturePath("faces", file));

    /// <summary>
    /// Resamples <paramref name="source"/> into a new width x height image: output pixel centre q maps to
    /// source position Vector2.Transform(q, outputToSource) (continuous coordinates, pixel (i, j)
    /// covering [i, i+1) x [j, j+1)); bilinear, with supersampling when shrinking; white outside.
    /// </summary>
    public static Image<Rgb24> Warp(Image<Rgb24> source, Matrix3x2 outputToSource, int width, int height)
    {
        var pixels = new Rgb24[source.Width * source.Height];
        source.CopyPixelDataTo(pixels);
        float shrink = MathF.Sqrt(MathF.Abs(outputToSource.GetDeterminant()));
        int n = Math.Max(1, (int)MathF.Ceiling(shrink - 0.01f));
        var result = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Vector3 sum = Vector3.Zero;
                for (int sy = 0; sy < n; sy++)
                {
                    for (int sx = 0; sx < n; sx++)
                    {
                        Vector2 p = Vector2.Transform(new Vector2(x + ((sx + 0.5f) / n), y + ((sy + 0.5f) / n)), outputToSource);
                        sum += Sample(pixels, source.Width, source.Height, p.X - 0.5f, p.Y - 0.5f);
                    }
                }

                sum /= n * n;
                result[x, y] = new Rgb24((byte)MathF.Round(sum.X), (byte)MathF.Round(sum.Y), (byte)MathF.Round(sum.Z));
            }
        }

        return result;
    }

    private static Vector3 Sample(Rgb24[] pixels, int w, int h, float x, float y)
    {
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        float fx = x - x0, fy = y - y0;
        return (Pixel(pixels, w, h, x0, y0) * (1 - fx) * (1 - fy)) + (Pixel(pixels, w, h, x0 + 1, y0) * fx * (1 - fy))
            + (Pixel(pixels, w, h, x0, y0 + 1) * (1 - fx) * fy) + (Pixel(pixels, w, h, x0 + 1, y0 + 1) * fx * fy);
    }

    private static Vector3 Pixel(Rgb24[] pixels, int w, int h, int x, int y)
    {
        if (x < 0 || y < 0 || x >= w || y >= h)
        {
            return new Vector3(255);
        }

        Rgb24 p = pixels[(y * w) + x];
        return new Vector3(p.R, p.G, p.B);
    }

    /// <summary>Rotation by <paramref name="degrees"/> about the image centre onto a canvas large enough to hold it. Returns the image and the map from its coordinates back to the source.</summary>
    public static (Image<Rgb24> Image, Matrix3x2 ToSource) Rotate(Image<Rgb24> source, float degrees)
    {
        float a = degrees * MathF.PI / 180;
        float c = MathF.Abs(MathF.Cos(a)), s = MathF.Abs(MathF.Sin(a));
        int w = (int)MathF.Ceiling((source.Width * c) + (source.Height * s));
        int h = (int)MathF.Ceiling((source.Width * s) + (source.Height * c));
        Matrix3x2 toSource = Matrix3x2.CreateTranslation(-w / 2f, -h / 2f) * Matrix3x2.CreateRotation(-a)
            * Matrix3x2.CreateTranslation(source.Width / 2f, source.Height / 2f);
        return (Warp(source, toSource, w, h), toSource);
    }

    /// <summary>
    /// Uniform scale with ImageSharp's bicubic resize (fast for the large cases; ImageSharp maps pixel
    /// centres to pixel centres, as the continuous convention here). Returns the image and the map
    /// from its coordinates back to the source.
    /// </summary>
    public static (Image<Rgb24> Image, Matrix3x2 ToSource) Scale(Image<Rgb24> source, float factor)
    {
        int w = (int)MathF.Round(source.Width * factor), h = (int)MathF.Round(source.Height * factor);
        Matrix3x2 toSource = Matrix3x2.CreateScale(source.Width / (float)w, source.Height / (float)h);
        return (source.Clone(x => x.Resize(w, h, KnownResamplers.Bicubic)), toSource);
    }
}
