using BenchmarkDotNet.Attributes;

namespace FaceDefender.Statistics.Benchmarks;

/// <summary>
/// Issue 7's reference-standard workload: reference intervals of a 1,163-row cohort (the paper's size) by the
/// bootstrap method with B = 10,000, one column and 17 columns. The baseline is the previous implementation,
/// written out with the public API: one ordinary bootstrap per limit, each resample copied and fully sorted.
/// The builder gives the same limits (tested bit for bit) in one counting-sorted pass.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class ReferenceIntervalBenchmarks
{
    private const int Replicates = 10_000;
    private static readonly ReferenceIntervalOptions Bootstrapped = new() { ForceMethod = ReferenceIntervalMethod.Bootstrap, BootstrapReplicates = Replicates };
    private double[][] columns = [];

    /// <summary>17 skewed (log-normal) columns of 1,163 values.</summary>
    [GlobalSetup]
    public void Setup() =>
        columns = Enumerable.Range(0, 17).Select(c => BenchData.Normal(1163, 0, 0.2, seed: 100 + c).Select(Math.Exp).ToArray()).ToArray();

    /// <summary>Previous method, one column: two bootstraps (same seed), each sorting every resample.</summary>
    [Benchmark(Baseline = true)]
    public double OneColumn_TwoSortingBootstraps()
    {
        double[] x = columns[0];
        BootstrapResult low = Bootstrap.Run(x, s => SortedQuantile(s, 0.025), Replicates, Bootstrapped.Seed);
        BootstrapResult high = Bootstrap.Run(x, s => SortedQuantile(s, 0.975), Replicates, Bootstrapped.Seed);
        return low.Replicates.Average() + high.Replicates.Average();
    }

    /// <summary>The builder, one column (Tukey fences, Shapiro-Wilk, both limits and their percentile CIs).</summary>
    [Benchmark]
    public double OneColumn_Builder() => ReferenceIntervalBuilder.Build(columns[0], Bootstrapped).Lower;

    /// <summary>The builder, 17 columns one after the other (a whole standard).</summary>
    [Benchmark]
    public double SeventeenColumns_Builder()
    {
        double s = 0;
        foreach (double[] x in columns)
        {
            s += ReferenceIntervalBuilder.Build(x, Bootstrapped).Lower;
        }

        return s;
    }

    private static double SortedQuantile(ReadOnlySpan<double> sample, double p)
    {
        double[] copy = sample.ToArray();
        Array.Sort(copy);
        return Quantiles.FromSorted(copy, p);
    }
}
