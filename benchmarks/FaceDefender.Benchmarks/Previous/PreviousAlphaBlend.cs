using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

using FaceDefender.Imaging;

namespace FaceDefender.Benchmarks.Previous;

// Frozen copy of the library kernel as it was at commit 03d7861 (before the session-2 speed work),
// kept only as a same-run baseline for the benchmarks. Not used by the library.

/// <summary>
/// Per-pixel alpha blending of two interleaved RGB images with a float mask:
/// out = background·(1 − m) + foreground·m, rounded half up and clamped to 0..255.
/// </summary>
/// <remarks>
/// Mask values are clamped to [0, 1] and NaN counts as 0, so the output never takes a foreground
/// pixel where the mask does not say so. Runs of 16 pixels whose mask is exactly 0 (or 1) are
/// copied from the background (or foreground) untouched, so outside the mask every output byte
/// equals the background byte exactly. Thread-safe.
/// </remarks>
internal static class PreviousAlphaBlend
{
    /// <summary>Blends <paramref name="foreground"/> over <paramref name="background"/> through <paramref name="mask"/>.</summary>
    /// <param name="background">Background pixels (for example the avatar), pixelCount x 3 bytes.</param>
    /// <param name="foreground">Foreground pixels (for example the corrected patient), pixelCount x 3 bytes.</param>
    /// <param name="mask">One value a pixel, pixelCount values.</param>
    /// <param name="destination">Output, pixelCount x 3 bytes; may be the background or the foreground buffer.</param>
    /// <exception cref="ArgumentException">Buffers of inconsistent sizes.</exception>
    public static void Blend(ReadOnlySpan<byte> background, ReadOnlySpan<byte> foreground, ReadOnlySpan<float> mask, Span<byte> destination)
        => BlendCore(background, foreground, mask, destination, allowSimd: true);

    internal static void BlendCore(ReadOnlySpan<byte> background, ReadOnlySpan<byte> foreground, ReadOnlySpan<float> mask, Span<byte> destination, bool allowSimd)
    {
        int n = mask.Length;
        if (background.Length != 3 * n || foreground.Length != 3 * n || destination.Length != 3 * n)
        {
            throw new ArgumentException(
                $"Blend needs 3 bytes a pixel in every image for the {n} mask values; got background {background.Length}, foreground {foreground.Length}, destination {destination.Length} bytes.",
                nameof(mask));
        }

        int i = 0;
        if (allowSimd && Avx2.IsSupported)
        {
            i = BlendAvx2(background, foreground, mask, destination);
        }

        for (; i < n; i++)
        {
            float m = mask[i];
            m = m > 0 ? (m < 1 ? m : 1) : 0;
            int o = i * 3;
            for (int c = 0; c < 3; c++)
            {
                float b = background[o + c];
                destination[o + c] = PreviousPixelConvert.RoundToByte(b + ((foreground[o + c] - b) * m));
            }
        }
    }

    private static int BlendAvx2(ReadOnlySpan<byte> bg, ReadOnlySpan<byte> fg, ReadOnlySpan<float> mask, Span<byte> dst)
    {
        Vector256<int> p0 = Vector256.Create(0, 0, 0, 1, 1, 1, 2, 2);
        Vector256<int> p1 = Vector256.Create(2, 3, 3, 3, 4, 4, 4, 5);
        Vector256<int> p2 = Vector256.Create(5, 5, 6, 6, 6, 7, 7, 7);
        Vector256<float> one = Vector256.Create(1f);
        Vector256<float> half = Vector256.Create(0.5f);
        Vector256<float> max = Vector256.Create(255f);
        Span<Vector256<float>> m = stackalloc Vector256<float>[6];
        int n = mask.Length;
        int i = 0;
        for (; i <= n - 16; i += 16)
        {
            Vector256<float> lo = Vector256.Create(mask.Slice(i));
            Vector256<float> hi = Vector256.Create(mask.Slice(i + 8));
            int o = i * 3;
            if (Vector256.EqualsAll(lo, Vector256<float>.Zero) && Vector256.EqualsAll(hi, Vector256<float>.Zero))
            {
                bg.Slice(o, 48).CopyTo(dst.Slice(o));
                continue;
            }

            if (Vector256.EqualsAll(lo, one) && Vector256.EqualsAll(hi, one))
            {
                fg.Slice(o, 48).CopyTo(dst.Slice(o));
                continue;
            }

            // Clamp to [0, 1]; MaxNumber-style: NaN compares false and becomes 0.
            lo = Avx.Min(Avx.Max(lo, Vector256<float>.Zero), one);
            hi = Avx.Min(Avx.Max(hi, Vector256<float>.Zero), one);
            m[0] = Avx2.PermuteVar8x32(lo, p0);
            m[1] = Avx2.PermuteVar8x32(lo, p1);
            m[2] = Avx2.PermuteVar8x32(lo, p2);
            m[3] = Avx2.PermuteVar8x32(hi, p0);
            m[4] = Avx2.PermuteVar8x32(hi, p1);
            m[5] = Avx2.PermuteVar8x32(hi, p2);

            for (int k = 0; k < 3; k++)
            {
                int ok = o + (16 * k);
                (Vector256<float> b0, Vector256<float> b1) = Load16(bg.Slice(ok, 16));
                (Vector256<float> f0, Vector256<float> f1) = Load16(fg.Slice(ok, 16));
                Vector256<float> r0 = Vector256.FusedMultiplyAdd(f0 - b0, m[2 * k], b0) + half;
                Vector256<float> r1 = Vector256.FusedMultiplyAdd(f1 - b1, m[(2 * k) + 1], b1) + half;
                Vector256<int> i0 = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(r0, Vector256<float>.Zero), max));
                Vector256<int> i1 = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(r1, Vector256<float>.Zero), max));
                Vector256<ushort> s = Vector256.Narrow(i0.AsUInt32(), i1.AsUInt32());
                Vector128.Narrow(s.GetLower(), s.GetUpper()).CopyTo(dst.Slice(ok));
            }
        }

        return i;
    }

    private static (Vector256<float>, Vector256<float>) Load16(ReadOnlySpan<byte> s)
    {
        (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.Create(s));
        (Vector256<uint> a0, Vector256<uint> a1) = Vector256.Widen(Vector256.Create(lo, hi));
        return (Vector256.ConvertToSingle(a0.AsInt32()), Vector256.ConvertToSingle(a1.AsInt32()));
    }
}
