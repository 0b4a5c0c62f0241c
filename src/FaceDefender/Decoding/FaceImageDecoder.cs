using System.Collections.Concurrent;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Decoding;

/// <summary>
/// Decodes untrusted photos within budgets (see <see cref="ImageDecodingOptions"/>): the format is recognised from the
/// content and must be allowed (JPEG and PNG by default); the declared size, metadata volume, scan count and encoded size
/// are checked on the bytes before any pixel is allocated; metadata is dropped undecoded (only the EXIF orientation is
/// read, and applied); decoding stops at its time budget. Whatever goes wrong, including exceptions the image library
/// throws on malformed data, comes out as one <see cref="ImageDecodingException"/> naming the reason. Any pixel format
/// (greyscale, 16-bit, CMYK JPEG, alpha) becomes <see cref="Rgb24"/>. Thread-safe. Never writes to its input.
/// </summary>
public static class FaceImageDecoder
{
    /// <summary>Default pixel-count limit: 64 megapixels (about 200 MB as RGB).</summary>
    public const long DefaultMaxPixels = 64L * 1024 * 1024;

    private static readonly ConcurrentDictionary<int, Configuration> Configurations = new();

    /// <summary>Decodes an image file with the default budgets and a pixel limit.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxPixels">Refuse images whose declared width x height exceeds this.</param>
    /// <returns>A new upright image that the caller disposes.</returns>
    /// <exception cref="ArgumentException">Empty path.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Non-positive limit.</exception>
    /// <exception cref="ImageDecodingException">The file cannot be read, is not an allowed image, is corrupt, truncated or too large.</exception>
    public static Image<Rgb24> Load(string path, long maxPixels = DefaultMaxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        using DecodedImage decoded = Decode(path, ImageDecodingOptions.Default with { MaxPixels = maxPixels });
        return decoded.DetachImage();
    }

    /// <summary>Decodes an image from a stream (read from its current position; not disposed) with the default budgets and a pixel limit.</summary>
    /// <param name="stream">The encoded image.</param>
    /// <param name="maxPixels">Refuse images whose declared width x height exceeds this.</param>
    /// <returns>A new upright image that the caller disposes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPixels"/> is not positive.</exception>
    /// <exception cref="ImageDecodingException">Not an allowed image, corrupt, truncated or too large, or the stream failed.</exception>
    public static Image<Rgb24> Load(Stream stream, long maxPixels = DefaultMaxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        using DecodedImage decoded = Decode(stream, ImageDecodingOptions.Default with { MaxPixels = maxPixels });
        return decoded.DetachImage();
    }

    /// <summary>Decodes an image file within budgets.</summary>
    /// <param name="path">The file: a regular file (pipes, devices and sockets are refused without being opened for a blocking read).</param>
    /// <param name="options">Budgets and formats; default <see cref="ImageDecodingOptions.Default"/>.</param>
    /// <param name="cancellationToken">Stops reading and decoding.</param>
    /// <returns>The decoded image; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">Empty path.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options.</exception>
    /// <exception cref="ImageDecodingException">The file was refused; <see cref="ImageDecodingException.Failure"/> says why.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static DecodedImage Decode(string path, ImageDecodingOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= ImageDecodingOptions.Default;
        options.Validate();
        EncodedImage encoded = ReadFile(path, options, cancellationToken);
        return Decode(encoded, options, cancellationToken);
    }

    /// <summary>Decodes an image from a stream within budgets (read from its current position up to <see cref="ImageDecodingOptions.MaxEncodedBytes"/>; not disposed).</summary>
    /// <param name="stream">The encoded image.</param>
    /// <param name="options">Budgets and formats; default <see cref="ImageDecodingOptions.Default"/>.</param>
    /// <param name="cancellationToken">Stops reading and decoding.</param>
    /// <returns>The decoded image; the caller disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream cannot be read.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options.</exception>
    /// <exception cref="ImageDecodingException">The data was refused; <see cref="ImageDecodingException.Failure"/> says why.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static DecodedImage Decode(Stream stream, ImageDecodingOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= ImageDecodingOptions.Default;
        options.Validate();
        EncodedImage encoded = ReadStream(stream, options, cancellationToken);
        return Decode(encoded, options, cancellationToken);
    }

    /// <summary>
    /// Reads a stream asynchronously (no synchronous I/O, as ASP.NET Core requires) and decodes it within budgets.
    /// </summary>
    /// <param name="stream">The encoded image, read from its current position up to <see cref="ImageDecodingOptions.MaxEncodedBytes"/>; not disposed.</param>
    /// <param name="options">Budgets and formats; default <see cref="ImageDecodingOptions.Default"/>.</param>
    /// <param name="cancellationToken">Stops reading and decoding.</param>
    /// <returns>The decoded image; the caller disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream cannot be read.</exception>
    /// <exception cref="ImageDecodingException">The data was refused.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static async Task<DecodedImage> DecodeAsync(Stream stream, ImageDecodingOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= ImageDecodingOptions.Default;
        options.Validate();
        EncodedImage encoded = await ReadStreamAsync(stream, options, cancellationToken).ConfigureAwait(false);
        return Decode(encoded, options, cancellationToken);
    }

    /// <summary>Bytes read within the budget and their structural walk, before decoding.</summary>
    internal sealed record EncodedImage(EncodedImageInfo Info, long EncodedBytes)
    {
        /// <summary>Bytes the decode will hold at its peak, estimated from the declared size (for memory budgets).</summary>
        public long EstimatedDecodeBytes => (Info.Width > 0 ? (long)Info.Width * Info.Height * 12 : 0) + Info.Length;
    }

    internal static EncodedImage ReadFile(string path, ImageDecodingOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            using FileStream stream = RegularFile.OpenRead(path);
            if (stream.Length > options.MaxEncodedBytes)
            {
                throw TooManyBytes(options);
            }

            return ReadStream(stream, options, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ImageDecodingException(ImageDecodingFailure.NotReadable, $"Could not read the image '{path}': {e.Message}", e);
        }
    }

    internal static EncodedImage ReadStream(Stream stream, ImageDecodingOptions options, CancellationToken cancellationToken)
    {
        var buffer = new ReadBuffer(stream, options);
        try
        {
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                buffer.MakeRoom();
            }
            while (buffer.Advance(stream.Read(buffer.Free.Span)));
        }
        catch (Exception e) when (IsStreamFailure(e, cancellationToken))
        {
            throw StreamFailure(e);
        }

        return buffer.Inspect();
    }

    internal static async Task<EncodedImage> ReadStreamAsync(Stream stream, ImageDecodingOptions options, CancellationToken cancellationToken)
    {
        var buffer = new ReadBuffer(stream, options);
        try
        {
            do
            {
                // Also between reads: a caller's stream may ignore the token it is given.
                cancellationToken.ThrowIfCancellationRequested();
                buffer.MakeRoom();
            }
            while (buffer.Advance(await stream.ReadAsync(buffer.Free, cancellationToken).ConfigureAwait(false)));
        }
        catch (Exception e) when (IsStreamFailure(e, cancellationToken))
        {
            throw StreamFailure(e);
        }

        return buffer.Inspect();
    }

    // Whatever the stream throws (I/O errors, a disposed stream, ASP.NET Core's refusal of synchronous reads) is the caller's
    // stream failing, not a crash: reported as unreadable, with the stream's own message. A requested cancellation stays one.
    private static bool IsStreamFailure(Exception e, CancellationToken cancellationToken) =>
        e is not ImageDecodingException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private static ImageDecodingException StreamFailure(Exception e) =>
        new(ImageDecodingFailure.NotReadable, $"Reading the image failed ({e.GetType().Name}: {e.Message}).", e);

    /// <summary>The bytes of a stream read so far, grown as needed and held to the encoded-size budget.</summary>
    private sealed class ReadBuffer
    {
        private readonly ImageDecodingOptions _options;
        private byte[] _buffer;
        private int _length;

        public ReadBuffer(Stream stream, ImageDecodingOptions options)
        {
            ArgumentNullException.ThrowIfNull(stream);
            if (!stream.CanRead)
            {
                throw new ArgumentException("The stream cannot be read.", nameof(stream));
            }

            _options = options;
            _buffer = new byte[InitialBufferSize(stream, options)];
        }

        public Memory<byte> Free => _buffer.AsMemory(_length);

        public void MakeRoom()
        {
            if (_length == _buffer.Length)
            {
                _buffer = Grow(_buffer, _options);
            }
        }

        /// <summary>Counts <paramref name="read"/> bytes; false at the end of the stream.</summary>
        public bool Advance(int read)
        {
            if (read <= 0)
            {
                return false;
            }

            _length += read;
            if (_length > _options.MaxEncodedBytes)
            {
                throw TooManyBytes(_options);
            }

            return true;
        }

        public EncodedImage Inspect() => FaceImageDecoder.Inspect(_buffer, _length, _options);
    }

    internal static DecodedImage Decode(EncodedImage encoded, ImageDecodingOptions options, CancellationToken cancellationToken)
    {
        EncodedImageInfo info = encoded.Info;
        if (info.Truncated && options.RejectTruncated)
        {
            throw new ImageDecodingException(ImageDecodingFailure.Truncated, "The image data ends early: the file is truncated.");
        }

        // The time budget reaches the decoder twice: as a cancellation it checks between markers and chunks, and through the
        // stream, whose every read checks the deadline.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Timeout != Timeout.InfiniteTimeSpan)
        {
            budget.CancelAfter(options.Timeout);
        }

        using var stream = new GuardedReadStream(info.Data, info.Length, options.Timeout, cancellationToken);
        Image<Rgb24>? image = null;
        try
        {
            Configuration configuration = ConfigurationFor(options);
            IImageDecoder decoder = info.Format switch
            {
                ImageFormats.Jpeg => new JpegDecoder { IgnoreMetadata = true },
                ImageFormats.Png => new PngDecoder { IgnoreMetadata = true },
                ImageFormats.Gif => new GifDecoder { IgnoreMetadata = true, DecodingMode = FrameDecodingMode.First },
                ImageFormats.Tiff => new TiffDecoder { IgnoreMetadata = true, DecodingMode = FrameDecodingMode.First },
                ImageFormats.Webp => new WebpDecoder { IgnoreMetadata = true },
                ImageFormats.Bmp => new BmpDecoder(),
                ImageFormats.Tga => new TgaDecoder(),
                _ => new PbmDecoder(),
            };

            if (info.Width == 0)
            {
                // Formats not walked here: the declared size from the decoder's own header parse, within the time budget.
                IImageInfo header = ((IImageInfoDetector)decoder).Identify(configuration, stream, budget.Token)
                                    ?? throw new ImageDecodingException(ImageDecodingFailure.Corrupt, $"The {info.Format} header could not be read. The file is corrupt.");
                EncodedImageInspector.CheckPixels(header.Width, header.Height, options);
                stream.Position = 0;
            }

            image = decoder.Decode<Rgb24>(configuration, stream, budget.Token);
            stream.Check();
            if (info.Orientation != 1)
            {
                image.Metadata.ExifProfile = new ExifProfile();
                image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, info.Orientation);
                image.Mutate(x => x.AutoOrient());
            }

            image.Metadata.ExifProfile = null;
            image.Metadata.XmpProfile = null;
            image.Metadata.IccProfile = null;
            image.Metadata.IptcProfile = null;
            var result = new DecodedImage(image, info.Format, info.Truncated, info.Orientation, encoded.EncodedBytes);
            image = null;
            return result;
        }
        catch (Exception e) when (e is not ImageDecodingException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw Classify(e, options, timedOut: budget.IsCancellationRequested);
        }
        finally
        {
            image?.Dispose();
        }
    }

    private static EncodedImage Inspect(byte[] buffer, int length, ImageDecodingOptions options)
    {
        if (length == 0)
        {
            throw new ImageDecodingException(ImageDecodingFailure.UnknownFormat, "The file is empty.");
        }

        ImageFormats format = EncodedImageInspector.Sniff(buffer.AsSpan(0, length));
        if (format == ImageFormats.None && (options.AllowedFormats & ImageFormats.Tga) != 0 && LooksLikeTga(buffer, length, options))
        {
            format = ImageFormats.Tga;
        }

        if (format == ImageFormats.None)
        {
            throw new ImageDecodingException(ImageDecodingFailure.UnknownFormat,
                $"The data is not an image in an accepted format ({Describe(options.AllowedFormats)}); the file is corrupt or not an image.");
        }

        if ((options.AllowedFormats & format) == 0)
        {
            throw new ImageDecodingException(ImageDecodingFailure.FormatNotAllowed,
                $"The data is a {format} image; only {Describe(options.AllowedFormats)} are accepted. Convert it, or allow {format} in ImageDecodingOptions.AllowedFormats.");
        }

        try
        {
            return new EncodedImage(EncodedImageInspector.Inspect(buffer, length, format, options), length);
        }
        catch (Exception e) when (e is not ImageDecodingException)
        {
            throw Classify(e, options);
        }
    }

    private static bool LooksLikeTga(byte[] buffer, int length, ImageDecodingOptions options)
    {
        try
        {
            return Image.DetectFormat(ConfigurationFor(options with { AllowedFormats = ImageFormats.Tga }), buffer.AsSpan(0, length)) is not null;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static ImageDecodingException Classify(Exception e, ImageDecodingOptions options, bool timedOut = false)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is GuardedReadStream.DecodeTimeoutException || (timedOut && x is OperationCanceledException))
            {
                return new ImageDecodingException(ImageDecodingFailure.TimedOut,
                    $"Decoding took longer than the budget of {options.Timeout.TotalSeconds:0.#} s and was stopped; the file is probably crafted or damaged.", e);
            }

            if (x is OutOfMemoryException or InvalidMemoryOperationException)
            {
                return new ImageDecodingException(ImageDecodingFailure.OutOfMemory,
                    $"The decoder ran out of memory ({x.GetType().Name}); the file is probably crafted or damaged.", e);
            }
        }

        return new ImageDecodingException(ImageDecodingFailure.Corrupt,
            $"The image could not be decoded ({e.GetType().Name}: {e.Message}); the file is corrupt, truncated or not an image.", e);
    }

    private static string Describe(ImageFormats formats) =>
        string.Join(", ", Enum.GetValues<ImageFormats>().Where(f => f is not (ImageFormats.None or ImageFormats.Default or ImageFormats.All) && (formats & f) != 0));

    private static Configuration ConfigurationFor(ImageDecodingOptions options)
    {
        // Only the allowed formats' modules, and a per-buffer allocation limit that fits the pixel budget.
        int limitMb = (int)Math.Clamp((options.MaxPixels * 16 / (1024 * 1024)) + 64, 128, 16 * 1024);
        int key = ((int)options.AllowedFormats & 0xFF) | (limitMb << 8);
        return Configurations.GetOrAdd(key, static (k, formats) =>
        {
            var modules = new List<IConfigurationModule>();
            if ((formats & ImageFormats.Jpeg) != 0) modules.Add(new JpegConfigurationModule());
            if ((formats & ImageFormats.Png) != 0) modules.Add(new PngConfigurationModule());
            if ((formats & ImageFormats.Gif) != 0) modules.Add(new GifConfigurationModule());
            if ((formats & ImageFormats.Bmp) != 0) modules.Add(new BmpConfigurationModule());
            if ((formats & ImageFormats.Tiff) != 0) modules.Add(new TiffConfigurationModule());
            if ((formats & ImageFormats.Webp) != 0) modules.Add(new WebpConfigurationModule());
            if ((formats & ImageFormats.Tga) != 0) modules.Add(new TgaConfigurationModule());
            if ((formats & ImageFormats.Pbm) != 0) modules.Add(new PbmConfigurationModule());
            return new Configuration(modules.ToArray())
            {
                MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = k >> 8, MaximumPoolSizeMegabytes = 64 }),
            };
        }, options.AllowedFormats);
    }

    private static int InitialBufferSize(Stream stream, ImageDecodingOptions options)
    {
        long hint = 64 * 1024;
        try
        {
            if (stream.CanSeek)
            {
                hint = Math.Max(1, stream.Length - stream.Position);
            }
        }
        catch (NotSupportedException)
        {
        }

        if (hint > options.MaxEncodedBytes)
        {
            throw TooManyBytes(options);
        }

        return (int)Math.Min(hint + 1, options.MaxEncodedBytes + 1);
    }

    private static byte[] Grow(byte[] buffer, ImageDecodingOptions options)
    {
        long size = Math.Min(Math.Max(buffer.Length * 2L, 64 * 1024), options.MaxEncodedBytes + 1);
        if (size <= buffer.Length)
        {
            throw TooManyBytes(options);
        }

        var bigger = new byte[size];
        Buffer.BlockCopy(buffer, 0, bigger, 0, buffer.Length);
        return bigger;
    }

    private static ImageDecodingException TooManyBytes(ImageDecodingOptions options) => new(ImageDecodingFailure.TooManyBytes,
        $"The image data is larger than the limit of {options.MaxEncodedBytes} bytes; refused before decoding. Raise MaxEncodedBytes if the file is genuine.");
}
