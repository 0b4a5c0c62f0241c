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
    /// <summary>Values (bytes of a row) per vertical strip of the horizontal-first AVX2 path (a tuning knob for the benchmarks).</summary>
    internal static int StripValues { get; set; } = 384;

    /// <summary>Whether the AVX2 path may take the horizontal-first strip kernel (false: the row kernel; for the benchmarks).</summary>
    internal static bool UseStrips { get; set; } = true;

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
        private readonly bool _simd, _byteMadd, _pairMadd;
        private readonly int _colStart, _colEnd;
        private int[]? _borderFill; // (pad index, pad index it copies) pairs for the columns outside [_colStart, _colEnd); row path only
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

            // The strip path's vpmaddubsw applies adjacent taps (W[k], W[k + 1]) of the full kernel to two bytes: exact while
            // 255·(W[k] + W[k + 1]) stays below 32768.
            _pairMadd = _r >= 1;
            for (int t = 0; t <= 2 * _r; t++)
            {
                _pairMadd &= FullWeight(t) + FullWeight(t + 1) <= 128;
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
            if (UseStrips && _simd && _pairMadd && _roi.Width * _c >= 32)
            {
                RunBandStrips(src, dst, y0, y1);
                return;
            }

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

        /// <summary>
        /// The AVX2 path for kernels whose adjacent weights fit <c>vpmaddubsw</c> (W[k] + W[k + 1] ≤ 128, W the full
        /// kernel of 2r + 1 taps): horizontal pass first, on the source bytes, then the vertical pass on 16-bit sums,
        /// in vertical strips of the region so that the rows in flight stay in the first-level cache.
        /// <para>Horizontal: each source row of the strip is first rewritten as byte pairs Q[u] = (s[u], s[u + c]), so
        /// that one unaligned load of Q and one <c>vpmaddubsw</c> with (W[2i], W[2i + 1]) apply two taps to 16 values
        /// with no unpacking (16-bit sums, exact modulo 2¹⁶, at most 255·256).</para>
        /// <para>Vertical: source rows are taken in pairs (virtual rows 2m and 2m + 1 of the band's window); the
        /// horizontal sums of a pair are stored interleaved (row 2m in the low half of each 32-bit lane, row 2m + 1 in
        /// the high half, minus 2¹⁵) in a ring of r + 1 pair slots, so that one aligned load and one <c>vpmaddwd</c>
        /// apply two taps to 8 columns, and the same load serves two output rows (the even one with weights
        /// (W[2i], W[2i + 1]), the odd one with (W[2i − 1], W[2i])).</para>
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // entered once per band and looping for milliseconds: skip tier 0 / OSR code
        private unsafe void RunBandStrips(ReadOnlySpan<byte> src, Span<byte> dst, int y0, int y1)
        {
            int r = _r, c = _c, rc = r * c;
            int rowLen = _w * c;
            int xa = _roi.X * c, wv = _roi.Width * c;
            int strips = (wv + StripValues - 1) / StripValues;
            int maxLen = (wv + strips - 1) / strips;
            int nbMax = (maxLen + 31) / 32;
            int slotBytes = nbMax * 128;
            int nSlots = r + 1;
            int padLen = maxLen + (2 * rc) + c; // the strip, r·c values either side, and the c values the last pair reads
            int qBytes = (((maxLen + (2 * rc)) * 2) + 63) & ~31;
            int rows = y1 - y0;
            int steps = (rows + 1) / 2;
            if ((long)src.Length < (long)_w * _h * c || (long)dst.Length < (long)_w * _h * c)
            {
                throw new InvalidOperationException("Buffers smaller than the image.");
            }

            // Horizontal pair weights (W[2i], W[2i + 1]) as byte pairs, i = 0..r (W[2r + 1] = 0).
            Vector256<sbyte>* hq = stackalloc Vector256<sbyte>[nSlots];
            for (int i = 0; i <= r; i++)
            {
                hq[i] = Vector256.Create((short)(FullWeight(2 * i) | (FullWeight((2 * i) + 1) << 8))).AsSByte();
            }

            // Pairs with both weights 0 at either end are left out (k = 31 has W[0] = W[30] = 0, so its last pair).
            int hFirst = 0, hEnd = nSlots;
            while (hFirst < hEnd - 1 && (FullWeight(2 * hFirst) | FullWeight((2 * hFirst) + 1)) == 0)
            {
                hFirst++;
            }

            while (hEnd - 1 > hFirst && (FullWeight(2 * (hEnd - 1)) | FullWeight((2 * (hEnd - 1)) + 1)) == 0)
            {
                hEnd--;
            }

            // Vertical pair weights, (low, high) 16-bit halves of 32-bit lanes: pair i of the window gives the even output
            // row (W[2i], W[2i + 1]) at vw[2i] and the odd one (W[2i − 1], W[2i]) at vw[2i + 1].
            Vector256<int>* vw = stackalloc Vector256<int>[2 * nSlots];
            for (int i = 0; i <= r; i++)
            {
                int e0 = FullWeight(2 * i), e1 = FullWeight((2 * i) + 1), o0 = FullWeight((2 * i) - 1);
                vw[2 * i] = Vector256.Create(e0 | (e1 << 16));
                vw[(2 * i) + 1] = Vector256.Create(o0 | (e0 << 16));
            }

            Vector256<int> bias = Vector256.Create((Offset * 256) + (1 << 15));

            // Row index of every value the horizontal pass reads, through the border (used past the row's ends).
            int mapStart = xa - rc, mapLen = wv + (2 * rc) + c;
            int[] mapArr = ArrayPool<int>.Shared.Rent(mapLen);
            for (int v = mapStart; v < mapStart + mapLen; v++)
            {
                int x = v >= 0 ? v / c : -((-v + c - 1) / c);
                mapArr[v - mapStart] = (BorderIndex.Map(x, _w, _border) * c) + (v - (x * c));
            }

            byte[] ringArr = ArrayPool<byte>.Shared.Rent((nSlots * slotBytes) + 32);
            byte[] workArr = ArrayPool<byte>.Shared.Rent((2 * padLen) + (2 * qBytes) + 64);
            try
            {
                fixed (byte* sp = src)
                fixed (byte* dp = dst)
                fixed (byte* ringRaw = ringArr)
                fixed (byte* workRaw = workArr)
                fixed (int* mp = mapArr)
                {
                    byte* ring = (byte*)(((nint)ringRaw + 31) & ~(nint)31);
                    var work = new StripWork
                    {
                        QA = (byte*)(((nint)workRaw + 31) & ~(nint)31),
                        Hq = hq,
                        HqFirst = hFirst,
                        HqEnd = hEnd,
                        Map = mp,
                        MapStart = mapStart,
                    };
                    work.QB = work.QA + qBytes;
                    work.PadA = work.QB + qBytes;
                    work.PadB = work.PadA + padLen;
                    for (int k = 0; k < strips; k++)
                    {
                        work.A = xa + (int)((long)k * wv / strips);
                        int b = xa + (int)((long)(k + 1) * wv / strips);
                        work.Len = b - work.A;
                        work.Direct = work.A - rc >= 0 && b + rc + c <= rowLen;
                        int len = work.Len, nb = (len + 31) / 32;

                        // Pair m holds virtual rows 2m and 2m + 1, i.e. source rows y0 − r + 2m (+ 1) through the border.
                        for (int m = 0; m < r; m++)
                        {
                            FillPair(sp, ref work, ring + (m % nSlots * slotBytes), y0 - r + (2 * m));
                        }

                        for (int st = 0; st < steps; st++)
                        {
                            int mNew = st + r;
                            FillPair(sp, ref work, ring + (mNew % nSlots * slotBytes), y0 - r + (2 * mNew));

                            // The window's pairs st .. st + r sit in the ring from slot st mod (r + 1) on, wrapping once.
                            int first = st % nSlots;
                            byte* w0 = ring + (first * slotBytes);
                            int n0 = nSlots - first;
                            int y = y0 + (2 * st);
                            byte* out0 = dp + ((long)y * rowLen) + work.A;
                            byte* out1 = y + 1 < y1 ? out0 + rowLen : null;
                            for (int blk = 0; blk < nb; blk++)
                            {
                                int j = Math.Min(32 * blk, len - 32);
                                VerticalPairs(w0 + (blk * 128), n0, ring + (blk * 128), nSlots - n0, slotBytes, vw, bias, out0 + j, out1 == null ? null : out1 + j);
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(ringArr);
                ArrayPool<byte>.Shared.Return(workArr);
                ArrayPool<int>.Shared.Return(mapArr);
            }
        }

        /// <summary>Buffers and the current strip of <see cref="RunBandStrips"/>.</summary>
        private unsafe struct StripWork
        {
            public byte* QA, QB, PadA, PadB;
            public Vector256<sbyte>* Hq;
            public int* Map;
            public int MapStart, A, Len, HqFirst, HqEnd;
            public bool Direct;
        }

        /// <summary>Horizontal sums of virtual rows <paramref name="vy"/> and vy + 1 over the current strip, stored interleaved in a pair slot.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // entered once per band and looping for milliseconds: skip tier 0 / OSR code
        private unsafe void FillPair(byte* sp, ref StripWork work, byte* dstSlot, int vy)
        {
            int rowLen = _w * _c, c = _c, rc = _r * _c;
            int a = work.A, len = work.Len, from = a - rc;
            byte* rowA = sp + ((long)BorderIndex.Map(vy, _h, _border) * rowLen);
            byte* rowB = sp + ((long)BorderIndex.Map(vy + 1, _h, _border) * rowLen);

            // The strip's part of a row is a few cache lines a row apart, which the hardware prefetchers do not follow:
            // ask for the next pair's rows now (the next call reads them).
            if (Sse.IsSupported)
            {
                byte* nextA = sp + ((long)BorderIndex.Map(vy + 2, _h, _border) * rowLen);
                byte* nextB = sp + ((long)BorderIndex.Map(vy + 3, _h, _border) * rowLen);
                int lo = Math.Max(a - rc, 0), hi = Math.Min(a + len + rc + c, rowLen);
                for (int v = lo; v < hi; v += 64)
                {
                    Sse.Prefetch0(nextA + v);
                    Sse.Prefetch0(nextB + v);
                }

                Sse.Prefetch0(nextA + hi - 1);
                Sse.Prefetch0(nextB + hi - 1);
            }
            if (!work.Direct)
            {
                // Copy the strip with its margins, mapping the values past the row's ends.
                PadRow(rowA, work.PadA, from, len + (2 * rc) + c, work.Map, work.MapStart);
                PadRow(rowB, work.PadB, from, len + (2 * rc) + c, work.Map, work.MapStart);
                rowA = work.PadA - from;
                rowB = work.PadB - from;
            }

            // Q[u] = (s[u], s[u + c]) for u = from .. from + len + 2rc − 1, in 32-value chunks (the last one overlapping).
            int qLen = len + (2 * rc);
            byte* qa = work.QA, qb = work.QB;
            for (int u = 0; u < qLen; u += 32)
            {
                int uu = Math.Min(u, qLen - 32);
                PairBytes(rowA + from + uu, c, qa + (2 * uu));
                PairBytes(rowB + from + uu, c, qb + (2 * uu));
            }

            // Output value p of the strip reads Q[p − rc + 2ic] for pair i = 0..r, i.e. qa + 2(p − a) + 4ic.
            Vector256<sbyte>* hq = work.Hq;
            int step = 4 * c, first = work.HqFirst, end = work.HqEnd;
            Vector256<short> offset = Vector256.Create(unchecked((short)Offset));
            int nb = (len + 31) / 32;
            for (int blk = 0; blk < nb; blk++)
            {
                int j = Math.Min(32 * blk, len - 32);
                byte* pa = qa + (2 * j) + (first * step), pb = qb + (2 * j) + (first * step);
                Vector256<short> a0 = Vector256<short>.Zero, a1 = a0, b0 = a0, b1 = a0;
                for (int i = first; i < end; i++, pa += step, pb += step)
                {
                    Vector256<sbyte> w = hq[i];
                    a0 = Avx2.Add(a0, Avx2.MultiplyAddAdjacent(Avx.LoadVector256(pa), w));
                    a1 = Avx2.Add(a1, Avx2.MultiplyAddAdjacent(Avx.LoadVector256(pa + 32), w));
                    b0 = Avx2.Add(b0, Avx2.MultiplyAddAdjacent(Avx.LoadVector256(pb), w));
                    b1 = Avx2.Add(b1, Avx2.MultiplyAddAdjacent(Avx.LoadVector256(pb + 32), w));
                }

                // Sums minus 2¹⁵ (signed lanes), in value order; interleave rows 2m and 2m + 1 per 16-bit value.
                a0 ^= offset;
                a1 ^= offset;
                b0 ^= offset;
                b1 ^= offset;
                short* o = (short*)(dstSlot + (blk * 128));
                Avx.StoreAligned(o, Avx2.UnpackLow(a0, b0));       // values 0-3 | 8-11
                Avx.StoreAligned(o + 16, Avx2.UnpackHigh(a0, b0)); // 4-7 | 12-15
                Avx.StoreAligned(o + 32, Avx2.UnpackLow(a1, b1));  // 16-19 | 24-27
                Avx.StoreAligned(o + 48, Avx2.UnpackHigh(a1, b1)); // 20-23 | 28-31
            }
        }

        /// <summary>Writes the 32 byte pairs (s[u], s[u + c]), u = 0..31, in order to <paramref name="q"/> (64 bytes).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void PairBytes(byte* s, int c, byte* q)
        {
            Vector256<byte> x = Avx.LoadVector256(s);
            Vector256<byte> y = Avx.LoadVector256(s + c);
            Vector256<byte> lo = Avx2.UnpackLow(x, y);  // pairs 0-7 | 16-23
            Vector256<byte> hi = Avx2.UnpackHigh(x, y); // pairs 8-15 | 24-31
            Avx.Store(q, Avx2.Permute2x128(lo, hi, 0x20));
            Avx.Store(q + 32, Avx2.Permute2x128(lo, hi, 0x31));
        }

        /// <summary>Weight of offset k (0..2r) of the full kernel, 0 outside.</summary>
        private int FullWeight(int k) => k < 0 || k > 2 * _r ? 0 : _wt[Math.Abs(k - _r)];

        /// <summary>
        /// Copies values v0 .. v0 + len − 1 of a row into <paramref name="buf"/>, those past the row's ends through
        /// <paramref name="map"/> (the row index of value v is map[v − mapStart]).
        /// </summary>
        private unsafe void PadRow(byte* row, byte* buf, int v0, int len, int* map, int mapStart)
        {
            int rowLen = _w * _c;
            int ds = Math.Max(v0, 0), de = Math.Min(v0 + len, rowLen);
            if (de > ds)
            {
                Buffer.MemoryCopy(row + ds, buf + (ds - v0), len, de - ds);
            }

            for (int v = v0; v < ds; v++)
            {
                buf[v - v0] = row[map[v - mapStart]];
            }

            for (int v = Math.Max(de, v0); v < v0 + len; v++)
            {
                buf[v - v0] = row[map[v - mapStart]];
            }
        }

        /// <summary>
        /// Vertical sums of one 32-value block for two output rows from the interleaved pair slots, rounded and packed
        /// back into column order (the 32-bit packs undo the interleave, the byte pack the unpacks' in-lane order).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void VerticalPairs(
            byte* p0, int n0, byte* p1, int n1, int stride, Vector256<int>* vw, Vector256<int> bias, byte* out0, byte* out1)
        {
            Vector256<int> a0 = bias, a1 = bias, a2 = bias, a3 = bias;
            Vector256<int> b0 = bias, b1 = bias, b2 = bias, b3 = bias;
            Vector256<int>* w = vw;
            byte* p = p0;
            int n = n0;
            for (int seg = 0; seg < 2; seg++)
            {
                for (byte* end = p + ((nint)n * stride); p < end; p += stride, w += 2)
                {
                    Vector256<short> x0 = Avx.LoadAlignedVector256((short*)p);
                    Vector256<short> x1 = Avx.LoadAlignedVector256((short*)(p + 32));
                    Vector256<short> x2 = Avx.LoadAlignedVector256((short*)(p + 64));
                    Vector256<short> x3 = Avx.LoadAlignedVector256((short*)(p + 96));
                    Vector256<short> e = w[0].AsInt16();
                    Vector256<short> o = w[1].AsInt16();
                    a0 = Avx2.Add(a0, Avx2.MultiplyAddAdjacent(x0, e));
                    a1 = Avx2.Add(a1, Avx2.MultiplyAddAdjacent(x1, e));
                    a2 = Avx2.Add(a2, Avx2.MultiplyAddAdjacent(x2, e));
                    a3 = Avx2.Add(a3, Avx2.MultiplyAddAdjacent(x3, e));
                    b0 = Avx2.Add(b0, Avx2.MultiplyAddAdjacent(x0, o));
                    b1 = Avx2.Add(b1, Avx2.MultiplyAddAdjacent(x1, o));
                    b2 = Avx2.Add(b2, Avx2.MultiplyAddAdjacent(x2, o));
                    b3 = Avx2.Add(b3, Avx2.MultiplyAddAdjacent(x3, o));
                }

                p = p1;
                n = n1;
            }

            Avx.Store(out0, PackRounded(a0, a1, a2, a3));
            if (out1 != null)
            {
                Avx.Store(out1, PackRounded(b0, b1, b2, b3));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<byte> PackRounded(Vector256<int> a0, Vector256<int> a1, Vector256<int> a2, Vector256<int> a3)
        {
            // a0: values 0-3 | 8-11, a1: 4-7 | 12-15, a2: 16-19 | 24-27, a3: 20-23 | 28-31 (bias already added). The
            // 32-bit packs give 0-7 | 8-15 and 16-23 | 24-31; the byte pack interleaves their halves, vpermq undoes it.
            Vector256<short> s01 = Avx2.PackSignedSaturate(Avx2.ShiftRightArithmetic(a0, 16), Avx2.ShiftRightArithmetic(a1, 16));
            Vector256<short> s23 = Avx2.PackSignedSaturate(Avx2.ShiftRightArithmetic(a2, 16), Avx2.ShiftRightArithmetic(a3, 16));
            return Avx2.Permute4x64(Avx2.PackUnsignedSaturate(s01, s23).AsUInt64(), 0b11_01_10_00).AsByte();
        }

        /// <summary>The copy list of <see cref="FillBorder"/>, built on first use (bands racing here build the same list).</summary>
        private int[] BorderFill()
        {
            var fill = new List<int>();
            int c = _c, v0 = _roi.X - _r;
            for (int v = 0; v < _roi.Width + (2 * _r); v++)
            {
                int col = v0 + v;
                if (col >= _colStart && col < _colEnd)
                {
                    continue;
                }

                int m = BorderIndex.Map(col, _w, _border) - v0;
                for (int ch = 0; ch < c; ch++)
                {
                    fill.Add((v * c) + ch);
                    fill.Add((m * c) + ch);
                }
            }

            return fill.ToArray();
        }

        private void FillBorder(short[] pad)
        {
            // Every mapped column is one the vertical pass wrote (the constructor widens the direct range otherwise).
            int[] fill = _borderFill ??= BorderFill();
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
