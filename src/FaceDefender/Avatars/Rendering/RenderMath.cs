using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FaceDefender.Avatars.Rendering;

/// <summary>Small scalar helpers shared by the procedural renderer.</summary>
internal static class RenderMath
{
    private static readonly byte[] LinearToSrgbLut = BuildLinearToSrgb();
    // The byte table with 3 bytes of padding, so a 32-bit gather at any entry stays inside it (16 KB: fits the L1 cache).
    private static readonly byte[] LinearToSrgbLutPadded = [.. LinearToSrgbLut, 0, 0, 0];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Saturate(float x) => x < 0f ? 0f : x > 1f ? 1f : x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Smoothstep(float edge0, float edge1, float x)
    {
        float t = Saturate((x - edge0) / (edge1 - edge0));
        return t * t * (3f - 2f * t);
    }

    /// <summary>
    /// <see cref="Saturate"/> without branches (the processor's min/max); for shading, where a NaN
    /// or the sign of a zero does not matter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SaturateFast(float x) => float.MinNative(float.MaxNative(x, 0f), 1f);

    /// <summary>
    /// <see cref="Smoothstep"/> for shading: multiplies by the reciprocal of the edge distance (a
    /// constant folded by the JIT when the edges are constants) and clamps without branches. Equal
    /// to <see cref="Smoothstep"/> to within a few units in the last place. Geometry keeps
    /// <see cref="Smoothstep"/>, so the exact landmarks do not depend on this.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SmoothstepFast(float edge0, float edge1, float x)
    {
        float t = SaturateFast((x - edge0) * (1f / (edge1 - edge0)));
        return t * t * (3f - 2f * t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Lerp(float a, float b, float t) => a + (b - a) * t;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector3 Lerp(Vector3 a, Vector3 b, float t) => a + (b - a) * t;

    private const float ExpRange = 16f;
    private const int ExpSize = 2048;
    private static readonly float[] ExpNegLut = BuildExpNeg();

    /// <summary>exp(-x) for x &gt;= 0 from a table with linear interpolation (absolute error below 1e-5); 0 beyond 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gauss(float dx, float dy, float sx, float sy) =>
        ExpNeg(0.5f * ((dx * dx) / (sx * sx) + (dy * dy) / (sy * sy)));

    /// <summary>x^p for x in 0..1 and p &gt; 0, via exp(p ln x) on the table (specular lobes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float PowUnit(float x, float p) => x <= 0f ? 0f : x >= 1f ? 1f : ExpNeg(-p * LnUnit(x));

    private const int LnSize = 4096;
    private static readonly float[] LnLut = BuildLn();

    /// <summary>
    /// ln(x) for x in (0, 1) from a table with linear interpolation: absolute error below 2e-7 for
    /// x above 0.25, 3e-6 above 0.05 and 5e-4 above 1/256 (where x^p is already negligible for the
    /// lobes here); MathF.Log below that.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float LnUnit(float x)
    {
        if (x < 1f / 256f)
        {
            return MathF.Log(x);
        }

        float f = x * LnSize;
        int i = (int)f;
        float t = f - i;
        ref float l = ref MemoryMarshal.GetArrayDataReference(LnLut);
        float a = Unsafe.Add(ref l, i);
        return a + (Unsafe.Add(ref l, i + 1) - a) * t;
    }

    private static float[] BuildLn()
    {
        var lut = new float[LnSize + 1];
        lut[0] = float.NegativeInfinity; // never read: x >= 1/256 uses entries 16 and up
        for (int i = 1; i < lut.Length; i++)
        {
            lut[i] = (float)Math.Log(i / (double)LnSize);
        }

        return lut;
    }

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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ToSrgbByte(float linear)
    {
        int i = (int)(linear * ((LutSize - 1) / LutMax) + 0.5f);
        return LinearToSrgbLut[i < 0 ? 0 : i >= LutSize ? LutSize - 1 : i];
    }

    /// <summary>
    /// <see cref="ToSrgbByte"/> of 24 consecutive floats (8 RGB pixels) into 24 bytes; the table
    /// indices are computed 8 at a time with the same arithmetic, so the bytes are identical.
    /// </summary>
    public static unsafe void ToSrgbBytes24(ref float src, ref byte dst)
    {
        if (!Avx2.IsSupported)
        {
            for (int k = 0; k < 24; k++)
            {
                Unsafe.Add(ref dst, k) = ToSrgbByte(Unsafe.Add(ref src, k));
            }

            return;
        }

        // Table indices 8 at a time, the table read by three gathers of 32 bits at byte offsets (the
        // low byte is the entry), and the 24 results narrowed to bytes in order.
        Vector256<float> scale = Vector256.Create((LutSize - 1) / LutMax), half = Vector256.Create(0.5f);
        Vector256<int> zero = Vector256<int>.Zero, top = Vector256.Create(LutSize - 1);
        Vector256<int> i0 = Vector256.ConvertToInt32((Vector256.LoadUnsafe(ref src) * scale) + half);
        Vector256<int> i1 = Vector256.ConvertToInt32((Vector256.LoadUnsafe(ref src, 8) * scale) + half);
        Vector256<int> i2 = Vector256.ConvertToInt32((Vector256.LoadUnsafe(ref src, 16) * scale) + half);
        i0 = Vector256.Min(Vector256.Max(i0, zero), top);
        i1 = Vector256.Min(Vector256.Max(i1, zero), top);
        i2 = Vector256.Min(Vector256.Max(i2, zero), top);
        fixed (byte* lut = LinearToSrgbLutPadded)
        {
            Vector256<int> low = Vector256.Create(0xFF);
            Vector256<int> g0 = Avx2.GatherVector256((int*)lut, i0, 1) & low;
            Vector256<int> g1 = Avx2.GatherVector256((int*)lut, i1, 1) & low;
            Vector256<int> g2 = Avx2.GatherVector256((int*)lut, i2, 1) & low;
            Vector256<byte> bytes = Vector256.Narrow(Vector256.Narrow(g0, g1), Vector256.Narrow(g2, zero)).AsByte();
            bytes.GetLower().StoreUnsafe(ref dst);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, 16), bytes.AsUInt64().GetElement(2));
        }
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    /// <summary>
    /// Squared distance from <paramref name="p"/> to segment ab and the parameter (0..1) of the
    /// nearest point; the square root of it is exactly <see cref="SegmentDistance"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SegmentDistanceSquared(Vector2 p, Vector2 a, Vector2 b, out float t)
    {
        Vector2 ab = b - a;
        float len2 = Vector2.Dot(ab, ab);
        t = len2 > 0f ? Saturate(Vector2.Dot(p - a, ab) / len2) : 0f;
        return Vector2.DistanceSquared(p, a + ab * t);
    }

    /// <summary>Distance from a point to a polygon's boundary (closed).</summary>
    public static float PolygonEdgeDistance(ReadOnlySpan<Vector2> poly, Vector2 p)
    {
        // The square root is monotonic: take it once, of the smallest squared distance.
        float best = float.MaxValue;
        for (int i = 0, j = poly.Length - 1; i < poly.Length; j = i++)
        {
            float d = SegmentDistanceSquared(p, poly[j], poly[i], out _);
            if (d < best)
            {
                best = d;
            }
        }

        return MathF.Sqrt(best);
    }
}
