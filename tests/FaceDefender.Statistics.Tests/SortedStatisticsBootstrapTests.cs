namespace FaceDefender.Statistics.Tests;

/// <summary>
/// The one-pass, counting-sorted bootstrap of order statistics gives exactly (bit for bit) what one ordinary
/// bootstrap per statistic with the same seed and a sorting statistic gives.
/// </summary>
public class SortedStatisticsBootstrapTests
{
    private static double[] Data(int n, int seed, bool ties)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            x[i] = ties ? Math.Round(Math.Exp(z), 1) : Math.Exp(z);
        }

        return x;
    }

    private static double SortThen(ReadOnlySpan<double> s, double p, QuantileType type)
    {
        double[] c = s.ToArray();
        Array.Sort(c);
        return Quantiles.FromSorted(c, p, type);
    }

    [Theory]
    [InlineData(1163, false, QuantileType.R7)]
    [InlineData(300, true, QuantileType.R7)]
    [InlineData(57, false, QuantileType.R7)]
    [InlineData(57, true, QuantileType.R1)]
    [InlineData(57, false, QuantileType.R6)]
    public void Matches_one_sorting_bootstrap_per_statistic(int n, bool ties, QuantileType type)
    {
        double[] x = Data(n, n + (ties ? 1 : 0) + (int)type, ties);
        int b = n > 1000 ? 1000 : 3000;
        BootstrapResult[] fast = Bootstrap.RunSortedStatistics(
            x, [s => Quantiles.FromSorted(s, 0.025, type), s => Quantiles.FromSorted(s, 0.975, type)], b, seed: 99);
        BootstrapResult low = Bootstrap.Run(x, s => SortThen(s, 0.025, type), b, seed: 99);
        BootstrapResult high = Bootstrap.Run(x, s => SortThen(s, 0.975, type), b, seed: 99);
        fast[0].Replicates.Should().Equal(low.Replicates);
        BootstrapResult[] windowed = Bootstrap.RunQuantiles(x, [0.025, 0.975], type, b, seed: 99);
        windowed[0].Replicates.Should().Equal(low.Replicates);
        windowed[1].Replicates.Should().Equal(high.Replicates);
        fast[1].Replicates.Should().Equal(high.Replicates);
        fast[0].Original.Should().Be(low.Original);
        fast[1].Original.Should().Be(high.Original);
        fast[1].Percentile(0.9).Lower.Should().Be(high.Percentile(0.9).Lower);
        if (!ties && type == QuantileType.R7 && n <= 60) // BCa's influence values re-evaluate B x n resamples: slow for large n
        {
            fast[0].Bca().Lower.Should().Be(low.Bca().Lower, "the evaluator behind BCa sorts its resample itself");
        }
    }

    [Theory]
    [InlineData(1163, false)]
    [InlineData(40, true)]
    [InlineData(7, false)]
    public void Quantile_path_matches_the_full_expansion_for_every_type_and_probability(int n, bool ties)
    {
        double[] x = Data(n, 1000 + n, ties);
        double[] p = [0, 0.001, 0.025, 0.1, 0.5, 0.9, 0.975, 0.999, 1];
        foreach (QuantileType type in Enum.GetValues<QuantileType>())
        {
            BootstrapResult[] window = Bootstrap.RunQuantiles(x, p, type, 400, seed: 7);
            BootstrapResult[] full = Bootstrap.RunSortedStatistics(
                x, p.Select(q => (SortedSampleStatistic)(s => Quantiles.FromSorted(s, q, type))).ToArray(), 400, seed: 7);
            for (int k = 0; k < p.Length; k++)
            {
                window[k].Replicates.Should().Equal(full[k].Replicates, $"type {type}, p = {p[k]}");
                window[k].Original.Should().Be(full[k].Original);
            }
        }
    }

    [Fact]
    public void Result_does_not_depend_on_the_number_of_threads()
    {
        double[] x = Data(500, 3, ties: true);
        SortedSampleStatistic[] median = [s => Quantiles.FromSorted(s, 0.5)];
        BootstrapResult one = Bootstrap.RunSortedStatistics(x, median, 2000, 5, maxDegreeOfParallelism: 1)[0];
        Bootstrap.RunQuantiles(x, [0.5], QuantileType.R7, 2000, 5, maxDegreeOfParallelism: 1)[0].Replicates.Should().Equal(one.Replicates);
        BootstrapResult all = Bootstrap.RunSortedStatistics(x, median, 2000, 5)[0];
        one.Replicates.Should().Equal(all.Replicates);
        Bootstrap.RunSortedStatistics(x, median, 2000, 6)[0].Replicates.Should().NotEqual(all.Replicates, "another seed draws other resamples");
    }
}
