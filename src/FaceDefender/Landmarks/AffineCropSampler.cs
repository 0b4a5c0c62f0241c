using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Landmarks;

/// <summary>
/// Samples an <see cref="Rgb24"/> image into a normalised float NHWC tensor through an affine map
/// (the model crops: letterboxed detector input, rotated face crop, mirrored eye crops).
/// </summary>
/// <remarks>
/// Coordinates are continuous: pixel (i, j) covers [i, i+1) x [j, j+1), so its centre is
/// (i + 0.5, j + 0.5). Output pixel (u, v) takes the mean of <c>supersample</c>^2 bilinear samples
/// spread over its footprint (an anti-aliasing box filter when the crop shrinks the image); samples
/// outside the image read black. Thread-safe: no state.
/// </remarks>
internal static class AffineCropSampler
{
    /// <summary>Returns a contiguous view of the pixels, copying only when the image is stored in several blocks.</summary>
    public static ReadOnlyMemory<Rgb24> Pixels(Image<Rgb24> image)
    {
        if (image.DangerousTryGetSinglePixelMemory(out Memory<Rgb24> memory))
        {
            return memory;
        }

        var copy = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(copy);
        return copy;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> (size x size x 3, row-major, RGB) with
    /// <c>value / 255 * scale + offset</c> sampled at <c>Vector2.Transform(q, cropToSource)</c> for each
    /// output position q (continuous crop coordinates).
    /// </summary>
    /// <remarks>
    /// With AVX2 and FMA, eight adjacent output pixels are computed at once (one lane each, the two
    /// neighbour pairs of every sub-sample fetched by 64-bit gathers); a group whose samples come near the image's
    /// edges, and all pixels without those instructions, take the scalar path. Both evaluate the same
    /// definition; they differ only by float rounding (fused multiply-adds).
    /// </remarks>
    public static void Sample(
        ReadOnlySpan<Rgb24> pixels, int width, int height, Matrix3x2 cropToSource, int size,
        float scale, float offset, int supersample, Span<float> destination)
    {
        if (destination.Length < size * size * 3)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }

        if (pixels.Length < width * height)
        {
            throw new ArgumentException("Fewer pixels than width x height.", nameof(pixels));
        }

        var map = new SampleMap(cropToSource, supersample, scale, offset);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(pixels[..(width * height)]);
        for (int v = 0; v < size; v++)
        {
            int u = 0;
            if (Avx2.IsSupported && Fma.IsSupported)
            {
                for (; u + Vector256<float>.Count <= size; u += Vector256<float>.Count)
                {
                    if (!TrySampleEightAvx2(bytes, width, height, map, u, v, destination.Slice(((v * size) + u) * 3, 3 * Vector256<float>.Count)))
                    {
                        for (int l = 0; l < Vector256<float>.Count; l++)
                        {
                            SamplePixel(bytes, width, height, map, u + l, v, destination.Slice(((v * size) + u + l) * 3, 3));
                        }
                    }
                }
            }

            for (; u < size; u++)
            {
                SamplePixel(bytes, width, height, map, u, v, destination.Slice(((v * size) + u) * 3, 3));
            }
        }
    }

    /// <summary>
    /// Output pixel (u, v), scalar: the mean of the supersample^2 bilinear samples (black outside the image).
    /// </summary>
    private static void SamplePixel(ReadOnlySpan<byte> bytes, int width, int height, in SampleMap m, int u, int v, Span<float> rgb)
    {
        int stride = width * 3;
        int n = m.Supersample;
        float r = 0, g = 0, b = 0;
        float qu = u + (0.5f * m.Step);
        for (int sy = 0; sy < n; sy++)
        {
            float qv = v + ((sy + 0.5f) * m.Step);
            float x = m.Ox + (qu * m.Dux) + (qv * m.Dvx);
            float y = m.Oy + (qu * m.Duy) + (qv * m.Dvy);
            for (int sx = 0; sx < n; sx++, x += m.StepDux, y += m.StepDuy)
            {
                int x0 = (int)MathF.Floor(x);
                int y0 = (int)MathF.Floor(y);
                float fx = x - x0, fy = y - y0;
                if ((uint)x0 < (uint)(width - 1) && (uint)y0 < (uint)(height - 1))
                {
                    // Fast path: all four neighbours inside.
                    int i = (y0 * stride) + (x0 * 3);
                    float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
                    r += (bytes[i] * w00) + (bytes[i + 3] * w10) + (bytes[i + stride] * w01) + (bytes[i + stride + 3] * w11);
                    g += (bytes[i + 1] * w00) + (bytes[i + 4] * w10) + (bytes[i + stride + 1] * w01) + (bytes[i + stride + 4] * w11);
                    b += (bytes[i + 2] * w00) + (bytes[i + 5] * w10) + (bytes[i + stride + 2] * w01) + (bytes[i + stride + 5] * w11);
                }
                else if (x > -1f && y > -1f && x < width && y < height)
                {
                    Accumulate(bytes, width, height, x0, y0, (1 - fx) * (1 - fy), ref r, ref g, ref b);
                    Accumulate(bytes, width, height, x0 + 1, y0, fx * (1 - fy), ref r, ref g, ref b);
                    Accumulate(bytes, width, height, x0, y0 + 1, (1 - fx) * fy, ref r, ref g, ref b);
                    Accumulate(bytes, width, height, x0 + 1, y0 + 1, fx * fy, ref r, ref g, ref b);
                }
            }
        }

        rgb[0] = (r * m.K) + m.Offset;
        rgb[1] = (g * m.K) + m.Offset;
        rgb[2] = (b * m.K) + m.Offset;
    }

    /// <summary>
    /// Output pixels (u .. u+7, v) with AVX2: lane l is pixel u + l, following the scalar path's sample order.
    /// Returns false, having written nothing, when a sample's four neighbours are not all inside the image
    /// (or the 8-byte read of its bottom pair would end past the pixels): the caller then uses the scalar path.
    /// </summary>
    private static unsafe bool TrySampleEightAvx2(ReadOnlySpan<byte> bytes, int width, int height, in SampleMap m, int u, int v, Span<float> rgb)
    {
        int stride = width * 3;
        int n = m.Supersample;
        Vector256<float> lane = Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        Vector256<float> qu = lane + Vector256.Create(u + (0.5f * m.Step));
        Vector256<float> dux = Vector256.Create(m.Dux), duy = Vector256.Create(m.Duy);
        Vector256<float> stepDux = Vector256.Create(m.StepDux), stepDuy = Vector256.Create(m.StepDuy);
        Vector256<float> one = Vector256<float>.One;
        Vector256<int> three = Vector256.Create(3), strideV = Vector256.Create(stride);

        // Each sample's two horizontal neighbours come from one 8-byte read (bytes 0-2: left pixel, 3-5: right) per
        // row, gathered 4 lanes at a time: lanes (0, 1, 4, 5) in one gather and (2, 3, 6, 7) in the other, so that
        // after a byte shuffle within 128-bit halves, 64-bit unpacks put the lanes back in order.
        Vector256<int> split = Vector256.Create(0, 1, 4, 5, 2, 3, 6, 7);
        Vector256<byte> red = ChannelShuffle(0), green = ChannelShuffle(1), blue = ChannelShuffle(2);

        // x0 in [0, width - 2], y0 in [0, height - 2] (all four neighbours inside), and the 8-byte read of the
        // bottom row, at offset i + stride, ends inside the buffer.
        Vector256<int> xLimit = Vector256.Create(width - 2), yLimit = Vector256.Create(height - 2);
        Vector256<int> offsetLimit = Vector256.Create(bytes.Length - stride - 8);
        Vector256<int> zero = Vector256<int>.Zero;
        Vector256<float> r = Vector256<float>.Zero, g = Vector256<float>.Zero, b = Vector256<float>.Zero;
        fixed (byte* p = bytes)
        {
            long* top = (long*)p;
            long* below = (long*)(p + stride);
            for (int sy = 0; sy < n; sy++)
            {
                float qv = v + ((sy + 0.5f) * m.Step);
                Vector256<float> x = Fma.MultiplyAdd(qu, dux, Vector256.Create(m.Ox + (qv * m.Dvx)));
                Vector256<float> y = Fma.MultiplyAdd(qu, duy, Vector256.Create(m.Oy + (qv * m.Dvy)));
                for (int sx = 0; sx < n; sx++, x += stepDux, y += stepDuy)
                {
                    Vector256<float> xf = Avx.Floor(x), yf = Avx.Floor(y);
                    Vector256<int> x0 = Avx.ConvertToVector256Int32WithTruncation(xf);
                    Vector256<int> y0 = Avx.ConvertToVector256Int32WithTruncation(yf);
                    Vector256<int> i = Avx2.MultiplyLow(y0, strideV) + Avx2.MultiplyLow(x0, three);
                    Vector256<int> outside = Avx2.CompareGreaterThan(x0, xLimit) | Avx2.CompareGreaterThan(zero, x0)
                        | Avx2.CompareGreaterThan(y0, yLimit) | Avx2.CompareGreaterThan(zero, y0)
                        | Avx2.CompareGreaterThan(i, offsetLimit);
                    if (!Avx.TestZ(outside, outside))
                    {
                        return false;
                    }

                    Vector256<float> fx = x - xf, fy = y - yf;
                    Vector256<float> gx = one - fx, gy = one - fy;
                    Vector256<float> w00 = gx * gy, w10 = fx * gy, w01 = gx * fy, w11 = fx * fy;
                    Vector256<int> order = Avx2.PermuteVar8x32(i, split);
                    Vector256<byte> topA = Avx2.GatherVector256(top, order.GetLower(), 1).AsByte();
                    Vector256<byte> topB = Avx2.GatherVector256(top, order.GetUpper(), 1).AsByte();
                    Vector256<byte> bottomA = Avx2.GatherVector256(below, order.GetLower(), 1).AsByte();
                    Vector256<byte> bottomB = Avx2.GatherVector256(below, order.GetUpper(), 1).AsByte();
                    r += Channel(topA, topB, bottomA, bottomB, red, w00, w10, w01, w11);
                    g += Channel(topA, topB, bottomA, bottomB, green, w00, w10, w01, w11);
                    b += Channel(topA, topB, bottomA, bottomB, blue, w00, w10, w01, w11);
                }
            }
        }

        Vector256<float> k = Vector256.Create(m.K), offset = Vector256.Create(m.Offset);
        r = Fma.MultiplyAdd(r, k, offset);
        g = Fma.MultiplyAdd(g, k, offset);
        b = Fma.MultiplyAdd(b, k, offset);
        for (int l = 0; l < Vector256<float>.Count; l++)
        {
            rgb[3 * l] = r.GetElement(l);
            rgb[(3 * l) + 1] = g.GetElement(l);
            rgb[(3 * l) + 2] = b.GetElement(l);
        }

        return true;
    }

    /// <summary>
    /// The byte shuffle that turns 128-bit halves holding two 8-byte neighbour pairs (q0, q1) into 32-bit values
    /// (channel of q0's left pixel, of q1's left pixel, of q0's right pixel, of q1's right pixel).
    /// </summary>
    private static Vector256<byte> ChannelShuffle(int channel)
    {
        Span<byte> mask = stackalloc byte[32];
        mask.Fill(0x80); // zero
        for (int half = 0; half < 2; half++)
        {
            int o = half * 16;
            mask[o] = (byte)channel;
            mask[o + 4] = (byte)(8 + channel);
            mask[o + 8] = (byte)(3 + channel);
            mask[o + 12] = (byte)(11 + channel);
        }

        return Vector256.Create<byte>(mask);
    }

    /// <summary>One channel's bilinear value for the eight lanes from the four 8-byte gathers (see TrySampleEightAvx2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Channel(
        Vector256<byte> topA, Vector256<byte> topB, Vector256<byte> bottomA, Vector256<byte> bottomB, Vector256<byte> shuffle,
        Vector256<float> w00, Vector256<float> w10, Vector256<float> w01, Vector256<float> w11)
    {
        Vector256<long> ta = Avx2.Shuffle(topA, shuffle).AsInt64(), tb = Avx2.Shuffle(topB, shuffle).AsInt64();
        Vector256<long> ba = Avx2.Shuffle(bottomA, shuffle).AsInt64(), bb = Avx2.Shuffle(bottomB, shuffle).AsInt64();
        return Bilinear(
            Avx2.UnpackLow(ta, tb).AsInt32(), Avx2.UnpackHigh(ta, tb).AsInt32(),
            Avx2.UnpackLow(ba, bb).AsInt32(), Avx2.UnpackHigh(ba, bb).AsInt32(), w00, w10, w01, w11);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Bilinear(
        Vector256<int> c00, Vector256<int> c10, Vector256<int> c01, Vector256<int> c11,
        Vector256<float> w00, Vector256<float> w10, Vector256<float> w01, Vector256<float> w11)
    {
        Vector256<float> t = Avx.ConvertToVector256Single(c00) * w00;
        t = Fma.MultiplyAdd(Avx.ConvertToVector256Single(c10), w10, t);
        t = Fma.MultiplyAdd(Avx.ConvertToVector256Single(c01), w01, t);
        return Fma.MultiplyAdd(Avx.ConvertToVector256Single(c11), w11, t);
    }

    /// <summary>Writes the left-right mirror image of a size x size x 3 tensor.</summary>
    public static void FlipHorizontally(ReadOnlySpan<float> source, Span<float> destination, int size)
    {
        for (int v = 0; v < size; v++)
        {
            int row = v * size * 3;
            for (int u = 0; u < size; u++)
            {
                int from = row + (u * 3), to = row + ((size - 1 - u) * 3);
                destination[to] = source[from];
                destination[to + 1] = source[from + 1];
                destination[to + 2] = source[from + 2];
            }
        }
    }

    /// <summary>
    /// Shrinks an image by the integer factor <paramref name="factor"/>: working pixel (i, j) is the mean
    /// of source pixels [i*k, (i+1)*k) x [j*k, (j+1)*k) (clipped at the right and bottom edges), so
    /// working coordinates times k are source coordinates.
    /// </summary>
    public static (Rgb24[] Pixels, int Width, int Height) BoxDownscale(ReadOnlySpan<Rgb24> source, int width, int height, int factor)
    {
        (int w, int h) = BoxDownscaledSize(width, height, factor);
        var result = new Rgb24[w * h];
        BoxDownscale(source, width, height, factor, result);
        return (result, w, h);
    }

    /// <summary>The size <see cref="BoxDownscale(ReadOnlySpan{Rgb24}, int, int, int)"/> gives.</summary>
    public static (int Width, int Height) BoxDownscaledSize(int width, int height, int factor) =>
        ((width + factor - 1) / factor, (height + factor - 1) / factor);

    /// <summary>
    /// <see cref="BoxDownscale(ReadOnlySpan{Rgb24}, int, int, int)"/> into <paramref name="destination"/> (at least
    /// <see cref="BoxDownscaledSize"/> pixels, row-major).
    /// </summary>
    public static void BoxDownscale(ReadOnlySpan<Rgb24> source, int width, int height, int factor, Span<Rgb24> destination)
    {
        (int w, int h) = BoxDownscaledSize(width, height, factor);
        if (destination.Length < w * h)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }

        // Per output row: column sums of the factor source rows (byte-wise, SIMD where available), then the sums of
        // factor consecutive pixels of that row, rounded to the nearest integer mean.
        int rowBytes = width * 3;
        int[] columns = ArrayPool<int>.Shared.Rent(rowBytes);
        ushort[] narrow = ArrayPool<ushort>.Shared.Rent(rowBytes);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(source[..(width * height)]);
        try
        {
            for (int j = 0; j < h; j++)
            {
                int yEnd = Math.Min(height, (j + 1) * factor);
                int rows = yEnd - (j * factor);
                SumRows(bytes, rowBytes, j * factor, rows, columns.AsSpan(0, rowBytes), narrow.AsSpan(0, rowBytes));
                Span<Rgb24> target = destination.Slice(j * w, w);
                ref int column = ref MemoryMarshal.GetArrayDataReference(columns);
                for (int i = 0; i < w; i++)
                {
                    // x < xEnd <= width: every index below is inside the row's rowBytes = 3 * width sums.
                    int xEnd = Math.Min(width, (i + 1) * factor);
                    int r = 0, g = 0, b = 0;
                    for (int x = i * factor, o = 3 * x; x < xEnd; x++, o += 3)
                    {
                        r += Unsafe.Add(ref column, o);
                        g += Unsafe.Add(ref column, o + 1);
                        b += Unsafe.Add(ref column, o + 2);
                    }

                    int c = rows * (xEnd - (i * factor));
                    double reciprocal = 1.0 / c;
                    target[i] = new Rgb24(
                        (byte)RoundedMean(r, c, reciprocal), (byte)RoundedMean(g, c, reciprocal), (byte)RoundedMean(b, c, reciprocal));
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columns);
            ArrayPool<ushort>.Shared.Return(narrow);
        }
    }

    /// <summary>(sum + count / 2) / count in integers, by a multiplication (integer division is slow) made exact by one correction step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundedMean(int sum, int count, double reciprocal)
    {
        int t = sum + (count / 2);
        int q = (int)(t * reciprocal);
        q += (q + 1) * count <= t ? 1 : 0;
        q -= q * count > t ? 1 : 0;
        return q;
    }

    /// <summary>columns[k] = sum over the <paramref name="rows"/> rows from <paramref name="firstRow"/> of byte k of the row.</summary>
    private static void SumRows(ReadOnlySpan<byte> bytes, int rowBytes, int firstRow, int rows, Span<int> columns, Span<ushort> narrow)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated && rows <= 257)
        {
            // 16-bit sums cannot overflow for up to 257 rows of bytes; widened to 32 bits once per output row.
            narrow.Clear();
            ref ushort acc = ref MemoryMarshal.GetReference(narrow);
            for (int y = 0; y < rows; y++)
            {
                ref byte row = ref MemoryMarshal.GetReference(bytes.Slice((firstRow + y) * rowBytes, rowBytes));
                for (int x = 0; x + Vector256<byte>.Count <= rowBytes; x += Vector256<byte>.Count)
                {
                    (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref row, (nuint)x));
                    Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref acc, (nuint)x) + lo, ref acc, (nuint)x);
                    int x2 = x + Vector256<ushort>.Count;
                    Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref acc, (nuint)x2) + hi, ref acc, (nuint)x2);
                }
            }

            k = rowBytes - (rowBytes % Vector256<byte>.Count);
            ref int column = ref MemoryMarshal.GetReference(columns);
            for (int x = 0; x < k; x += Vector256<ushort>.Count)
            {
                (Vector256<uint> lo, Vector256<uint> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref acc, (nuint)x));
                Vector256.StoreUnsafe(lo.AsInt32(), ref column, (nuint)x);
                Vector256.StoreUnsafe(hi.AsInt32(), ref column, (nuint)(x + Vector256<uint>.Count));
            }
        }

        for (int x = k; x < rowBytes; x++)
        {
            int sum = 0;
            for (int y = 0; y < rows; y++)
            {
                sum += bytes[((firstRow + y) * rowBytes) + x];
            }

            columns[x] = sum;
        }
    }

    /// <summary>How many samples per axis keep a crop of <paramref name="sourcePixelsPerCropPixel"/> from aliasing (1..8).</summary>
    public static int SupersampleFor(float sourcePixelsPerCropPixel) =>
        Math.Clamp((int)MathF.Ceiling(sourcePixelsPerCropPixel - 0.25f), 1, 8);

    private static void Accumulate(ReadOnlySpan<byte> bytes, int width, int height, int x, int y, float w, ref float r, ref float g, ref float b)
    {
        if ((uint)x >= (uint)width || (uint)y >= (uint)height || w == 0f)
        {
            return;
        }

        int i = ((y * width) + x) * 3;
        r += bytes[i] * w;
        g += bytes[i + 1] * w;
        b += bytes[i + 2] * w;
    }

    /// <summary>The crop map in index space (pixel centres at integers) and the per-sample constants.</summary>
    private readonly struct SampleMap
    {
        public SampleMap(Matrix3x2 cropToSource, int supersample, float scale, float offset)
        {
            // Source position of crop point q: origin + q.x * du + q.y * dv (index space: minus half a pixel).
            Supersample = supersample;
            Step = 1f / supersample;
            K = scale / 255f / (supersample * supersample);
            Offset = offset;
            Dux = cropToSource.M11;
            Duy = cropToSource.M12;
            Dvx = cropToSource.M21;
            Dvy = cropToSource.M22;
            Ox = cropToSource.M31 - 0.5f;
            Oy = cropToSource.M32 - 0.5f;
            StepDux = Step * Dux;
            StepDuy = Step * Duy;
        }

        public int Supersample { get; }
        public float Step { get; }
        public float K { get; }
        public float Offset { get; }
        public float Dux { get; }
        public float Duy { get; }
        public float Dvx { get; }
        public float Dvy { get; }
        public float Ox { get; }
        public float Oy { get; }
        public float StepDux { get; }
        public float StepDuy { get; }
    }
}
