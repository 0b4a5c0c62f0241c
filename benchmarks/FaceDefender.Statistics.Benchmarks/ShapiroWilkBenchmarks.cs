using BenchmarkDotNet.Attributes;

namespace FaceDefender.Statistics.Benchmarks;

/// <summary>Shapiro-Wilk at its largest size, n = 5,000 (R: <c>shapiro.test(x)</c>).</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class ShapiroWilkBenchmarks
{
    private double[] data = [];

    /// <summary>Creates the data.</summary>
    [GlobalSetup]
    public void Setup() => data = BenchData.Normal(5000, 0, 1, seed: 2);

    /// <summary>Baseline: copying and sorting the sample, which the test must do anyway.</summary>
    [Benchmark(Baseline = true)]
    public double SortOnly()
    {
        double[] copy = (double[])data.Clone();
        Array.Sort(copy);
        return copy[0];
    }

    /// <summary>The full test: W and its p-value.</summary>
    [Benchmark]
    public double ShapiroWilk5000() => ShapiroWilk.Test(data).PValue;
}
