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
        for (int v = 0; v < size; v++)
        {
            for (int u = 0; u < size; u++)
            {
                float r = 0, g = 0, b = 0;
                for (int sy = 0; sy < supersample; sy++)
                {
                    for (int sx = 0; sx < supersample; sx++)
                    {
                        Vector2 q = new(u + ((sx + 0.5f) / supersample), v + ((sy + 0.5f) / supersample));
                        Vector2 p = Vector2.Transform(q, cropToSource);
                        Bilinear(bytes, width, height, p.X - 0.5f, p.Y - 0.5f, ref r, ref g, ref b);
                    }
                }

                int o = ((v * size) + u) * 3;
                destination[o] = (r * k) + offset;
                destination[o + 1] = (g * k) + offset;
                destination[o + 2] = (b * k) + offset;
            }
        }

    }

    /// <summary>How many samples per axis keep a crop of <paramref name="sourcePixelsPerCropPixel"/> from aliasing (1..8).</summary>
    public static int SupersampleFor(float sourcePixelsPerCropPixel) =>
        Math.Clamp((int)MathF.Ceiling(sourcePixelsPerCropPixel - 0.25f), 1, 8);

    // Bilinear sample at index-space position (x, y) (pixel centres at integers); black outside.
    private static void Bilinear(ReadOnlySpan<byte> bytes, int width, int height, float x, float y, ref float r, ref float g, ref float b)
    {
        if (!(x > -1f && y > -1f && x < width && y < height))
        {
            return;
        }

        int x0 = (int)MathF.Floor(x);
        int y0 = (int)MathF.Floor(y);
        float fx = x - x0;
        float fy = y - y0;
        Accumulate(bytes, width, height, x0, y0, (1 - fx) * (1 - fy), ref r, ref g, ref b);
        Accumulate(bytes, width, height, x0 + 1, y0, fx * (1 - fy), ref r, ref g, ref b);
        Accumulate(bytes, width, height, x0, y0 + 1, (1 - fx) * fy, ref r, ref g, ref b);
        Accumulate(bytes, width, height, x0 + 1, y0 + 1, fx * fy, ref r, ref g, ref b);
    }

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
