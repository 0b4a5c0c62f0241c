using System.Numerics;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Avatars;

/// <summary>
/// The skin colour of a face as a photo shows it: the per-channel median of two cheek patches just below the eyes
/// (around mesh points 50 and 280, a square of 10 % of the inter-pupil distance each), the same place the skin-tone class
/// is read. It carries the photo's light and white balance, which is what an avatar drawn to match it should share.
/// </summary>
public static class SkinColor
{
    /// <summary>The lightness range (CIE L*) an avatar's skin is drawn within: 22-88.</summary>
    public const float MinLightness = 22f, MaxLightness = 88f;

    /// <summary>The hue angle range (CIE LCh h°, from a* towards b*) an avatar's skin is drawn within: 25-80°, red-orange
    /// to yellow, the span of human skin under light from warm to cool white.</summary>
    public const float MinHueDegrees = 25f, MaxHueDegrees = 80f;

    /// <summary>The largest chroma (CIE C*) of an avatar's skin: 40.</summary>
    public const float MaxChroma = 40f;

    /// <summary>
    /// Measures the skin colour below the eyes.
    /// </summary>
    /// <returns>The median colour, or null when fewer than 9 pixels of the patches lie inside the photo.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Rgb24? Measure(Image<Rgb24> photo, FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(landmarks);
        var r = new List<byte>();
        var g = new List<byte>();
        var b = new List<byte>();
        ForEachCheekPixel(photo, landmarks, p =>
        {
            r.Add(p.R);
            g.Add(p.G);
            b.Add(p.B);
        });

        return r.Count < 9 ? null : new Rgb24(Median(r), Median(g), Median(b));
    }

    /// <summary>Visits the pixels of the two cheek squares inside the photo (around mesh points 50 and 280, half-side 5 % of the
    /// inter-pupil distance, at least 2 px); the skin-tone class is read from the same pixels.</summary>
    internal static void ForEachCheekPixel(Image<Rgb24> photo, FaceLandmarks landmarks, Action<Rgb24> visit)
    {
        int radius = Math.Max(2, (int)(0.05f * landmarks.InterPupillaryDistance));
        foreach (Vector2 c in new[] { landmarks[50], landmarks[280] })
        {
            if (!float.IsFinite(c.X) || !float.IsFinite(c.Y))
            {
                continue;
            }

            for (int y = (int)c.Y - radius; y <= (int)c.Y + radius; y++)
            {
                for (int x = (int)c.X - radius; x <= (int)c.X + radius; x++)
                {
                    if ((uint)x < (uint)photo.Width && (uint)y < (uint)photo.Height)
                    {
                        visit(photo[x, y]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The colour moved into the skin range: lightness clamped to <see cref="MinLightness"/>-<see cref="MaxLightness"/>, hue to
    /// <see cref="MinHueDegrees"/>-<see cref="MaxHueDegrees"/> and chroma to at most <see cref="MaxChroma"/>, at least 6; a
    /// colour already in range is returned unchanged (within rounding).
    /// </summary>
    public static Rgb24 Clamp(Rgb24 color)
    {
        (float l, float a, float bb) = ToLab(color);
        float chroma = MathF.Sqrt((a * a) + (bb * bb));
        float hue = MathF.Atan2(bb, a) * 180f / MathF.PI;
        float h = Math.Clamp(hue, MinHueDegrees, MaxHueDegrees) * MathF.PI / 180f;
        float c = Math.Clamp(chroma, 6f, MaxChroma);
        return FromLab(Math.Clamp(l, MinLightness, MaxLightness), c * MathF.Cos(h), c * MathF.Sin(h));
    }

    private static byte Median(List<byte> v)
    {
        v.Sort();
        return v[v.Count / 2];
    }

    private static float ToLinear(float c) => c <= 0.04045f ? c / 12.92f : MathF.Pow((c + 0.055f) / 1.055f, 2.4f);

    private static float ToGamma(float c) => c <= 0.0031308f ? 12.92f * c : (1.055f * MathF.Pow(c, 1f / 2.4f)) - 0.055f;

    // D65 white, sRGB primaries.
    private const float Xn = 0.95047f, Yn = 1f, Zn = 1.08883f;

    internal static (float L, float A, float B) ToLab(Rgb24 p)
    {
        float r = ToLinear(p.R / 255f), g = ToLinear(p.G / 255f), b = ToLinear(p.B / 255f);
        float x = ((0.4124f * r) + (0.3576f * g) + (0.1805f * b)) / Xn;
        float y = ((0.2126f * r) + (0.7152f * g) + (0.0722f * b)) / Yn;
        float z = ((0.0193f * r) + (0.1192f * g) + (0.9505f * b)) / Zn;
        static float F(float t) => t > 0.008856f ? MathF.Cbrt(t) : (7.787f * t) + (16f / 116f);
        float fx = F(x), fy = F(y), fz = F(z);
        return ((116f * fy) - 16f, 500f * (fx - fy), 200f * (fy - fz));
    }

    internal static Rgb24 FromLab(float l, float a, float b)
    {
        float fy = (l + 16f) / 116f, fx = fy + (a / 500f), fz = fy - (b / 200f);
        static float G(float t) => t > 0.206893f ? t * t * t : (t - (16f / 116f)) / 7.787f;
        float x = G(fx) * Xn, y = G(fy) * Yn, z = G(fz) * Zn;
        float r = (3.2406f * x) - (1.5372f * y) - (0.4986f * z);
        float g = (-0.9689f * x) + (1.8758f * y) + (0.0415f * z);
        float bl = (0.0557f * x) - (0.2040f * y) + (1.0570f * z);
        static byte B(float c) => (byte)Math.Clamp(MathF.Round(ToGamma(Math.Clamp(c, 0f, 1f)) * 255f), 0f, 255f);
        return new Rgb24(B(r), B(g), B(bl));
    }
}
