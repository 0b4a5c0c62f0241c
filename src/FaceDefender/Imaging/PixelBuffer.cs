using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Imaging;

/// <summary>
/// Contiguous interleaved RGB bytes of an ImageSharp image: the image's own memory when it is one
/// block, otherwise a pooled copy that <see cref="Dispose"/> writes back (when asked) and returns.
/// </summary>
internal sealed class PixelBuffer : IDisposable
{
    private readonly Image<Rgb24> _image;
    private readonly byte[]? _rented;
    private readonly Memory<Rgb24> _direct;
    private readonly bool _writeBack;

    private PixelBuffer(Image<Rgb24> image, bool writeBack)
    {
        _image = image;
        _writeBack = writeBack;
        if (image.DangerousTryGetSinglePixelMemory(out Memory<Rgb24> memory))
        {
            _direct = memory;
        }
        else
        {
            _rented = WorkBuffers.Bytes.Rent(image.Width * image.Height * 3);
            image.CopyPixelDataTo(_rented.AsSpan(0, image.Width * image.Height * 3));
        }
    }

    public int Width => _image.Width;

    public int Height => _image.Height;

    public Span<byte> Bytes => _rented is null
        ? MemoryMarshal.AsBytes(_direct.Span)
        : _rented.AsSpan(0, Width * Height * 3);

    /// <summary>Read access; nothing is written back.</summary>
    public static PixelBuffer Read(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new PixelBuffer(image, writeBack: false);
    }

    /// <summary>Read-write access; changes reach the image at the latest on dispose.</summary>
    public static PixelBuffer Write(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new PixelBuffer(image, writeBack: true);
    }

    public void Dispose()
    {
        if (_rented is null)
        {
            return;
        }

        if (_writeBack)
        {
            int rowBytes = Width * 3;
            byte[] data = _rented;
            _image.ProcessPixelRows(acc =>
            {
                for (int y = 0; y < acc.Height; y++)
                {
                    MemoryMarshal.Cast<byte, Rgb24>(data.AsSpan(y * rowBytes, rowBytes)).CopyTo(acc.GetRowSpan(y));
                }
            });
        }

        WorkBuffers.Bytes.Return(_rented);
    }
}
