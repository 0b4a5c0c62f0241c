using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FaceDefender.Avatars.Rendering;

/// <summary>
/// Smooth 2-D value noise from a fixed 256 x 256 lattice of random values (built once, same on
/// every run), sampled with smoothstep-weighted bilinear interpolation. Output in about -1..1.
/// </summary>
internal static class ValueNoise
{
    private const int Size = 256;
    private const int Mask = Size - 1;
    private static readonly float[] Lattice = BuildLattice();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sample(float x, float y)
    {
        float fx = MathF.Floor(x), fy = MathF.Floor(y);
        int ix = (int)fx & Mask, iy = (int)fy & Mask;
        float tx = x - fx, ty = y - fy;
        tx = tx * tx * (3f - 2f * tx);
        ty = ty * ty * (3f - 2f * ty);
        int ix1 = (ix + 1) & Mask, iy1 = (iy + 1) & Mask;
        // The indices are masked to the lattice: read without bounds checks.
        ref float l = ref MemoryMarshal.GetArrayDataReference(Lattice);
        float a = Unsafe.Add(ref l, (iy << 8) | ix), b = Unsafe.Add(ref l, (iy << 8) | ix1);
        float c = Unsafe.Add(ref l, (iy1 << 8) | ix), d = Unsafe.Add(ref l, (iy1 << 8) | ix1);
        float top = a + (b - a) * tx;
        float bottom = c + (d - c) * tx;
        return top + (bottom - top) * ty;
    }

    /// <summary>
    /// <see cref="Sample"/> at 8 points: the same arithmetic, the four lattice values read by AVX2
    /// gathers (callers check <see cref="Avx2.IsSupported"/>).
    /// </summary>
    public static unsafe Vector256<float> Sample8(Vector256<float> x, Vector256<float> y)
    {
        Vector256<float> fx = Vector256.Floor(x), fy = Vector256.Floor(y);
        Vector256<int> mask = Vector256.Create(Mask);
        Vector256<int> ix = Vector256.ConvertToInt32(fx) & mask, iy = Vector256.ConvertToInt32(fy) & mask;
        Vector256<float> tx = x - fx, ty = y - fy;
        Vector256<float> three = Vector256.Create(3f), two = Vector256.Create(2f);
        tx = tx * tx * (three - (two * tx));
        ty = ty * ty * (three - (two * ty));
        Vector256<int> ix1 = (ix + Vector256<int>.One) & mask;
        Vector256<int> row0 = Vector256.ShiftLeft(iy, 8), row1 = Vector256.ShiftLeft((iy + Vector256<int>.One) & mask, 8);
        fixed (float* l = Lattice)
        {
            Vector256<float> a = Avx2.GatherVector256(l, row0 | ix, 4), b = Avx2.GatherVector256(l, row0 | ix1, 4);
            Vector256<float> c = Avx2.GatherVector256(l, row1 | ix, 4), d = Avx2.GatherVector256(l, row1 | ix1, 4);
            Vector256<float> top = a + ((b - a) * tx);
            Vector256<float> bottom = c + ((d - c) * tx);
            return top + ((bottom - top) * ty);
        }
    }

    /// <summary>Sum of <paramref name="octaves"/> octaves, each twice the frequency and half the amplitude.</summary>
    public static float Fractal(float x, float y, int octaves)
    {
        float sum = 0f, amp = 0.5f, norm = 0f;
        for (int i = 0; i < octaves; i++)
        {
            sum += amp * Sample(x, y);
            norm += amp;
            x = x * 2.03f + 17.1f;
            y = y * 2.03f + 5.3f;
            amp *= 0.5f;
        }

        return sum / norm;
    }

    private static float[] BuildLattice()
    {
        var rng = new SeededRandom(0x5EEDF00DUL);
        var values = new float[Size * Size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextFloat() * 2f - 1f;
        }

        return values;
    }
}
