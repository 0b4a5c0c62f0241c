using System.Runtime.Intrinsics;

namespace FaceDefender.Statistics;

/// <summary>
/// Kernels on rows of resampling counts (ushort) against double vectors, with a Vector256 path and a scalar tail.
/// The scalar loop is the reference (tests compare the two).
/// </summary>
internal static class FrequencyKernels
{
    /// <summary>Σ counts[j]·v[j].</summary>
    public static double Dot(ReadOnlySpan<ushort> counts, ReadOnlySpan<double> v)
    {
        int j = 0;
        double sum = 0.0;
        if (Vector256.IsHardwareAccelerated && counts.Length >= 16)
        {
            Vector256<double> acc0 = Vector256<double>.Zero;
            Vector256<double> acc1 = Vector256<double>.Zero;
            Vector256<double> acc2 = Vector256<double>.Zero;
            Vector256<double> acc3 = Vector256<double>.Zero;
            for (; j <= counts.Length - 16; j += 16)
            {
                (Vector256<double> c0, Vector256<double> c1, Vector256<double> c2, Vector256<double> c3) = Widen(counts.Slice(j, 16));
                acc0 += c0 * Vector256.Create(v.Slice(j, 4));
                acc1 += c1 * Vector256.Create(v.Slice(j + 4, 4));
                acc2 += c2 * Vector256.Create(v.Slice(j + 8, 4));
                acc3 += c3 * Vector256.Create(v.Slice(j + 12, 4));
            }

            sum = Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
        }

        for (; j < counts.Length; j++)
        {
            sum += counts[j] * v[j];
        }

        return sum;
    }

    /// <summary>acc[j] += counts[j]·scale.</summary>
    public static void AddScaled(ReadOnlySpan<ushort> counts, double scale, Span<double> acc)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && counts.Length >= 16)
        {
            Vector256<double> s = Vector256.Create(scale);
            for (; j <= counts.Length - 16; j += 16)
            {
                (Vector256<double> c0, Vector256<double> c1, Vector256<double> c2, Vector256<double> c3) = Widen(counts.Slice(j, 16));
                (Vector256.Create((ReadOnlySpan<double>)acc.Slice(j, 4)) + (c0 * s)).CopyTo(acc.Slice(j, 4));
                (Vector256.Create((ReadOnlySpan<double>)acc.Slice(j + 4, 4)) + (c1 * s)).CopyTo(acc.Slice(j + 4, 4));
                (Vector256.Create((ReadOnlySpan<double>)acc.Slice(j + 8, 4)) + (c2 * s)).CopyTo(acc.Slice(j + 8, 4));
                (Vector256.Create((ReadOnlySpan<double>)acc.Slice(j + 12, 4)) + (c3 * s)).CopyTo(acc.Slice(j + 12, 4));
            }
        }

        for (; j < counts.Length; j++)
        {
            acc[j] += counts[j] * scale;
        }
    }

    /// <summary>16 ushorts to four vectors of 4 doubles, in order.</summary>
    private static (Vector256<double>, Vector256<double>, Vector256<double>, Vector256<double>) Widen(ReadOnlySpan<ushort> sixteen)
    {
        Vector256<ushort> raw = Vector256.Create(sixteen);
        (Vector256<uint> lo, Vector256<uint> hi) = Vector256.Widen(raw);
        (Vector256<ulong> a, Vector256<ulong> b) = Vector256.Widen(lo);
        (Vector256<ulong> c, Vector256<ulong> d) = Vector256.Widen(hi);
        return (Vector256.ConvertToDouble(a), Vector256.ConvertToDouble(b), Vector256.ConvertToDouble(c), Vector256.ConvertToDouble(d));
    }
}
