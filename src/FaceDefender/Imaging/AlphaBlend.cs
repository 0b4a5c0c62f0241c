using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FaceDefender.Imaging;

/// <summary>
/// Per-pixel alpha blending of two interleaved RGB images with a float mask:
/// out = background·(1 − m) + foreground·m, rounded half up.
/// </summary>
/// <remarks>
/// <para>Mask values are clamped to [0, 1] (NaN counts as 0) and quantised to 1/16384: with q = ⌊16384·m + ½⌋,
/// out = ⌊b + (f − b)·q / 16384 + ½⌋, computed exactly in 16-bit integers (<c>vpmulhrsw</c>), so the result is
/// always between the two inputs and at most 0.51 from the exact blend (1/2 from the rounding, 255/32768 from the
/// quantisation). Where the mask is 0 the output is the background byte, where it is 1 the foreground byte.</para>
/// <para>16-pixel chunks whose mask is exactly 0 (or at least 1) are copied from the background (or foreground)
/// instead of blended, and not touched at all when the destination is that buffer; runs of them are scanned 64 pixels
/// a step, the background copied in the same pass. Thread-safe.</para>
/// </remarks>
internal static class AlphaBlend
{
    private const int MaskOne = 1 << 14;

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
            int q = Quantise(mask[i]);
            int o = i * 3;
            for (int c = 0; c < 3; c++)
            {
                int b = background[o + c];
                destination[o + c] = (byte)(b + ((2 * (foreground[o + c] - b) * q) + (1 << 14) >> 15));
            }
        }
    }

    /// <summary>The mask value clamped to [0, 1] (NaN as 0) in units of 1/16384, rounded half up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Quantise(float m)
    {
        m = m > 0 ? (m < 1 ? m : 1) : 0;
        return (int)((m * MaskOne) + 0.5f);
    }

    private static int BlendAvx2(ReadOnlySpan<byte> bg, ReadOnlySpan<byte> fg, ReadOnlySpan<float> mask, Span<byte> dst)
    {
        bool dstIsBg = Unsafe.AreSame(ref MemoryMarshal.GetReference(bg), ref MemoryMarshal.GetReference(dst));
        bool dstIsFg = Unsafe.AreSame(ref MemoryMarshal.GetReference(fg), ref MemoryMarshal.GetReference(dst));
        ref float m0 = ref MemoryMarshal.GetReference(mask);
        ref byte b0 = ref MemoryMarshal.GetReference(bg);
        ref byte f0 = ref MemoryMarshal.GetReference(fg);
        ref byte d0 = ref MemoryMarshal.GetReference(dst);
        int n = mask.Length;
        int i = 0;

        // The input is cut into 16-pixel chunks, each either all 0 (the background, copied in one run), all ≥ 1 (the
        // foreground, likewise) or blended. How a chunk is classified does not change the bytes: the blend gives
        // exactly the background for q = 0 and the foreground for q = 16384.
        while (i <= n - 16)
        {
            i = dstIsBg ? SkipZero(ref m0, i, n) : CopyZero(ref m0, ref b0, ref d0, i, n);
            int from = i;
            i = SkipOne(ref m0, i, n);
            if (i > from && !dstIsFg)
            {
                fg.Slice(from * 3, (i - from) * 3).CopyTo(dst.Slice(from * 3));
            }

            i = BlendChunks(ref m0, ref b0, ref f0, ref d0, i, n);
        }

        return i;
    }

    /// <summary>Whether the 64 mask values from <paramref name="m"/> on are all +0 (bit patterns OR-ed, so -0 and NaN count as set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllZero64(ref float m)
    {
        Vector256<uint> a = Vector256.LoadUnsafe(ref m).AsUInt32() | Vector256.LoadUnsafe(ref m, 8).AsUInt32();
        Vector256<uint> b = Vector256.LoadUnsafe(ref m, 16).AsUInt32() | Vector256.LoadUnsafe(ref m, 24).AsUInt32();
        Vector256<uint> c = Vector256.LoadUnsafe(ref m, 32).AsUInt32() | Vector256.LoadUnsafe(ref m, 40).AsUInt32();
        Vector256<uint> d = Vector256.LoadUnsafe(ref m, 48).AsUInt32() | Vector256.LoadUnsafe(ref m, 56).AsUInt32();
        return (a | b | c | d) == Vector256<uint>.Zero;
    }

    /// <summary>The first 16-pixel chunk from <paramref name="i"/> on whose mask is not all +0 (64 pixels a step while it is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // long loops entered a few times a call: skip tier 0 / OSR code
    private static int SkipZero(ref float m0, int i, int n)
    {
        for (; i <= n - 64; i += 64)
        {
            if (!AllZero64(ref Unsafe.Add(ref m0, i)))
            {
                break;
            }
        }

        for (; i <= n - 16; i += 16)
        {
            ref float m = ref Unsafe.Add(ref m0, i);
            if ((Vector256.LoadUnsafe(ref m).AsUInt32() | Vector256.LoadUnsafe(ref m, 8).AsUInt32()) != Vector256<uint>.Zero)
            {
                break;
            }
        }

        return i;
    }

    /// <summary>
    /// <see cref="SkipZero"/> that also copies the background of the chunks it passes to the destination, in the same
    /// pass over the mask (one read of each buffer instead of a scan followed by a bulk copy).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // long loops entered a few times a call: skip tier 0 / OSR code
    private static int CopyZero(ref float m0, ref byte b0, ref byte d0, int i, int n)
    {
        for (; i <= n - 64; i += 64)
        {
            if (!AllZero64(ref Unsafe.Add(ref m0, i)))
            {
                break;
            }

            ref byte s = ref Unsafe.Add(ref b0, i * 3);
            ref byte t = ref Unsafe.Add(ref d0, i * 3);
            Vector256.LoadUnsafe(ref s).StoreUnsafe(ref t);
            Vector256.LoadUnsafe(ref s, 32).StoreUnsafe(ref t, 32);
            Vector256.LoadUnsafe(ref s, 64).StoreUnsafe(ref t, 64);
            Vector256.LoadUnsafe(ref s, 96).StoreUnsafe(ref t, 96);
            Vector256.LoadUnsafe(ref s, 128).StoreUnsafe(ref t, 128);
            Vector256.LoadUnsafe(ref s, 160).StoreUnsafe(ref t, 160);
        }

        for (; i <= n - 16; i += 16)
        {
            ref float m = ref Unsafe.Add(ref m0, i);
            if ((Vector256.LoadUnsafe(ref m).AsUInt32() | Vector256.LoadUnsafe(ref m, 8).AsUInt32()) != Vector256<uint>.Zero)
            {
                break;
            }

            ref byte s = ref Unsafe.Add(ref b0, i * 3);
            ref byte t = ref Unsafe.Add(ref d0, i * 3);
            Vector256.LoadUnsafe(ref s).StoreUnsafe(ref t);
            Vector128.LoadUnsafe(ref s, 32).StoreUnsafe(ref t, 32);
        }

        return i;
    }

    /// <summary>The first 16-pixel chunk from <paramref name="i"/> on whose mask is not all ≥ 1 (64 pixels a step while it is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // long loops entered a few times a call: skip tier 0 / OSR code
    private static int SkipOne(ref float m0, int i, int n)
    {
        Vector256<float> one = Vector256.Create(1f);
        for (; i <= n - 64; i += 64)
        {
            ref float m = ref Unsafe.Add(ref m0, i);
            Vector256<float> a = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref m), one) & Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref m, 8), one);
            Vector256<float> b = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref m, 16), one) & Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref m, 24), one);
            Vector256<float> c = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref m, 32), one) & Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref m, 40), one);
            Vector256<float> d = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref m, 48), one) & Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref m, 56), one);
            if (Vector256.ExtractMostSignificantBits(a & b & c & d) != 0xFF)
            {
                break;
            }
        }

        for (; i <= n - 16; i += 16)
        {
            ref float m = ref Unsafe.Add(ref m0, i);
            if (Vector256.ExtractMostSignificantBits(Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref m), one) & Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref m, 8), one)) != 0xFF)
            {
                break;
            }
        }

        return i;
    }

    /// <summary>
    /// Blends 16-pixel chunks from <paramref name="i"/> on until a chunk whose mask is all +0 or all ≥ 1 (returned
    /// unblended) or fewer than 16 pixels remain. No calls inside, so the constants stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // long loops entered a few times a call: skip tier 0 / OSR code
    private static int BlendChunks(ref float m0, ref byte b0, ref byte f0, ref byte d0, int i, int n)
    {
        Vector256<float> one = Vector256.Create(1f);
        Vector256<float> scale = Vector256.Create((float)MaskOne);
        Vector256<float> half = Vector256.Create(0.5f);

        // Word shuffles that spread 8 mask values over the 3 bytes of each pixel (in-lane pshufb, byte pairs).
        Vector256<byte> spread0 = Vector256.Create((byte)0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3, 4, 5, 4, 5, 4, 5, 6, 7, 6, 7, 6, 7, 8, 9, 8, 9, 8, 9, 10, 11);
        Vector256<byte> spread1 = Vector256.Create((byte)10, 11, 10, 11, 12, 13, 12, 13, 12, 13, 14, 15, 14, 15, 14, 15, 0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3, 4, 5, 4, 5);
        Vector256<byte> spread2 = Vector256.Create((byte)4, 5, 6, 7, 6, 7, 6, 7, 8, 9, 8, 9, 8, 9, 10, 11, 10, 11, 10, 11, 12, 13, 12, 13, 12, 13, 14, 15, 14, 15, 14, 15);
        for (; i <= n - 16; i += 16)
        {
            Vector256<float> lo = Vector256.LoadUnsafe(ref m0, (nuint)i);
            Vector256<float> hi = Vector256.LoadUnsafe(ref m0, (nuint)i + 8);
            if ((lo.AsUInt32() | hi.AsUInt32()) == Vector256<uint>.Zero
                || Vector256.ExtractMostSignificantBits(Vector256.GreaterThanOrEqual(lo, one) & Vector256.GreaterThanOrEqual(hi, one)) == 0xFF)
            {
                break;
            }

            // q = ⌊16384·min(m, 1) + ½⌋ (the product is exact, so the fused add rounds like the scalar one), then the lower
            // clamp on the 16-bit values: vminps(1, m) returns m when m is NaN, which converts to int.MinValue like any
            // large negative value, saturates to −32768 and is clamped to 0. The weight passed on is 2q, saturated:
            // vpmulhrsw(d, 2q) = ⌊(2d·q + 2¹⁴) / 2¹⁵⌋ exactly, and for q = 16384 vpmulhrsw(d, 32767) = d for |d| ≤ 255.
            Vector256<int> qlo = Avx.ConvertToVector256Int32WithTruncation(Vector256.FusedMultiplyAdd(Avx.Min(one, lo), scale, half));
            Vector256<int> qhi = Avx.ConvertToVector256Int32WithTruncation(Vector256.FusedMultiplyAdd(Avx.Min(one, hi), scale, half));
            Vector256<short> q1 = Avx2.Max(Avx2.PackSignedSaturate(qlo, qhi), Vector256<short>.Zero);
            Vector256<short> q = Avx2.Permute4x64(Avx2.AddSaturate(q1, q1).AsInt64(), 0b11_01_10_00).AsInt16(); // 2q0..2q15 in order
            Vector256<byte> qLow = Avx2.Permute4x64(q.AsInt64(), 0b01_00_01_00).AsByte();  // pixels 0-7 in both halves
            Vector256<byte> qHigh = Avx2.Permute4x64(q.AsInt64(), 0b11_10_11_10).AsByte(); // pixels 8-15 in both halves
            Vector256<short> w0 = Avx2.Shuffle(qLow, spread0).AsInt16();
            Vector256<short> w1 = Avx2.Shuffle(q.AsByte(), spread1).AsInt16();
            Vector256<short> w2 = Avx2.Shuffle(qHigh, spread2).AsInt16();

            nuint o = (nuint)(i * 3);
            Vector256<short> r0 = Lerp(ref b0, ref f0, o, w0);
            Vector256<short> r1 = Lerp(ref b0, ref f0, o + 16, w1);
            Vector256<short> r2 = Lerp(ref b0, ref f0, o + 32, w2);
            Avx2.Permute4x64(Avx2.PackUnsignedSaturate(r0, r1).AsInt64(), 0b11_01_10_00).AsByte().StoreUnsafe(ref d0, o);
            Avx2.Permute4x64(Avx2.PackUnsignedSaturate(r2, r2).AsInt64(), 0b11_01_10_00).AsByte().GetLower().StoreUnsafe(ref d0, o + 32);
        }

        return i;
    }

    /// <summary>b + ⌊((f − b)·q2 + 2¹⁴) / 2¹⁵⌋ for 16 bytes at offset o, q2 = 2q saturated (callers guarantee o + 16 is inside).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Lerp(ref byte b0, ref byte f0, nuint o, Vector256<short> q)
    {
        Vector256<short> b = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref b0, o));
        Vector256<short> f = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref f0, o));
        Vector256<short> d = Avx2.Subtract(f, b);
        return Avx2.Add(b, Avx2.MultiplyHighRoundScale(d, q));
    }
}
