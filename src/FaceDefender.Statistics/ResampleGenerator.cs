using System.Runtime.CompilerServices;

namespace FaceDefender.Statistics;

/// <summary>
/// Counter-based source of bootstrap resamples: resample b is drawn from a xoshiro256** generator whose state
/// is derived from (seed, b) by SplitMix64, so every resample is the same whatever thread draws it and
/// in whatever order. Indices are uniform on [0, n) by Lemire's multiply-and-reject method (no modulo bias).
/// Both generators are Blackman and Vigna's published public-domain algorithms, written out here.
/// </summary>
internal static class ResampleGenerator
{
    public static void Fill(ulong seed, long replicate, Span<int> destination, int n)
    {
        var sink = new IndexSink(destination);
        Draw(seed, replicate, destination.Length, n, ref sink);
    }

    /// <summary>Draws resample <paramref name="replicate"/> (the same draws as <see cref="Fill"/>) and adds one to
    /// <paramref name="counts"/>[<paramref name="map"/>[index]] for each drawn index.</summary>
    public static void AddCounts(ulong seed, long replicate, int draws, int n, ReadOnlySpan<int> map, Span<int> counts)
    {
        var sink = new CountSink(map, counts);
        Draw(seed, replicate, draws, n, ref sink);
    }

    /// <summary>Receives the drawn indices in order (a struct, so each use is compiled without indirection).</summary>
    private interface IDrawSink
    {
        void Add(int position, int index);
    }

    private ref struct IndexSink(Span<int> destination) : IDrawSink
    {
        private readonly Span<int> _destination = destination;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Add(int position, int index) => _destination[position] = index;
    }

    private ref struct CountSink(ReadOnlySpan<int> map, Span<int> counts) : IDrawSink
    {
        private readonly ReadOnlySpan<int> _map = map;
        private readonly Span<int> _counts = counts;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Add(int position, int index) => _counts[_map[index]]++;
    }

    private static void Draw<TSink>(ulong seed, long replicate, int draws, int n, ref TSink sink)
        where TSink : struct, IDrawSink, allows ref struct
    {
        ulong sm = seed ^ (0xD1B54A32D192ED03UL * (ulong)(replicate + 1));
        ulong s0 = SplitMix(ref sm);
        ulong s1 = SplitMix(ref sm);
        ulong s2 = SplitMix(ref sm);
        ulong s3 = SplitMix(ref sm);
        ulong range = (ulong)n;
        ulong threshold = (0x1_0000_0000UL - range) % range;
        ulong pending = 0;
        bool hasPending = false;
        for (int i = 0; i < draws; i++)
        {
            while (true)
            {
                // Each 64-bit output supplies two 32-bit draws (high half first).
                ulong r;
                if (hasPending)
                {
                    r = pending;
                    hasPending = false;
                }
                else
                {
                    ulong next = Next(ref s0, ref s1, ref s2, ref s3);
                    r = next >> 32;
                    pending = next & 0xFFFFFFFFUL;
                    hasPending = true;
                }

                ulong m = r * range;
                if ((m & 0xFFFFFFFFUL) < threshold)
                {
                    continue; // Lemire: reject the few values that would bias the result
                }

                sink.Add(i, (int)(m >> 32));
                break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Next(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }
}
