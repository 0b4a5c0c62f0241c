namespace FaceDefender.Decoding;

/// <summary>Why an encoded image was refused. Every refusal is an <see cref="ImageDecodingException"/> carrying one of these.</summary>
public enum ImageDecodingFailure
{
    /// <summary>The file could not be opened or read (missing, no permission, not a regular file, I/O error).</summary>
    NotReadable,

    /// <summary>The data is not an image in any format the decoder knows.</summary>
    UnknownFormat,

    /// <summary>The data is an image in a format that is not enabled in <see cref="ImageDecodingOptions.AllowedFormats"/>.</summary>
    FormatNotAllowed,

    /// <summary>The data is malformed: the structure checks or the decoder rejected it.</summary>
    Corrupt,

    /// <summary>The image ends before its data is complete (and <see cref="ImageDecodingOptions.RejectTruncated"/> is set).</summary>
    Truncated,

    /// <summary>The declared width x height exceeds <see cref="ImageDecodingOptions.MaxPixels"/> (or is zero).</summary>
    TooManyPixels,

    /// <summary>The encoded data exceeds <see cref="ImageDecodingOptions.MaxEncodedBytes"/>.</summary>
    TooManyBytes,

    /// <summary>The metadata (EXIF, XMP, ICC, comments, text chunks) exceeds <see cref="ImageDecodingOptions.MaxMetadataBytes"/>.</summary>
    TooMuchMetadata,

    /// <summary>A progressive JPEG has more scans than <see cref="ImageDecodingOptions.MaxJpegScans"/>.</summary>
    TooManyScans,

    /// <summary>Decoding took longer than <see cref="ImageDecodingOptions.Timeout"/>.</summary>
    TimedOut,

    /// <summary>The decoder ran out of memory or hit the per-buffer allocation limit.</summary>
    OutOfMemory,
}
