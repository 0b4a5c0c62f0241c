using System.Numerics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Imaging;

/// <summary>
/// The imaging kernels on ImageSharp <see cref="Image{Rgb24}"/>s. Every method returns a new image that
/// the caller disposes; inputs are never modified. For in-place use inside <c>Mutate</c>, see
/// <see cref="Processors.FaceDefenderProcessingExtensions"/>.
/// </summary>
internal static class ImageKernels
{
    /// <summary>Warps <paramref name="source"/> into a new image of <paramref name="size"/> (bilinear, inverse mapping).</summary>
    /// <param name="source">The image to warp.</param>
    /// <param name="sourceToDestination">Forward transform, source pixels to destination pixels.</param>
    /// <param name="size">Size of the result.</param>
    /// <param name="border">What to write where the sample falls outside the source.</param>
    /// <param name="borderColor">The colour for <see cref="WarpBorderMode.Constant"/> (and the initial colour for <see cref="WarpBorderMode.Transparent"/>).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use.</param>
    public static Image<Rgb24> Warp(Image<Rgb24> source, Matrix3x2 sourceToDestination, Size size,
        WarpBorderMode border = WarpBorderMode.Constant, Rgb24 borderColor = default, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (size.Width <= 0 || size.Height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The output size must be at least 1 x 1.");
        }

        var result = new Image<Rgb24>(size.Width, size.Height, borderColor);
        try
        {
            using PixelBuffer s = PixelBuffer.Read(source);
            using PixelBuffer d = PixelBuffer.Write(result);
            AffineWarp.WarpRgb24(s.Bytes, s.Width, s.Height, d.Bytes, d.Width, d.Height, sourceToDestination, border,
                (borderColor.R, borderColor.G, borderColor.B), null, maxDegreeOfParallelism);
        }
        catch
        {
            result.Dispose();
            throw;
        }

        return result;
    }

    /// <summary>Blends <paramref name="foreground"/> over <paramref name="background"/> through a mask into a new image.</summary>
    /// <param name="background">Background image.</param>
    /// <param name="foreground">Foreground image, same size.</param>
    /// <param name="mask">One value a pixel in [0, 1], row-major, width x height.</param>
    public static Image<Rgb24> Blend(Image<Rgb24> background, Image<Rgb24> foreground, ReadOnlySpan<float> mask)
    {
        ArgumentNullException.ThrowIfNull(background);
        ArgumentNullException.ThrowIfNull(foreground);
        RequireSameSize(background, foreground, nameof(foreground));
        var result = new Image<Rgb24>(background.Width, background.Height);
        try
        {
            using PixelBuffer b = PixelBuffer.Read(background);
            using PixelBuffer f = PixelBuffer.Read(foreground);
            using PixelBuffer d = PixelBuffer.Write(result);
            ImagingGuard.BufferLength(mask.Length, (long)b.Width * b.Height, nameof(mask), b.Width, b.Height, 1);
            AlphaBlend.Blend(b.Bytes, f.Bytes, mask.Slice(0, b.Width * b.Height), d.Bytes);
        }
        catch
        {
            result.Dispose();
            throw;
        }

        return result;
    }

    /// <summary>
    /// Colour-corrects <paramref name="warped"/> towards <paramref name="reference"/> (see <see cref="ColorTransfer"/>)
    /// into a new image; outside the mask's bounding box the result is a copy of <paramref name="warped"/>.
    /// </summary>
    /// <param name="warped">The warped patient image.</param>
    /// <param name="reference">The avatar, same size.</param>
    /// <param name="mask">Where the result is needed (row-major, width x height), or empty for everywhere.</param>
    /// <param name="sigma">Blur sigma in pixels.</param>
    /// <param name="blur">Exact or fast blur.</param>
    public static Image<Rgb24> TransferColor(Image<Rgb24> warped, Image<Rgb24> reference, ReadOnlySpan<float> mask, float sigma,
        ColorTransferBlur blur = ColorTransferBlur.Fast)
    {
        ArgumentNullException.ThrowIfNull(warped);
        ArgumentNullException.ThrowIfNull(reference);
        RequireSameSize(warped, reference, nameof(reference));
        Image<Rgb24> result = warped.Clone();
        try
        {
            using PixelBuffer w = PixelBuffer.Read(warped);
            using PixelBuffer r = PixelBuffer.Read(reference);
            using PixelBuffer d = PixelBuffer.Write(result);
            ColorTransfer.Apply(w.Bytes, r.Bytes, mask, d.Bytes, w.Width, w.Height, sigma, blur);
        }
        catch
        {
            result.Dispose();
            throw;
        }

        return result;
    }

    internal static void RequireSameSize(Image a, Image b, string name)
    {
        if (a.Width != b.Width || a.Height != b.Height)
        {
            throw new ArgumentException($"Images differ in size ({a.Width} x {a.Height} vs {b.Width} x {b.Height}); warp them onto the same canvas first.", name);
        }
    }
}
