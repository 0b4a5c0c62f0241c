using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing.Processors;

namespace FaceDefender.Imaging.Processors;

/// <summary>
/// Base of the processors that run a FaceDefender kernel inside ImageSharp's <c>Mutate</c>: the parameter
/// object is validated on construction; the pixel work runs on contiguous RGB bytes (other pixel types
/// are converted to Rgb24 and back).
/// </summary>
internal abstract class Rgb24KernelProcessor : IImageProcessor
{
    /// <summary>Runs the kernel on interleaved RGB bytes of the whole frame.</summary>
    /// <param name="source">A copy of the frame's pixels.</param>
    /// <param name="destination">The frame's pixels, to write; same size.</param>
    /// <param name="width">Frame width.</param>
    /// <param name="height">Frame height.</param>
    /// <param name="region">The rectangle the caller asked to process, clipped to the frame.</param>
    protected internal abstract void Run(ReadOnlySpan<byte> source, Span<byte> destination, int width, int height, Rectangle region);

    /// <inheritdoc />
    public IImageProcessor<TPixel> CreatePixelSpecificProcessor<TPixel>(Configuration configuration, Image<TPixel> source, Rectangle sourceRectangle)
        where TPixel : unmanaged, IPixel<TPixel>
        => new Worker<TPixel>(this, source, sourceRectangle);

    private sealed class Worker<TPixel> : IImageProcessor<TPixel>
        where TPixel : unmanaged, IPixel<TPixel>
    {
        private readonly Rgb24KernelProcessor _owner;
        private readonly Image<TPixel> _image;
        private readonly Rectangle _rect;

        public Worker(Rgb24KernelProcessor owner, Image<TPixel> image, Rectangle rect)
        {
            _owner = owner;
            _image = image;
            _rect = rect;
        }

        public void Execute()
        {
            Rectangle region = Rectangle.Intersect(_rect, _image.Bounds());
            if (region.Width <= 0 || region.Height <= 0)
            {
                return;
            }

            int w = _image.Width, h = _image.Height, rowBytes = w * 3;
            byte[] src = System.Buffers.ArrayPool<byte>.Shared.Rent(rowBytes * h);
            byte[] dst = System.Buffers.ArrayPool<byte>.Shared.Rent(rowBytes * h);
            try
            {
                foreach (ImageFrame<TPixel> frame in _image.Frames)
                {
                    frame.ProcessPixelRows(acc =>
                    {
                        for (int y = 0; y < h; y++)
                        {
                            PixelOperations<TPixel>.Instance.ToRgb24(Configuration.Default, acc.GetRowSpan(y),
                                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(src.AsSpan(y * rowBytes, rowBytes)));
                        }
                    });
                    src.AsSpan(0, rowBytes * h).CopyTo(dst);
                    _owner.Run(src.AsSpan(0, rowBytes * h), dst.AsSpan(0, rowBytes * h), w, h, region);
                    frame.ProcessPixelRows(acc =>
                    {
                        for (int y = region.Y; y < region.Bottom; y++)
                        {
                            Span<Rgb24> row = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(dst.AsSpan(y * rowBytes, rowBytes));
                            PixelOperations<TPixel>.Instance.FromRgb24(Configuration.Default, row.Slice(region.X, region.Width),
                                acc.GetRowSpan(y).Slice(region.X, region.Width));
                        }
                    });
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(src);
                System.Buffers.ArrayPool<byte>.Shared.Return(dst);
            }
        }

        public void Dispose()
        {
        }
    }
}
