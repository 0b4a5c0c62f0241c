namespace FaceDefender.Statistics.Tests;

public class IndexedBootstrapTests
{
    [Fact]
    public void Index_statistic_on_Rs_resamples_reproduces_boot_ci()
    {
        // The same mean, written as R's statistic(d, i): reads the caller's data through the indices.
        double[] x = RReference.Data("boot30");
        double MeanOfRows(ReadOnlySpan<int> rows)
        {
            double sum = 0;
            foreach (int i in rows)
            {
                sum += x[i];
            }

            return sum / rows.Length;
        }

        BootstrapResult b = Bootstrap.FromIndicesIndexed(x.Length, MeanOfRows, RReference.BootIndices("mean30"));
        RReference.ShouldMatch(b.Original, "boot/mean30/t0", 1e-14);
        BootstrapInterval bca = b.Bca();
        RReference.ShouldMatch(bca.Lower, "boot/mean30/0.95/bca[1]", 1e-12);
        RReference.ShouldMatch(bca.Upper, "boot/mean30/0.95/bca[2]", 1e-12);
        double[] jack = b.InfluenceValues(InfluenceMethod.Jackknife);
        double[] rJack = RReference.Vector("boot/mean30/L.jack");
        for (int i = 0; i < jack.Length; i++)
        {
            jack[i].Should().BeApproximately(rJack[i], 1e-12);
        }
    }

    [Fact]
    public void Bivariate_statistic_by_index_is_seeded_and_thread_independent()
    {
        // Correlation of paired columns: a statistic the value API cannot express.
        double[] a = RReference.Data("normal50");
        double[] c = a.Select((v, i) => v + (3 * Math.Sin(i))).ToArray();
        double Correlation(ReadOnlySpan<int> rows)
        {
            double ma = 0, mc = 0;
            foreach (int i in rows)
            {
                ma += a[i];
                mc += c[i];
            }

            ma /= rows.Length;
            mc /= rows.Length;
            double sab = 0, saa = 0, scc = 0;
            foreach (int i in rows)
            {
                sab += (a[i] - ma) * (c[i] - mc);
                saa += (a[i] - ma) * (a[i] - ma);
                scc += (c[i] - mc) * (c[i] - mc);
            }

            return sab / Math.Sqrt(saa * scc);
        }

        BootstrapResult one = Bootstrap.RunIndexed(50, Correlation, 2000, seed: 4, maxDegreeOfParallelism: 1);
        BootstrapResult all = Bootstrap.RunIndexed(50, Correlation, 2000, seed: 4);
        one.Replicates.Should().Equal(all.Replicates);
        one.Original.Should().BeInRange(0.5, 1.0);
        BootstrapInterval bca = all.Bca();
        bca.Lower.Should().BeLessThan(one.Original);
        bca.Upper.Should().BeGreaterThan(one.Original).And.BeLessThanOrEqualTo(1.0);
        EmpiricalInfluence.Jackknife(50, Correlation).Should().HaveCount(50);
    }

    [Fact]
    public void Index_and_value_APIs_draw_the_same_resamples()
    {
        double[] x = RReference.Data("skewed200");
        BootstrapResult byValue = Bootstrap.Run(x, s => s[0] + s[^1], 300, seed: 8);
        BootstrapResult byIndex = Bootstrap.RunIndexed(x.Length, rows => x[rows[0]] + x[rows[^1]], 300, seed: 8);
        byIndex.Replicates.Should().Equal(byValue.Replicates);
    }

    [Fact]
    public void Bad_input_throws()
    {
        FluentActions.Invoking(() => Bootstrap.RunIndexed(1, _ => 0, 10, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("n");
        FluentActions.Invoking(() => Bootstrap.RunIndexed(5, null!, 10, 1)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Bootstrap.RunIndexed(5, _ => 0, 1, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("replicates");
        FluentActions.Invoking(() => Bootstrap.FromIndicesIndexed(3, _ => 0, new int[,] { { 0, 1, 2 }, { 0, 5, 0 } })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => EmpiricalInfluence.Jackknife(1, _ => 0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
