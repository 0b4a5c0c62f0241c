namespace FaceDefender.Decoding;

/// <summary>
/// Budgets and allowed formats for decoding untrusted photos. Every limit is checked before the pixels it guards are
/// allocated: the declared size from the file's own header, the metadata and scan counts from a structural walk of the
/// bytes, the encoded size while reading, and the time while the decoder reads. The defaults suit clinical photos from
/// any current camera or phone. Immutable; validated by <see cref="Validate"/> (the decoder calls it).
/// </summary>
public sealed record ImageDecodingOptions
{
    /// <summary>The defaults: JPEG and PNG, 64 megapixels, 200 MiB encoded, 16 MiB metadata, 100 JPEG scans, 30 s.</summary>
    public static ImageDecodingOptions Default { get; } = new();

    /// <summary>Formats accepted, recognised from the content (never from the file name). Default JPEG and PNG only.</summary>
    public ImageFormats AllowedFormats { get; init; } = ImageFormats.Default;

    /// <summary>Largest declared width x height, counted in 64 bits (default 64 Mi pixels, about 200 MB as RGB).</summary>
    public long MaxPixels { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest encoded size in bytes read from a file or stream (default 200 MiB). Reading stops at the limit.</summary>
    public long MaxEncodedBytes { get; init; } = 200L * 1024 * 1024;

    /// <summary>
    /// Largest total size of the metadata segments (JPEG APPn and COM, PNG text, ICC and EXIF chunks), in encoded bytes
    /// (default 16 MiB). Metadata is never decoded: only the EXIF orientation is read, from at most 64 KiB; the rest is
    /// dropped before decoding, so compressed text chunks are never inflated.
    /// </summary>
    public long MaxMetadataBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Largest number of scans in a JPEG (default 100; cameras write 1, progressive encoders about 10).</summary>
    public int MaxJpegScans { get; init; } = 100;

    /// <summary>Wall-clock budget for decoding one image (default 30 s); past it the decoder is stopped.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Refuse an image whose data ends early (JPEG without its end marker, PNG cut inside its chunks) instead of decoding it
    /// with the missing area filled and <see cref="DecodedImage.Truncated"/> set. Default false: the caller is warned.
    /// </summary>
    public bool RejectTruncated { get; init; }

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive, or no format is allowed.</exception>
    public void Validate()
    {
        if ((AllowedFormats & ImageFormats.All) == ImageFormats.None || (AllowedFormats & ~ImageFormats.All) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AllowedFormats), AllowedFormats, "Allow at least one known format (ImageFormats.Jpeg, Png, ...).");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPixels, nameof(MaxPixels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEncodedBytes, nameof(MaxEncodedBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxEncodedBytes, (long)int.MaxValue - 64, nameof(MaxEncodedBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxMetadataBytes, nameof(MaxMetadataBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxJpegScans, nameof(MaxJpegScans));
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "Must be positive (or Timeout.InfiniteTimeSpan).");
        }
    }
}
