using System.Numerics;

namespace FaceDefender.Avatars.Rendering;

/// <summary>Small scalar helpers shared by the procedural renderer.</summary>
internal static class RenderMath
{
    private static readonly byte[] LinearToSrgbLut = BuildLinearToSrgb();

    public static float Saturate(float x) => x < 0f ? 0f : x > 1f ? 1f : x;

    public static float Smoothstep(float edge0, float edge1, float x)
    {
        float t = Saturate((x - edge0) / (edge1 - edge0));
        return t * t * (3f - 2f * t);
    }

    public static float Lerp(float a, float b, float t) => a + (b - a) * t;

    public static Vector3 Lerp(Vector3 a, Vector3 b, float t) => a + (b - a) * t;

    private const float ExpRange = 16f;
    private const int ExpSize = 2048;
    private static readonly float[] ExpNegLut = BuildExpNeg();

    /// <summary>exp(-x) for x &gt;= 0 from a table with linear interpolation (absolute error below 1e-5); 0 beyond 16.</summary>
    public static float ExpNeg(float x)
    {
        if (!(x < ExpRange))
        {
            return 0f;
        }

        if (x <= 0f)
        {
            return 1f;
        }

        float f = x * ((ExpSize - 1) / ExpRange);
        int i = (int)f;
        float t = f - i;
        return ExpNegLut[i] + (ExpNegLut[i + 1] - ExpNegLut[i]) * t;
    }

    /// <summary>An axis-aligned Gaussian bump, 1 at its centre.</summary>
    public static float Gauss(float dx, float dy, float sx, float sy) =>
        ExpNeg(0.5f * ((dx * dx) / (sx * sx) + (dy * dy) / (sy * sy)));

    /// <summary>x^p for x in 0..1 and p &gt; 0, via exp(p ln x) on the table (specular lobes).</summary>
    public static float PowUnit(float x, float p) => x <= 0f ? 0f : x >= 1f ? 1f : ExpNeg(-p * MathF.Log(x));

    private static float[] BuildExpNeg()
    {
        var lut = new float[ExpSize + 1];
        for (int i = 0; i < lut.Length; i++)
        {
            lut[i] = MathF.Exp(-i * ExpRange / (ExpSize - 1));
        }

        return lut;
    }

    public static float SrgbToLinear(float c) =>
        c <= 0.04045f ? c / 12.92f : MathF.Pow((c + 0.055f) / 1.055f, 2.4f);

    /// <summary>An sRGB colour given as 0..255 components, converted to linear light.</summary>
    public static Vector3 Srgb(float r, float g, float b) =>
        new(SrgbToLinear(r / 255f), SrgbToLinear(g / 255f), SrgbToLinear(b / 255f));

    private const float LutMax = 4f;
    private const int LutSize = 16384;

    /// <summary>
    /// Linear light to an sRGB byte through a table that also applies a soft highlight shoulder
    /// (values above 0.6 roll off smoothly towards 1 instead of clipping).
    /// </summary>
    public static byte ToSrgbByte(float linear)
    {
        int i = (int)(linear * ((LutSize - 1) / LutMax) + 0.5f);
        return LinearToSrgbLut[i < 0 ? 0 : i >= LutSize ? LutSize - 1 : i];
    }

    private static byte[] BuildLinearToSrgb()
    {
        var lut = new byte[LutSize];
        for (int i = 0; i < lut.Length; i++)
        {
            float x = i * LutMax / (LutSize - 1);
            float c = x <= 0.6f ? x : 0.6f + 0.4f * (1f - MathF.Exp(-(x - 0.6f) / 0.4f));
            float s = c <= 0.0031308f ? 12.92f * c : 1.055f * MathF.Pow(c, 1f / 2.4f) - 0.055f;
            lut[i] = (byte)Math.Clamp((int)MathF.Round(s * 255f), 0, 255);
        }

        return lut;
    }

    /// <summary>Distance from <paramref name="p"/> to segment ab and the parameter (0..1) of the nearest point.</summary>
    public static float SegmentDistance(Vector2 p, Vector2 a, Vector2 b, out float t)
    {
        Vector2 ab = b - a;
        float len2 = Vector2.Dot(ab, ab);
        t = len2 > 0f ? Saturate(Vector2.Dot(p - a, ab) / len2) : 0f;
        return Vector2.Distance(p, a + ab * t);
    }

    /// <summary>Even-odd point-in-polygon test.</summary>
    public static bool InsidePolygon(ReadOnlySpan<Vector2> poly, float x, float y)
    {
        bool inside = false;
        for (int i = 0, j = poly.Length - 1; i < poly.Length; j = i++)
        {
            Vector2 a = poly[i], b = poly[j];
            if ((a.Y > y) != (b.Y > y) && x < (b.X - a.X) * (y - a.Y) / (b.Y - a.Y) + a.X)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>Distance from a point to a polygon's boundary (closed).</summary>
    public static float PolygonEdgeDistance(ReadOnlySpan<Vector2> poly, Vector2 p)
    {
        float best = float.MaxValue;
        for (int i = 0, j = poly.Length - 1; i < poly.Length; j = i++)
        {
            float d = SegmentDistance(p, poly[j], poly[i], out _);
            if (d < best)
            {
                best = d;
            }
        }

        return best;
    }
}
