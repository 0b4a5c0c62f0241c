using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Decoding;

/// <summary>A decoded, upright photo and what the decoder noticed about its file. Dispose it to release the pixels.</summary>
public sealed class DecodedImage : IDisposable
{
    private Image<Rgb24>? _image;

    internal DecodedImage(Image<Rgb24> image, ImageFormats format, bool truncated, ushort orientation, long encodedBytes)
    {
        _image = image;
        Format = format;
        Truncated = truncated;
        ExifOrientation = orientation;
        EncodedBytes = encodedBytes;
    }

    /// <summary>The pixels, EXIF orientation applied, no metadata.</summary>
    /// <exception cref="ObjectDisposedException">The image was disposed or detached.</exception>
    public Image<Rgb24> Image => _image ?? throw new ObjectDisposedException(nameof(DecodedImage));

    /// <summary>The format recognised from the content.</summary>
    public ImageFormats Format { get; }

    /// <summary>
    /// True when the data ended early (a JPEG without its end marker, a PNG cut inside its chunks): the decoder filled the
    /// missing area, usually grey or black. Measurements near that area are not to be trusted.
    /// </summary>
    public bool Truncated { get; }

    /// <summary>The EXIF orientation found (1-8; 1 when absent) and applied.</summary>
    public ushort ExifOrientation { get; }

    /// <summary>Size of the encoded data in bytes.</summary>
    public long EncodedBytes { get; }

    /// <summary>Takes the image out; the caller disposes it.</summary>
    /// <returns>The image.</returns>
    public Image<Rgb24> DetachImage()
    {
        Image<Rgb24> image = Image;
        _image = null;
        return image;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _image?.Dispose();
        _image = null;
    }
}
