using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace FaceDefender.Tests.Hostile;

/// <summary>One mutated input produced by <see cref="MutationFuzzer"/>.</summary>
/// <param name="Index">Position in the mutant stream (0-based); with the seed bytes and the rng seed it reproduces the mutant.</param>
/// <param name="Operation">What was done, e.g. <c>bitflip@1234.5</c> or <c>png-ihdr-width=0x7FFFFFFF+crc</c>.</param>
/// <param name="Data">The mutated bytes (a fresh array the caller may keep or change).</param>
internal sealed record Mutant(int Index, string Operation, byte[] Data);

/// <summary>
/// A seeded mutation engine in the style of AFL/libFuzzer havoc stages. Generic mutations: single bit flips, random
/// overwrites of 1-16 bytes, interesting byte values, interesting 16/32-bit integers in both byte orders, truncation,
/// insertion of random blocks, duplication and deletion of blocks, and stacks of 2-6 of these ("havoc").
/// Structure-aware mutations (when the seed is a JPEG or a PNG): for JPEG, marker segment
/// length fields, SOF/SOS/DHT/DQT fields, marker bytes, whole-segment duplication and deletion, and markers injected
/// into entropy-coded data; for PNG, IHDR fields, chunk lengths, types and data, and whole-chunk duplication,
/// deletion and swaps. Every even-indexed mutant of a PNG seed has its chunk CRCs recomputed afterwards (walking the
/// chunk list as far as it stays well formed; its operation ends in <c>+crc</c>), so it gets past CRC checks.
/// </summary>
/// <remarks>
/// Mutant <c>i</c> depends only on the seed bytes, <c>rngSeed</c> and <c>i</c>: each mutant draws from its own
/// <see cref="Random"/> seeded from <c>(rngSeed, i)</c>, so streams of different lengths share their prefix and
/// <see cref="MutantAt"/> regenerates any single mutant. About 35 % of the mutants of a JPEG or PNG seed are
/// structure-aware, 15 % are havoc stacks and the rest single generic mutations; a mutant that came out identical to
/// the seed gets further generic mutations, so no mutant equals the seed.
/// </remarks>
internal static class MutationFuzzer
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];

    private static readonly int[] Interesting16 = [0, 1, -1, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF, 2, 8, 16, 64, 1000, 4096];

    private static readonly long[] Interesting32 =
    [
        0, 1, -1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE,
        0x40000000, 0x00100000, 0x01000000, 30000, 65535, 65536, 100000, 1_000_000, 2_000_000_000,
    ];

    private static readonly string[] PngChunkTypes = ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "tEXt", "zTXt", "iTXt", "pHYs", "bKGD", "tIME", "sBIT", "hIST", "sPLT", "eXIf", "acTL", "fcTL", "fdAT"];

    private static readonly byte[] JpegMarkers = [0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC9, 0xCC, 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xE0, 0xE1, 0xE2, 0xEE, 0xFE, 0x01, 0xD0, 0xD7, 0xFF, 0x00];

    private delegate string GenericMutation(Random rng, ref byte[] data);

    private enum SeedFormat
    {
        Other,
        Jpeg,
        Png,
    }

    /// <summary>
    /// Lazily yields <paramref name="count"/> mutants of <paramref name="seed"/> (indices 0..count-1). The seed is
    /// copied when this is called, so later changes to the caller's array do not affect the stream.
    /// </summary>
    /// <param name="seed">A non-empty input to mutate, typically a valid JPEG or PNG.</param>
    /// <param name="count">Number of mutants.</param>
    /// <param name="rngSeed">Seed of the random stream.</param>
    public static IEnumerable<Mutant> Mutants(byte[] seed, int count, int rngSeed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (seed.Length == 0)
        {
            throw new ArgumentException("The seed must not be empty.", nameof(seed));
        }

        byte[] copy = (byte[])seed.Clone();
        return Iterate(copy, Layout.Parse(copy), count, rngSeed);
    }

    /// <summary>The mutant with the given index, identical to the one <see cref="Mutants"/> yields at that position.</summary>
    /// <param name="seed">The seed input.</param>
    /// <param name="index">Mutant index (0-based).</param>
    /// <param name="rngSeed">Seed of the random stream.</param>
    public static Mutant MutantAt(byte[] seed, int index, int rngSeed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (seed.Length == 0)
        {
            throw new ArgumentException("The seed must not be empty.", nameof(seed));
        }

        return Make(seed, Layout.Parse(seed), index, rngSeed);
    }

    private static IEnumerable<Mutant> Iterate(byte[] seed, Layout layout, int count, int rngSeed)
    {
        for (int i = 0; i < count; i++)
        {
            yield return Make(seed, layout, i, rngSeed);
        }
    }

    private static Mutant Make(byte[] seed, Layout layout, int index, int rngSeed)
    {
        var rng = new Random(MixSeed(rngSeed, index));
        byte[] data = (byte[])seed.Clone();
        int roll = rng.Next(100);
        string? op = null;
        if (roll < 35)
        {
            op = layout.Format switch
            {
                SeedFormat.Jpeg => JpegStructural(rng, layout, ref data),
                SeedFormat.Png => PngStructural(rng, layout, ref data),
                _ => null,
            };
        }

        if (op is null && roll is >= 35 and < 50)
        {
            int n = 2 + rng.Next(5);
            var parts = new string[n];
            for (int k = 0; k < n; k++)
            {
                parts[k] = Generic(rng, ref data);
            }

            op = "havoc(" + string.Join(",", parts) + ")";
        }

        op ??= Generic(rng, ref data);
        bool fixCrc = layout.Format == SeedFormat.Png && index % 2 == 0;
        if (fixCrc)
        {
            FixPngCrcs(data);
        }

        // A mutation can leave the bytes unchanged (a value written over itself, a CRC the fix restores): add
        // generic mutations until the mutant differs from the seed.
        for (int attempt = 0; attempt < 8 && data.AsSpan().SequenceEqual(seed); attempt++)
        {
            op += "," + Generic(rng, ref data);
            if (fixCrc)
            {
                FixPngCrcs(data);
            }
        }

        return new Mutant(index, fixCrc ? op + "+crc" : op, data);
    }

    /// <summary>SplitMix64 of (rngSeed, index), folded to a non-negative int seed for <see cref="Random"/>.</summary>
    private static int MixSeed(int rngSeed, int index)
    {
        ulong z = ((ulong)(uint)rngSeed << 32) | (uint)index;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    // ------------------------------------------------------------------ generic mutations

    private static string Generic(Random rng, ref byte[] data)
    {
        if (data.Length == 0)
        {
            return InsertBlock(rng, ref data);
        }

        return rng.Next(100) switch
        {
            < 16 => BitFlip(rng, ref data),
            < 28 => Overwrite(rng, ref data),
            < 40 => InterestingByte(rng, ref data),
            < 52 => InterestingInt16(rng, ref data),
            < 64 => InterestingInt32(rng, ref data),
            < 72 => Truncate(rng, ref data),
            < 80 => InsertBlock(rng, ref data),
            < 90 => DuplicateBlock(rng, ref data),
            _ => DeleteBlock(rng, ref data),
        };
    }

    private static string BitFlip(Random rng, ref byte[] data)
    {
        int pos = rng.Next(data.Length);
        int bit = rng.Next(8);
        data[pos] ^= (byte)(1 << bit);
        return Inv($"bitflip@{pos}.{bit}");
    }

    private static string Overwrite(Random rng, ref byte[] data)
    {
        int len = Math.Min(1 + rng.Next(16), data.Length);
        int pos = rng.Next(data.Length - len + 1);
        rng.NextBytes(data.AsSpan(pos, len));
        return Inv($"overwrite@{pos}x{len}");
    }

    private static string InterestingByte(Random rng, ref byte[] data)
    {
        int pos = rng.Next(data.Length);
        byte v = InterestingBytes[rng.Next(InterestingBytes.Length)];
        data[pos] = v;
        return Inv($"byte@{pos}=0x{v:X2}");
    }

    private static string InterestingInt16(Random rng, ref byte[] data)
    {
        if (data.Length < 2)
        {
            return InterestingByte(rng, ref data);
        }

        int pos = rng.Next(data.Length - 1);
        int v = Interesting16[rng.Next(Interesting16.Length)];
        bool bigEndian = rng.Next(2) == 0;
        Write16(data, pos, v, bigEndian);
        return Inv($"int16{(bigEndian ? "be" : "le")}@{pos}=0x{(ushort)v:X4}");
    }

    private static string InterestingInt32(Random rng, ref byte[] data)
    {
        if (data.Length < 4)
        {
            return InterestingInt16(rng, ref data);
        }

        int pos = rng.Next(data.Length - 3);
        uint v = (uint)Interesting32[rng.Next(Interesting32.Length)];
        bool bigEndian = rng.Next(2) == 0;
        Write32(data, pos, v, bigEndian);
        return Inv($"int32{(bigEndian ? "be" : "le")}@{pos}=0x{v:X8}");
    }

    private static string Truncate(Random rng, ref byte[] data)
    {
        if (data.Length < 2)
        {
            return BitFlip(rng, ref data);
        }

        int keep = 1 + rng.Next(data.Length - 1);
        data = data.AsSpan(0, keep).ToArray();
        return Inv($"truncate@{keep}");
    }

    private static string InsertBlock(Random rng, ref byte[] data)
    {
        int len = 1 + rng.Next(256);
        int pos = rng.Next(data.Length + 1);
        var block = new byte[len];
        bool run = rng.Next(2) == 0;
        if (run)
        {
            block.AsSpan().Fill(rng.Next(2) == 0 ? InterestingBytes[rng.Next(InterestingBytes.Length)] : (byte)rng.Next(256));
        }
        else
        {
            rng.NextBytes(block);
        }

        data = Splice(data, pos, 0, block);
        return Inv($"insert{(run ? "run" : "rnd")}@{pos}x{len}");
    }

    private static string DuplicateBlock(Random rng, ref byte[] data)
    {
        int len = 1 + rng.Next(Math.Min(4096, data.Length));
        int src = rng.Next(data.Length - len + 1);
        bool adjacent = rng.Next(2) == 0;
        int dst = adjacent ? src + len : rng.Next(data.Length + 1);
        int times = adjacent ? 1 + rng.Next(4) : 1;
        byte[] block = data.AsSpan(src, len).ToArray();
        for (int t = 0; t < times; t++)
        {
            data = Splice(data, dst, 0, block);
        }

        return Inv($"dup[{src},{src + len})x{times}->{dst}");
    }

    private static string DeleteBlock(Random rng, ref byte[] data)
    {
        if (data.Length < 2)
        {
            return BitFlip(rng, ref data);
        }

        int len = 1 + rng.Next(Math.Min(4096, data.Length - 1));
        int pos = rng.Next(data.Length - len + 1);
        data = Splice(data, pos, len, []);
        return Inv($"delete[{pos},{pos + len})");
    }

    // ------------------------------------------------------------------ JPEG

    private static string? JpegStructural(Random rng, Layout layout, ref byte[] data)
    {
        Region[] segs = layout.Regions;
        if (segs.Length == 0)
        {
            return null;
        }

        switch (rng.Next(10))
        {
            case 0:
            case 1:
            {
                // Segment length field.
                Region seg = segs[rng.Next(segs.Length)];
                int len = seg.End - seg.Start - 2;
                int v = rng.Next(3) switch
                {
                    0 => Interesting16[rng.Next(Interesting16.Length)],
                    1 => len + rng.Next(-8, 9),
                    _ => rng.Next(65536),
                };
                Write16(data, seg.Start + 2, v, bigEndian: true);
                return Inv($"jpeg-seglen {seg.Name}@{seg.Start + 2}={(ushort)v}");
            }

            case 2:
                return JpegSof(rng, layout, data);
            case 3:
                return JpegSos(rng, layout, data);
            case 4:
                return JpegDht(rng, layout, data);
            case 5:
                return JpegDqt(rng, layout, data);
            case 6:
            {
                // Change a marker byte.
                Region seg = segs[rng.Next(segs.Length)];
                byte m = JpegMarkers[rng.Next(JpegMarkers.Length)];
                data[seg.Start + 1] = m;
                return Inv($"jpeg-marker {seg.Name}@{seg.Start}->FF{m:X2}");
            }

            case 7:
            {
                // Repeat a whole marker segment (header only for SOS) 1..8 times, in place.
                Region seg = segs[rng.Next(segs.Length)];
                int times = 1 + rng.Next(8);
                byte[] block = data.AsSpan(seg.Start, seg.End - seg.Start).ToArray();
                for (int t = 0; t < times; t++)
                {
                    data = Splice(data, seg.End, 0, block);
                }

                return Inv($"jpeg-dup {seg.Name}@{seg.Start}x{times}");
            }

            case 8:
            {
                Region seg = segs[rng.Next(segs.Length)];
                data = Splice(data, seg.Start, seg.End - seg.Start, []);
                return Inv($"jpeg-del {seg.Name}@{seg.Start}");
            }

            default:
            {
                // Inject a marker into entropy-coded data (premature EOI, wrong RSTn, a stray SOS or DHT, ...).
                if (layout.ScanData.Length == 0)
                {
                    return null;
                }

                (int start, int end) = layout.ScanData[rng.Next(layout.ScanData.Length)];
                if (end - start < 2)
                {
                    return null;
                }

                int pos = start + rng.Next(end - start - 1);
                byte m = JpegMarkers[rng.Next(JpegMarkers.Length - 2)];
                bool insert = rng.Next(2) == 0;
                if (insert)
                {
                    data = Splice(data, pos, 0, [0xFF, m]);
                }
                else
                {
                    data[pos] = 0xFF;
                    data[pos + 1] = m;
                }

                return Inv($"jpeg-ecs-{(insert ? "insert" : "put")} FF{m:X2}@{pos}");
            }
        }
    }

    private static string? JpegSof(Random rng, Layout layout, byte[] data)
    {
        Region? found = Pick(rng, layout.Regions, r => r.Marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC);
        if (found is not { } sof || sof.PayloadLength < 6)
        {
            return null;
        }

        int p = sof.PayloadStart;
        int nf = Math.Min(data[p + 5], (sof.PayloadLength - 6) / 3);
        int field = rng.Next(nf > 0 ? 5 : 4);
        switch (field)
        {
            case 0:
            {
                byte[] precisions = [0, 1, 7, 8, 12, 16, 255];
                byte v = precisions[rng.Next(precisions.Length)];
                data[p] = v;
                return Inv($"jpeg-sof-precision={v}");
            }

            case 1:
            case 2:
            {
                int v = InterestingDimension16(rng, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(p + (field == 1 ? 1 : 3))));
                Write16(data, p + (field == 1 ? 1 : 3), v, bigEndian: true);
                return Inv($"jpeg-sof-{(field == 1 ? "height" : "width")}={(ushort)v}");
            }

            case 3:
            {
                byte[] counts = [0, 1, 2, 3, 4, 5, 255];
                byte v = counts[rng.Next(counts.Length)];
                data[p + 5] = v;
                return Inv($"jpeg-sof-nf={v}");
            }

            default:
            {
                int c = rng.Next(nf);
                int q = p + 6 + (3 * c);
                switch (rng.Next(3))
                {
                    case 0:
                    {
                        byte v = (byte)(rng.Next(2) == 0 ? rng.Next(6) : rng.Next(256));
                        data[q] = v;
                        return Inv($"jpeg-sof-c{c}-id={v}");
                    }

                    case 1:
                    {
                        byte[] sampling = [0x00, 0x11, 0x12, 0x21, 0x22, 0x44, 0x14, 0x41, 0x0F, 0xF0, 0xFF, 0x33, 0x13, 0x31];
                        byte v = sampling[rng.Next(sampling.Length)];
                        data[q + 1] = v;
                        return Inv($"jpeg-sof-c{c}-hv=0x{v:X2}");
                    }

                    default:
                    {
                        byte v = (byte)(rng.Next(2) == 0 ? rng.Next(6) : 255);
                        data[q + 2] = v;
                        return Inv($"jpeg-sof-c{c}-tq={v}");
                    }
                }
            }
        }
    }

    private static string? JpegSos(Random rng, Layout layout, byte[] data)
    {
        Region? found = Pick(rng, layout.Regions, r => r.Marker == 0xDA);
        if (found is not { } sos || sos.PayloadLength < 1)
        {
            return null;
        }

        int p = sos.PayloadStart;
        int ns = data[p];
        int tail = p + 1 + (2 * ns);
        bool hasTail = tail + 3 <= sos.End;
        switch (rng.Next(hasTail ? 4 : 2))
        {
            case 0:
            {
                byte[] counts = [0, 1, 2, 3, 4, 5, 255];
                byte v = counts[rng.Next(counts.Length)];
                data[p] = v;
                return Inv($"jpeg-sos-ns={v}");
            }

            case 1:
            {
                if (ns == 0 || p + 1 + (2 * ns) > sos.End)
                {
                    return null;
                }

                int c = rng.Next(ns);
                int q = p + 1 + (2 * c);
                if (rng.Next(2) == 0)
                {
                    byte v = (byte)(rng.Next(2) == 0 ? rng.Next(6) : rng.Next(256));
                    data[q] = v;
                    return Inv($"jpeg-sos-c{c}-selector={v}");
                }
                else
                {
                    byte[] tables = [0x00, 0x01, 0x10, 0x11, 0x22, 0x33, 0x04, 0x40, 0x44, 0xFF];
                    byte v = tables[rng.Next(tables.Length)];
                    data[q + 1] = v;
                    return Inv($"jpeg-sos-c{c}-tdta=0x{v:X2}");
                }
            }

            case 2:
            {
                byte[] spectral = [0, 1, 5, 62, 63, 64, 200, 255];
                bool start = rng.Next(2) == 0;
                byte v = spectral[rng.Next(spectral.Length)];
                data[tail + (start ? 0 : 1)] = v;
                return Inv($"jpeg-sos-{(start ? "ss" : "se")}={v}");
            }

            default:
            {
                byte v = (byte)(rng.Next(2) == 0 ? (rng.Next(3) << 4) | rng.Next(3) : rng.Next(256));
                data[tail + 2] = v;
                return Inv($"jpeg-sos-ahal=0x{v:X2}");
            }
        }
    }

    private static string? JpegDht(Random rng, Layout layout, byte[] data)
    {
        Region? found = Pick(rng, layout.Regions, r => r.Marker == 0xC4);
        if (found is not { } dht || dht.PayloadLength < 17)
        {
            return null;
        }

        // Pick one of the tables in the segment.
        var tables = new List<int>();
        for (int t = dht.PayloadStart; t + 17 <= dht.End;)
        {
            tables.Add(t);
            int symbols = 0;
            for (int k = 1; k <= 16; k++)
            {
                symbols += data[t + k];
            }

            t += 17 + symbols;
        }

        int p = tables[rng.Next(tables.Count)];
        switch (rng.Next(3))
        {
            case 0:
            {
                byte[] classes = [0x00, 0x01, 0x10, 0x11, 0x02, 0x13, 0x04, 0x14, 0x20, 0xFF];
                byte v = classes[rng.Next(classes.Length)];
                data[p] = v;
                return Inv($"jpeg-dht-tcth=0x{v:X2}");
            }

            case 1:
            {
                int k = 1 + rng.Next(16);
                int old = data[p + k];
                byte v = (byte)(rng.Next(3) switch { 0 => 0, 1 => 255, _ => old + (rng.Next(2) == 0 ? 1 : -1) });
                data[p + k] = v;
                return Inv($"jpeg-dht-count{k}={v}");
            }

            default:
            {
                int symbols = dht.End - (p + 17);
                if (symbols <= 0)
                {
                    return null;
                }

                int at = p + 17 + rng.Next(symbols);
                byte v = (byte)rng.Next(256);
                data[at] = v;
                return Inv($"jpeg-dht-symbol@{at}=0x{v:X2}");
            }
        }
    }

    private static string? JpegDqt(Random rng, Layout layout, byte[] data)
    {
        Region? found = Pick(rng, layout.Regions, r => r.Marker == 0xDB);
        if (found is not { } dqt || dqt.PayloadLength < 2)
        {
            return null;
        }

        int p = dqt.PayloadStart;
        if (rng.Next(2) == 0)
        {
            byte[] values = [0x00, 0x01, 0x03, 0x04, 0x10, 0x11, 0x14, 0x20, 0xFF];
            byte v = values[rng.Next(values.Length)];
            data[p] = v;
            return Inv($"jpeg-dqt-pqtq=0x{v:X2}");
        }
        else
        {
            int at = p + 1 + rng.Next(dqt.PayloadLength - 1);
            byte v = (byte)(rng.Next(3) switch { 0 => 0, 1 => 255, _ => rng.Next(256) });
            data[at] = v;
            return Inv($"jpeg-dqt-value@{at}={v}");
        }
    }

    // ------------------------------------------------------------------ PNG

    private static string? PngStructural(Random rng, Layout layout, ref byte[] data)
    {
        Region[] chunks = layout.Regions;
        if (chunks.Length == 0)
        {
            return null;
        }

        switch (rng.Next(8))
        {
            case 0:
            case 1:
            {
                Region? found = Pick(rng, chunks, r => r.Name == "IHDR");
                if (found is not { } ihdr || ihdr.PayloadLength < 13)
                {
                    return null;
                }

                int p = ihdr.PayloadStart;
                int field = rng.Next(7);
                if (field < 2)
                {
                    uint v = rng.Next(3) == 0
                        ? (uint)rng.Next(1, 70000)
                        : (uint)Interesting32[rng.Next(Interesting32.Length)];
                    Write32(data, p + (4 * field), v, bigEndian: true);
                    return Inv($"png-ihdr-{(field == 0 ? "width" : "height")}=0x{v:X8}");
                }

                byte[][] choices =
                [
                    [0, 1, 2, 3, 4, 5, 8, 16, 32, 255], // bit depth
                    [0, 1, 2, 3, 4, 5, 6, 7, 8, 255], // colour type
                    [0, 1, 255], // compression
                    [0, 1, 255], // filter
                    [0, 1, 2, 255], // interlace
                ];
                string[] names = ["bitdepth", "colortype", "compression", "filter", "interlace"];
                byte b = choices[field - 2][rng.Next(choices[field - 2].Length)];
                data[p + 8 + (field - 2)] = b;
                return Inv($"png-ihdr-{names[field - 2]}={b}");
            }

            case 2:
            {
                // Chunk length field.
                Region c = chunks[rng.Next(chunks.Length)];
                int len = c.PayloadLength;
                uint v = rng.Next(3) switch
                {
                    0 => (uint)Interesting32[rng.Next(Interesting32.Length)],
                    1 => (uint)Math.Max(0, len + rng.Next(-16, 17)),
                    _ => (uint)rng.Next(len + 1),
                };
                Write32(data, c.Start, v, bigEndian: true);
                return Inv($"png-chunklen {c.Name}@{c.Start}={v}");
            }

            case 3:
            {
                // Chunk type: flip a case bit (critical/ancillary, reserved, safe-to-copy) or rename.
                Region c = chunks[rng.Next(chunks.Length)];
                if (rng.Next(2) == 0)
                {
                    int k = rng.Next(4);
                    data[c.Start + 4 + k] ^= 0x20;
                    return Inv($"png-chunktype {c.Name}@{c.Start} case{k}");
                }

                string t = PngChunkTypes[rng.Next(PngChunkTypes.Length)];
                Encoding.ASCII.GetBytes(t, data.AsSpan(c.Start + 4, 4));
                return Inv($"png-chunktype {c.Name}@{c.Start}->{t}");
            }

            case 4:
            {
                // Bytes inside a chunk's data (IDAT and zTXt/iCCP: inside the zlib stream).
                Region? found = Pick(rng, chunks, r => r.PayloadLength > 0);
                if (found is not { } c)
                {
                    return null;
                }

                int len = Math.Min(1 + rng.Next(4), c.PayloadLength);
                int at = c.PayloadStart + rng.Next(c.PayloadLength - len + 1);
                if (rng.Next(2) == 0)
                {
                    rng.NextBytes(data.AsSpan(at, len));
                }
                else
                {
                    data.AsSpan(at, len).Fill(InterestingBytes[rng.Next(InterestingBytes.Length)]);
                }

                return Inv($"png-chunkdata {c.Name}@{at}x{len}");
            }

            case 5:
            {
                Region c = chunks[rng.Next(chunks.Length)];
                int times = 1 + rng.Next(8);
                byte[] block = data.AsSpan(c.Start, c.End - c.Start).ToArray();
                for (int t = 0; t < times; t++)
                {
                    data = Splice(data, c.End, 0, block);
                }

                return Inv($"png-dup {c.Name}@{c.Start}x{times}");
            }

            case 6:
            {
                Region c = chunks[rng.Next(chunks.Length)];
                data = Splice(data, c.Start, c.End - c.Start, []);
                return Inv($"png-del {c.Name}@{c.Start}");
            }

            default:
            {
                if (chunks.Length < 2)
                {
                    return null;
                }

                int i = rng.Next(chunks.Length - 1);
                Region a = chunks[i], b = chunks[i + 1];
                byte[] swapped = [.. data.AsSpan(b.Start, b.End - b.Start), .. data.AsSpan(a.Start, a.End - a.Start)];
                swapped.CopyTo(data, a.Start);
                return Inv($"png-swap {a.Name}@{a.Start}<->{b.Name}");
            }
        }
    }

    /// <summary>Recomputes the CRC of every chunk from offset 8 while the chunk list stays well formed.</summary>
    private static void FixPngCrcs(byte[] data)
    {
        int pos = 8;
        while (pos + 12 <= data.Length)
        {
            uint len = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos));
            if (len > (uint)(data.Length - pos - 12))
            {
                break;
            }

            if (!IsChunkType(data.AsSpan(pos + 4, 4)))
            {
                break;
            }

            int crcAt = pos + 8 + (int)len;
            uint crc = HostileImages.PngCrc(data.AsSpan(pos + 4, 4 + (int)len));
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(crcAt), crc);
            pos = crcAt + 4;
        }
    }

    private static bool IsChunkType(ReadOnlySpan<byte> type)
    {
        foreach (byte b in type)
        {
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z')))
            {
                return false;
            }
        }

        return true;
    }

    // ------------------------------------------------------------------ helpers

    private static int InterestingDimension16(Random rng, int current) => rng.Next(4) switch
    {
        0 => Interesting16[rng.Next(Interesting16.Length)],
        1 => current * (2 + rng.Next(15)),
        2 => current + rng.Next(-16, 17),
        _ => rng.Next(65536),
    };

    private static Region? Pick(Random rng, Region[] regions, Func<Region, bool> predicate)
    {
        Region[] matching = [.. regions.Where(predicate)];
        return matching.Length == 0 ? null : matching[rng.Next(matching.Length)];
    }

    private static byte[] Splice(byte[] data, int pos, int removeCount, ReadOnlySpan<byte> insert)
    {
        var result = new byte[data.Length - removeCount + insert.Length];
        data.AsSpan(0, pos).CopyTo(result);
        insert.CopyTo(result.AsSpan(pos));
        data.AsSpan(pos + removeCount).CopyTo(result.AsSpan(pos + insert.Length));
        return result;
    }

    private static void Write16(byte[] data, int pos, int v, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(pos), (ushort)v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(pos), (ushort)v);
        }
    }

    private static void Write32(byte[] data, int pos, uint v, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(pos), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(pos), v);
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>A marker segment (JPEG; for SOS the header only) or a chunk (PNG) of the seed.</summary>
    private readonly record struct Region(int Start, int End, int PayloadStart, int PayloadLength, byte Marker, string Name);

    /// <summary>The seed's format and its segments or chunks, parsed once per stream.</summary>
    private sealed record Layout(SeedFormat Format, Region[] Regions, (int Start, int End)[] ScanData)
    {
        public static Layout Parse(byte[] d)
        {
            if (d.Length >= 8 && d.AsSpan(0, 8).SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            {
                return ParsePng(d);
            }

            if (d.Length >= 4 && d[0] == 0xFF && d[1] == 0xD8)
            {
                return ParseJpeg(d);
            }

            return new Layout(SeedFormat.Other, [], []);
        }

        private static Layout ParsePng(byte[] d)
        {
            var chunks = new List<Region>();
            int pos = 8;
            while (pos + 12 <= d.Length)
            {
                uint len = BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(pos));
                if (len > (uint)(d.Length - pos - 12))
                {
                    break;
                }

                string name = Encoding.ASCII.GetString(d, pos + 4, 4);
                chunks.Add(new Region(pos, pos + 12 + (int)len, pos + 8, (int)len, 0, name));
                pos += 12 + (int)len;
            }

            return new Layout(SeedFormat.Png, [.. chunks], []);
        }

        private static Layout ParseJpeg(byte[] d)
        {
            var segments = new List<Region>();
            var scans = new List<(int, int)>();
            int pos = 2;
            while (pos + 4 <= d.Length && d[pos] == 0xFF)
            {
                byte m = d[pos + 1];
                if (m == 0xFF)
                {
                    pos++;
                    continue;
                }

                if (m == 0xD9)
                {
                    break;
                }

                if (m is 0x01 or (>= 0xD0 and <= 0xD7))
                {
                    pos += 2;
                    continue;
                }

                int len = BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(pos + 2));
                int end = pos + 2 + len;
                if (len < 2 || end > d.Length)
                {
                    break;
                }

                segments.Add(new Region(pos, end, pos + 4, len - 2, m, MarkerName(m)));
                pos = end;
                if (m == 0xDA)
                {
                    int start = pos;
                    while (pos + 1 < d.Length && !(d[pos] == 0xFF && d[pos + 1] != 0 && d[pos + 1] is < 0xD0 or > 0xD7))
                    {
                        pos++;
                    }

                    scans.Add((start, pos));
                }
            }

            return new Layout(SeedFormat.Jpeg, [.. segments], [.. scans]);
        }

        private static string MarkerName(byte m) => m switch
        {
            0xC4 => "DHT",
            0xCC => "DAC",
            >= 0xC0 and <= 0xCF => "SOF" + (m - 0xC0).ToString(CultureInfo.InvariantCulture),
            0xDA => "SOS",
            0xDB => "DQT",
            0xDD => "DRI",
            >= 0xE0 and <= 0xEF => "APP" + (m - 0xE0).ToString(CultureInfo.InvariantCulture),
            0xFE => "COM",
            _ => "FF" + m.ToString("X2", CultureInfo.InvariantCulture),
        };
    }
}
