using SixLabors.ImageSharp;

namespace FaceDefender.Imaging.Processors;

/// <summary>Exact separable Gaussian blur (<see cref="SeparableGaussianBlur"/>) as an ImageSharp processor.</summary>
internal sealed class ExactGaussianBlurProcessor : Rgb24KernelProcessor
{
    /// <summary>Creates the processor; the kernel is built and validated here.</summary>
    /// <param name="sigma">Sigma in pixels, greater than 0.</param>
    /// <param name="border">How edges are extended.</param>
    public ExactGaussianBlurProcessor(float sigma, BlurBorderMode border = BlurBorderMode.Reflect101)
    {
        Kernel = GaussianKernel.Create(sigma);
        Border = border;
    }

    /// <summary>The kernel.</summary>
    public GaussianKernel Kernel { get; }

    /// <summary>The border mode.</summary>
    public BlurBorderMode Border { get; }

    /// <inheritdoc />
    protected internal override void Run(ReadOnlySpan<byte> source, Span<byte> destination, int width, int height, Rectangle region)
        => SeparableGaussianBlur.BlurRgb24(source, destination, width, height, Kernel, Border, region);
}
