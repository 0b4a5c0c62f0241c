using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
