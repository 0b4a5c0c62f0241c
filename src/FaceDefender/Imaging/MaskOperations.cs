using System.Numerics.Tensors;
using SixLabors.ImageSharp;

namespace FaceDefender.Imaging;

/// <summary>Operations on float masks (values 0 to 1, row-major, one value a pixel).</summary>
/// <remarks>Thread-safe.</remarks>
internal static class MaskOperations
{
    /// <summary>Union of two masks: <paramref name="destination"/>[i] = max(<paramref name="other"/>[i], <paramref name="destination"/>[i]).</summary>
    /// <param name="other">The mask to merge in.</param>
    /// <param name="destination">The mask updated in place; same length as <paramref name="other"/>.</param>
    public static void UnionInPlace(ReadOnlySpan<float> other, Span<float> destination)
    {
        if (other.Length != destination.Length)
        {
            throw new ArgumentException($"Masks differ in size ({other.Length} vs {destination.Length} values); warp them onto the same canvas first.", nameof(other));
        }

        TensorPrimitives.Max(other, destination, destination);
    }

    /// <summary>The smallest rectangle holding every value greater than 0, or <see cref="Rectangle.Empty"/>.</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="width">Mask width.</param>
    /// <param name="height">Mask height.</param>
    public static Rectangle NonZeroBounds(ReadOnlySpan<float> mask, int width, int height)
    {
        ImagingGuard.Dimensions(width, height, nameof(width), nameof(height));
        ImagingGuard.BufferLength(mask.Length, (long)width * height, nameof(mask), width, height, 1);
        int x0 = width, x1 = -1, y0 = height, y1 = -1;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<float> row = mask.Slice(y * width, width);
            if (TensorPrimitives.Max(row) <= 0)
            {
                continue;
            }

            y0 = Math.Min(y0, y);
            y1 = y;
            int first = 0;
            while (!(row[first] > 0))
            {
                first++;
            }

            int last = width - 1;
            while (!(row[last] > 0))
            {
                last--;
            }

            x0 = Math.Min(x0, first);
            x1 = Math.Max(x1, last);
        }

        return y1 < 0 ? Rectangle.Empty : Rectangle.FromLTRB(x0, y0, x1 + 1, y1 + 1);
    }

    /// <summary>
    /// Grey-scale dilation by a (2·radius + 1)-pixel square: each value becomes the maximum of its
    /// neighbourhood (edges are not extended). Separable, O(radius) per pixel and pass.
    /// </summary>
    /// <param name="source">The input mask.</param>
    /// <param name="destination">The output mask; must not overlap the input.</param>
    /// <param name="width">Mask width.</param>
    /// <param name="height">Mask height.</param>
    /// <param name="radius">Half-size of the square, at least 0.</param>
    public static void Dilate(ReadOnlySpan<float> source, Span<float> destination, int width, int height, int radius)
    {
        ImagingGuard.Dimensions(width, height, nameof(width), nameof(height));
        ImagingGuard.BufferLength(source.Length, (long)width * height, nameof(source), width, height, 1);
        ImagingGuard.BufferLength(destination.Length, (long)width * height, nameof(destination), width, height, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        var tmp = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<float> s = source.Slice(y * width, width);
            Span<float> d = tmp.AsSpan(y * width, width);
            for (int x = 0; x < width; x++)
            {
                int a = Math.Max(0, x - radius), b = Math.Min(width - 1, x + radius);
                d[x] = TensorPrimitives.Max(s.Slice(a, b - a + 1));
            }
        }

        for (int y = 0; y < height; y++)
        {
            int a = Math.Max(0, y - radius), b = Math.Min(height - 1, y + radius);
            Span<float> d = destination.Slice(y * width, width);
            tmp.AsSpan(a * width, width).CopyTo(d);
            for (int k = a + 1; k <= b; k++)
            {
                TensorPrimitives.Max(d, tmp.AsSpan(k * width, width), d);
            }
        }
    }

    /// <summary>Feathers a mask with a Gaussian blur (replicated edges), the soft edge of the fusion.</summary>
    /// <param name="source">The input mask.</param>
    /// <param name="destination">The output mask; must not overlap the input.</param>
    /// <param name="width">Mask width.</param>
    /// <param name="height">Mask height.</param>
    /// <param name="sigma">Feather sigma in pixels, greater than 0.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use (1 = calling thread only).</param>
    public static void Feather(ReadOnlySpan<float> source, Span<float> destination, int width, int height, float sigma, int maxDegreeOfParallelism = 1)
        => SeparableGaussianBlur.BlurPlane(source, destination, width, height, 1, GaussianKernel.Create(sigma),
            BlurBorderMode.Replicate, null, maxDegreeOfParallelism);
}
