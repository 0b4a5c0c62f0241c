using System.Numerics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Imaging.Processors;

/// <summary>
/// FaceDefender's kernels as <c>image.Mutate(ctx =&gt; ...)</c> verbs. Names differ from ImageSharp's own
/// (<c>GaussianBlur</c>, <c>Transform</c>) so both can be used side by side.
/// </summary>
internal static class FaceDefenderProcessingExtensions
{
    /// <summary>Exact separable Gaussian blur with radius ceil(3σ).</summary>
    /// <param name="source">The processing context.</param>
    /// <param name="sigma">Sigma in pixels, greater than 0.</param>
    /// <param name="border">How edges are extended.</param>
    public static IImageProcessingContext ExactGaussianBlur(this IImageProcessingContext source, float sigma, BlurBorderMode border = BlurBorderMode.Reflect101)
        => source.ApplyProcessor(new ExactGaussianBlurProcessor(sigma, border));

    /// <summary>Exact separable Gaussian blur of a rectangle only (the blur still reads around it).</summary>
    /// <param name="source">The processing context.</param>
    /// <param name="sigma">Sigma in pixels, greater than 0.</param>
    /// <param name="rectangle">The area to blur.</param>
    /// <param name="border">How edges are extended.</param>
    public static IImageProcessingContext ExactGaussianBlur(this IImageProcessingContext source, float sigma, Rectangle rectangle, BlurBorderMode border = BlurBorderMode.Reflect101)
        => source.ApplyProcessor(new ExactGaussianBlurProcessor(sigma, border), rectangle);

    /// <summary>Bilinear affine warp keeping the image size (pixel centres at integer coordinates, as OpenCV).</summary>
    /// <param name="source">The processing context.</param>
    /// <param name="sourceToDestination">Forward transform.</param>
    /// <param name="border">What to write where the sample falls outside the image.</param>
    public static IImageProcessingContext WarpAffineBilinear(this IImageProcessingContext source, Matrix3x2 sourceToDestination, WarpBorderMode border = WarpBorderMode.Constant)
        => source.ApplyProcessor(new BilinearAffineWarpProcessor(sourceToDestination, border));

    /// <summary>Bilinear affine warp of a rectangle of the destination only.</summary>
    /// <param name="source">The processing context.</param>
    /// <param name="sourceToDestination">Forward transform.</param>
    /// <param name="rectangle">The destination area to compute.</param>
    /// <param name="border">What to write where the sample falls outside the image.</param>
    public static IImageProcessingContext WarpAffineBilinear(this IImageProcessingContext source, Matrix3x2 sourceToDestination, Rectangle rectangle, WarpBorderMode border = WarpBorderMode.Constant)
        => source.ApplyProcessor(new BilinearAffineWarpProcessor(sourceToDestination, border), rectangle);
}
