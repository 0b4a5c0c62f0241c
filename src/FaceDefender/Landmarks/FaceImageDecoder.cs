using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Landmarks;

/// <summary>
/// Decodes a photo for landmark detection: checks the declared size before allocating pixels,
/// converts any supported pixel format (greyscale, 16-bit, CMYK JPEG, alpha) to <see cref="Rgb24"/>,
/// and applies the EXIF orientation so that coordinates refer to the upright image. Thread-safe.
/// </summary>
public static class FaceImageDecoder
{
    /// <summary>Default pixel-count limit: 64 megapixels (about 200 MB as RGB).</summary>
    public const long DefaultMaxPixels = 64L * 1024 * 1024;

    /// <summary>Decodes an image file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxPixels">Refuse images whose declared width x height exceeds this.</param>
    /// <returns>A new upright image that the caller disposes.</returns>
    /// <exception cref="ArgumentException">Empty path or non-positive limit.</exception>
    /// <exception cref="FaceDefenderException">The file cannot be read, is not a supported image, is corrupt or too large.</exception>
    public static Image<Rgb24> Load(string path, long maxPixels = DefaultMaxPixels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            using FileStream stream = File.OpenRead(path);
            return Load(stream, maxPixels);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceDefenderException($"Could not read the image '{path}': {e.Message}", e);
        }
    }

    /// <summary>Decodes an image from a stream (read from its current position; not disposed).</summary>
    /// <param name="stream">The encoded image.</param>
    /// <param name="maxPixels">Refuse images whose declared width x height exceeds this.</param>
    /// <returns>A new upright image that the caller disposes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPixels"/> is not positive.</exception>
    /// <exception cref="FaceDefenderException">Not a supported image, corrupt, or too large.</exception>
    public static Image<Rgb24> Load(Stream stream, long maxPixels = DefaultMaxPixels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        Stream seekable = stream;
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            seekable = copy;
        }

        long start = seekable.Position;
        try
        {
            IImageInfo? info = Image.Identify(seekable);
            if (info is null)
            {
                throw new FaceDefenderException("The data is not an image in a supported format (JPEG, PNG, BMP, GIF, TGA, TIFF, WebP, PBM).");
            }

            if ((long)info.Width * info.Height > maxPixels)
            {
                throw new FaceDefenderException(
                    $"The image is {info.Width} x {info.Height} pixels, above the limit of {maxPixels} pixels; downscale it first or raise maxPixels.");
            }

            seekable.Position = start;
            Image<Rgb24> image = Image.Load<Rgb24>(seekable);
            try
            {
                image.Mutate(x => x.AutoOrient());
                return image;
            }
            catch
            {
                image.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException or EndOfStreamException or InvalidDataException)
        {
            throw new FaceDefenderException($"The image could not be decoded ({e.GetType().Name}: {e.Message}); the file is corrupt, truncated or not an image.", e);
        }
        finally
        {
            if (!ReferenceEquals(seekable, stream))
            {
                seekable.Dispose();
            }
        }
    }
}
