using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp;

using FaceDefender.Imaging;

namespace FaceDefender.Benchmarks.Previous;

// Frozen copy of the library kernel as it was at commit 03d7861 (before the session-2 speed work),
// kept only as a same-run baseline for the benchmarks. Not used by the library.

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
internal static class PreviousAffineWarp
{
    private const int InterBits = 5;
    private const int InterScale = 1 << InterBits;
    private const int AbBits = 10;
    private const int AbScale = 1 << AbBits;
    private const int RoundDelta = AbScale / InterScale / 2;

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
    {
        ImagingGuard.Dimensions(sourceWidth, sourceHeight, nameof(sourceWidth), nameof(sourceHeight));
        ImagingGuard.Dimensions(destinationWidth, destinationHeight, nameof(destinationWidth), nameof(destinationHeight));
        ImagingGuard.BufferLength(source.Length, (long)sourceWidth * sourceHeight, nameof(source), sourceWidth, sourceHeight, 1);
        ImagingGuard.BufferLength(destination.Length, (long)destinationWidth * destinationHeight, nameof(destination), destinationWidth, destinationHeight, 1);
        Rectangle roi = ImagingGuard.Region(region, destinationWidth, destinationHeight, nameof(region));
        double[] m = Invert(sourceToDestination, nameof(sourceToDestination));
        float maxX = sourceWidth - 1;
        float maxY = sourceHeight - 1;

        for (int y = roi.Y; y < roi.Bottom; y++)
        {
            Span<float> dRow = destination.Slice(y * destinationWidth, destinationWidth);
            double rowX = m[1] * y + m[2];
            double rowY = m[4] * y + m[5];
            for (int x = roi.X; x < roi.Right; x++)
            {
                float sx = (float)(m[0] * x + rowX);
                float sy = (float)(m[3] * x + rowY);
                bool inside = sx >= 0 && sy >= 0 && sx <= maxX && sy <= maxY;
                if (!inside)
                {
                    if (border == WarpBorderMode.Transparent)
                    {
                        continue;
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
        }
    }

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
            int sw = _sw, sh = _sh;
            int stride = sw * 3;
            int x0q = RoundToInt(((_m[1] * y) + _m[2]) * AbScale) + RoundDelta;
            int y0q = RoundToInt(((_m[4] * y) + _m[5]) * AbScale) + RoundDelta;
            int dOff = ((y * _dw) + _roi.X) * 3;
            int n = _roi.Width;
            int maxX = (sw - 1) * InterScale;
            int maxY = (sh - 1) * InterScale;
            int lastFast = src.Length - 8;
            Vector128<byte> shuffle = Vector128.Create((byte)0, 3, 1, 4, 2, 5, 0x80, 0x80, 8, 11, 9, 12, 10, 13, 0x80, 0x80);

            for (int i = 0; i < n; i++, dOff += 3)
            {
                int xq = (x0q + adelta[i]) >> (AbBits - InterBits);
                int yq = (y0q + bdelta[i]) >> (AbBits - InterBits);
                int sx = xq >> InterBits;
                int sy = yq >> InterBits;
                int fx = xq & (InterScale - 1);
                int fy = yq & (InterScale - 1);

                if ((uint)sx < (uint)(sw - 1) && (uint)sy < (uint)(sh - 1))
                {
                    int off = (sy * stride) + (sx * 3);
                    if (simd && off + stride <= lastFast)
                    {
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

                    continue;
                }

                // Border handling.
                if (_border == WarpBorderMode.Transparent)
                {
                    if (xq < 0 || yq < 0 || xq > maxX || yq > maxY)
                    {
                        continue;
                    }
                }
                else if (_border == WarpBorderMode.Constant &&
                         (sx >= sw || sx + 1 < 0 || sy >= sh || sy + 1 < 0))
                {
                    dst[dOff] = _br;
                    dst[dOff + 1] = _bg;
                    dst[dOff + 2] = _bb;
                    continue;
                }

                InterpolateBorder(src, dst, sx, sy, fx, fy, dOff);
            }
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
