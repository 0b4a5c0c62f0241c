using System.Buffers.Binary;
using FaceDefender.Decoding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Hostile;

/// <summary>
/// The structural walk of JPEG and PNG files, rule by rule, on byte sequences built here: format signatures at their exact
/// lengths and one byte off, every JPEG and PNG refusal, the budgets at their boundaries, what is copied to the decoder and
/// what is dropped, and the EXIF orientation parse. Written against the mutants Stryker found surviving in this file.
/// </summary>
public sealed class EncodedImageInspectorTests
{
    private static readonly ImageDecodingOptions Defaults = ImageDecodingOptions.Default;

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF }, ImageFormats.Jpeg)]
    [InlineData(new byte[] { 0xFF, 0xD8 }, ImageFormats.None)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFE }, ImageFormats.None)]
    [InlineData(new byte[] { 0xFF, 0xD9, 0xFF }, ImageFormats.None)]
    [InlineData(new byte[] { 0xFE, 0xD8, 0xFF }, ImageFormats.None)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, ImageFormats.Png)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A }, ImageFormats.None)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0B }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7', (byte)'a' }, ImageFormats.Gif)]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, ImageFormats.Gif)]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'8', (byte)'a' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'I', (byte)'I', (byte)'*', 0 }, ImageFormats.Tiff)]
    [InlineData(new byte[] { (byte)'M', (byte)'M', 0, (byte)'*' }, ImageFormats.Tiff)]
    [InlineData(new byte[] { (byte)'I', (byte)'I', (byte)'*' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, ImageFormats.Webp)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'X', 0, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'B', (byte)'M' }, ImageFormats.Bmp)]
    [InlineData(new byte[] { (byte)'B' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'B', (byte)'N' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'A', (byte)'M' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'P', (byte)'1', (byte)'\n' }, ImageFormats.Pbm)]
    [InlineData(new byte[] { (byte)'P', (byte)'6', (byte)' ' }, ImageFormats.Pbm)]
    [InlineData(new byte[] { (byte)'P', (byte)'0', (byte)' ' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'P', (byte)'7', (byte)' ' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'P', (byte)'3', (byte)'x' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'P', (byte)'3' }, ImageFormats.None)]
    [InlineData(new byte[] { (byte)'Q', (byte)'3', (byte)' ' }, ImageFormats.None)]
    public void Formats_are_recognised_by_their_exact_signature(byte[] data, ImageFormats expected) =>
        EncodedImageInspector.Sniff(data).Should().Be(expected);

    // A minimal JPEG built segment by segment: SOI, segments, SOS + entropy bytes, EOI.
    private static byte[] Segment(byte marker, byte[] payload)
    {
        var s = new byte[4 + payload.Length];
        s[0] = 0xFF;
        s[1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(s.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(s, 4);
        return s;
    }

    private static byte[] Sof(int width, int height) => Segment(0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);

    private static byte[] Sos() => Segment(0xDA, [1, 1, 0, 0, 63, 0]);

    private static byte[] Jpeg(params byte[][] parts) => [0xFF, 0xD8, .. parts.SelectMany(p => p)];

    private static readonly byte[] Entropy = [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56];

    private static readonly byte[] Eoi = [0xFF, 0xD9];

    private static EncodedImageInfo Walk(byte[] data, ImageDecodingOptions? options = null) =>
        EncodedImageInspector.Inspect(data, data.Length, EncodedImageInspector.Sniff(data), options ?? Defaults);

    private static ImageDecodingFailure Refused(byte[] data, ImageDecodingOptions? options = null)
    {
        Action act = () => Walk(data, options);
        return act.Should().Throw<ImageDecodingException>().Which.Failure;
    }

    private static byte[] Output(EncodedImageInfo info) => info.Data.AsSpan(0, info.Length).ToArray();

    [Fact]
    public void A_complete_jpeg_is_walked_with_its_size_scans_and_bytes()
    {
        byte[] jpeg = Jpeg(Segment(0xE0, "JFIF\0"u8.ToArray()), Sof(300, 200), Sos(), Entropy, Eoi, [1, 2, 3]);
        EncodedImageInfo info = Walk(jpeg);
        (info.Width, info.Height, info.Scans, info.Truncated, info.Orientation).Should().Be((300, 200, 1, false, (ushort)1));
        Output(info).Should().Equal(jpeg[..^3], "everything up to the end marker is kept (APP0 included); bytes after it are not");
    }

    [Fact]
    public void Jpeg_metadata_segments_are_dropped_and_counted_and_app14_kept()
    {
        byte[] app1 = Segment(0xE1, "http://ns.adobe.com/xap/1.0/\0<x/>"u8.ToArray());
        byte[] app13 = Segment(0xED, new byte[10]);
        byte[] app15 = Segment(0xEF, new byte[7]);
        byte[] com = Segment(0xFE, "comment"u8.ToArray());
        byte[] app14 = Segment(0xEE, "Adobe\0\0\0\0\0\0\0"u8.ToArray());
        byte[] app2 = Segment(0xE2, new byte[20]);
        byte[] jpeg = Jpeg(app1, app13, app15, com, app14, app2, Sof(8, 8), Sos(), Entropy, Eoi);
        EncodedImageInfo info = Walk(jpeg);
        Output(info).Should().Equal(Jpeg(app14, Sof(8, 8), Sos(), Entropy, Eoi));
        info.MetadataBytes.Should().Be(app1.Length + app13.Length + app15.Length + com.Length + app2.Length, "each segment counts with its marker and length bytes");

        // The metadata budget at its boundary.
        Walk(jpeg, Defaults with { MaxMetadataBytes = info.MetadataBytes }).Width.Should().Be(8);
        Refused(jpeg, Defaults with { MaxMetadataBytes = info.MetadataBytes - 1 }).Should().Be(ImageDecodingFailure.TooMuchMetadata);
    }

    [Fact]
    public void The_scan_budget_holds_at_its_boundary_and_restart_markers_stay_inside_the_scan()
    {
        byte[] three = Jpeg(Sof(8, 8), Sos(), Entropy, Sos(), Entropy, Sos(), [0xFF, 0xD7, 0x01], Eoi);
        EncodedImageInfo info = Walk(three, Defaults with { MaxJpegScans = 3 });
        info.Scans.Should().Be(3);
        Output(info).Should().Equal(three);
        Refused(three, Defaults with { MaxJpegScans = 2 }).Should().Be(ImageDecodingFailure.TooManyScans);
    }

    [Fact]
    public void Fill_bytes_stray_bytes_and_standalone_markers_are_tolerated()
    {
        byte[] jpeg = Jpeg([0xFF, 0xFF], Sof(8, 8), [0x00, 0x17], [0xFF, 0x01], Sos(), Entropy, Eoi);
        EncodedImageInfo info = Walk(jpeg);
        info.Width.Should().Be(8);
        info.Truncated.Should().BeFalse();
        Output(info).Should().Equal(Jpeg([0xFF, 0xFF], Sof(8, 8), [0xFF, 0x01], Sos(), Entropy, Eoi), "stray bytes are skipped, fill bytes and TEM kept");
    }

    [Fact]
    public void Malformed_jpeg_structure_is_corrupt()
    {
        Refused(Jpeg([0xFF, 0xD8], Sof(8, 8), Sos(), Entropy, Eoi)).Should().Be(ImageDecodingFailure.Corrupt);
        Refused(Jpeg([0xFF, 0xE0, 0x00, 0x01], Sof(8, 8), Sos(), Entropy, Eoi)).Should().Be(ImageDecodingFailure.Corrupt);
        Refused(Jpeg(Segment(0xC0, [8, 0, 8, 0, 8]), Sos(), Entropy, Eoi)).Should().Be(ImageDecodingFailure.Corrupt);
        Refused(Jpeg(Sof(8, 8), Sof(8, 8), Sos(), Entropy, Eoi)).Should().Be(ImageDecodingFailure.Corrupt);
        Refused(Jpeg(Sos(), Entropy, Sof(8, 8), Eoi)).Should().Be(ImageDecodingFailure.Corrupt);
        Refused(Jpeg(Sof(8, 8), Eoi)).Should().Be(ImageDecodingFailure.Corrupt, "an end marker before any scan");
        Refused(Jpeg(Segment(0xE0, [1]), Eoi)).Should().Be(ImageDecodingFailure.Corrupt, "no frame header");
        Walk(Jpeg(Segment(0xC0, [8, 0, 8, 0, 8, 1]), Sos(), Entropy, Eoi)).Width.Should().Be(8, "a 6-byte frame header is enough to read the size");
    }

    [Fact]
    public void Jpeg_frame_markers_are_recognised_and_tables_are_not_frames()
    {
        foreach (byte sof in new byte[] { 0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF })
        {
            byte[] frame = Segment(sof, [8, 0, 20, 0, 30, 1, 1, 0x11, 0]);
            Walk(Jpeg(frame, Sos(), Entropy, Eoi)).Width.Should().Be(30, $"0xFF{sof:X2} is a frame header");
        }

        foreach (byte table in new byte[] { 0xC4, 0xC8, 0xCC, 0xDB, 0xDD })
        {
            byte[] notFrame = Segment(table, [8, 0, 20, 0, 30, 1, 1, 0x11, 0]);
            Walk(Jpeg(notFrame, Sof(5, 6), Sos(), Entropy, Eoi)).Width.Should().Be(5, $"0xFF{table:X2} is not a frame header");
        }
    }

    [Fact]
    public void Truncation_is_found_wherever_the_data_ends()
    {
        byte[] whole = Jpeg(Segment(0xE0, "JFIF\0"u8.ToArray()), Sof(8, 8), Sos(), Entropy, Eoi);
        for (int cut = 1; cut < whole.Length; cut++)
        {
            byte[] part = whole[..cut];
            bool beforeScan = cut < 2 + Segment(0xE0, "JFIF\0"u8.ToArray()).Length + Sof(8, 8).Length + Sos().Length;
            if (EncodedImageInspector.Sniff(part) != ImageFormats.Jpeg)
            {
                continue;
            }

            if (beforeScan)
            {
                Refused(part).Should().Be(ImageDecodingFailure.Truncated, $"cut at {cut}");
            }
            else
            {
                EncodedImageInfo info = Walk(part);
                info.Truncated.Should().Be(cut < whole.Length, $"cut at {cut}");
                Output(info).Should().Equal(part, $"cut at {cut}: the bytes up to the cut are kept");
            }
        }

        Walk(whole).Truncated.Should().BeFalse();
    }

    private static byte[] Exif(bool little, ushort tag, ushort type, ushort value, uint ifdOffset = 8, ushort entries = 1)
    {
        var t = new byte[8 + 2 + (12 * entries) + 4];
        if (little)
        {
            "II*\0"u8.CopyTo(t);
            BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(4), ifdOffset);
            BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(8), entries);
            for (int i = 0; i < entries; i++)
            {
                int e = 10 + (12 * i);
                BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(e), i == entries - 1 ? tag : (ushort)0x010F);
                BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(e + 2), type);
                BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(e + 4), 1);
                BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(e + 8), value);
            }
        }
        else
        {
            "MM\0*"u8.CopyTo(t);
            BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(4), ifdOffset);
            BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(8), entries);
            for (int i = 0; i < entries; i++)
            {
                int e = 10 + (12 * i);
                BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(e), i == entries - 1 ? tag : (ushort)0x010F);
                BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(e + 2), type);
                BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(e + 4), 1);
                BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(e + 8), value);
            }
        }

        return t;
    }

    [Theory]
    [InlineData(true, (ushort)0x0112, (ushort)3, (ushort)6, 8u, (ushort)1, (ushort)6)]
    [InlineData(false, (ushort)0x0112, (ushort)3, (ushort)8, 8u, (ushort)1, (ushort)8)]
    [InlineData(true, (ushort)0x0112, (ushort)3, (ushort)3, 8u, (ushort)3, (ushort)3)]
    [InlineData(true, (ushort)0x0112, (ushort)3, (ushort)1, 8u, (ushort)1, (ushort)1)]
    [InlineData(true, (ushort)0x0112, (ushort)3, (ushort)9, 8u, (ushort)1, (ushort)1)]
    [InlineData(true, (ushort)0x0112, (ushort)3, (ushort)0, 8u, (ushort)1, (ushort)1)]
    [InlineData(true, (ushort)0x0112, (ushort)4, (ushort)6, 8u, (ushort)1, (ushort)1)]
    [InlineData(true, (ushort)0x0113, (ushort)3, (ushort)6, 8u, (ushort)1, (ushort)1)]
    [InlineData(true, (ushort)0x0112, (ushort)3, (ushort)6, 7u, (ushort)1, (ushort)1)]
    [InlineData(true, (ushort)0x0112, (ushort)3, (ushort)6, 4000u, (ushort)1, (ushort)1)]
    [InlineData(true, (ushort)0x0112, (ushort)3, (ushort)6, 8u, (ushort)0, (ushort)1)]
    public void The_exif_orientation_is_read_from_ifd0_and_anything_else_is_upright(bool little, ushort tag, ushort type, ushort value, uint ifd, ushort entries, ushort expected)
    {
        EncodedImageInspector.ExifOrientation(Exif(little, tag, type, value, ifd, entries)).Should().Be(expected);
    }

    [Fact]
    public void The_exif_parse_never_reads_past_its_block()
    {
        byte[] exif = Exif(true, 0x0112, 3, 6, 8, 3);
        for (int cut = 0; cut < exif.Length; cut++)
        {
            ushort o = EncodedImageInspector.ExifOrientation(exif.AsSpan(0, cut));
            o.Should().Be(cut >= 10 + (12 * 3) ? (ushort)6 : (ushort)1, $"cut at {cut}");
        }

        EncodedImageInspector.ExifOrientation("XX*\0\0\0\0\0"u8).Should().Be(1);
        EncodedImageInspector.ExifOrientation("MM"u8).Should().Be(1);
    }

    [Fact]
    public void The_exif_byte_order_must_be_one_of_the_two_markers()
    {
        byte[] mi = Exif(true, 0x0112, 3, 6);
        mi[0] = (byte)'M'; // "MI" over little-endian data
        EncodedImageInspector.ExifOrientation(mi).Should().Be(1);
        byte[] im = Exif(false, 0x0112, 3, 6);
        im[0] = (byte)'I'; // "IM" over big-endian data
        EncodedImageInspector.ExifOrientation(im).Should().Be(1);
    }

    /// <summary>A little-endian EXIF block of <paramref name="size"/> bytes whose IFD0 at <paramref name="ifd"/> declares <paramref name="count"/> entries, then holds a DateTime entry and an orientation-6 entry.</summary>
    private static byte[] ExifWithIfdAt(int size, int ifd, ushort count)
    {
        var t = new byte[size];
        "II*\0"u8.CopyTo(t);
        BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(4), (uint)ifd);
        BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(ifd), count);
        ushort[] tags = [0x0132, 0x0112];
        for (int i = 0; i < tags.Length && ifd + 2 + (12 * (i + 1)) <= size; i++)
        {
            Span<byte> e = t.AsSpan(ifd + 2 + (12 * i), 12);
            BinaryPrimitives.WriteUInt16LittleEndian(e, tags[i]);
            BinaryPrimitives.WriteUInt16LittleEndian(e[2..], 3);
            BinaryPrimitives.WriteUInt32LittleEndian(e[4..], 1);
            BinaryPrimitives.WriteUInt16LittleEndian(e[8..], 6);
        }

        return t;
    }

    [Fact]
    public void The_exif_ifd_is_read_where_its_offset_points_for_as_many_entries_as_it_declares()
    {
        EncodedImageInspector.ExifOrientation(ExifWithIfdAt(64, 10, 2)).Should().Be(6, "IFD0 may start after padding");
        EncodedImageInspector.ExifOrientation(ExifWithIfdAt(64, 10, 1)).Should().Be(1, "an entry past the declared count is not part of the IFD");
        EncodedImageInspector.ExifOrientation(ExifWithIfdAt(64, 4, 2)).Should().Be(1, "an IFD inside the header is malformed");
    }

    [Fact]
    public void The_exif_parse_reads_at_most_64_KiB()
    {
        // The orientation entry straddles the 64 KiB mark: within a block that long it would be found, but the read stops there.
        int ifd = (64 * 1024) - 20;
        EncodedImageInspector.ExifOrientation(ExifWithIfdAt(70_000, ifd, 2)).Should().Be(1);
        EncodedImageInspector.ExifOrientation(ExifWithIfdAt(64 * 1024, ifd - 8, 2)).Should().Be(6, "entries wholly inside the first 64 KiB are read");
    }

    [Fact]
    public void A_png_declaring_a_side_beyond_2_to_the_31_is_refused_with_the_size_it_declares()
    {
        byte[] idat = Chunk("IDAT", new byte[5]), iend = Chunk("IEND", []);
        FluentActions.Invoking(() => Walk(Png(Ihdr(0x80000000, 1), idat, iend))).Should().Throw<ImageDecodingException>()
            .WithMessage("*declares 2147483648 x 1 pixels*").Which.Failure.Should().Be(ImageDecodingFailure.TooManyPixels);
        FluentActions.Invoking(() => Walk(Png(Ihdr(1, 0xFFFFFFFF), idat, iend))).Should().Throw<ImageDecodingException>()
            .WithMessage("*declares 1 x 4294967295 pixels*").Which.Failure.Should().Be(ImageDecodingFailure.TooManyPixels);
    }

    [Fact]
    public void Only_the_first_exif_app1_segment_sets_the_orientation()
    {
        byte[] first = Segment(0xE1, [.. "Exif\0\0"u8, .. Exif(true, 0x0112, 3, 6)]);
        byte[] second = Segment(0xE1, [.. "Exif\0\0"u8, .. Exif(true, 0x0112, 3, 3)]);
        byte[] xmp = Segment(0xE1, "Exif\0"u8.ToArray());
        Walk(Jpeg(first, second, Sof(8, 8), Sos(), Entropy, Eoi)).Orientation.Should().Be(6);
        Walk(Jpeg(xmp, second, Sof(8, 8), Sos(), Entropy, Eoi)).Orientation.Should().Be(3);
        Walk(Jpeg(Segment(0xE2, [.. "Exif\0\0"u8, .. Exif(true, 0x0112, 3, 6)]), Sof(8, 8), Sos(), Entropy, Eoi)).Orientation.Should().Be(1, "only APP1 holds EXIF");
    }

    [Fact]
    public void A_jpeg_with_exif_orientation_from_a_camera_decodes_upright()
    {
        using var image = new Image<Rgb24>(40, 20);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        using var ms = new MemoryStream();
        image.Save(ms, new JpegEncoder());
        using DecodedImage d = FaceImageDecoder.Decode(new MemoryStream(ms.ToArray()));
        d.ExifOrientation.Should().Be(6);
        (d.Image.Width, d.Image.Height).Should().Be((20, 40));
        d.Image.Metadata.ExifProfile.Should().BeNull("metadata never reaches the caller");
    }

    // PNG chunks.
    private static byte[] Chunk(string type, byte[] data)
    {
        var c = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(c, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(c, 4);
        data.CopyTo(c, 8);
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + data.Length), HostileImages.PngCrc(c.AsSpan(4, 4 + data.Length)));
        return c;
    }

    private static byte[] Ihdr(uint w, uint h)
    {
        var d = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(d, w);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(4), h);
        d[8] = 8;
        d[9] = 2;
        return Chunk("IHDR", d);
    }

    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static byte[] Png(params byte[][] chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    [Fact]
    public void Png_chunks_needed_for_pixels_are_kept_and_the_rest_dropped_and_counted()
    {
        byte[] ihdr = Ihdr(16, 8), plte = Chunk("PLTE", new byte[6]), trns = Chunk("tRNS", new byte[1]), idat = Chunk("IDAT", new byte[5]), iend = Chunk("IEND", []);
        byte[] text = Chunk("tEXt", "Author\0x"u8.ToArray()), ztxt = Chunk("zTXt", new byte[9]), itxt = Chunk("iTXt", new byte[4]), iccp = Chunk("iCCP", new byte[3]), exif = Chunk("eXIf", Exif(false, 0x0112, 3, 8));
        byte[] phys = Chunk("pHYs", new byte[9]), actl = Chunk("acTL", new byte[8]);
        byte[] png = Png(ihdr, text, plte, ztxt, trns, itxt, iccp, exif, phys, actl, idat, iend, [9, 9]);
        EncodedImageInfo info = Walk(png);
        (info.Width, info.Height, info.Truncated, info.Orientation).Should().Be((16, 8, false, (ushort)8));
        Output(info).Should().Equal(Png(ihdr, plte, trns, idat, iend));
        info.MetadataBytes.Should().Be(text.Length + ztxt.Length + itxt.Length + iccp.Length + exif.Length, "pHYs and acTL are dropped but are not metadata");
        Walk(png, Defaults with { MaxMetadataBytes = info.MetadataBytes }).Width.Should().Be(16);
        Refused(png, Defaults with { MaxMetadataBytes = info.MetadataBytes - 1 }).Should().Be(ImageDecodingFailure.TooMuchMetadata);
    }

    [Fact]
    public void Malformed_png_structure_is_refused_with_its_reason()
    {
        byte[] idat = Chunk("IDAT", new byte[5]), iend = Chunk("IEND", []);
        Refused(Png(Chunk("tEXt", new byte[2]), Ihdr(4, 4), idat, iend)).Should().Be(ImageDecodingFailure.Corrupt, "IHDR must come first");
        Refused(Png(Ihdr(4, 4), Ihdr(4, 4), idat, iend)).Should().Be(ImageDecodingFailure.Corrupt, "a second IHDR");
        Refused(Png(Chunk("IHDR", new byte[12]), idat, iend)).Should().Be(ImageDecodingFailure.Corrupt, "IHDR of the wrong length");
        Refused(Png(Ihdr(4, 4), Chunk("ABCD", new byte[2]), idat, iend)).Should().Be(ImageDecodingFailure.Corrupt, "an unknown critical chunk");
        Walk(Png(Ihdr(4, 4), Chunk("abCD", new byte[2]), idat, iend)).Width.Should().Be(4, "an unknown ancillary chunk is dropped");
        Refused(Png(Ihdr(0, 4), idat, iend)).Should().Be(ImageDecodingFailure.TooManyPixels);
        Refused(Png(Ihdr(4, 0), idat, iend)).Should().Be(ImageDecodingFailure.TooManyPixels);
        Refused(Png(Ihdr(0x80000000, 1), idat, iend)).Should().Be(ImageDecodingFailure.TooManyPixels);
        Refused(Png(Ihdr(4, 4), iend)).Should().Be(ImageDecodingFailure.Truncated, "no image data");
        byte[] huge = Png(Ihdr(4, 4), idat, iend);
        BinaryPrimitives.WriteUInt32BigEndian(huge.AsSpan(8 + 25), 0x80000000);
        Refused(huge).Should().Be(ImageDecodingFailure.Corrupt, "a chunk length above 2^31 - 1");
        Refused(Signature).Should().Be(ImageDecodingFailure.Truncated);
    }

    [Fact]
    public void A_png_cut_inside_its_chunks_is_truncated_and_completed_with_an_end_chunk()
    {
        byte[] ihdr = Ihdr(4, 4), idat1 = Chunk("IDAT", new byte[5]), idat2 = Chunk("IDAT", new byte[7]), iend = Chunk("IEND", []);
        byte[] whole = Png(ihdr, idat1, idat2, iend);
        EncodedImageInfo complete = Walk(whole);
        complete.Truncated.Should().BeFalse();
        Output(complete).Should().Equal(whole);

        byte[] cut = whole[..^(iend.Length + 3)];
        EncodedImageInfo info = Walk(cut);
        info.Truncated.Should().BeTrue();
        Output(info).Should().Equal(Png(ihdr, idat1, iend), "the partial chunk is dropped and an end chunk added");

        EncodedImageInfo noEnd = Walk(Png(ihdr, idat1, idat2));
        noEnd.Truncated.Should().BeTrue();
        Output(noEnd).Should().Equal(Png(ihdr, idat1, idat2, iend));
    }

    [Fact]
    public void The_pixel_limit_is_a_64_bit_product_checked_at_its_boundary()
    {
        var limit = Defaults with { MaxPixels = 100 };
        FluentActions.Invoking(() => EncodedImageInspector.CheckPixels(10, 10, limit)).Should().NotThrow();
        FluentActions.Invoking(() => EncodedImageInspector.CheckPixels(10, 11, limit)).Should().Throw<ImageDecodingException>()
            .Which.Failure.Should().Be(ImageDecodingFailure.TooManyPixels);
        FluentActions.Invoking(() => EncodedImageInspector.CheckPixels(65536, 65536, Defaults)).Should().Throw<ImageDecodingException>();
        FluentActions.Invoking(() => EncodedImageInspector.CheckPixels(0, 10, Defaults)).Should().Throw<ImageDecodingException>().WithMessage("*empty*");
        FluentActions.Invoking(() => EncodedImageInspector.CheckPixels(10, -1, Defaults)).Should().Throw<ImageDecodingException>();
        Walk(Jpeg(Sof(10, 10), Sos(), Entropy, Eoi), limit).Width.Should().Be(10);
        Refused(Jpeg(Sof(10, 11), Sos(), Entropy, Eoi), limit).Should().Be(ImageDecodingFailure.TooManyPixels);
        Refused(Jpeg(Sof(0, 11), Sos(), Entropy, Eoi)).Should().Be(ImageDecodingFailure.TooManyPixels);
    }
}
