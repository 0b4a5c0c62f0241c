namespace FaceDefender.Decoding;

/// <summary>
/// Encoded image formats the decoder may accept. Only <see cref="Jpeg"/> and <see cref="Png"/> are accepted by default:
/// they are what clinical cameras and phones write, and the decoding layer checks their structure before any pixel is
/// decoded. The others are opt-in (see <see cref="ImageDecodingOptions.AllowedFormats"/>): their decoders in the
/// image library are older, less exercised code where most published decoder vulnerabilities were found, and the
/// structural pre-checks (metadata, scan and frame budgets, truncation) do not apply to them; only the first frame is decoded.
/// </summary>
[Flags]
public enum ImageFormats
{
    /// <summary>No format.</summary>
    None = 0,

    /// <summary>JPEG (baseline, extended and progressive; greyscale, YCbCr, CMYK/YCCK).</summary>
    Jpeg = 1,

    /// <summary>PNG (every colour type and bit depth; only the default image of an animated PNG).</summary>
    Png = 2,

    /// <summary>GIF (opt-in; first frame only).</summary>
    Gif = 4,

    /// <summary>BMP (opt-in).</summary>
    Bmp = 8,

    /// <summary>TIFF (opt-in; first page only).</summary>
    Tiff = 16,

    /// <summary>WebP (opt-in; first frame only).</summary>
    Webp = 32,

    /// <summary>TGA (opt-in; recognised by header heuristics only, as TGA has no signature).</summary>
    Tga = 64,

    /// <summary>Netpbm PBM/PGM/PPM (opt-in).</summary>
    Pbm = 128,

    /// <summary>The safe default: JPEG and PNG.</summary>
    Default = Jpeg | Png,

    /// <summary>Every format the image library can decode.</summary>
    All = Jpeg | Png | Gif | Bmp | Tiff | Webp | Tga | Pbm,
}
