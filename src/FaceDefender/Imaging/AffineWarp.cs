using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp;

namespace FaceDefender.Imaging;

/// <summary>
/// Bilinear affine warps by inverse mapping: every destination pixel samples the source at the
/// transformed position. Pixel centres sit at integer coordinates (OpenCV's convention).
/// </summary>
/// <remarks>
/// <para>The Rgb24 warp reproduces <c>cv2.warpAffine(..., INTER_LINEAR)</c> bit for bit in the interior:
/// source positions are quantised to 1/32 pixel exactly as OpenCV does, and the interpolation is exact
/// integer arithmetic. On x86 with SSSE3 each pixel is interpolated in one 128-bit register; elsewhere
/// a scalar path gives identical results.</para>
/// <para>All methods are thread-safe and allocate nothing on the managed heap beyond small pooled row tables.
/// Source and destination must not overlap.</para>
/// </remarks>
internal static class AffineWarp
{
    private const int InterBits = 5;
    private const int InterScale = 1 << InterBits;
    private const int AbBits = 10;
    private const int AbScale = 1 << AbBits;
    private const int RoundDelta = AbScale / InterScale / 2;

    /// <summary>How many destination rows ahead the AVX2 warp prefetches the source (measured: 3-8 all help, 2 does not).</summary>
    private const int PrefetchRows = 4;

    /// <summary>Warps an interleaved RGB image (3 bytes a pixel, rows contiguous).</summary>
    /// <param name="source">Source pixels, <paramref name="sourceWidth"/> x <paramref name="sourceHeight"/> x 3 bytes.</param>
    /// <param name="sourceWidth">Source width in pixels.</param>
    /// <param name="sourceHeight">Source height in pixels.</param>
    /// <param name="destination">Destination pixels, <paramref name="destinationWidth"/> x <paramref name="destinationHeight"/> x 3 bytes.</param>
    /// <param name="destinationWidth">Destination width in pixels.</param>
    /// <param name="destinationHeight">Destination height in pixels.</param>
    /// <param name="sourceToDestination">The forward transform (source to destination), row-vector convention; it is inverted here.</param>
    /// <param name="border">What to write where the sample falls outside the source.</param>
    /// <param name="borderValue">The RGB value used by <see cref="WarpBorderMode.Constant"/>.</param>
    /// <param name="region">Only these destination pixels are computed (default: all).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use over rows (1 = the calling thread only).</param>
    /// <exception cref="ArgumentException">Buffers too small, a non-finite or singular transform, or a region outside the destination.</exception>
    public static void WarpRgb24(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight,
        Span<byte> destination, int destinationWidth, int destinationHeight,
        Matrix3x2 sourceToDestination,
        WarpBorderMode border = WarpBorderMode.Constant,
        (byte R, byte G, byte B) borderValue = default,
        Rectangle? region = null,
        int maxDegreeOfParallelism = 1)
        => WarpRgb24Core(source, sourceWidth, sourceHeight, destination, destinationWidth, destinationHeight,
            sourceToDestination, border, borderValue, region, maxDegreeOfParallelism, allowSimd: true);

    /// <summary>The warp with the vector path optionally disabled: the scalar path is the test oracle.</summary>
    internal static void WarpRgb24Core(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight,
        Span<byte> destination, int destinationWidth, int destinationHeight,
        Matrix3x2 sourceToDestination, WarpBorderMode border, (byte R, byte G, byte B) borderValue,
        Rectangle? region, int maxDegreeOfParallelism, bool allowSimd)
    {
        ImagingGuard.Dimensions(sourceWidth, sourceHeight, nameof(sourceWidth), nameof(sourceHeight));
        ImagingGuard.Dimensions(destinationWidth, destinationHeight, nameof(destinationWidth), nameof(destinationHeight));
        ImagingGuard.BufferLength(source.Length, (long)sourceWidth * sourceHeight * 3, nameof(source), sourceWidth, sourceHeight, 3);
        ImagingGuard.BufferLength(destination.Length, (long)destinationWidth * destinationHeight * 3, nameof(destination), destinationWidth, destinationHeight, 3);
        Rectangle roi = ImagingGuard.Region(region, destinationWidth, destinationHeight, nameof(region));
        double[] inv = Invert(sourceToDestination, nameof(sourceToDestination));

        var job = new Rgb24Job(sourceWidth, sourceHeight, destinationWidth, inv, border, borderValue, roi);
        int[] adelta = new int[roi.Width];
        int[] bdelta = new int[roi.Width];
        for (int i = 0; i < roi.Width; i++)
        {
            int x = roi.X + i;
            adelta[i] = RoundToInt(inv[0] * x * AbScale);
            bdelta[i] = RoundToInt(inv[3] * x * AbScale);
        }

        bool simd = allowSimd && Ssse3.IsSupported;
        if (maxDegreeOfParallelism <= 1 || roi.Height < 64)
        {
            for (int y = roi.Y; y < roi.Bottom; y++)
            {
                job.Row(source, destination, y, adelta, bdelta, simd);
            }

            return;
        }

        // Spans cannot cross into lambdas: run bands over pinned-free copies of the references.
        unsafe
        {
            fixed (byte* sp = source)
            fixed (byte* dp = destination)
            {
                nint s = (nint)sp;
                nint d = (nint)dp;
                int sl = source.Length;
                int dl = destination.Length;
                Parallel.For(roi.Y, roi.Bottom, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, y =>
                {
                    job.Row(new ReadOnlySpan<byte>((void*)s, sl), new Span<byte>((void*)d, dl), y, adelta, bdelta, simd);
                });
            }
        }
    }

    /// <summary>Warps a single-channel float plane (for example a mask) with bilinear interpolation.</summary>
    /// <param name="source">Source values, row-major, <paramref name="sourceWidth"/> x <paramref name="sourceHeight"/>.</param>
    /// <param name="sourceWidth">Source width.</param>
    /// <param name="sourceHeight">Source height.</param>
    /// <param name="destination">Destination values, row-major.</param>
    /// <param name="destinationWidth">Destination width.</param>
    /// <param name="destinationHeight">Destination height.</param>
    /// <param name="sourceToDestination">The forward transform (source to destination); it is inverted here.</param>
    /// <param name="border">What to write where the sample falls outside the source.</param>
    /// <param name="borderValue">The value used by <see cref="WarpBorderMode.Constant"/>.</param>
    /// <param name="region">Only these destination pixels are computed (default: all).</param>
    /// <exception cref="ArgumentException">Buffers too small, a non-finite or singular transform, or a region outside the destination.</exception>
    public static void WarpPlane(
        ReadOnlySpan<float> source, int sourceWidth, int sourceHeight,
        Span<float> destination, int destinationWidth, int destinationHeight,
        Matrix3x2 sourceToDestination,
        WarpBorderMode border = WarpBorderMode.Constant,
        float borderValue = 0f,
        Rectangle? region = null)
        => WarpPlaneCore(source, sourceWidth, sourceHeight, destination, destinationWidth, destinationHeight,
            sourceToDestination, border, borderValue, region, allowSimd: true);

    /// <summary>The plane warp with the vector path optionally disabled: the scalar path is the test oracle.</summary>
    internal static void WarpPlaneCore(
        ReadOnlySpan<float> source, int sourceWidth, int sourceHeight,
        Span<float> destination, int destinationWidth, int destinationHeight,
        Matrix3x2 sourceToDestination, WarpBorderMode border, float borderValue, Rectangle? region, bool allowSimd)
    {
        ImagingGuard.Dimensions(sourceWidth, sourceHeight, nameof(sourceWidth), nameof(sourceHeight));
        ImagingGuard.Dimensions(destinationWidth, destinationHeight, nameof(destinationWidth), nameof(destinationHeight));
        ImagingGuard.BufferLength(source.Length, (long)sourceWidth * sourceHeight, nameof(source), sourceWidth, sourceHeight, 1);
        ImagingGuard.BufferLength(destination.Length, (long)destinationWidth * destinationHeight, nameof(destination), destinationWidth, destinationHeight, 1);
        Rectangle roi = ImagingGuard.Region(region, destinationWidth, destinationHeight, nameof(region));
        double[] m = Invert(sourceToDestination, nameof(sourceToDestination));
        WarpPlaneRows(source, sourceWidth, sourceHeight, destination, destinationWidth, m, border, borderValue, roi, allowSimd);
    }

    private static void WarpPlaneRows(
        ReadOnlySpan<float> source, int sourceWidth, int sourceHeight, Span<float> destination, int destinationWidth,
        double[] m, WarpBorderMode border, float borderValue, Rectangle roi, bool allowSimd)
    {
        bool simd = allowSimd && Avx2.IsSupported && sourceWidth >= 2 && sourceHeight >= 2;
        for (int y = roi.Y; y < roi.Bottom; y++)
        {
            Span<float> dRow = destination.Slice(y * destinationWidth, destinationWidth);
            double rowX = m[1] * y + m[2];
            double rowY = m[4] * y + m[5];
            int x = roi.X;
            if (simd)
            {
                x = PlaneRowAvx2(source, sourceWidth, sourceHeight, dRow, m, rowX, rowY, roi, border, borderValue);
            }

            for (; x < roi.Right; x++)
            {
                PlanePixel(source, sourceWidth, sourceHeight, dRow, m, rowX, rowY, x, border, borderValue);
            }
        }
    }

    /// <summary>One destination value of the plane warp (the scalar oracle).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PlanePixel(
        ReadOnlySpan<float> source, int sourceWidth, int sourceHeight, Span<float> dRow, double[] m, double rowX, double rowY,
        int x, WarpBorderMode border, float borderValue)
    {
        float maxX = sourceWidth - 1;
        float maxY = sourceHeight - 1;
        float sx = (float)(m[0] * x + rowX);
        float sy = (float)(m[3] * x + rowY);
        bool inside = sx >= 0 && sy >= 0 && sx <= maxX && sy <= maxY;
        if (!inside)
        {
            if (border == WarpBorderMode.Transparent)
            {
                return;
            }

            if (border == WarpBorderMode.Replicate)
            {
                sx = Math.Clamp(sx, 0, maxX);
                sy = Math.Clamp(sy, 0, maxY);
            }
        }

        int x0 = (int)MathF.Floor(sx);
        int y0 = (int)MathF.Floor(sy);
        float fx = sx - x0;
        float fy = sy - y0;
        float v00 = SamplePlane(source, sourceWidth, sourceHeight, x0, y0, border, borderValue);
        float v10 = SamplePlane(source, sourceWidth, sourceHeight, x0 + 1, y0, border, borderValue);
        float v01 = SamplePlane(source, sourceWidth, sourceHeight, x0, y0 + 1, border, borderValue);
        float v11 = SamplePlane(source, sourceWidth, sourceHeight, x0 + 1, y0 + 1, border, borderValue);
        float top = v00 + ((v10 - v00) * fx);
        float bottom = v01 + ((v11 - v01) * fx);
        dRow[x] = top + ((bottom - top) * fy);
    }

    /// <summary>
    /// AVX2 plane warp, 8 values a step: the same double-precision positions rounded to float, the same floor and
    /// fractions, the 4 neighbours fetched as (left, right) pairs and the same (unfused) float interpolation, so the result
    /// is bit-identical to <see cref="PlanePixel"/>. Blocks with any sample position within a pixel of the source
    /// edge (or outside) go through the scalar pixel. Returns the first column not done.
    /// </summary>
    private static unsafe int PlaneRowAvx2(
        ReadOnlySpan<float> source, int sw, int sh, Span<float> dRow, double[] m, double rowX, double rowY, Rectangle roi,
        WarpBorderMode border, float borderValue)
    {
        Vector256<double> m0 = Vector256.Create(m[0]);
        Vector256<double> m3 = Vector256.Create(m[3]);
        Vector256<double> rx = Vector256.Create(rowX);
        Vector256<double> ry = Vector256.Create(rowY);
        Vector256<double> step = Vector256.Create(0.0, 1, 2, 3);
        Vector256<float> limX = Vector256.Create((float)(sw - 1));
        Vector256<float> limY = Vector256.Create((float)(sh - 1));
        Vector256<int> vw = Vector256.Create(sw);
        if ((long)sw * sh > int.MaxValue - sw - 1)
        {
            return roi.X;
        }

        int x = roi.X;
        int* offs = stackalloc int[8];
        fixed (float* s0 = source)
        fixed (float* d0 = dRow)
        {
            for (; x <= roi.Right - 8; x += 8)
            {
                Vector256<double> xa = Vector256.Create((double)x) + step;
                Vector256<double> xb = xa + Vector256.Create(4.0);
                Vector256<float> sx = Vector256.Create(Avx.ConvertToVector128Single(Avx.Add(Avx.Multiply(m0, xa), rx)), Avx.ConvertToVector128Single(Avx.Add(Avx.Multiply(m0, xb), rx)));
                Vector256<float> sy = Vector256.Create(Avx.ConvertToVector128Single(Avx.Add(Avx.Multiply(m3, xa), ry)), Avx.ConvertToVector128Single(Avx.Add(Avx.Multiply(m3, xb), ry)));

                // All four neighbours strictly inside (NaN fails every compare).
                Vector256<float> ok = Avx.CompareGreaterThanOrEqual(sx, Vector256<float>.Zero) & Avx.CompareLessThan(sx, limX) &
                                      Avx.CompareGreaterThanOrEqual(sy, Vector256<float>.Zero) & Avx.CompareLessThan(sy, limY);
                if (Avx.MoveMask(ok) != 0xFF)
                {
                    for (int k = 0; k < 8; k++)
                    {
                        PlanePixel(source, sw, sh, dRow, m, rowX, rowY, x + k, border, borderValue);
                    }

                    continue;
                }

                Vector256<float> fx0 = Avx.RoundToNegativeInfinity(sx);
                Vector256<float> fy0 = Avx.RoundToNegativeInfinity(sy);
                Vector256<float> fx = sx - fx0;
                Vector256<float> fy = sy - fy0;
                Vector256<int> idx = (Avx.ConvertToVector256Int32WithTruncation(fy0) * vw) + Avx.ConvertToVector256Int32WithTruncation(fx0);
                // (left, right) neighbour pairs with one 8-byte load per row and pixel (faster than four gathers on
                // this AMD machine: thread CPU time 7.1-8.7 ms vs 8.8-12.0 ms), split into the four planes by shufps.
                Avx.Store(offs, idx);
                Vector256<float> t01 = PairLoad(s0, offs[0], offs[1], offs[4], offs[5]);
                Vector256<float> t23 = PairLoad(s0, offs[2], offs[3], offs[6], offs[7]);
                float* s1 = s0 + sw;
                Vector256<float> b01 = PairLoad(s1, offs[0], offs[1], offs[4], offs[5]);
                Vector256<float> b23 = PairLoad(s1, offs[2], offs[3], offs[6], offs[7]);
                Vector256<float> v00 = Avx.Shuffle(t01, t23, 0x88);
                Vector256<float> v10 = Avx.Shuffle(t01, t23, 0xDD);
                Vector256<float> v01 = Avx.Shuffle(b01, b23, 0x88);
                Vector256<float> v11 = Avx.Shuffle(b01, b23, 0xDD);
                Vector256<float> top = Avx.Add(v00, Avx.Multiply(Avx.Subtract(v10, v00), fx));
                Vector256<float> bottom = Avx.Add(v01, Avx.Multiply(Avx.Subtract(v11, v01), fx));
                Avx.Store(d0 + x, Avx.Add(top, Avx.Multiply(Avx.Subtract(bottom, top), fy)));
            }
        }

        return x;
    }

    /// <summary>Loads the (left, right) float pairs at a, b (low lane) and c, d (high lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> PairLoad(float* s, int a, int b, int c, int d)
        => Vector256.Create(
            Vector128.Create(*(ulong*)(s + a), *(ulong*)(s + b)),
            Vector128.Create(*(ulong*)(s + c), *(ulong*)(s + d))).AsSingle();

    /// <summary>
    /// Converts a transform between continuous image coordinates (pixel (i, j) covers [i, i+1) x [j, j+1), its centre at
    /// (i + 0.5, j + 0.5): the convention of the landmarks, MediaPipe and the avatar renderer) into the pixel-centre
    /// convention of the warps (pixel (i, j) sampled at (i, j), as OpenCV). Use it on any transform fitted on landmarks
    /// before warping with it; without it the result is off by (scale − 1) / 2 pixels.
    /// </summary>
    /// <param name="continuous">A transform between continuous coordinates.</param>
    /// <returns>The same mapping for integer pixel-centre coordinates.</returns>
    public static Matrix3x2 FromContinuousCoordinates(Matrix3x2 continuous)
        => Matrix3x2.CreateTranslation(0.5f, 0.5f) * continuous * Matrix3x2.CreateTranslation(-0.5f, -0.5f);

    /// <summary>Inverts an affine transform in double precision; throws on NaN or a singular matrix.</summary>
    /// <returns>[a, b, c, d, e, f] with sx = a·x + b·y + c, sy = d·x + e·y + f.</returns>
    internal static double[] Invert(Matrix3x2 m, string name)
    {
        ImagingGuard.Finite(m, name);
        double a = m.M11, b = m.M21, c = m.M31, d = m.M12, e = m.M22, f = m.M32;
        double det = (a * e) - (b * d);
        double scale = Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), Math.Max(Math.Abs(d), Math.Abs(e)));
        if (scale == 0 || Math.Abs(det) <= 1e-12 * scale * scale)
        {
            throw new ArgumentException(
                $"Transform '{name}' is singular (determinant {det:G4}): it collapses the image to a line or a point. Check the points it was estimated from.",
                name);
        }

        double ia = e / det, ib = -b / det, id = -d / det, ie = a / det;
        return [ia, ib, -((ia * c) + (ib * f)), id, ie, -((id * c) + (ie * f))];
    }

    private static float SamplePlane(ReadOnlySpan<float> s, int w, int h, int x, int y, WarpBorderMode border, float borderValue)
    {
        if ((uint)x < (uint)w && (uint)y < (uint)h)
        {
            return s[(y * w) + x];
        }

        if (border == WarpBorderMode.Constant)
        {
            return borderValue;
        }

        return s[(Math.Clamp(y, 0, h - 1) * w) + Math.Clamp(x, 0, w - 1)];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundToInt(double v)
    {
        // cvRound: round half to even, saturating.
        double r = Math.Round(v, MidpointRounding.ToEven);
        return r >= int.MaxValue ? int.MaxValue : r <= int.MinValue ? int.MinValue : (int)r;
    }

    private readonly struct Rgb24Job
    {
        private readonly int _sw, _sh, _dw;
        private readonly double[] _m;
        private readonly WarpBorderMode _border;
        private readonly byte _br, _bg, _bb;
        private readonly Rectangle _roi;

        public Rgb24Job(int sw, int sh, int dw, double[] m, WarpBorderMode border, (byte R, byte G, byte B) bv, Rectangle roi)
        {
            _sw = sw;
            _sh = sh;
            _dw = dw;
            _m = m;
            _border = border;
            (_br, _bg, _bb) = bv;
            _roi = roi;
        }

        public void Row(ReadOnlySpan<byte> src, Span<byte> dst, int y, int[] adelta, int[] bdelta, bool simd)
        {
            int x0q = RoundToInt(((_m[1] * y) + _m[2]) * AbScale) + RoundDelta;
            int y0q = RoundToInt(((_m[4] * y) + _m[5]) * AbScale) + RoundDelta;
            int dOff = ((y * _dw) + _roi.X) * 3;
            int n = _roi.Width;

            int i = 0;
            if (simd && Avx2.IsSupported)
            {
                i = RowBlocksAvx2(src, dst, x0q, y0q, dOff, adelta, bdelta);
                dOff += i * 3;
            }

            for (; i < n; i++, dOff += 3)
            {
                Pixel(src, dst, x0q + adelta[i], y0q + bdelta[i], dOff, simd);
            }
        }

        /// <summary>One destination pixel from its source position in 1/1024 pixel (before the rounding shift).</summary>
        private void Pixel(ReadOnlySpan<byte> src, Span<byte> dst, int xRaw, int yRaw, int dOff, bool simd)
        {
            int sw = _sw, sh = _sh;
            int stride = sw * 3;
            int xq = xRaw >> (AbBits - InterBits);
            int yq = yRaw >> (AbBits - InterBits);
            int sx = xq >> InterBits;
            int sy = yq >> InterBits;
            int fx = xq & (InterScale - 1);
            int fy = yq & (InterScale - 1);

            if ((uint)sx < (uint)(sw - 1) && (uint)sy < (uint)(sh - 1))
            {
                int off = (sy * stride) + (sx * 3);
                if (simd && Ssse3.IsSupported && off + stride <= src.Length - 8)
                {
                    Vector128<byte> shuffle = Vector128.Create((byte)0, 3, 1, 4, 2, 5, 0x80, 0x80, 8, 11, 9, 12, 10, 13, 0x80, 0x80);
                    ulong r0 = MemoryMarshal.Read<ulong>(src.Slice(off));
                    ulong r1 = MemoryMarshal.Read<ulong>(src.Slice(off + stride));
                    Vector128<byte> pairs = Ssse3.Shuffle(Vector128.Create(r0, r1).AsByte(), shuffle);
                    Vector128<short> h = Ssse3.MultiplyAddAdjacent(pairs, Vector128.Create((short)((fx << 8) | (InterScale - fx))).AsSByte());
                    Vector128<short> il = Sse2.UnpackLow(h, Sse2.ShiftRightLogical128BitLane(h, 8));
                    Vector128<int> acc = Sse2.MultiplyAddAdjacent(il, Vector128.Create((fy << 16) | (InterScale - fy)).AsInt16());
                    acc = Sse2.ShiftRightArithmetic(Sse2.Add(acc, Vector128.Create(512)), 10);
                    uint px = Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(acc, acc), default).AsUInt32().ToScalar();
                    dst[dOff] = (byte)px;
                    dst[dOff + 1] = (byte)(px >> 8);
                    dst[dOff + 2] = (byte)(px >> 16);
                }
                else
                {
                    InterpolateInterior(src, dst, off, stride, fx, fy, dOff);
                }

                return;
            }

            // Border handling.
            if (_border == WarpBorderMode.Transparent)
            {
                if (xq < 0 || yq < 0 || xq > (sw - 1) * InterScale || yq > (sh - 1) * InterScale)
                {
                    return;
                }
            }
            else if (_border == WarpBorderMode.Constant &&
                     (sx >= sw || sx + 1 < 0 || sy >= sh || sy + 1 < 0))
            {
                dst[dOff] = _br;
                dst[dOff + 1] = _bg;
                dst[dOff + 2] = _bb;
                return;
            }

            InterpolateBorder(src, dst, sx, sy, fx, fy, dOff);
        }

        /// <summary>
        /// The AVX2 path: 8 destination pixels a step. Along a destination row the source position moves
        /// monotonically (the position tables are rounded multiples of one coefficient), so the pixels whose 2 x 2
        /// neighbourhood (and 16-byte loads) lie inside the source form one interval, found per row by binary search;
        /// the hot loop runs over that interval without per-pixel tests. Before and after it, blocks of 8 are filled
        /// (constant border, wholly outside), skipped (transparent, wholly outside) or done pixel by pixel. Returns how
        /// many pixels of the row were done; the caller does the rest pixel by pixel.
        /// </summary>
        private int RowBlocksAvx2(ReadOnlySpan<byte> src, Span<byte> dst, int x0q, int y0q, int dOff, int[] adelta, int[] bdelta)
        {
            int n = _roi.Width;
            if (adelta.Length < n || bdelta.Length < n || dst.Length - dOff < n * 3)
            {
                throw new InvalidOperationException("Coordinate tables or destination shorter than the region.");
            }

            // Interior: 0 ≤ sx ≤ w − 2 and 0 ≤ sy ≤ h − 3 (one row less than needed, so that the 16-byte loads of the
            // lower row stay inside the buffer: they end at most stride − 10 bytes past the next row's start).
            (int lo, int hi) = _sw >= 4 ? InsideInterval(adelta, bdelta, n, x0q, y0q, _sw - 2, _sh - 3) : (0, 0);
            int i = 0;
            for (; i + 8 <= lo; i += 8)
            {
                EdgeBlock(src, dst, x0q, y0q, dOff + (3 * i), adelta, bdelta, i);
            }

            for (; i < lo; i++)
            {
                Pixel(src, dst, x0q + adelta[i], y0q + bdelta[i], dOff + (3 * i), simd: true);
            }

            if (hi - i >= 8)
            {
                int end = i + ((hi - i) & ~7);
                InsideBlocksAvx2(src, dst, x0q, y0q, dOff, adelta, bdelta, i, end);
                if (end < hi)
                {
                    // The last few interior pixels: one more block ending at hi (it recomputes some pixels, same values).
                    InsideBlocksAvx2(src, dst, x0q, y0q, dOff, adelta, bdelta, hi - 8, hi);
                }

                i = hi;
            }

            for (; i < hi; i++)
            {
                Pixel(src, dst, x0q + adelta[i], y0q + bdelta[i], dOff + (3 * i), simd: true);
            }

            for (; i + 8 <= n; i += 8)
            {
                EdgeBlock(src, dst, x0q, y0q, dOff + (3 * i), adelta, bdelta, i);
            }

            return i;
        }

        /// <summary>
        /// The interval [lo, hi) of row pixels with 0 ≤ (x0q + adelta[i]) &gt;&gt; 10 ≤ maxX and likewise for y (empty: lo = hi).
        /// Relies on the tables being monotone and on the sums not overflowing, which is checked at both ends (the sums
        /// lie between the end values); otherwise the interval is empty and every pixel takes the checked path.
        /// </summary>
        private static (int Lo, int Hi) InsideInterval(int[] adelta, int[] bdelta, int n, int x0q, int y0q, int maxX, int maxY)
        {
            if (n == 0 || maxX < 0 || maxY < 0 ||
                !FitsInt((long)x0q + adelta[0]) || !FitsInt((long)x0q + adelta[n - 1]) ||
                !FitsInt((long)y0q + bdelta[0]) || !FitsInt((long)y0q + bdelta[n - 1]))
            {
                return (0, 0);
            }

            (int lx, int hx) = MonotoneRange(adelta, n, x0q, maxX);
            (int ly, int hy) = MonotoneRange(bdelta, n, y0q, maxY);
            int lo = Math.Max(lx, ly), hi = Math.Min(hx, hy);
            return hi > lo ? (lo, hi) : (0, 0);

            static bool FitsInt(long v) => v >= int.MinValue && v <= int.MaxValue;
        }

        /// <summary>The interval of i with 0 ≤ (q0 + delta[i]) &gt;&gt; 10 ≤ max, for a monotone table.</summary>
        private static (int Lo, int Hi) MonotoneRange(int[] delta, int n, int q0, int max)
        {
            return delta[n - 1] >= delta[0]
                ? (First(delta, n, q0, 0, increasing: true), First(delta, n, q0, max + 1, increasing: true))
                : (First(delta, n, q0, max, increasing: false), First(delta, n, q0, -1, increasing: false));
        }

        /// <summary>
        /// The first i in [0, n) with (q0 + delta[i]) &gt;&gt; 10 ≥ t (increasing table) or ≤ t (decreasing table), else n.
        /// </summary>
        private static int First(int[] delta, int n, int q0, int t, bool increasing)
        {
            int a = 0, b = n;
            while (a < b)
            {
                int mid = (a + b) >>> 1;
                int v = (q0 + delta[mid]) >> AbBits;
                if (increasing ? v >= t : v <= t)
                {
                    b = mid;
                }
                else
                {
                    a = mid + 1;
                }
            }

            return a;
        }

        /// <summary>A block of 8 pixels not wholly inside: filled, skipped, or done pixel by pixel.</summary>
        private void EdgeBlock(ReadOnlySpan<byte> src, Span<byte> dst, int x0q, int y0q, int dOff, int[] adelta, int[] bdelta, int i)
        {
            int sw = _sw, sh = _sh;
            Vector256<int> xq = Vector256.ShiftRightArithmetic(Vector256.Create(x0q) + Vector256.Create(adelta, i), AbBits - InterBits);
            Vector256<int> yq = Vector256.ShiftRightArithmetic(Vector256.Create(y0q) + Vector256.Create(bdelta, i), AbBits - InterBits);
            Vector256<int> sx = Vector256.ShiftRightArithmetic(xq, InterBits);
            Vector256<int> sy = Vector256.ShiftRightArithmetic(yq, InterBits);
            if (_border == WarpBorderMode.Constant)
            {
                // Wholly outside: no neighbour of any pixel is inside (sx ≥ w, sx + 1 < 0, likewise y).
                Vector256<int> outside = Vector256.GreaterThan(sx, Vector256.Create(sw - 1)) | Vector256.LessThan(sx, Vector256.Create(-1)) |
                                         Vector256.GreaterThan(sy, Vector256.Create(sh - 1)) | Vector256.LessThan(sy, Vector256.Create(-1));
                if (Vector256.EqualsAll(outside, Vector256<int>.AllBitsSet))
                {
                    Span<byte> d = dst.Slice(dOff, 24);
                    for (int k = 0; k < 24; k += 3)
                    {
                        d[k] = _br;
                        d[k + 1] = _bg;
                        d[k + 2] = _bb;
                    }

                    return;
                }
            }
            else if (_border == WarpBorderMode.Transparent)
            {
                Vector256<int> outside = Vector256.LessThan(xq, Vector256<int>.Zero) | Vector256.LessThan(yq, Vector256<int>.Zero) |
                                         Vector256.GreaterThan(xq, Vector256.Create((sw - 1) * InterScale)) |
                                         Vector256.GreaterThan(yq, Vector256.Create((sh - 1) * InterScale));
                if (Vector256.EqualsAll(outside, Vector256<int>.AllBitsSet))
                {
                    return;
                }
            }

            for (int k = 0; k < 8; k++)
            {
                Pixel(src, dst, x0q + adelta[i + k], y0q + bdelta[i + k], dOff + (3 * k), simd: true);
            }
        }

        /// <summary>
        /// Blocks of 8 pixels from <paramref name="i"/> to <paramref name="end"/>, all known to have their 2 x 2
        /// neighbourhoods inside the source and their 16-byte loads inside the buffer (see <see cref="InsideInterval"/>).
        /// Two pixels share a register (pixels k and k + 4, one per 128-bit lane). For each, one 16-byte load per source row
        /// (the first 8 bytes hold the left and right neighbours); the rows are interleaved by <c>vpunpcklqdq</c>,
        /// <c>vpshufb</c> makes (top, bottom) byte pairs ordered (left R, right R, left G, ...), <c>vpmaddubsw</c> applies
        /// (32 − fy, fy) and <c>vpmaddwd</c> (32 − fx, fx): the same integer sum as the scalar path, in another order.
        /// </summary>
        private unsafe void InsideBlocksAvx2(ReadOnlySpan<byte> src, Span<byte> dst, int x0q, int y0q, int dOff0, int[] adelta, int[] bdelta, int i, int end)
        {
            int stride = _sw * 3;
            if (i < 0 || end > adelta.Length || end > bdelta.Length || dOff0 + (3 * end) > dst.Length)
            {
                throw new InvalidOperationException("Block range outside the tables or the destination.");
            }

            Vector256<int> vx0 = Vector256.Create(x0q);
            Vector256<int> vy0 = Vector256.Create(y0q);
            Vector256<int> vStride = Vector256.Create(stride);
            Vector256<int> mask31 = Vector256.Create(InterScale - 1);
            Vector256<int> v32 = Vector256.Create(InterScale);
            Vector256<int> round = Vector256.Create(1 << ((2 * InterBits) - 1));
            Vector256<byte> pairShuffle = Vector256.Create(
                (byte)0, 8, 3, 11, 1, 9, 4, 12, 2, 10, 5, 13, 0x80, 0x80, 0x80, 0x80,
                0, 8, 3, 11, 1, 9, 4, 12, 2, 10, 5, 13, 0x80, 0x80, 0x80, 0x80);
            Vector256<byte> compact = Vector256.Create(
                (byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
                0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);
            Vector256<int> order = Vector256.Create(0, 1, 2, 4, 5, 6, 3, 7);
            int* offs = stackalloc int[8];
            nint pf = ((nint)RoundToInt(PrefetchRows * _m[4]) * stride) + (3 * (nint)RoundToInt(PrefetchRows * _m[1]));
            if (pf > src.Length || pf < -src.Length)
            {
                pf = 0;
            }

            fixed (byte* s0 = src)
            fixed (byte* d0 = dst)
            fixed (int* ad = adelta)
            fixed (int* bd = bdelta)
            {
                byte* dp = d0 + dOff0 + (3 * i);
                for (; i < end; i += 8, dp += 24)
                {
                    Vector256<int> xq = Avx2.ShiftRightArithmetic(Avx2.Add(vx0, Avx.LoadVector256(ad + i)), AbBits - InterBits);
                    Vector256<int> yq = Avx2.ShiftRightArithmetic(Avx2.Add(vy0, Avx.LoadVector256(bd + i)), AbBits - InterBits);
                    Vector256<int> sx = Avx2.ShiftRightArithmetic(xq, InterBits);
                    Vector256<int> sy = Avx2.ShiftRightArithmetic(yq, InterBits);
                    Avx.Store(offs, Avx2.Add(Avx2.MultiplyLow(sy, vStride), Avx2.Add(Avx2.ShiftLeftLogical(sx, 1), sx)));

                    // Weights: bytes (32 − fy, fy) in both 16-bit halves of each lane, words (32 − fx, fx).
                    Vector256<int> fx = Avx2.And(xq, mask31);
                    Vector256<int> fy = Avx2.And(yq, mask31);
                    Vector256<int> wy = Avx2.Or(Avx2.ShiftLeftLogical(fy, 8), Avx2.Subtract(v32, fy));
                    wy = Avx2.Or(wy, Avx2.ShiftLeftLogical(wy, 16));
                    Vector256<int> wx = Avx2.Or(Avx2.ShiftLeftLogical(fx, 16), Avx2.Subtract(v32, fx));

                    // The source under this block a few destination rows further on: the rotation walks the source
                    // diagonally, which the hardware prefetchers do not follow (about 20-35 % of the time without it).
                    Sse.Prefetch0(s0 + (uint)offs[0] + pf);

                    // Register k holds pixels k and k + 4 (one per 128-bit lane): an in-lane dword broadcast gives their weights.
                    Vector256<int> r0 = Interpolate2(s0 + (uint)offs[0], s0 + (uint)offs[4], stride, pairShuffle, Avx2.Shuffle(wy, 0x00), Avx2.Shuffle(wx, 0x00), round);
                    Vector256<int> r1 = Interpolate2(s0 + (uint)offs[1], s0 + (uint)offs[5], stride, pairShuffle, Avx2.Shuffle(wy, 0x55), Avx2.Shuffle(wx, 0x55), round);
                    Vector256<int> r2 = Interpolate2(s0 + (uint)offs[2], s0 + (uint)offs[6], stride, pairShuffle, Avx2.Shuffle(wy, 0xAA), Avx2.Shuffle(wx, 0xAA), round);
                    Vector256<int> r3 = Interpolate2(s0 + (uint)offs[3], s0 + (uint)offs[7], stride, pairShuffle, Avx2.Shuffle(wy, 0xFF), Avx2.Shuffle(wx, 0xFF), round);

                    // Lanes hold pixels (0, 4), (1, 5), (2, 6), (3, 7): the in-lane packs put 0-3 in the low half, 4-7 in the high.
                    Vector256<byte> bytes = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(r0, r1), Avx2.PackSignedSaturate(r2, r3));
                    Vector256<byte> packed = Avx2.PermuteVar8x32(Avx2.Shuffle(bytes, compact).AsInt32(), order).AsByte();
                    Sse2.Store(dp, packed.GetLower());
                    *(ulong*)(dp + 16) = packed.GetUpper().AsUInt64().ToScalar();
                }
            }
        }

        /// <summary>Interpolates the pixels whose top-left neighbours start at a and b: [R G B 0] per 128-bit lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe Vector256<int> Interpolate2(byte* a, byte* b, int stride, Vector256<byte> pairShuffle, Vector256<int> wy, Vector256<int> wx, Vector256<int> round)
        {
            Vector256<ulong> top = Vector256.Create(Sse2.LoadVector128(a), Sse2.LoadVector128(b)).AsUInt64();
            Vector256<ulong> bottom = Vector256.Create(Sse2.LoadVector128(a + stride), Sse2.LoadVector128(b + stride)).AsUInt64();
            Vector256<byte> pairs = Avx2.Shuffle(Avx2.UnpackLow(top, bottom).AsByte(), pairShuffle);
            Vector256<short> v = Avx2.MultiplyAddAdjacent(pairs, wy.AsSByte());
            return Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.MultiplyAddAdjacent(v, wx.AsInt16()), round), 2 * InterBits);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InterpolateInterior(ReadOnlySpan<byte> src, Span<byte> dst, int off, int stride, int fx, int fy, int dOff)
        {
            int w00 = (InterScale - fx) * (InterScale - fy);
            int w10 = fx * (InterScale - fy);
            int w01 = (InterScale - fx) * fy;
            int w11 = fx * fy;
            for (int c = 0; c < 3; c++)
            {
                int v = (src[off + c] * w00) + (src[off + 3 + c] * w10) + (src[off + stride + c] * w01) + (src[off + stride + 3 + c] * w11);
                dst[dOff + c] = (byte)((v + 512) >> 10);
            }
        }

        private void InterpolateBorder(ReadOnlySpan<byte> src, Span<byte> dst, int sx, int sy, int fx, int fy, int dOff)
        {
            int w00 = (InterScale - fx) * (InterScale - fy);
            int w10 = fx * (InterScale - fy);
            int w01 = (InterScale - fx) * fy;
            int w11 = fx * fy;
            for (int c = 0; c < 3; c++)
            {
                int v = (Sample(src, sx, sy, c) * w00) + (Sample(src, sx + 1, sy, c) * w10) +
                        (Sample(src, sx, sy + 1, c) * w01) + (Sample(src, sx + 1, sy + 1, c) * w11);
                dst[dOff + c] = (byte)Math.Clamp((v + 512) >> 10, 0, 255);
            }
        }

        private int Sample(ReadOnlySpan<byte> src, int x, int y, int c)
        {
            if ((uint)x >= (uint)_sw || (uint)y >= (uint)_sh)
            {
                if (_border == WarpBorderMode.Constant)
                {
                    return c == 0 ? _br : c == 1 ? _bg : _bb;
                }

                x = Math.Clamp(x, 0, _sw - 1);
                y = Math.Clamp(y, 0, _sh - 1);
            }

            return src[(((y * _sw) + x) * 3) + c];
        }
    }
}
