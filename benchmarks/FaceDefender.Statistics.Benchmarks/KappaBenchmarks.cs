using BenchmarkDotNet.Attributes;

namespace FaceDefender.Statistics.Benchmarks;

/// <summary>Cohen's kappa on 10^6 label pairs over 5 categories (R: <c>vcd::Kappa(table(a, b))</c>).</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class KappaBenchmarks
{
    private int[] rater1 = [];
    private int[] rater2 = [];

    /// <summary>Creates the labels: rater 2 agrees with rater 1 about 60 % of the time.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        rater1 = new int[1_000_000];
        rater2 = new int[1_000_000];
        for (int i = 0; i < rater1.Length; i++)
        {
            rater1[i] = rng.Next(5);
            rater2[i] = rng.NextDouble() < 0.6 ? rater1[i] : rng.Next(5);
        }
    }

    /// <summary>Baseline: unweighted kappa with both SEs, z, P and CI.</summary>
    [Benchmark(Baseline = true)]
    public double Unweighted() => CohenKappa.FromPairs(rater1, rater2, 5).Kappa;

    /// <summary>Quadratic (Fleiss-Cohen) weights.</summary>
    [Benchmark]
    public double Quadratic() => CohenKappa.FromPairs(rater1, rater2, 5, KappaWeighting.Quadratic).Kappa;
}
