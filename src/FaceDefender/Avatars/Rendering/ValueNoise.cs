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

    // The lattice with each row followed by a copy of its first value (rows of 257), so a value and its right
    // neighbour (wrapping at 255) are always adjacent: Sample8 reads them as one 64-bit pair.
    private static readonly float[] PairedLattice = BuildPaired();

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
    /// <see cref="Sample"/> at 8 points: the same arithmetic and lattice values (callers check
    /// <see cref="Avx2.IsSupported"/>). Each pair of horizontally adjacent lattice values is read as one 64-bit
    /// element, so 8 points take four 4-element gathers instead of four 8-element ones.
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
        Vector256<int> iy1 = (iy + Vector256<int>.One) & mask;
        Vector256<int> row = Vector256.Create(Size + 1);
        Vector256<int> k0 = (iy * row) + ix, k1 = (iy1 * row) + ix;
        fixed (float* l = PairedLattice)
        {
            (Vector256<float> a, Vector256<float> b) = Pairs((double*)l, k0);
            (Vector256<float> c, Vector256<float> d) = Pairs((double*)l, k1);
            Vector256<float> top = a + ((b - a) * tx);
            Vector256<float> bottom = c + ((d - c) * tx);
            return top + ((bottom - top) * ty);
        }
    }

    /// <summary>The values at float offsets <paramref name="k"/> and k + 1 of the paired lattice, for 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector256<float> Left, Vector256<float> Right) Pairs(double* l, Vector256<int> k)
    {
        // 64-bit gathers at byte offsets 4k: lanes 0-3 then 4-7, each element (left, right).
        Vector256<float> lo = Avx2.GatherVector256(l, k.GetLower(), 4).AsSingle(); // l0 r0 l1 r1 | l2 r2 l3 r3
        Vector256<float> hi = Avx2.GatherVector256(l, k.GetUpper(), 4).AsSingle(); // l4 r4 l5 r5 | l6 r6 l7 r7
        Vector256<float> left = Avx.Shuffle(lo, hi, 0b10_00_10_00);  // l0 l1 l4 l5 | l2 l3 l6 l7
        Vector256<float> right = Avx.Shuffle(lo, hi, 0b11_01_11_01); // r0 r1 r4 r5 | r2 r3 r6 r7
        return (Avx2.Permute4x64(left.AsDouble(), 0b11_01_10_00).AsSingle(), Avx2.Permute4x64(right.AsDouble(), 0b11_01_10_00).AsSingle());
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

    private static float[] BuildPaired()
    {
        var paired = new float[Size * (Size + 1)];
        for (int j = 0; j < Size; j++)
        {
            Array.Copy(Lattice, j * Size, paired, j * (Size + 1), Size);
            paired[(j * (Size + 1)) + Size] = Lattice[j * Size];
        }

        return paired;
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
