using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Hostile;

/// <summary>Which kind of APPn segment <see cref="HostileImages.JpegWithManyAppSegments"/> inserts.</summary>
internal enum JpegAppSegmentKind
{
    /// <summary>APP2 <c>ICC_PROFILE</c> chunks (sequence numbers 1..255, repeating past 255).</summary>
    IccProfile,

    /// <summary>APP1 <c>Exif</c> segments (a little-endian TIFF header followed by zero bytes).</summary>
    Exif,

    /// <summary>APP1 XMP segments (<c>http://ns.adobe.com/xap/1.0/</c> followed by padding text).</summary>
    Xmp,
}

/// <summary>
/// Crafted hostile image inputs for decoder-robustness tests: decompression bombs in PNG ancillary chunks,
/// headers that declare huge sizes over tiny data, many-frame GIFs and many-page TIFFs, progressive JPEGs with
/// hundreds of empty scans, truncations and JPEGs padded with APPn segments, plus small valid images in formats
/// other than JPEG and PNG. Everything is written in code, deterministically (the same arguments give the same
/// bytes), and is small to produce: the outputs are kilobytes to a few megabytes even where they inflate to
/// gigabytes or declare gigapixel sizes.
/// </summary>
internal static class HostileImages
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    // ------------------------------------------------------------------ PNG

    /// <summary>A small valid 8-bit RGB PNG with a smooth gradient, written by hand (stored deflate blocks).</summary>
    /// <param name="width">Width in pixels (1..4096).</param>
    /// <param name="height">Height in pixels (1..4096).</param>
    public static byte[] Png(int width = 16, int height = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 4096);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 4096);
        return BuildPng(width, height, []);
    }

    /// <summary>
    /// A valid 16x16 RGB PNG with <paramref name="chunks"/> <c>zTXt</c> chunks (keyword "Comment") between IHDR and
    /// IDAT, each holding a zlib stream that inflates to <paramref name="inflatedBytesEach"/> zero bytes (about 1000:1,
    /// so 100 MB of text costs about 100 KB). All CRCs are correct.
    /// </summary>
    /// <param name="chunks">Number of zTXt chunks (0..100000).</param>
    /// <param name="inflatedBytesEach">Inflated size of each chunk's text in bytes.</param>
    public static byte[] PngWithInflatingTextChunks(int chunks, int inflatedBytesEach)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunks, 100_000);
        ArgumentOutOfRangeException.ThrowIfNegative(inflatedBytesEach);
        byte[] payload = [.. Encoding.ASCII.GetBytes("Comment"), 0, 0, .. ZlibZeros(inflatedBytesEach)];
        return BuildPng(16, 16, Enumerable.Repeat(("zTXt", payload), chunks));
    }

    /// <summary>
    /// A valid 16x16 RGB PNG with <paramref name="chunks"/> compressed international text (<c>iTXt</c>, compression
    /// flag 1) chunks before IDAT, each inflating to <paramref name="inflatedBytesEach"/> zero bytes.
    /// </summary>
    /// <param name="chunks">Number of iTXt chunks (0..100000).</param>
    /// <param name="inflatedBytesEach">Inflated size of each chunk's text in bytes.</param>
    public static byte[] PngWithInflatingItxt(int chunks, int inflatedBytesEach)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunks, 100_000);
        ArgumentOutOfRangeException.ThrowIfNegative(inflatedBytesEach);

        // keyword \0, compression flag 1, method 0, language tag "" \0, translated keyword "" \0, zlib text.
        byte[] payload = [.. Encoding.ASCII.GetBytes("Comment"), 0, 1, 0, 0, 0, .. ZlibZeros(inflatedBytesEach)];
        return BuildPng(16, 16, Enumerable.Repeat(("iTXt", payload), chunks));
    }

    /// <summary>
    /// A valid 16x16 RGB PNG whose single <c>iCCP</c> chunk (right after IHDR) holds a zlib stream inflating to
    /// <paramref name="inflatedBytes"/> zero bytes: a colour-profile decompression bomb.
    /// </summary>
    /// <param name="inflatedBytes">Inflated size of the embedded "profile" in bytes.</param>
    public static byte[] PngWithInflatingIccp(int inflatedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inflatedBytes);
        byte[] payload = [.. Encoding.ASCII.GetBytes("ICC Profile"), 0, 0, .. ZlibZeros(inflatedBytes)];
        return BuildPng(16, 16, [("iCCP", payload)]);
    }

    /// <summary>
    /// An 8-bit RGB PNG whose IHDR declares <paramref name="width"/> x <paramref name="height"/> while its single IDAT
    /// inflates to one filter-0 scanline of zeros (a few hundred bytes on disk). A decoder that trusts the header
    /// allocates width x height x 3 bytes or more before it finds the data missing. CRCs are correct.
    /// </summary>
    /// <param name="width">Declared width (1..2^31-1; the PNG limit).</param>
    /// <param name="height">Declared height (1..2^31-1).</param>
    public static byte[] PngDeclaringSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long rowBytes = 1 + (3L * width);
        int idatInflated = (int)Math.Min(rowBytes, 64L * 1024 * 1024);
        using var ms = new MemoryStream();
        ms.Write(PngSignature);
        WritePngChunk(ms, "IHDR", Ihdr(width, height, bitDepth: 8, colorType: 2));
        WritePngChunk(ms, "IDAT", ZlibZeros(idatInflated));
        WritePngChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>The PNG chunk CRC (CRC-32, ISO 3309) of a chunk's type and data bytes.</summary>
    /// <param name="typeAndData">The chunk type (4 bytes) followed by its data.</param>
    public static uint PngCrc(ReadOnlySpan<byte> typeAndData) => Crc32Update(0xFFFFFFFFu, typeAndData) ^ 0xFFFFFFFFu;

    /// <summary>
    /// A zlib stream (RFC 1950) of one dynamic-Huffman deflate block that inflates to exactly
    /// <paramref name="count"/> zero bytes: each 258-byte match costs 2 bits, so the ratio is about 1032:1.
    /// Built bit by bit, independent of the runtime's zlib.
    /// </summary>
    /// <param name="count">Number of zero bytes the stream inflates to.</param>
    public static byte[] ZlibZeros(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var bits = new LsbBitWriter((int)Math.Min(int.MaxValue - 64, 64 + (count / 1000)));
        bits.Bits(1, 1); // BFINAL
        bits.Bits(2, 2); // BTYPE = dynamic Huffman
        bits.Bits(29, 5); // HLIT: 286 literal/length codes
        bits.Bits(1, 5); // HDIST: 2 distance codes
        bits.Bits(14, 4); // HCLEN: 18 code-length code lengths

        // Code-length alphabet: symbol 18 -> 1 bit ("0"), symbols 1 and 2 -> 2 bits ("10", "11").
        ReadOnlySpan<int> order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
        foreach (int symbol in order)
        {
            bits.Bits(symbol switch { 18 => 1, 1 or 2 => 2, _ => 0 }, 3);
        }

        // Literal/length lengths: literal 0 -> 2, 1..255 -> 0, end-of-block 256 -> 2, 257..284 -> 0, 285 -> 1.
        bits.Code(3, 2); // length 2
        bits.Code(0, 1); // 18: 138 zeros
        bits.Bits(127, 7);
        bits.Code(0, 1); // 18: 117 zeros
        bits.Bits(106, 7);
        bits.Code(3, 2); // 256: length 2
        bits.Code(0, 1); // 18: 28 zeros
        bits.Bits(17, 7);
        bits.Code(2, 2); // 285: length 1

        // Distance lengths: codes 0 and 1 -> 1 bit each.
        bits.Code(2, 2);
        bits.Code(2, 2);

        // Canonical codes: 285 -> "0", literal 0 -> "10", end-of-block -> "11"; distance 0 -> "0".
        if (count > 0)
        {
            bits.Code(2, 2); // literal 0
            long matches = (count - 1) / 258;
            bits.Zeros(2 * matches); // each match: length 258 ("0") at distance 1 ("0")
            for (long i = 0; i < (count - 1) % 258; i++)
            {
                bits.Code(2, 2);
            }
        }

        bits.Code(3, 2); // end of block
        byte[] deflate = bits.ToArray();

        var zlib = new byte[2 + deflate.Length + 4];
        zlib[0] = 0x78;
        zlib[1] = 0xDA;
        deflate.CopyTo(zlib, 2);
        uint adler = ((uint)(count % 65521) << 16) | 1u; // a stays 1, b = count (mod 65521)
        BinaryPrimitives.WriteUInt32BigEndian(zlib.AsSpan(zlib.Length - 4), adler);
        return zlib;
    }

    // ------------------------------------------------------------------ GIF

    /// <summary>
    /// A GIF89a with a <paramref name="width"/> x <paramref name="height"/> logical screen and
    /// <paramref name="frames"/> frames, each a 1x1 image descriptor (23 bytes per frame: graphic control extension,
    /// descriptor and a 2-byte LZW stream) placed at successive positions on the screen, with a looping NETSCAPE2.0
    /// extension. A decoder that allocates a full canvas per frame needs frames x width x height pixels.
    /// </summary>
    /// <param name="frames">Number of frames (1..1000000).</param>
    /// <param name="width">Logical screen width (1..65535).</param>
    /// <param name="height">Logical screen height (1..65535).</param>
    public static byte[] GifManyFrames(int frames, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frames, 1_000_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 65535);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 65535);

        using var ms = new MemoryStream(64 + (frames * 23));
        ms.Write("GIF89a"u8);
        WriteLe16(ms, width);
        WriteLe16(ms, height);
        ms.WriteByte(0xF1); // global colour table, 8-bit colour resolution, 4 entries
        ms.WriteByte(0); // background colour index
        ms.WriteByte(0); // no aspect ratio
        ms.Write([0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 255]); // black, white, red, blue

        // NETSCAPE2.0 application extension: loop forever.
        ms.Write([0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 0x03, 0x01, 0x00, 0x00, 0x00]);

        for (int i = 0; i < frames; i++)
        {
            // Graphic control extension: disposal "do not dispose", 20 ms delay, no transparency.
            ms.Write([0x21, 0xF9, 0x04, 0x04, 0x02, 0x00, 0x00, 0x00]);

            int left = i % width;
            int top = (i / width) % height;
            ms.WriteByte(0x2C);
            WriteLe16(ms, left);
            WriteLe16(ms, top);
            WriteLe16(ms, 1);
            WriteLe16(ms, 1);
            ms.WriteByte(0); // no local colour table, not interlaced

            // LZW, minimum code size 2 (3-bit codes): clear (4), pixel (1..3), end of information (5).
            int pixel = 1 + (i % 3);
            int packed = 4 | (pixel << 3) | (5 << 6);
            ms.Write([0x02, 0x02, (byte)packed, (byte)(packed >> 8), 0x00]);
        }

        ms.WriteByte(0x3B);
        return ms.ToArray();
    }

    // ------------------------------------------------------------------ TIFF

    /// <summary>
    /// A little-endian baseline TIFF whose first page is a valid 16x16 8-bit greyscale image (uncompressed) and whose
    /// further <paramref name="pages"/> - 1 pages each declare <paramref name="width"/> x <paramref name="height"/>
    /// greyscale pixels in one PackBits strip that holds only 4 bytes (two 128-byte runs). StripByteCounts are
    /// truthful, so the file is small; a decoder allocating each page (or the strip buffer) grows by width x height
    /// bytes (or more in the output pixel format) per page.
    /// </summary>
    /// <param name="pages">Total number of pages, the small first page included (1..10000).</param>
    /// <param name="width">Declared width of pages 2.. (1..2^31-1).</param>
    /// <param name="height">Declared height of pages 2.. (1..2^31-1).</param>
    public static byte[] TiffManyPages(int pages, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pages, 10_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var list = new List<TiffPage>(pages) { SmallTiffPage() };
        byte[] packBits = [0x81, 0x80, 0x81, 0x80];
        for (int i = 1; i < pages; i++)
        {
            list.Add(new TiffPage((uint)width, (uint)height, Compression: 32773, packBits, (uint)packBits.Length));
        }

        return BuildTiff(list);
    }

    /// <summary>
    /// A little-endian TIFF with a valid 16x16 greyscale first page and an uncompressed second page declaring
    /// <paramref name="width"/> x <paramref name="height"/> 8-bit greyscale pixels in one strip whose StripByteCounts
    /// claims width x height bytes (clamped to 2^32-1) while the file holds only 16 bytes of strip data at the end.
    /// </summary>
    /// <param name="width">Declared width of page 2 (1..2^31-1).</param>
    /// <param name="height">Declared height of page 2 (1..2^31-1).</param>
    public static byte[] TiffWithHugeSecondPage(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        uint declared = (uint)Math.Min((long)width * height, uint.MaxValue);
        byte[] data = [.. Enumerable.Range(0, 16).Select(i => (byte)(i * 16))];
        return BuildTiff([SmallTiffPage(), new TiffPage((uint)width, (uint)height, Compression: 1, data, declared)]);
    }

    // ------------------------------------------------------------------ JPEG

    /// <summary>
    /// A valid 8-bit greyscale progressive JPEG (SOF2), written by hand with its own Huffman tables: one DC first scan
    /// in which every block's coefficients are zero, then <paramref name="scans"/> AC scans that carry nothing but
    /// end-of-band runs (each scan is about 20 bytes). The first AC scans form a real progression (bands 1..5 and
    /// 6..63 at Al = 1, then their refinement); the remaining ones repeat the refinement scan, which changes nothing.
    /// The image decodes to uniform grey 128. It has exactly 1 + <paramref name="scans"/> SOS markers and costs one
    /// bit per 8x8 block for the DC scan (2048 x 2048 with 300 scans: about 14 KB).
    /// </summary>
    /// <param name="width">Width in pixels (1..65535).</param>
    /// <param name="height">Height in pixels (1..65535).</param>
    /// <param name="scans">Number of AC scans after the DC scan (0..100000).</param>
    public static byte[] ProgressiveJpegWithEmptyScans(int width, int height, int scans)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 65535);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 65535);
        ArgumentOutOfRangeException.ThrowIfNegative(scans);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scans, 100_000);

        long blocks = (long)((width + 7) / 8) * ((height + 7) / 8);
        using var ms = new MemoryStream();
        ms.Write([0xFF, 0xD8]);
        ms.Write([0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);

        // DQT: table 0, 8-bit, all ones.
        ms.Write([0xFF, 0xDB, 0x00, 0x43, 0x00]);
        ms.Write(Enumerable.Repeat((byte)1, 64).ToArray());

        // SOF2: 8-bit, one component (id 1, 1x1 sampling, quantisation table 0).
        ms.Write([0xFF, 0xC2, 0x00, 0x0B, 0x08]);
        WriteBe16(ms, height);
        WriteBe16(ms, width);
        ms.Write([0x01, 0x01, 0x11, 0x00]);

        // DHT: DC table 0 with one 1-bit code ("0") for category 0; AC table 0 with 15 four-bit codes for
        // EOB0..EOB14 (symbols 0x00, 0x10, .., 0xE0 -> codes 0000 .. 1110).
        ms.Write([0xFF, 0xC4, 0x00, 0x34]);
        ms.Write([0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]);
        ms.Write([0x10, 0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        for (int r = 0; r < 15; r++)
        {
            ms.WriteByte((byte)(r << 4));
        }

        // DC first scan (Ss = Se = 0, Ah = Al = 0): one "category 0" bit per block.
        WriteSos(ms, 0, 0, 0, 0);
        var dc = new JpegBitWriter();
        dc.Zeros(blocks);
        ms.Write(dc.Finish());

        for (int s = 0; s < scans; s++)
        {
            (int ss, int se, int ah, int al) = scans switch
            {
                1 => (1, 63, 0, 0),
                2 => s == 0 ? (1, 5, 0, 0) : (6, 63, 0, 0),
                _ => s switch { 0 => (1, 5, 0, 1), 1 => (6, 63, 0, 1), _ => (1, 63, 1, 0) },
            };
            WriteSos(ms, ss, se, ah, al);
            var ac = new JpegBitWriter();
            for (long left = blocks; left > 0;)
            {
                int run = (int)Math.Min(left, 32767);
                int r = 31 - int.LeadingZeroCount(run);
                ac.Write(r, 4); // EOBr
                ac.Write(run - (1 << r), r);
                left -= run;
            }

            ms.Write(ac.Finish());
        }

        ms.Write([0xFF, 0xD9]);
        return ms.ToArray();
    }

    /// <summary>
    /// Returns <paramref name="jpeg"/> with <paramref name="segments"/> APPn segments of
    /// <paramref name="bytesEach"/> payload bytes each inserted right after SOI (the identifier such as
    /// <c>ICC_PROFILE\0</c> counts towards the payload). The input must start with SOI.
    /// </summary>
    /// <param name="jpeg">A JPEG file starting with FF D8.</param>
    /// <param name="segments">Number of segments to insert (0..1000000).</param>
    /// <param name="bytesEach">Payload bytes per segment, identifier included (large enough for it, at most 65533).</param>
    /// <param name="kind">APP2 ICC_PROFILE chunks (default), APP1 Exif or APP1 XMP.</param>
    public static byte[] JpegWithManyAppSegments(byte[] jpeg, int segments, int bytesEach, JpegAppSegmentKind kind = JpegAppSegmentKind.IccProfile)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("Not a JPEG: it must start with SOI (FF D8).", nameof(jpeg));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(segments);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segments, 1_000_000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytesEach, 65533);
        byte[] header = kind switch
        {
            JpegAppSegmentKind.IccProfile => [.. "ICC_PROFILE"u8, 0, 0, 0], // sequence number and count set below
            JpegAppSegmentKind.Exif => [.. "Exif"u8, 0, 0, 0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00],
            JpegAppSegmentKind.Xmp => [.. "http://ns.adobe.com/xap/1.0/"u8, 0],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesEach, header.Length);
        byte marker = kind == JpegAppSegmentKind.IccProfile ? (byte)0xE2 : (byte)0xE1;

        var segment = new byte[4 + bytesEach];
        segment[0] = 0xFF;
        segment[1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(bytesEach + 2));
        header.CopyTo(segment, 4);
        if (kind == JpegAppSegmentKind.Xmp)
        {
            segment.AsSpan(4 + header.Length).Fill((byte)' ');
        }

        long total = jpeg.Length + ((long)segments * segment.Length);
        if (total > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(segments), "The result would not fit in one array.");
        }

        var result = new byte[total];
        result[0] = 0xFF;
        result[1] = 0xD8;
        int count = Math.Min(segments, 255);
        for (int i = 0; i < segments; i++)
        {
            int at = 2 + (i * segment.Length);
            segment.CopyTo(result, at);
            if (kind == JpegAppSegmentKind.IccProfile)
            {
                result[at + 4 + 12] = (byte)((i % 255) + 1);
                result[at + 4 + 13] = (byte)count;
            }
        }

        jpeg.AsSpan(2).CopyTo(result.AsSpan(2 + (segments * segment.Length)));
        return result;
    }

    /// <summary>A small valid baseline JPEG of a smooth gradient, encoded by ImageSharp (quality 90, 4:2:0).</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static byte[] Jpeg(int width = 64, int height = 48) => Encode(width, height, new JpegEncoder { Quality = 90 });

    // ------------------------------------------------------------------ generic

    /// <summary>The first <paramref name="fraction"/> of <paramref name="data"/> (rounded down, clamped to 0..1).</summary>
    /// <param name="data">The bytes to cut.</param>
    /// <param name="fraction">Fraction of the bytes to keep.</param>
    public static byte[] TruncatedCopy(byte[] data, double fraction)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (double.IsNaN(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction));
        }

        int keep = (int)Math.Floor(data.Length * Math.Clamp(fraction, 0.0, 1.0));
        return data.AsSpan(0, keep).ToArray();
    }

    // ------------------------------------------------------------------ other formats (valid, small)

    /// <summary>A valid 24-bit uncompressed BMP of a gradient, encoded by ImageSharp.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static byte[] Bmp(int width = 16, int height = 16)
        => Encode(width, height, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });

    /// <summary>A valid 24-bit TGA of a gradient, encoded by ImageSharp.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="rle">Run-length encode the pixels.</param>
    public static byte[] Tga(int width = 16, int height = 16, bool rle = false)
        => Encode(width, height, new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel24, Compression = rle ? TgaCompression.RunLength : TgaCompression.None });

    /// <summary>A valid WebP of a gradient, encoded by ImageSharp.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="lossless">VP8L (lossless, default) rather than VP8 (lossy).</param>
    public static byte[] Webp(int width = 16, int height = 16, bool lossless = true)
        => Encode(width, height, new WebpEncoder { FileFormat = lossless ? WebpFileFormatType.Lossless : WebpFileFormatType.Lossy });

    /// <summary>A valid single-frame GIF of a gradient, encoded (quantised) by ImageSharp.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static byte[] Gif(int width = 16, int height = 16) => Encode(width, height, new GifEncoder());

    /// <summary>A valid single-page TIFF of a gradient, encoded by ImageSharp (its defaults).</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static byte[] Tiff(int width = 16, int height = 16) => Encode(width, height, new TiffEncoder());

    /// <summary>
    /// A valid black-and-white netpbm bitmap of a checkerboard (4-pixel squares), written by hand: plain
    /// <c>P1</c> (ASCII) or raw <c>P4</c> (packed bits, rows padded to whole bytes).
    /// </summary>
    /// <param name="width">Width in pixels (1..65535).</param>
    /// <param name="height">Height in pixels (1..65535).</param>
    /// <param name="plain">Write P1 rather than P4.</param>
    public static byte[] Pbm(int width = 16, int height = 16, bool plain = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 65535);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 65535);
        static bool Black(int x, int y) => ((x / 4) + (y / 4)) % 2 == 1;
        using var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes($"{(plain ? "P1" : "P4")}\n# FaceDefender hostile-input test\n{width} {height}\n"));
        for (int y = 0; y < height; y++)
        {
            if (plain)
            {
                var line = new StringBuilder(width * 2);
                for (int x = 0; x < width; x++)
                {
                    line.Append(Black(x, y) ? '1' : '0').Append(x + 1 < width ? " " : "\n");
                }

                ms.Write(Encoding.ASCII.GetBytes(line.ToString()));
            }
            else
            {
                var row = new byte[(width + 7) / 8];
                for (int x = 0; x < width; x++)
                {
                    if (Black(x, y))
                    {
                        row[x / 8] |= (byte)(0x80 >> (x % 8));
                    }
                }

                ms.Write(row);
            }
        }

        return ms.ToArray();
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] Encode(int width, int height, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 4096);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 4096);
        using var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = GradientPixel(x, y, width, height);
            }
        }

        using var ms = new MemoryStream();
        image.Save(ms, encoder);
        return ms.ToArray();
    }

    private static Rgb24 GradientPixel(int x, int y, int width, int height)
        => new((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), 128);

    private static byte[] BuildPng(int width, int height, IEnumerable<(string Type, byte[] Data)> beforeIdat)
    {
        var raw = new byte[height * (1 + (3 * width))];
        int o = 0;
        for (int y = 0; y < height; y++)
        {
            raw[o++] = 0; // filter: none
            for (int x = 0; x < width; x++)
            {
                Rgb24 p = GradientPixel(x, y, width, height);
                raw[o++] = p.R;
                raw[o++] = p.G;
                raw[o++] = p.B;
            }
        }

        using var ms = new MemoryStream();
        ms.Write(PngSignature);
        WritePngChunk(ms, "IHDR", Ihdr(width, height, bitDepth: 8, colorType: 2));
        foreach ((string type, byte[] data) in beforeIdat)
        {
            WritePngChunk(ms, type, data);
        }

        WritePngChunk(ms, "IDAT", ZlibStored(raw));
        WritePngChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static byte[] Ihdr(int width, int height, byte bitDepth, byte colorType)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        return ihdr; // compression 0, filter 0, no interlace
    }

    private static void WritePngChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        uint crc = Crc32Update(Crc32Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        s.Write(word);
    }

    private static byte[] ZlibStored(ReadOnlySpan<byte> raw)
    {
        using var ms = new MemoryStream(raw.Length + 16);
        ms.WriteByte(0x78);
        ms.WriteByte(0x01);
        int pos = 0;
        do
        {
            int n = Math.Min(65535, raw.Length - pos);
            ms.WriteByte(pos + n == raw.Length ? (byte)1 : (byte)0);
            ms.Write([(byte)n, (byte)(n >> 8), (byte)~n, (byte)(~n >> 8)]);
            ms.Write(raw.Slice(pos, n));
            pos += n;
        }
        while (pos < raw.Length);

        uint a = 1, b = 0;
        foreach (byte v in raw)
        {
            a = (a + v) % 65521;
            b = (b + a) % 65521;
        }

        Span<byte> adler = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(adler, (b << 16) | a);
        ms.Write(adler);
        return ms.ToArray();
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    private static uint Crc32Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static void WriteLe16(Stream s, int v)
    {
        s.WriteByte((byte)v);
        s.WriteByte((byte)(v >> 8));
    }

    private static void WriteBe16(Stream s, int v)
    {
        s.WriteByte((byte)(v >> 8));
        s.WriteByte((byte)v);
    }

    private static void WriteSos(Stream s, int ss, int se, int ah, int al)
        => s.Write([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, (byte)ss, (byte)se, (byte)((ah << 4) | al)]);

    private static TiffPage SmallTiffPage()
        => new(16, 16, Compression: 1, [.. Enumerable.Range(0, 256).Select(i => (byte)(((i % 16) * 8) + ((i / 16) * 8)))], 256);

    private static byte[] BuildTiff(IReadOnlyList<TiffPage> pages)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms); // little-endian
        w.Write("II"u8);
        w.Write((ushort)42);
        long nextIfdPointer = ms.Position;
        w.Write(0u);
        foreach (TiffPage page in pages)
        {
            uint stripOffset = (uint)ms.Position;
            w.Write(page.StripData);
            if ((ms.Position & 1) != 0)
            {
                w.Write((byte)0);
            }

            uint resolutionOffset = (uint)ms.Position;
            w.Write(72u);
            w.Write(1u);
            uint ifdOffset = (uint)ms.Position;
            ms.Position = nextIfdPointer;
            w.Write(ifdOffset);
            ms.Position = ifdOffset;

            (ushort Tag, ushort Type, uint Value)[] entries =
            [
                (256, 4, page.Width),
                (257, 4, page.Height),
                (258, 3, 8), // BitsPerSample
                (259, 3, page.Compression),
                (262, 3, 1), // PhotometricInterpretation: BlackIsZero
                (273, 4, stripOffset),
                (277, 3, 1), // SamplesPerPixel
                (278, 4, page.Height), // RowsPerStrip: one strip
                (279, 4, page.DeclaredByteCount),
                (282, 5, resolutionOffset), // XResolution 72/1
                (283, 5, resolutionOffset), // YResolution 72/1
                (284, 3, 1), // PlanarConfiguration: chunky
                (296, 3, 2), // ResolutionUnit: inch
            ];
            w.Write((ushort)entries.Length);
            foreach ((ushort tag, ushort type, uint value) in entries)
            {
                w.Write(tag);
                w.Write(type);
                w.Write(1u);
                if (type == 3)
                {
                    w.Write((ushort)value);
                    w.Write((ushort)0);
                }
                else
                {
                    w.Write(value);
                }
            }

            nextIfdPointer = ms.Position;
            w.Write(0u);
        }

        w.Flush();
        return ms.ToArray();
    }

    private sealed record TiffPage(uint Width, uint Height, ushort Compression, byte[] StripData, uint DeclaredByteCount);

    /// <summary>Deflate bit order: values LSB first, Huffman codes MSB first.</summary>
    private sealed class LsbBitWriter(int capacity)
    {
        private readonly MemoryStream _out = new(capacity);
        private ulong _acc;
        private int _count;

        public void Bits(int value, int count)
        {
            _acc |= (ulong)(uint)value << _count;
            _count += count;
            while (_count >= 8)
            {
                _out.WriteByte((byte)_acc);
                _acc >>= 8;
                _count -= 8;
            }
        }

        public void Code(int code, int length)
        {
            int reversed = 0;
            for (int i = 0; i < length; i++)
            {
                reversed |= ((code >> i) & 1) << (length - 1 - i);
            }

            Bits(reversed, length);
        }

        public void Zeros(long count)
        {
            while (count > 0 && _count != 0)
            {
                Bits(0, 1);
                count--;
            }

            long wholeBytes = count / 8;
            for (long i = 0; i < wholeBytes; i++)
            {
                _out.WriteByte(0);
            }

            for (long i = wholeBytes * 8; i < count; i++)
            {
                Bits(0, 1);
            }
        }

        public byte[] ToArray()
        {
            if (_count > 0)
            {
                _out.WriteByte((byte)_acc);
                _acc = 0;
                _count = 0;
            }

            return _out.ToArray();
        }
    }

    /// <summary>JPEG entropy-coded bits: MSB first, 0xFF followed by a stuffed 0x00, padded with ones.</summary>
    private sealed class JpegBitWriter
    {
        private readonly MemoryStream _out = new();
        private int _acc;
        private int _count;

        public void Write(int value, int count)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                _acc = (_acc << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        public void Zeros(long count)
        {
            while (count > 0 && _count != 0)
            {
                Write(0, 1);
                count--;
            }

            for (long i = 0; i < count / 8; i++)
            {
                _out.WriteByte(0);
            }

            Write(0, (int)(count % 8));
        }

        public byte[] Finish()
        {
            if (_count > 0)
            {
                Write((1 << (8 - _count)) - 1, 8 - _count);
            }

            return _out.ToArray();
        }

        private void Emit()
        {
            _out.WriteByte((byte)_acc);
            if (_acc == 0xFF)
            {
                _out.WriteByte(0);
            }

            _acc = 0;
            _count = 0;
        }
    }
}
