using System.Numerics;
using SixLabors.ImageSharp;

namespace FaceDefender.Imaging.Processors;

/// <summary>
/// Bilinear affine warp (<see cref="AffineWarp"/>) as an ImageSharp processor that keeps the image size;
/// use <see cref="ImageKernels.Warp"/> for a different output size.
/// </summary>
internal sealed class BilinearAffineWarpProcessor : Rgb24KernelProcessor
{
    /// <summary>Creates the processor; a NaN or singular matrix throws here, before any pixel is touched.</summary>
    /// <param name="sourceToDestination">Forward transform.</param>
    /// <param name="border">What to write where the sample falls outside the image.</param>
    public BilinearAffineWarpProcessor(Matrix3x2 sourceToDestination, WarpBorderMode border = WarpBorderMode.Constant)
    {
        _ = AffineWarp.Invert(sourceToDestination, nameof(sourceToDestination));
        Transform = sourceToDestination;
        Border = border;
    }

    /// <summary>The forward transform.</summary>
    public Matrix3x2 Transform { get; }

    /// <summary>The border mode.</summary>
    public WarpBorderMode Border { get; }

    /// <inheritdoc />
    protected internal override void Run(ReadOnlySpan<byte> source, Span<byte> destination, int width, int height, Rectangle region)
        => AffineWarp.WarpRgb24(source, width, height, destination, width, height, Transform, Border, default, region);
}
