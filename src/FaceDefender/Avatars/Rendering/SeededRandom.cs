namespace FaceDefender.Avatars.Rendering;

/// <summary>
/// SplitMix64: a tiny deterministic generator whose output is fixed by its seed on every platform
/// and runtime version (System.Random makes no such promise), so an avatar seed always renders
/// the same face.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(ulong seed) => _state = seed;

    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1UL << 24));

    /// <summary>Uniform in [min, max).</summary>
    public float Range(float min, float max) => min + (max - min) * NextFloat();

    /// <summary>Integer in [0, count).</summary>
    public int Next(int count) => (int)(NextULong() % (ulong)count);

    /// <summary>Mixes several values into one well-spread seed.</summary>
    public static ulong Mix(params ReadOnlySpan<ulong> values)
    {
        ulong h = 0x243F6A8885A308D3UL;
        foreach (ulong v in values)
        {
            var r = new SeededRandom(h ^ v);
            h = r.NextULong();
        }

        return h;
    }
}
