using System.Buffers.Binary;

namespace FaceDefender.Decoding;

/// <summary>What a structural walk of the encoded bytes found, before any pixel is decoded.</summary>
internal sealed class EncodedImageInfo
{
    public ImageFormats Format { get; init; }

    /// <summary>Declared width (0 when the format is not walked here).</summary>
    public int Width { get; init; }

    /// <summary>Declared height (0 when the format is not walked here).</summary>
    public int Height { get; init; }

    /// <summary>EXIF orientation 1-8 (1 when absent or invalid).</summary>
    public ushort Orientation { get; init; } = 1;

    public bool Truncated { get; init; }

    public long MetadataBytes { get; init; }

    public int Scans { get; init; }

    /// <summary>The bytes handed to the decoder: metadata segments removed, a missing PNG end chunk added.</summary>
    public required byte[] Data { get; init; }

    public int Length { get; init; }
}

/// <summary>
/// Recognises the format from the content and walks the structure of JPEG and PNG files: declared size, EXIF orientation,
/// metadata volume, scan count and truncation. It copies only the segments the decoder needs (JPEG: all but APP1-APP13,
/// APP15 and comments; PNG: IHDR, PLTE, tRNS, IDAT, IEND), so no metadata parser of the image library ever runs.
/// Every read is bounds-checked; malformed structure is reported, never thrown as anything but
/// <see cref="ImageDecodingException"/>.
/// </summary>
internal static class EncodedImageInspector
{
    private const int MaxExifBytes = 64 * 1024;
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageFormats Sniff(ReadOnlySpan<byte> d)
    {
        if (d.Length >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        {
            return ImageFormats.Jpeg;
        }

        if (d.Length >= 8 && d[..8].SequenceEqual(PngSignature))
        {
            return ImageFormats.Png;
        }

        if (d.Length >= 6 && (d[..6].SequenceEqual("GIF87a"u8) || d[..6].SequenceEqual("GIF89a"u8)))
        {
            return ImageFormats.Gif;
        }

        if (d.Length >= 4 && (d[..4].SequenceEqual("II*\0"u8) || d[..4].SequenceEqual("MM\0*"u8)))
        {
            return ImageFormats.Tiff;
        }

        if (d.Length >= 12 && d[..4].SequenceEqual("RIFF"u8) && d[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormats.Webp;
        }

        if (d.Length >= 2 && d[0] == (byte)'B' && d[1] == (byte)'M')
        {
            return ImageFormats.Bmp;
        }

        if (d.Length >= 3 && d[0] == (byte)'P' && d[1] >= (byte)'1' && d[1] <= (byte)'6' && (d[2] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'#'))
        {
            return ImageFormats.Pbm;
        }

        return ImageFormats.None;
    }

    public static EncodedImageInfo Inspect(byte[] data, int length, ImageFormats format, ImageDecodingOptions options) => format switch
    {
        ImageFormats.Jpeg => InspectJpeg(data, length, options),
        ImageFormats.Png => InspectPng(data, length, options),
        _ => new EncodedImageInfo { Format = format, Data = data, Length = length },
    };

    private static EncodedImageInfo InspectJpeg(byte[] data, int n, ImageDecodingOptions options)
    {
        var output = new byte[n + 2];
        Array.Copy(data, output, 2);
        int w = 0, h = 0, scans = 0, outLength = 2;
        long metadata = 0;
        ushort orientation = 1;
        bool sawOrientation = false, truncated = true;
        int pos = 2;
        while (pos < n)
        {
            if (data[pos] != 0xFF)
            {
                // Stray bytes between segments: skipped to the next marker, as libjpeg does (with a warning there).
                pos = Array.IndexOf(data, (byte)0xFF, pos, n - pos);
                if (pos < 0)
                {
                    pos = n;
                    break;
                }
            }

            int markerStart = pos;
            while (pos < n && data[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= n)
            {
                break;
            }

            byte marker = data[pos++];
            if (marker == 0xD9)
            {
                truncated = false;
                Copy(data, markerStart, pos, output, ref outLength);
                break;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                Copy(data, markerStart, pos, output, ref outLength);
                continue;
            }

            if (marker == 0xD8)
            {
                throw Corrupt("JPEG: a second start-of-image marker inside the image.");
            }

            if (pos + 2 > n)
            {
                break;
            }

            int segmentLength = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(pos));
            if (segmentLength < 2)
            {
                throw Corrupt($"JPEG: marker 0xFF{marker:X2} at byte {markerStart} has an impossible length {segmentLength}.");
            }

            int segmentEnd = pos + segmentLength;
            if (segmentEnd > n)
            {
                break;
            }

            ReadOnlySpan<byte> payload = data.AsSpan(pos + 2, segmentLength - 2);
            bool keep = true;
            if (marker is (>= 0xE1 and <= 0xED) or 0xEF or 0xFE)
            {
                keep = false;
                metadata += segmentLength + 2;
                if (metadata > options.MaxMetadataBytes)
                {
                    throw new ImageDecodingException(ImageDecodingFailure.TooMuchMetadata,
                        $"The JPEG carries more than {options.MaxMetadataBytes} bytes of metadata (EXIF, XMP, ICC, comments); refused before decoding. Strip the metadata or raise MaxMetadataBytes.");
                }

                if (marker == 0xE1 && !sawOrientation && payload.Length > 6 && payload[..6].SequenceEqual("Exif\0\0"u8))
                {
                    sawOrientation = true;
                    orientation = ExifOrientation(payload[6..]);
                }
            }
            else if (marker is (>= 0xC0 and <= 0xCF) && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                if (payload.Length < 6)
                {
                    throw Corrupt("JPEG: the frame header is too short.");
                }

                if (w != 0)
                {
                    throw Corrupt("JPEG: more than one frame header.");
                }

                h = BinaryPrimitives.ReadUInt16BigEndian(payload[1..]);
                w = BinaryPrimitives.ReadUInt16BigEndian(payload[3..]);
                CheckPixels(w, h, options);
            }

            if (keep)
            {
                Copy(data, markerStart, segmentEnd, output, ref outLength);
            }

            pos = segmentEnd;
            if (marker == 0xDA)
            {
                if (w == 0)
                {
                    throw Corrupt("JPEG: scan data before the frame header.");
                }

                if (++scans > options.MaxJpegScans)
                {
                    throw new ImageDecodingException(ImageDecodingFailure.TooManyScans,
                        $"The JPEG has more than {options.MaxJpegScans} scans (cameras write 1, progressive encoders about 10); refused before decoding.");
                }

                // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker.
                int scanStart = pos;
                while (pos + 1 < n && !(data[pos] == 0xFF && data[pos + 1] != 0x00 && data[pos + 1] is not (>= 0xD0 and <= 0xD7)))
                {
                    pos++;
                }

                if (pos + 1 >= n)
                {
                    Copy(data, scanStart, n, output, ref outLength);
                    pos = n;
                    break;
                }

                Copy(data, scanStart, pos, output, ref outLength);
            }
        }

        if (w == 0)
        {
            throw truncated
                ? new ImageDecodingException(ImageDecodingFailure.Truncated, "The JPEG ends before its frame header: the file is truncated.")
                : Corrupt("JPEG: no frame header.");
        }

        if (scans == 0)
        {
            throw truncated
                ? new ImageDecodingException(ImageDecodingFailure.Truncated, "The JPEG ends before its image data: the file is truncated.")
                : Corrupt("JPEG: no image data.");
        }

        return new EncodedImageInfo
        {
            Format = ImageFormats.Jpeg, Width = w, Height = h, Orientation = orientation, Truncated = truncated, MetadataBytes = metadata, Scans = scans,
            Data = output, Length = outLength,
        };
    }

    private static EncodedImageInfo InspectPng(byte[] data, int n, ImageDecodingOptions options)
    {
        var output = new byte[n + 12];
        Array.Copy(data, output, 8);
        int outLength = 8, pos = 8, w = 0, h = 0;
        long metadata = 0;
        ushort orientation = 1;
        bool truncated = true, sawIdat = false;
        while (pos + 8 <= n)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos));
            if (length > int.MaxValue)
            {
                throw Corrupt($"PNG: chunk at byte {pos} declares an impossible length {length}.");
            }

            ReadOnlySpan<byte> type = data.AsSpan(pos + 4, 4);
            long end = pos + 12L + length;
            if (end > n)
            {
                break;
            }

            ReadOnlySpan<byte> payload = data.AsSpan(pos + 8, (int)length);
            if (w == 0 && !type.SequenceEqual("IHDR"u8))
            {
                throw Corrupt("PNG: the first chunk is not IHDR.");
            }

            bool keep = false;
            if (type.SequenceEqual("IHDR"u8))
            {
                if (w != 0 || length != 13)
                {
                    throw Corrupt("PNG: a repeated or malformed IHDR chunk.");
                }

                uint uw = BinaryPrimitives.ReadUInt32BigEndian(payload);
                uint uh = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
                if (uw == 0 || uh == 0 || uw > int.MaxValue || uh > int.MaxValue)
                {
                    throw new ImageDecodingException(ImageDecodingFailure.TooManyPixels, $"The PNG declares {uw} x {uh} pixels, which no photo has.");
                }

                w = (int)uw;
                h = (int)uh;
                CheckPixels(w, h, options);
                keep = true;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                Copy(data, pos, (int)end, output, ref outLength);
                truncated = !sawIdat;
                pos = (int)end;
                break;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                sawIdat = true;
                keep = true;
            }
            else if (type.SequenceEqual("PLTE"u8) || type.SequenceEqual("tRNS"u8))
            {
                keep = true;
            }
            else if ((type[0] & 0x20) == 0)
            {
                throw new ImageDecodingException(ImageDecodingFailure.Corrupt,
                    $"PNG: unknown critical chunk '{System.Text.Encoding.ASCII.GetString(type)}'; the image cannot be decoded safely.");
            }
            else
            {
                keep = false;
                if (type.SequenceEqual("eXIf"u8) && orientation == 1)
                {
                    orientation = ExifOrientation(payload);
                }

                if (type.SequenceEqual("tEXt"u8) || type.SequenceEqual("zTXt"u8) || type.SequenceEqual("iTXt"u8) || type.SequenceEqual("iCCP"u8) || type.SequenceEqual("eXIf"u8))
                {
                    metadata += length + 12;
                    if (metadata > options.MaxMetadataBytes)
                    {
                        throw new ImageDecodingException(ImageDecodingFailure.TooMuchMetadata,
                            $"The PNG carries more than {options.MaxMetadataBytes} bytes of metadata (text, ICC, EXIF chunks); refused before decoding. Strip the metadata or raise MaxMetadataBytes.");
                    }
                }
            }

            if (keep)
            {
                Copy(data, pos, (int)end, output, ref outLength);
            }

            pos = (int)end;
        }

        if (w == 0)
        {
            throw new ImageDecodingException(ImageDecodingFailure.Truncated, "The PNG ends before its header chunk: the file is truncated.");
        }

        if (!sawIdat)
        {
            throw new ImageDecodingException(ImageDecodingFailure.Truncated, "The PNG has no image data: the file is truncated.");
        }

        if (truncated)
        {
            // A complete chunk stream for the decoder; the missing image data is reported, not hidden.
            ReadOnlySpan<byte> iend = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];
            iend.CopyTo(output.AsSpan(outLength));
            outLength += iend.Length;
        }

        return new EncodedImageInfo
        {
            Format = ImageFormats.Png, Width = w, Height = h, Orientation = orientation, Truncated = truncated, MetadataBytes = metadata, Scans = 0,
            Data = output, Length = outLength,
        };
    }

    /// <summary>The orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block; 1 when absent or malformed.</summary>
    internal static ushort ExifOrientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length > MaxExifBytes)
        {
            tiff = tiff[..MaxExifBytes];
        }

        if (tiff.Length < 8)
        {
            return 1;
        }

        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I')
        {
            little = true;
        }
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M')
        {
            little = false;
        }
        else
        {
            return 1;
        }

        uint U32(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
        ushort U16(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);
        uint ifd = U32(tiff[4..]);
        if (ifd < 8 || ifd > tiff.Length - 2)
        {
            return 1;
        }

        int count = U16(tiff[(int)ifd..]);
        for (int i = 0; i < count; i++)
        {
            long entry = ifd + 2L + (12L * i);
            if (entry + 12 > tiff.Length)
            {
                return 1;
            }

            ReadOnlySpan<byte> e = tiff.Slice((int)entry, 12);
            if (U16(e) == 0x0112)
            {
                ushort value = U16(e.Slice(2)) == 3 ? U16(e.Slice(8)) : (ushort)1;
                return value is >= 1 and <= 8 ? value : (ushort)1;
            }
        }

        return 1;
    }

    internal static void CheckPixels(long w, long h, ImageDecodingOptions options)
    {
        if (w <= 0 || h <= 0)
        {
            throw new ImageDecodingException(ImageDecodingFailure.TooManyPixels, $"The image declares {w} x {h} pixels: an empty image.");
        }

        // 64-bit product: 65536 x 65536 must not wrap to 0.
        if (checked(w * h) > options.MaxPixels)
        {
            throw new ImageDecodingException(ImageDecodingFailure.TooManyPixels,
                $"The image is {w} x {h} pixels, above the limit of {options.MaxPixels} pixels; downscale it first or raise MaxPixels.");
        }
    }

    private static void Copy(byte[] src, int from, int to, byte[] dst, ref int length)
    {
        Array.Copy(src, from, dst, length, to - from);
        length += to - from;
    }

    private static ImageDecodingException Corrupt(string message) => new(ImageDecodingFailure.Corrupt, message + " The file is corrupt.");
}
