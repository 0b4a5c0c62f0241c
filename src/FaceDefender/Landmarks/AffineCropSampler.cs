using System.Numerics;
using System.Runtime.InteropServices;
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
    public static void Sample(
        ReadOnlySpan<Rgb24> pixels, int width, int height, Matrix3x2 cropToSource, int size,
        float scale, float offset, int supersample, Span<float> destination)
    {
        if (destination.Length < size * size * 3)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(pixels);
        float k = scale / 255f / (supersample * supersample);
        float step = 1f / supersample;

        // Source position of crop point q: origin + q.x * du + q.y * dv (index space: minus half a
        // pixel). Plain floats rather than Vector2 keep unoptimised (Debug) builds usable.
        float dux = cropToSource.M11, duy = cropToSource.M12, dvx = cropToSource.M21, dvy = cropToSource.M22;
        float ox = cropToSource.M31 - 0.5f, oy = cropToSource.M32 - 0.5f;
        float sdux = step * dux, sduy = step * duy;
        int stride = width * 3;
        for (int v = 0; v < size; v++)
        {
            for (int u = 0; u < size; u++)
            {
                float r = 0, g = 0, b = 0;
                float qu = u + (0.5f * step);
                for (int sy = 0; sy < supersample; sy++)
                {
                    float qv = v + ((sy + 0.5f) * step);
                    float x = ox + (qu * dux) + (qv * dvx);
                    float y = oy + (qu * duy) + (qv * dvy);
                    for (int sx = 0; sx < supersample; sx++, x += sdux, y += sduy)
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

                int o = ((v * size) + u) * 3;
                destination[o] = (r * k) + offset;
                destination[o + 1] = (g * k) + offset;
                destination[o + 2] = (b * k) + offset;
            }
        }
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
        int w = (width + factor - 1) / factor;
        int h = (height + factor - 1) / factor;
        var result = new Rgb24[w * h];
        var sums = new int[w * 3];
        var counts = new int[w];
        for (int j = 0; j < h; j++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            int yEnd = Math.Min(height, (j + 1) * factor);
            for (int y = j * factor; y < yEnd; y++)
            {
                ReadOnlySpan<Rgb24> row = source.Slice(y * width, width);
                for (int i = 0, x = 0; i < w; i++)
                {
                    int xEnd = Math.Min(width, x + factor);
                    int r = 0, g = 0, b = 0;
                    for (; x < xEnd; x++)
                    {
                        Rgb24 p = row[x];
                        r += p.R;
                        g += p.G;
                        b += p.B;
                    }

                    sums[3 * i] += r;
                    sums[(3 * i) + 1] += g;
                    sums[(3 * i) + 2] += b;
                    counts[i] += xEnd - (i * factor);
                }
            }

            for (int i = 0; i < w; i++)
            {
                int c = counts[i];
                result[(j * w) + i] = new Rgb24(
                    (byte)((sums[3 * i] + (c / 2)) / c), (byte)((sums[(3 * i) + 1] + (c / 2)) / c), (byte)((sums[(3 * i) + 2] + (c / 2)) / c));
            }
        }

        return (result, w, h);
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
}
