using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp;

namespace FaceDefender.Imaging;

/// <summary>
/// The 8-bit to 8-bit Gaussian blur in exact integer arithmetic with the kernel in 8-bit fixed point
/// (<see cref="GaussianKernel.FixedPointHalfWeights"/>, summing to 256), the arithmetic OpenCV uses for 8-bit images:
/// out = (Σᵥ wᵥ · Σₕ wₕ · s + 2¹⁵) >> 16. Every intermediate is exact, so the order of the passes does not matter
/// and the vector and scalar paths give the same bytes.
/// </summary>
/// <remarks>
/// Per output row: a vertical pass over the 2r + 1 source rows (read in place, mapped through the border) gives one
/// row of 16-bit sums (at most 255 · 256); a horizontal pass over that row, padded by the border, gives 32-bit sums
/// that are rounded to bytes. On AVX2 the vertical pass interleaves the two rows at distance ±d and multiplies
/// them by (w_d, w_d) with <c>vpmaddubsw</c> (32 columns a step; exact while w_d ≤ 64, otherwise 16-bit
/// multiplies), and the horizontal pass does the same on 16-bit values with <c>vpmaddwd</c>, the values stored
/// offset by −2¹⁵ so that they fit signed lanes (the offset times Σw = 2²³ is added back).
/// </remarks>
internal static class FixedPointGaussianBlur
{
    public static unsafe void Run(
        ReadOnlySpan<byte> source, Span<byte> destination, int width, int height, int channels, GaussianKernel kernel,
        BlurBorderMode border, Rectangle roi, int maxDegreeOfParallelism, bool allowSimd)
    {
        var plan = new Plan(width, height, channels, kernel, border, roi, allowSimd && Avx2.IsSupported);
        int bands = RowBands.Count(roi, maxDegreeOfParallelism);
        if (bands == 1)
        {
            plan.RunBand(source, destination, roi.Y, roi.Bottom);
            return;
        }

        fixed (byte* sp = source)
        fixed (byte* dp = destination)
        {
            nint s = (nint)sp, d = (nint)dp;
            int sl = source.Length, dl = destination.Length;
            RowBands.ForEach(roi, bands, maxDegreeOfParallelism, (y0, y1) =>
                plan.RunBand(new ReadOnlySpan<byte>((void*)s, sl), new Span<byte>((void*)d, dl), y0, y1));
        }
    }

    private sealed class Plan
    {
        private const int Offset = 1 << 15;

        private readonly int _w, _h, _c, _r;
        private readonly int[] _wt;
        private readonly BlurBorderMode _border;
        private readonly Rectangle _roi;
        private readonly bool _simd, _byteMadd;
        private readonly int _colStart, _colEnd;
        private readonly int[] _borderFill; // (pad index, pad index it copies) pairs for the columns outside [_colStart, _colEnd)
        private readonly int[] _taps; // distances d ≥ 1 with a non-zero weight

        public Plan(int w, int h, int c, GaussianKernel k, BlurBorderMode border, Rectangle roi, bool simd)
        {
            _w = w;
            _h = h;
            _c = c;
            _r = k.Radius;
            _wt = k.FixedPointHalfWeights.ToArray();
            _border = border;
            _roi = roi;
            _simd = simd;

            // vpmaddubsw saturates pairs at 32767: exact while 255·(w_d + w_d) and 255·w_0 stay below it.
            _byteMadd = _wt[0] <= 127;
            for (int d = 1; d <= _r; d++)
            {
                _byteMadd &= _wt[d] <= 64;
            }

            // Columns the horizontal pass reads, directly or through the border mapping.
            _colStart = Math.Max(0, roi.X - _r);
            _colEnd = Math.Min(w, roi.Right + _r);
            for (int v = roi.X - _r; v < roi.Right + _r; v++)
            {
                int m = BorderIndex.Map(v, w, border);
                if (m < _colStart || m >= _colEnd)
                {
                    _colStart = 0;
                    _colEnd = w;
                    break;
                }
            }

            var fill = new List<int>();
            int v0 = roi.X - _r;
            for (int v = 0; v < roi.Width + (2 * _r); v++)
            {
                int col = v0 + v;
                if (col >= _colStart && col < _colEnd)
                {
                    continue;
                }

                int m = BorderIndex.Map(col, w, border) - v0;
                for (int ch = 0; ch < c; ch++)
                {
                    fill.Add((v * c) + ch);
                    fill.Add((m * c) + ch);
                }
            }

            _borderFill = fill.ToArray();
            var taps = new List<int>();
            for (int d = 1; d <= _r; d++)
            {
                if (_wt[d] != 0)
                {
                    taps.Add(d);
                }
            }

            _taps = taps.ToArray();
        }

        public void RunBand(ReadOnlySpan<byte> src, Span<byte> dst, int y0, int y1)
        {
            int r = _r, c = _c;
            int rowLen = _w * c;
            int padLen = (_roi.Width + (2 * r)) * c;
            int outLen = _roi.Width * c;
            short[] pad = ArrayPool<short>.Shared.Rent(padLen);
            int[] rows = new int[(2 * r) + 1];
            try
            {
                for (int y = y0; y < y1; y++)
                {
                    for (int k = -r; k <= r; k++)
                    {
                        rows[k + r] = BorderIndex.Map(y + k, _h, _border) * rowLen;
                    }

                    // pad[v·c + ch] holds the vertical sum of virtual column roi.X − r + v, minus 2¹⁵.
                    int first = (_colStart - (_roi.X - r)) * c;
                    Span<short> direct = pad.AsSpan(first, (_colEnd - _colStart) * c);
                    if (_simd)
                    {
                        VerticalAvx2(src, rows, _colStart * c, direct);
                    }
                    else
                    {
                        VerticalScalar(src, rows, _colStart * c, direct);
                    }

                    FillBorder(pad);
                    Span<byte> outRow = dst.Slice(((y * _w) + _roi.X) * c, outLen);
                    if (_simd)
                    {
                        HorizontalAvx2(pad, padLen, outRow);
                    }
                    else
                    {
                        HorizontalScalar(pad, 0, outRow);
                    }
                }
            }
            finally
            {
                ArrayPool<short>.Shared.Return(pad);
            }
        }

        private void FillBorder(short[] pad)
        {
            // Every mapped column is one the vertical pass wrote (the constructor widens the direct range otherwise).
            int[] fill = _borderFill;
            for (int i = 0; i < fill.Length; i += 2)
            {
                pad[fill[i]] = pad[fill[i + 1]];
            }
        }

        /// <summary>The exact vertical sums, one value at a time (the oracle).</summary>
        private void VerticalScalar(ReadOnlySpan<byte> src, int[] rows, int start, Span<short> output)
        {
            int r = _r;
            int[] wt = _wt;
            for (int j = 0; j < output.Length; j++)
            {
                int x = start + j;
                int a = wt[0] * src[rows[r] + x];
                for (int d = 1; d <= r; d++)
                {
                    a += wt[d] * (src[rows[r - d] + x] + src[rows[r + d] + x]);
                }

                output[j] = (short)(a - Offset);
            }
        }

        /// <summary>The exact horizontal sums of the padded row, rounded to bytes (the oracle).</summary>
        private void HorizontalScalar(short[] pad, int from, Span<byte> output)
        {
            int r = _r, c = _c;
            int[] wt = _wt;
            for (int i = from; i < output.Length; i++)
            {
                int b = i + (r * c);
                long a = (long)wt[0] * (pad[b] + Offset);
                for (int d = 1; d <= r; d++)
                {
                    a += (long)wt[d] * (pad[b - (d * c)] + pad[b + (d * c)] + (2 * Offset));
                }

                output[i] = (byte)Math.Clamp((a + (1 << 15)) >> 16, 0, 255);
            }
        }

        private unsafe void VerticalAvx2(ReadOnlySpan<byte> src, int[] rows, int start, Span<short> output)
        {
            int r = _r;
            int len = output.Length;
            foreach (int row in rows)
            {
                if ((uint)(row + start) > (uint)src.Length || src.Length - (row + start) < len)
                {
                    throw new InvalidOperationException("Row outside the source buffer.");
                }
            }

            if (len < 32 || (!_byteMadd && len < 16))
            {
                VerticalScalar(src, rows, start, output);
                return;
            }

            // Row pointers in tap-pair order (up, down) for the distances with a non-zero weight, and the weights
            // broadcast once (index 0 the centre, t + 1 the t-th such distance).
            int[] taps = _taps;
            int n = taps.Length;
            byte** pairs = stackalloc byte*[(2 * n) + 1];
            Vector256<sbyte>* wv = stackalloc Vector256<sbyte>[n + 1];
            Vector256<short> offset = Vector256.Create(unchecked((short)Offset));
            fixed (byte* s0 = src)
            fixed (short* o0 = output)
            {
                byte* centre = s0 + start + rows[r];
                for (int t = 0; t < n; t++)
                {
                    pairs[2 * t] = s0 + start + rows[r - taps[t]];
                    pairs[(2 * t) + 1] = s0 + start + rows[r + taps[t]];
                }

                if (_byteMadd)
                {
                    wv[0] = Vector256.Create((short)_wt[0]).AsSByte(); // (w0, 0) pairs
                    for (int t = 0; t < n; t++)
                    {
                        wv[t + 1] = Vector256.Create((sbyte)_wt[taps[t]]); // (w_d, w_d) pairs
                    }

                    int j = 0;
                    for (; j <= len - 64; j += 64)
                    {
                        VerticalBlock64(centre, pairs, wv, n, j, o0, offset);
                    }

                    for (; j < len; j += 32)
                    {
                        // Last 32 columns: may overlap the previous block, writing the same values again.
                        VerticalBlock32(centre, pairs, wv, n, Math.Min(j, len - 32), o0, offset);
                    }

                    return;
                }

                // Large weights (small sigma): widen to 16 bits and multiply; sums wrap modulo 2¹⁶ but end exact (≤ 65280).
                Vector256<ushort>* wu = (Vector256<ushort>*)wv;
                wu[0] = Vector256.Create((ushort)_wt[0]);
                for (int t = 0; t < n; t++)
                {
                    wu[t + 1] = Vector256.Create((ushort)_wt[taps[t]]);
                }

                for (int j = 0; j < len; j += 16)
                {
                    int jj = Math.Min(j, len - 16);
                    Vector256<ushort> a = Avx2.ConvertToVector256Int16(centre + jj).AsUInt16() * wu[0];
                    for (int t = 1; t <= n; t++)
                    {
                        Vector256<ushort> up = Avx2.ConvertToVector256Int16(pairs[(2 * t) - 2] + jj).AsUInt16();
                        Vector256<ushort> dn = Avx2.ConvertToVector256Int16(pairs[(2 * t) - 1] + jj).AsUInt16();
                        a += (up + dn) * wu[t];
                    }

                    Avx.Store(o0 + jj, a.AsInt16() ^ offset);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void VerticalBlock64(byte* centre, byte** pairs, Vector256<sbyte>* wv, int n, int j, short* o0, Vector256<short> offset)
        {
            Vector256<byte> c0 = Avx.LoadVector256(centre + j);
            Vector256<byte> c1 = Avx.LoadVector256(centre + j + 32);
            Vector256<sbyte> w0 = wv[0];
            Vector256<short> lo0 = Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(c0, Vector256<byte>.Zero), w0);
            Vector256<short> hi0 = Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(c0, Vector256<byte>.Zero), w0);
            Vector256<short> lo1 = Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(c1, Vector256<byte>.Zero), w0);
            Vector256<short> hi1 = Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(c1, Vector256<byte>.Zero), w0);
            byte** p = pairs;
            for (int t = 1; t <= n; t++, p += 2)
            {
                byte* up = p[0] + j;
                byte* dn = p[1] + j;
                Vector256<sbyte> wd = wv[t];
                Vector256<byte> u0 = Avx.LoadVector256(up);
                Vector256<byte> v0 = Avx.LoadVector256(dn);
                Vector256<byte> u1 = Avx.LoadVector256(up + 32);
                Vector256<byte> v1 = Avx.LoadVector256(dn + 32);
                lo0 = Avx2.Add(lo0, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(u0, v0), wd));
                hi0 = Avx2.Add(hi0, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(u0, v0), wd));
                lo1 = Avx2.Add(lo1, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(u1, v1), wd));
                hi1 = Avx2.Add(hi1, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(u1, v1), wd));
            }

            // Unpacks work within 128-bit lanes: lo holds columns 0-7 and 16-23 of the block, hi 8-15 and 24-31.
            Avx.Store(o0 + j, Avx2.Permute2x128(lo0, hi0, 0x20) ^ offset);
            Avx.Store(o0 + j + 16, Avx2.Permute2x128(lo0, hi0, 0x31) ^ offset);
            Avx.Store(o0 + j + 32, Avx2.Permute2x128(lo1, hi1, 0x20) ^ offset);
            Avx.Store(o0 + j + 48, Avx2.Permute2x128(lo1, hi1, 0x31) ^ offset);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void VerticalBlock32(byte* centre, byte** pairs, Vector256<sbyte>* wv, int n, int j, short* o0, Vector256<short> offset)
        {
            Vector256<byte> c0 = Avx.LoadVector256(centre + j);
            Vector256<short> lo = Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(c0, Vector256<byte>.Zero), wv[0]);
            Vector256<short> hi = Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(c0, Vector256<byte>.Zero), wv[0]);
            byte** p = pairs;
            for (int t = 1; t <= n; t++, p += 2)
            {
                Vector256<byte> u0 = Avx.LoadVector256(p[0] + j);
                Vector256<byte> v0 = Avx.LoadVector256(p[1] + j);
                lo = Avx2.Add(lo, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(u0, v0), wv[t]));
                hi = Avx2.Add(hi, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(u0, v0), wv[t]));
            }

            Avx.Store(o0 + j, Avx2.Permute2x128(lo, hi, 0x20) ^ offset);
            Avx.Store(o0 + j + 16, Avx2.Permute2x128(lo, hi, 0x31) ^ offset);
        }

        private unsafe void HorizontalAvx2(short[] pad, int padLen, Span<byte> output)
        {
            int r = _r, c = _c;
            int len = output.Length;
            if (len < 32 || pad.Length < padLen || padLen < len + (2 * r * c))
            {
                HorizontalScalar(pad, 0, output);
                return;
            }

            int[] taps = _taps;
            int n = taps.Length;
            Vector256<short>* wv = stackalloc Vector256<short>[n + 1];
            int* off = stackalloc int[n + 1];
            wv[0] = Vector256.Create(_wt[0]).AsInt16(); // (w0, 0) pairs
            for (int t = 0; t < n; t++)
            {
                wv[t + 1] = Vector256.Create((short)_wt[taps[t]]);
                off[t + 1] = taps[t] * c;
            }

            Vector256<int> bias = Vector256.Create((Offset * 256) + (1 << 15));
            fixed (short* p0 = pad)
            fixed (byte* o0 = output)
            {
                for (int i = 0; i < len; i += 32)
                {
                    // The last block may overlap the previous one, writing the same values again.
                    int ii = Math.Min(i, len - 32);
                    short* b = p0 + ii + (r * c);
                    Vector256<short> x0 = Avx.LoadVector256(b);
                    Vector256<short> x1 = Avx.LoadVector256(b + 16);
                    Vector256<short> w0 = wv[0];
                    Vector256<int> a0 = Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x0, Vector256<short>.Zero), w0);
                    Vector256<int> a1 = Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x0, Vector256<short>.Zero), w0);
                    Vector256<int> a2 = Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x1, Vector256<short>.Zero), w0);
                    Vector256<int> a3 = Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x1, Vector256<short>.Zero), w0);
                    for (int t = 1; t <= n; t++)
                    {
                        short* lp = b - off[t];
                        short* rp = b + off[t];
                        Vector256<short> wd = wv[t];
                        Vector256<short> l0 = Avx.LoadVector256(lp);
                        Vector256<short> r0 = Avx.LoadVector256(rp);
                        Vector256<short> l1 = Avx.LoadVector256(lp + 16);
                        Vector256<short> r1 = Avx.LoadVector256(rp + 16);
                        a0 = Avx2.Add(a0, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(l0, r0), wd));
                        a1 = Avx2.Add(a1, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(l0, r0), wd));
                        a2 = Avx2.Add(a2, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(l1, r1), wd));
                        a3 = Avx2.Add(a3, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(l1, r1), wd));
                    }

                    // Σ w·(v − 2¹⁵) + 2¹⁵·256 + 2¹⁵, >> 16. Packs undo the in-lane order of the unpacks; the final
                    // byte pack interleaves 128-bit halves, which the 64-bit permute puts back.
                    a0 = Avx2.ShiftRightArithmetic(Avx2.Add(a0, bias), 16);
                    a1 = Avx2.ShiftRightArithmetic(Avx2.Add(a1, bias), 16);
                    a2 = Avx2.ShiftRightArithmetic(Avx2.Add(a2, bias), 16);
                    a3 = Avx2.ShiftRightArithmetic(Avx2.Add(a3, bias), 16);
                    Vector256<byte> bytes = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(a0, a1), Avx2.PackSignedSaturate(a2, a3));
                    Avx.Store(o0 + ii, Avx2.Permute4x64(bytes.AsUInt64(), 0b11_01_10_00).AsByte());
                }
            }
        }

    }
}
