using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SixLabors.ImageSharp;

namespace FaceDefender.Imaging;

/// <summary>
/// Exact separable Gaussian blur with a truncated kernel, for interleaved 8-bit and float images.
/// The vertical pass runs first over a small ring of rows, then the horizontal pass on that one row,
/// so no full-size intermediate image is ever allocated.
/// </summary>
/// <remarks>
/// 8-bit to 8-bit (<see cref="BlurRgb24"/>) uses OpenCV's arithmetic for 8-bit images: the kernel in 8-bit fixed
/// point and exact integer sums, rounded once, so it reproduces <c>cv2.GaussianBlur</c> bit for bit and its vector
/// and scalar paths agree exactly (the 1/256 weights cost up to about 1.2 grey levels against exact weights).
/// The float outputs (<see cref="BlurPlane"/>, <see cref="BlurToFloat"/>) accumulate in single precision;
/// the scalar path computes the same sums in the same order per tap and is the test oracle (results agree
/// within 1e-5 relative). Vector paths use 256-bit registers when the hardware has them.
/// All methods are thread-safe. Source and destination may be the same buffer only for float
/// planes blurred without a region: otherwise they must not overlap.
/// </remarks>
internal static class SeparableGaussianBlur
{
    /// <summary>Blurs an interleaved RGB image (3 bytes a pixel, rows contiguous), bit-exact with OpenCV's 8-bit <c>GaussianBlur</c>.</summary>
    /// <param name="source">Source pixels, width x height x 3 bytes.</param>
    /// <param name="destination">Destination pixels, width x height x 3 bytes; must not overlap the source.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="kernel">The Gaussian kernel.</param>
    /// <param name="border">How edges are extended.</param>
    /// <param name="region">Only these pixels of the destination are written (default: all).</param>
    /// <param name="maxDegreeOfParallelism">Threads over row bands (1 = the calling thread only).</param>
    public static void BlurRgb24(
        ReadOnlySpan<byte> source, Span<byte> destination, int width, int height, GaussianKernel kernel,
        BlurBorderMode border = BlurBorderMode.Reflect101, Rectangle? region = null, int maxDegreeOfParallelism = 1)
        => Run<byte, byte>(source, destination, width, height, 3, kernel, border, region, maxDegreeOfParallelism, allowSimd: true);

    /// <summary>Blurs an interleaved float image with <paramref name="channels"/> values a pixel.</summary>
    /// <param name="source">Source values, width x height x channels.</param>
    /// <param name="destination">Destination values; must not overlap the source.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="channels">Values per pixel (1 for a mask, 3 for RGB).</param>
    /// <param name="kernel">The Gaussian kernel.</param>
    /// <param name="border">How edges are extended.</param>
    /// <param name="region">Only these pixels of the destination are written (default: all).</param>
    /// <param name="maxDegreeOfParallelism">Threads over row bands (1 = the calling thread only).</param>
    public static void BlurPlane(
        ReadOnlySpan<float> source, Span<float> destination, int width, int height, int channels, GaussianKernel kernel,
        BlurBorderMode border = BlurBorderMode.Reflect101, Rectangle? region = null, int maxDegreeOfParallelism = 1)
        => Run<float, float>(source, destination, width, height, channels, kernel, border, region, maxDegreeOfParallelism, allowSimd: true);

    /// <summary>Blurs interleaved bytes into floats (no rounding), for callers that keep working in float.</summary>
    /// <param name="source">Source bytes, width x height x channels.</param>
    /// <param name="destination">Destination floats, width x height x channels.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="channels">Values per pixel.</param>
    /// <param name="kernel">The Gaussian kernel.</param>
    /// <param name="border">How edges are extended.</param>
    /// <param name="region">Only these pixels of the destination are written (default: all).</param>
    /// <param name="maxDegreeOfParallelism">Threads over row bands (1 = the calling thread only).</param>
    public static void BlurToFloat(
        ReadOnlySpan<byte> source, Span<float> destination, int width, int height, int channels, GaussianKernel kernel,
        BlurBorderMode border = BlurBorderMode.Reflect101, Rectangle? region = null, int maxDegreeOfParallelism = 1)
        => Run<byte, float>(source, destination, width, height, channels, kernel, border, region, maxDegreeOfParallelism, allowSimd: true);

    internal static unsafe void Run<TIn, TOut>(
        ReadOnlySpan<TIn> source, Span<TOut> destination, int width, int height, int channels, GaussianKernel kernel,
        BlurBorderMode border, Rectangle? region, int maxDegreeOfParallelism, bool allowSimd)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ImagingGuard.Dimensions(width, height, nameof(width), nameof(height));
        if (channels is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 to 4.");
        }

        long n = (long)width * height * channels;
        ImagingGuard.BufferLength(source.Length, n, nameof(source), width, height, channels);
        ImagingGuard.BufferLength(destination.Length, n, nameof(destination), width, height, channels);
        Rectangle roi = ImagingGuard.Region(region, width, height, nameof(region));
        if (typeof(TIn) == typeof(byte) && typeof(TOut) == typeof(byte))
        {
            FixedPointGaussianBlur.Run(
                MemoryMarshal.Cast<TIn, byte>(source), MemoryMarshal.Cast<TOut, byte>(destination), width, height, channels, kernel,
                border, roi, maxDegreeOfParallelism, allowSimd);
            return;
        }

        var plan = new Plan(width, height, channels, kernel, border, roi, allowSimd && Vector256.IsHardwareAccelerated);

        int bands = RowBands.Count(roi, maxDegreeOfParallelism);
        if (bands == 1)
        {
            plan.RunBand(source, destination, roi.Y, roi.Bottom);
            return;
        }

        fixed (TIn* sp = source)
        fixed (TOut* dp = destination)
        {
            nint s = (nint)sp, d = (nint)dp;
            int sl = source.Length, dl = destination.Length;
            RowBands.ForEach(roi, bands, maxDegreeOfParallelism, (y0, y1) =>
                plan.RunBand(new ReadOnlySpan<TIn>((void*)s, sl), new Span<TOut>((void*)d, dl), y0, y1));
        }
    }

    private sealed class Plan
    {
        private readonly int _w, _h, _c, _r;
        private readonly float[] _half;
        private readonly BlurBorderMode _border;
        private readonly Rectangle _roi;
        private readonly bool _simd;
        private readonly int _colStart, _colEnd;

        public Plan(int w, int h, int c, GaussianKernel k, BlurBorderMode border, Rectangle roi, bool simd)
        {
            _w = w;
            _h = h;
            _c = c;
            _r = k.Radius;
            _half = k.HalfWeights.ToArray();
            _border = border;
            _roi = roi;
            _simd = simd;
            if (_r >= w)
            {
                _colStart = 0;
                _colEnd = w;
            }
            else
            {
                _colStart = Math.Max(0, roi.X - _r);
                _colEnd = Math.Min(w, roi.Right + _r);
            }
        }

        public void RunBand<TIn, TOut>(ReadOnlySpan<TIn> src, Span<TOut> dst, int y0, int y1)
            where TIn : unmanaged
            where TOut : unmanaged
        {
            int r = _r, c = _c;
            int rowLen = _w * c;
            int colLen = (_colEnd - _colStart) * c;
            int outLen = _roi.Width * c;
            int ringRows = (2 * r) + 1;
            bool inFloat = typeof(TIn) == typeof(float);

            float[]? ring = inFloat ? null : ArrayPool<float>.Shared.Rent(ringRows * colLen);
            float[] acc = ArrayPool<float>.Shared.Rent(colLen);
            float[] pad = ArrayPool<float>.Shared.Rent(outLen + (2 * r * c));
            float[] outRow = ArrayPool<float>.Shared.Rent(outLen);
            int[] rowOffsets = new int[ringRows];
            try
            {
                ReadOnlySpan<float> srcF = inFloat ? MemoryMarshal.Cast<TIn, float>(src) : default;
                ReadOnlySpan<byte> srcB = inFloat ? default : MemoryMarshal.Cast<TIn, byte>(src);
                int loaded = int.MinValue; // highest virtual row index held in the ring

                for (int y = y0; y < y1; y++)
                {
                    // Gather the 2r+1 source rows (virtual indices y-r..y+r mapped through the border).
                    ReadOnlySpan<float> rows;
                    if (inFloat)
                    {
                        for (int k = -r; k <= r; k++)
                        {
                            int sy = BorderIndex.Map(y + k, _h, _border);
                            rowOffsets[k + r] = (sy * rowLen) + (_colStart * c);
                        }

                        rows = srcF;
                    }
                    else
                    {
                        int first = Math.Max(y - r, loaded + 1);
                        if (loaded < y - r)
                        {
                            first = y - r;
                        }

                        for (int v = first; v <= y + r; v++)
                        {
                            int sy = BorderIndex.Map(v, _h, _border);
                            int slot = Mod(v, ringRows);
                            ConvertRow(srcB.Slice((sy * rowLen) + (_colStart * c), colLen), ring.AsSpan(slot * colLen, colLen));
                        }

                        loaded = y + r;
                        for (int k = -r; k <= r; k++)
                        {
                            rowOffsets[k + r] = Mod(y + k, ringRows) * colLen;
                        }

                        rows = ring;
                    }

                    Vertical(rows, rowOffsets, acc.AsSpan(0, colLen));
                    FillPad(acc, pad);
                    Horizontal(pad, outRow.AsSpan(0, outLen));
                    Store(outRow.AsSpan(0, outLen), dst.Slice(((y * _w) + _roi.X) * c, outLen));
                }
            }
            finally
            {
                if (ring is not null)
                {
                    ArrayPool<float>.Shared.Return(ring);
                }

                ArrayPool<float>.Shared.Return(acc);
                ArrayPool<float>.Shared.Return(pad);
                ArrayPool<float>.Shared.Return(outRow);
            }
        }

        private static int Mod(int a, int m)
        {
            int r = a % m;
            return r < 0 ? r + m : r;
        }

        private void ConvertRow(ReadOnlySpan<byte> s, Span<float> d) => PixelConvert.ToFloat(s, d, _simd);

        private void Vertical(ReadOnlySpan<float> rows, int[] offsets, Span<float> acc)
        {
            int r = _r;
            int len = acc.Length;
            float w0 = _half[0];
            ReadOnlySpan<float> center = rows.Slice(offsets[r], len);
            int i = 0;
            if (_simd)
            {
                // Every tap reads rows[offsets[k] + i .. + 32); offsets are validated against the buffer once here,
                // so the inner loop can load without per-element bounds checks.
                for (int k = 0; k < offsets.Length; k++)
                {
                    if ((uint)offsets[k] > (uint)rows.Length || rows.Length - offsets[k] < len)
                    {
                        throw new InvalidOperationException("Row offset outside the buffer.");
                    }
                }

                // Row-streaming order: the accumulator row (a few KB) stays in L1 while each pair of source rows is
                // read once, front to back, which the prefetcher follows; tap-major order over 2r+1 rows did not.
                ref float baseRef = ref MemoryMarshal.GetReference(rows);
                ref float accRef = ref MemoryMarshal.GetReference(acc);
                int vlen = len & ~7;
                Vector256<float> vw = Vector256.Create(w0);
                nuint c0 = (nuint)offsets[r];
                for (int j = 0; j < vlen; j += 8)
                {
                    (Vector256.LoadUnsafe(ref baseRef, c0 + (nuint)j) * vw).StoreUnsafe(ref accRef, (nuint)j);
                }

                for (int d = 1; d <= r; d++)
                {
                    nuint up = (nuint)offsets[r - d];
                    nuint dn = (nuint)offsets[r + d];
                    Vector256<float> wd = Vector256.Create(_half[d]);
                    for (int j = 0; j < vlen; j += 8)
                    {
                        nuint jj = (nuint)j;
                        Vector256.FusedMultiplyAdd(
                            Vector256.LoadUnsafe(ref baseRef, up + jj) + Vector256.LoadUnsafe(ref baseRef, dn + jj), wd,
                            Vector256.LoadUnsafe(ref accRef, jj)).StoreUnsafe(ref accRef, jj);
                    }
                }

                i = vlen;
            }

            for (; i < len; i++)
            {
                float a = center[i] * w0;
                for (int d = 1; d <= r; d++)
                {
                    a = MathF.FusedMultiplyAdd(rows[offsets[r - d] + i] + rows[offsets[r + d] + i], _half[d], a);
                }

                acc[i] = a;
            }
        }

        private void FillPad(float[] acc, float[] pad)
        {
            // pad holds virtual columns roi.X - r .. roi.Right + r - 1; acc holds columns colStart..colEnd-1.
            int c = _c, r = _r;
            int v0 = _roi.X - r;
            int total = _roi.Width + (2 * r);
            int v = 0;
            while (v < total)
            {
                int col = v0 + v;
                if (col >= 0 && col < _w)
                {
                    int run = Math.Min(total - v, _w - col);
                    acc.AsSpan((col - _colStart) * c, run * c).CopyTo(pad.AsSpan(v * c));
                    v += run;
                }
                else
                {
                    int src = BorderIndex.Map(col, _w, _border) - _colStart;
                    for (int ch = 0; ch < c; ch++)
                    {
                        pad[(v * c) + ch] = acc[(src * c) + ch];
                    }

                    v++;
                }
            }
        }

        private void Horizontal(float[] pad, Span<float> output)
        {
            int r = _r, c = _c;
            int len = output.Length;
            int rc = r * c;
            float w0 = _half[0];
            ReadOnlySpan<float> p = pad;
            int i = 0;
            if (_simd)
            {
                // pad holds len + 2·r·c values (checked once), so every load below stays inside it.
                if (pad.Length < len + (2 * rc))
                {
                    throw new InvalidOperationException("Padded row too short.");
                }

                ref float pr = ref MemoryMarshal.GetArrayDataReference(pad);
                ref float outRef = ref MemoryMarshal.GetReference(output);
                ReadOnlySpan<float> half = _half;
                Vector256<float> vw = Vector256.Create(w0);
                for (; i <= len - 32; i += 32)
                {
                    nuint b = (nuint)(i + rc);
                    Vector256<float> a0 = Vector256.LoadUnsafe(ref pr, b) * vw;
                    Vector256<float> a1 = Vector256.LoadUnsafe(ref pr, b + 8) * vw;
                    Vector256<float> a2 = Vector256.LoadUnsafe(ref pr, b + 16) * vw;
                    Vector256<float> a3 = Vector256.LoadUnsafe(ref pr, b + 24) * vw;
                    for (int d = 1; d <= r; d++)
                    {
                        nuint lo = b - (nuint)(d * c);
                        nuint hi = b + (nuint)(d * c);
                        Vector256<float> wd = Vector256.Create(half[d]);
                        a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pr, lo) + Vector256.LoadUnsafe(ref pr, hi), wd, a0);
                        a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pr, lo + 8) + Vector256.LoadUnsafe(ref pr, hi + 8), wd, a1);
                        a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pr, lo + 16) + Vector256.LoadUnsafe(ref pr, hi + 16), wd, a2);
                        a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pr, lo + 24) + Vector256.LoadUnsafe(ref pr, hi + 24), wd, a3);
                    }

                    a0.StoreUnsafe(ref outRef, (nuint)i);
                    a1.StoreUnsafe(ref outRef, (nuint)(i + 8));
                    a2.StoreUnsafe(ref outRef, (nuint)(i + 16));
                    a3.StoreUnsafe(ref outRef, (nuint)(i + 24));
                }

                for (; i <= len - 8; i += 8)
                {
                    nuint b = (nuint)(i + rc);
                    Vector256<float> a = Vector256.LoadUnsafe(ref pr, b) * vw;
                    for (int d = 1; d <= r; d++)
                    {
                        a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pr, b - (nuint)(d * c)) + Vector256.LoadUnsafe(ref pr, b + (nuint)(d * c)),
                            Vector256.Create(half[d]), a);
                    }

                    a.StoreUnsafe(ref outRef, (nuint)i);
                }
            }

            for (; i < len; i++)
            {
                int b = i + rc;
                float a = p[b] * w0;
                for (int d = 1; d <= r; d++)
                {
                    int dc = d * c;
                    a = MathF.FusedMultiplyAdd(p[b - dc] + p[b + dc], _half[d], a);
                }

                output[i] = a;
            }
        }

        private void Store<TOut>(ReadOnlySpan<float> row, Span<TOut> dst)
            where TOut : unmanaged
        {
            if (typeof(TOut) == typeof(float))
            {
                row.CopyTo(MemoryMarshal.Cast<TOut, float>(dst));
                return;
            }

            PixelConvert.RoundToBytes(row, MemoryMarshal.Cast<TOut, byte>(dst), _simd);
        }
    }
}

/// <summary>Float/byte conversions shared by the kernels.</summary>
internal static class PixelConvert
{
    /// <summary>Rounds half up and clamps to 0..255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte RoundToByte(float v) => (byte)(int)Math.Clamp(v + 0.5f, 0f, 255f);

    /// <summary>Rounds half up and clamps to 0..255, 32 values a step on the vector path.</summary>
    public static void RoundToBytes(ReadOnlySpan<float> s, Span<byte> d, bool simd)
    {
        int i = 0;
        if (simd)
        {
            Vector256<float> half = Vector256.Create(0.5f);
            Vector256<float> max = Vector256.Create(255f);
            for (; i <= s.Length - 16; i += 16)
            {
                Vector256<int> a = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Create(s.Slice(i)) + half, Vector256<float>.Zero), max));
                Vector256<int> b = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Create(s.Slice(i + 8)) + half, Vector256<float>.Zero), max));
                Vector256<ushort> n = Vector256.Narrow(a.AsUInt32(), b.AsUInt32());
                Vector128<byte> bytes = Vector128.Narrow(n.GetLower(), n.GetUpper());
                bytes.CopyTo(d.Slice(i));
            }
        }

        for (; i < s.Length; i++)
        {
            d[i] = RoundToByte(s[i]);
        }
    }

    /// <summary>Widens bytes to floats.</summary>
    public static void ToFloat(ReadOnlySpan<byte> s, Span<float> d, bool simd)
    {
        int i = 0;
        if (simd)
        {
            for (; i <= s.Length - 16; i += 16)
            {
                (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.Create(s.Slice(i, 16)));
                (Vector256<uint> a0, Vector256<uint> a1) = Vector256.Widen(Vector256.Create(lo, hi));
                Vector256.ConvertToSingle(a0.AsInt32()).CopyTo(d.Slice(i));
                Vector256.ConvertToSingle(a1.AsInt32()).CopyTo(d.Slice(i + 8));
            }
        }

        for (; i < s.Length; i++)
        {
            d[i] = s[i];
        }
    }
}
