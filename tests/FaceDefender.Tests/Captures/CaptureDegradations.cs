using System.Numerics;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Tests.Captures;

/// <summary>
/// The degradations of real captures, applied in code to the public-domain portraits and kit renders: downscale to a small
/// iris, Gaussian blur, sensor noise, JPEG, colour casts, side light, upscaling; and the hostile edits of the quality-gate
/// tests (eyes painted closed, bars over the eyes). Deterministic for a given seed.
/// </summary>
internal static class CaptureDegradations
{
    public static Image<Rgb24> Resize(Image<Rgb24> image, float factor) =>
        image.Clone(x => x.Resize(Math.Max(1, (int)MathF.Round(image.Width * factor)), Math.Max(1, (int)MathF.Round(image.Height * factor)), KnownResamplers.Bicubic));

    public static Image<Rgb24> Blur(Image<Rgb24> image, float sigma) => image.Clone(x => x.GaussianBlur(sigma));

    public static Image<Rgb24> Noise(Image<Rgb24> image, float sigma, int seed)
    {
        var rng = new Random(seed);
        Image<Rgb24> copy = image.Clone();
        copy.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24(Add(row[x].R, Gauss(rng) * sigma), Add(row[x].G, Gauss(rng) * sigma), Add(row[x].B, Gauss(rng) * sigma));
                }
            }
        });
        return copy;
    }

    public static Image<Rgb24> Jpeg(Image<Rgb24> image, int quality)
    {
        using var ms = new MemoryStream();
        image.SaveAsJpeg(ms, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = quality });
        ms.Position = 0;
        return Image.Load<Rgb24>(ms);
    }

    /// <summary>Multiplies the channels (a white-balance error) and adds a horizontal light ramp (side light: gain from 1 - side to 1 + side).</summary>
    public static Image<Rgb24> Light(Image<Rgb24> image, Vector3 cast, float side)
    {
        Image<Rgb24> copy = image.Clone();
        int w = copy.Width;
        copy.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    float g = 1 - side + (2 * side * x / Math.Max(1, w - 1));
                    row[x] = new Rgb24(Mul(row[x].R, cast.X * g), Mul(row[x].G, cast.Y * g), Mul(row[x].B, cast.Z * g));
                }
            }
        });
        return copy;
    }

    /// <summary>Paints an eye shut: the opening filled with the skin colour found below the lower lid, with a dark lash line across.</summary>
    public static void PaintEyeClosed(Image<Rgb24> image, EyeLandmarks eye)
    {
        Vector2[] contour = [.. eye.Contour];
        Vector2 centre = contour.Aggregate(Vector2.Zero, (a, p) => a + p) / contour.Length;
        float width = Vector2.Distance(eye.OuterCanthus, eye.InnerCanthus);
        Vector2 below = eye.LowerLidMidpoint + new Vector2(0, 0.35f * width);
        Rgb24 skin = MeanColour(image, below, Math.Max(1, (int)(0.08f * width)));
        Vector2[] grown = contour.Select(p => centre + ((p - centre) * 1.25f)).ToArray();
        var mask = new float[image.Width * image.Height];
        PolygonRasterizer.FillPolygon(grown, mask, image.Width, image.Height);
        var lash = new Rgb24((byte)(skin.R / 4), (byte)(skin.G / 4), (byte)(skin.B / 4));
        Vector2 mid = centre + new Vector2(0, 0.15f * width);
        float half = Math.Max(0.5f, 0.025f * width);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    var c = new Vector2(x + 0.5f, y + 0.5f);
                    if (MathF.Min(SegmentDistance(c, eye.OuterCanthus, mid), SegmentDistance(c, mid, eye.InnerCanthus)) <= half)
                    {
                        row[x] = lash;
                    }
                    else if (mask[(y * rows.Width) + x] >= 0.5f)
                    {
                        row[x] = skin;
                    }
                }
            }
        });
    }

    /// <summary>A black bar over both eyes, from beyond the outer canthi, half an eye width above and below the lids.</summary>
    public static void BlackBar(Image<Rgb24> image, FaceLandmarks face)
    {
        Vector2[] pts = [.. face.RightEye.Contour, .. face.LeftEye.Contour];
        float width = Vector2.Distance(face.RightEye.OuterCanthus, face.RightEye.InnerCanthus);
        float x0 = pts.Min(p => p.X) - (0.3f * width), x1 = pts.Max(p => p.X) + (0.3f * width);
        float y0 = pts.Min(p => p.Y) - (0.5f * width), y1 = pts.Max(p => p.Y) + (0.5f * width);
        image.ProcessPixelRows(rows =>
        {
            for (int y = Math.Max(0, (int)y0); y < Math.Min(rows.Height, (int)MathF.Ceiling(y1)); y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = Math.Max(0, (int)x0); x < Math.Min(row.Length, (int)MathF.Ceiling(x1)); x++)
                {
                    row[x] = new Rgb24(0, 0, 0);
                }
            }
        });
    }

    private static float SegmentDistance(Vector2 p, Vector2 a, Vector2 b)
    {
        Vector2 ab = b - a;
        float t = Math.Clamp(Vector2.Dot(p - a, ab) / MathF.Max(ab.LengthSquared(), 1e-6f), 0, 1);
        return Vector2.Distance(p, a + (t * ab));
    }

    private static Rgb24 MeanColour(Image<Rgb24> image, Vector2 c, int radius)
    {
        double r = 0, g = 0, b = 0;
        int n = 0;
        for (int y = (int)c.Y - radius; y <= (int)c.Y + radius; y++)
        {
            for (int x = (int)c.X - radius; x <= (int)c.X + radius; x++)
            {
                if ((uint)x < (uint)image.Width && (uint)y < (uint)image.Height)
                {
                    Rgb24 p = image[x, y];
                    r += p.R;
                    g += p.G;
                    b += p.B;
                    n++;
                }
            }
        }

        return n == 0 ? new Rgb24(128, 128, 128) : new Rgb24((byte)(r / n), (byte)(g / n), (byte)(b / n));
    }

    private static float Gauss(Random rng) => (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));

    private static byte Add(byte v, float d) => (byte)Math.Clamp(MathF.Round(v + d), 0, 255);

    private static byte Mul(byte v, float g) => (byte)Math.Clamp(MathF.Round(v * g), 0, 255);
}
