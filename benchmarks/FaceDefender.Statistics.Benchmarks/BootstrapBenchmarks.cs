using BenchmarkDotNet.Attributes;

namespace FaceDefender.Statistics.Benchmarks;

/// <summary>
/// The bootstrap workload: B = 10,000 resamples of n = 1,163 values (the paper's cohort size).
/// R equivalent (r_timing.R): <c>b &lt;- boot(x, function(d, i) mean(d[i]), R = 10000);
/// boot.ci(b, type = c("norm", "basic", "perc", "bca"))</c>.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class BootstrapBenchmarks
{
    private double[] data = [];

    /// <summary>Creates the data.</summary>
    [GlobalSetup]
    public void Setup() => data = BenchData.Normal(1163, 52, 3.5, seed: 1);

    /// <summary>Baseline: the 10,000 replicates of the mean only (R: boot()).</summary>
    [Benchmark(Baseline = true)]
    public double ReplicatesOnly_Mean() => Bootstrap.Run(data, BenchData.Mean, 10_000, seed: 42).Replicates[0];

    /// <summary>BCa of the mean with R's default regression influence values (R: boot() + boot.ci(type = "bca")).</summary>
    [Benchmark]
    public double Bca_Mean() => Bootstrap.Run(data, BenchData.Mean, 10_000, seed: 42).Bca().Lower;

    /// <summary>All four boot.ci intervals of the mean (R: boot() + boot.ci(type = c("norm", "basic", "perc", "bca"))).</summary>
    [Benchmark]
    public double AllFourIntervals_Mean() => Bootstrap.Run(data, BenchData.Mean, 10_000, seed: 42).AllIntervals()[3].Lower;

    /// <summary>BCa of the median: a non-linear statistic, so the regression solve needs its full ~27 iterations.</summary>
    [Benchmark]
    public double Bca_Median() => Bootstrap.Run(data, BenchData.Median, 10_000, seed: 42).Bca().Lower;
}
