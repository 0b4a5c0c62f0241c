namespace FaceDefender.Statistics.Benchmarks;

/// <summary>Deterministic synthetic inputs (the same shapes r_timing.R uses).</summary>
internal static class BenchData
{
    /// <summary>n draws from N(mean, sd) by Box-Muller on a seeded System.Random.</summary>
    public static double[] Normal(int n, double mean, double sd, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1.0 - rng.NextDouble();
            double u2 = rng.NextDouble();
            x[i] = mean + (sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        return x;
    }

    public static double Mean(ReadOnlySpan<double> s)
    {
        double sum = 0.0;
        foreach (double v in s)
        {
            sum += v;
        }

        return sum / s.Length;
    }

    public static double Median(ReadOnlySpan<double> s)
    {
        double[] a = s.ToArray();
        Array.Sort(a);
        int n = a.Length;
        return n % 2 == 1 ? a[n / 2] : (a[(n / 2) - 1] + a[n / 2]) / 2.0;
    }
}
