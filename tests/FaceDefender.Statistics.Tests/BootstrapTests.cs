namespace FaceDefender.Statistics.Tests;

public class BootstrapTests
{
    private static double Mean(ReadOnlySpan<double> s)
    {
        double sum = 0;
        foreach (double v in s)
        {
            sum += v;
        }

        return sum / s.Length;
    }

    private static double Median(ReadOnlySpan<double> s)
    {
        double[] a = s.ToArray();
        Array.Sort(a);
        int n = a.Length;
        return n % 2 == 1 ? a[n / 2] : (a[(n / 2) - 1] + a[n / 2]) / 2;
    }

    private static double Sd(ReadOnlySpan<double> s)
    {
        double m = Mean(s);
        double ss = 0;
        foreach (double v in s)
        {
            ss += (v - m) * (v - m);
        }

        return Math.Sqrt(ss / (s.Length - 1));
    }

    private static BootstrapStatistic Stat(string name) => name switch
    {
        "mean30" => Mean,
        "median30" => Median,
        _ => Sd,
    };

    private static string DataOf(string name) => name == "sd40" ? "boot40skew" : "boot30";

    public static TheoryData<string, double> Cases() => new()
    {
        { "mean30", 0.95 },
        { "mean30", 0.9 },
        { "median30", 0.95 },
        { "sd40", 0.95 },
        { "sd40", 0.8 },
    };

    [Theory]
    [InlineData("mean30")]
    [InlineData("median30")]
    [InlineData("sd40")]
    public void Replicates_on_Rs_resamples_equal_Rs_replicates(string name)
    {
        BootstrapResult b = Bootstrap.FromIndices(RReference.Data(DataOf(name)), Stat(name), RReference.BootIndices(name));
        RReference.ShouldMatch(b.Original, $"boot/{name}/t0", 1e-14);
        double[] t = RReference.Vector($"boot/{name}/t");
        b.Replicates.Length.Should().Be(t.Length);
        for (int i = 0; i < t.Length; i++)
        {
            b.Replicates[i].Should().BeApproximately(t[i], 1e-13 * Math.Max(1, Math.Abs(t[i])), $"replicate {i + 1}, R `{RReference.Call($"boot/{name}/t")}`");
        }

        b.Seed.Should().BeNull();
    }

    [Theory]
    [InlineData("mean30")]
    [InlineData("median30")]
    [InlineData("sd40")]
    public void Influence_values_match_R_empinf(string name)
    {
        BootstrapResult b = Bootstrap.FromIndices(RReference.Data(DataOf(name)), Stat(name), RReference.BootIndices(name));
        double[] reg = b.InfluenceValues(InfluenceMethod.Regression);
        double[] jack = b.InfluenceValues(InfluenceMethod.Jackknife);
        double[] rReg = RReference.Vector($"boot/{name}/L.reg");
        double[] rJack = RReference.Vector($"boot/{name}/L.jack");
        double scale = rReg.Max(Math.Abs);

        // Regression: R uses a pivoted Householder QR (glm), we use conjugate gradients on the centred normal
        // equations to a 1e-13 relative residual; observed agreement is 2e-13 of max|l| or better; asserted 1e-11.
        for (int i = 0; i < reg.Length; i++)
        {
            reg[i].Should().BeApproximately(rReg[i], 1e-11 * scale, $"L.reg[{i + 1}], R `{RReference.Call($"boot/{name}/L.reg")}`");
            jack[i].Should().BeApproximately(rJack[i], 1e-12 * Math.Max(1, Math.Abs(rJack[i])), $"L.jack[{i + 1}], R `{RReference.Call($"boot/{name}/L.jack")}`");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Intervals_on_Rs_resamples_match_boot_ci(string name, double level)
    {
        BootstrapResult b = Bootstrap.FromIndices(RReference.Data(DataOf(name)), Stat(name), RReference.BootIndices(name));
        string id = $"boot/{name}/{level.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

        // norm/basic/perc: order statistics, normal-scale interpolation and mean/var of the replicates: 1e-12.
        BootstrapInterval norm = b.Normal(level);
        RReference.ShouldMatch(norm.Lower, id + "/norm[1]", 1e-12);
        RReference.ShouldMatch(norm.Upper, id + "/norm[2]", 1e-12);
        BootstrapInterval basic = b.Basic(level);
        RReference.ShouldMatch(basic.Lower, id + "/basic[1]", 1e-12);
        RReference.ShouldMatch(basic.Upper, id + "/basic[2]", 1e-12);
        BootstrapInterval perc = b.Percentile(level);
        RReference.ShouldMatch(perc.Lower, id + "/perc[1]", 1e-12);
        RReference.ShouldMatch(perc.Upper, id + "/perc[2]", 1e-12);

        // BCa additionally depends on the regression influence values (see above); observed 4e-15, asserted 1e-12.
        BootstrapInterval bca = b.Bca(level);
        RReference.ShouldMatch(bca.Lower, id + "/bca[1]", 1e-12);
        RReference.ShouldMatch(bca.Upper, id + "/bca[2]", 1e-12);
        bca.Acceleration.Should().NotBeNull();
        bca.BiasCorrection.Should().NotBeNull();
    }

    [Theory]
    [InlineData("mean30")]
    [InlineData("median30")]
    [InlineData("sd40")]
    public void Bca_with_jackknife_influence_matches_boot_ci_with_L_jack(string name)
    {
        BootstrapResult b = Bootstrap.FromIndices(RReference.Data(DataOf(name)), Stat(name), RReference.BootIndices(name));
        BootstrapInterval bca = b.Bca(0.95, InfluenceMethod.Jackknife);
        RReference.ShouldMatch(bca.Lower, $"boot/{name}/0.95/bca.jack[1]", 1e-12);
        RReference.ShouldMatch(bca.Upper, $"boot/{name}/0.95/bca.jack[2]", 1e-12);
    }

    [Fact]
    public void Seeded_run_is_identical_for_any_thread_count_and_changes_with_the_seed()
    {
        double[] x = RReference.Data("skewed200");
        BootstrapResult one = Bootstrap.Run(x, Mean, 2000, seed: 12345, maxDegreeOfParallelism: 1);
        BootstrapResult all = Bootstrap.Run(x, Mean, 2000, seed: 12345);
        BootstrapResult three = Bootstrap.Run(x, Mean, 2000, seed: 12345, maxDegreeOfParallelism: 3);
        one.Replicates.Should().Equal(all.Replicates);
        one.Replicates.Should().Equal(three.Replicates);
        one.Bca().Should().Be(all.Bca());
        one.Seed.Should().Be(12345UL);

        BootstrapResult other = Bootstrap.Run(x, Mean, 2000, seed: 12346);
        other.Replicates.Should().NotEqual(one.Replicates);
    }

    [Fact]
    public void Seeded_resamples_are_uniform_and_reproducible_by_index()
    {
        double[] x = RReference.Data("normal50");
        BootstrapResult b = Bootstrap.Run(x, Mean, 4000, seed: 7);
        var counts = new long[x.Length];
        var idx = new int[x.Length];
        for (int r = 0; r < b.Replicates.Length; r++)
        {
            b.FillIndices(r, idx);
            double m = idx.Select(i => x[i]).Average();
            m.Should().BeApproximately(b.Replicates[r], 1e-12);
            foreach (int i in idx)
            {
                counts[i]++;
            }
        }

        // 200,000 draws over 50 cells: chi-square with 49 df; the 0.9999 quantile is about 96.
        double expected = 4000.0;
        double chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        chi2.Should().BeLessThan(96);
    }

    [Fact]
    public void Seeded_bootstrap_of_the_mean_agrees_with_theory()
    {
        // The bootstrap SE of the mean converges to sd * sqrt((n - 1) / n) / sqrt(n).
        double[] x = RReference.Data("normal50");
        BootstrapResult b = Bootstrap.Run(x, Mean, 20000, seed: 99);
        double sd = Descriptive.StandardDeviation(x);
        double theory = sd * Math.Sqrt(49.0 / 50.0) / Math.Sqrt(50);
        b.StandardError.Should().BeApproximately(theory, 0.03 * theory);
        Math.Abs(b.Bias).Should().BeLessThan(0.05 * theory);
        BootstrapInterval bca = b.Bca();
        bca.Lower.Should().BeLessThan(b.Original);
        bca.Upper.Should().BeGreaterThan(b.Original);
    }

    [Fact]
    public void Regression_influence_of_the_mean_is_exactly_x_minus_mean()
    {
        double[] x = RReference.Data("normal50");
        BootstrapResult b = Bootstrap.Run(x, Mean, 3000, seed: 5);
        double[] l = b.InfluenceValues();
        double m = x.Average();
        for (int i = 0; i < x.Length; i++)
        {
            l[i].Should().BeApproximately(x[i] - m, 1e-9);
        }
    }

    [Fact]
    public void Regression_solve_converges_quickly_and_its_warm_start_does_not_change_the_answer()
    {
        // Mean: the jackknife warm start is already the least-squares solution.
        double[] x = RReference.Data("skewed200");
        BootstrapResult mean = Bootstrap.Run(x, Mean, 1000, seed: 11);
        mean.InfluenceValues(InfluenceMethod.Regression);
        EmpiricalInfluence.LastIterations.Should().BeLessThanOrEqualTo(2);

        // Median: a real solve; same answer as R on R's resamples (see Influence_values_match_R_empinf) and bounded work.
        BootstrapResult median = Bootstrap.Run(x, Median, 1000, seed: 11);
        median.InfluenceValues(InfluenceMethod.Regression);
        EmpiricalInfluence.LastIterations.Should().BeInRange(3, 200);
    }

    [Fact]
    public void Undefined_cases_throw_instead_of_returning_NaN()
    {
        double[] x = RReference.Data("constant6");
        BootstrapResult b = Bootstrap.Run(x, Mean, 200, seed: 1);
        FluentActions.Invoking(() => b.Percentile()).Should().Throw<StatisticsException>().WithMessage("*equal*");
        FluentActions.Invoking(() => b.Normal()).Should().Throw<StatisticsException>();

        // Every replicate >= t0: z0 = qnorm(0) = -Inf.
        FluentActions.Invoking(() => BootstrapIntervals.Bca(0.0, [1.0, 2.0, 3.0], [1.0, -1.0], 0.95))
            .Should().Throw<StatisticsException>().WithMessage("*bias correction is infinite*");
        FluentActions.Invoking(() => BootstrapIntervals.Bca(2.0, [1.0, 2.0, 3.0], [0.0, 0.0], 0.95))
            .Should().Throw<StatisticsException>().WithMessage("*acceleration*");

        // Regression needs B >= n.
        BootstrapResult small = Bootstrap.Run(RReference.Data("skewed200"), Mean, 50, seed: 1);
        FluentActions.Invoking(() => small.Bca()).Should().Throw<StatisticsException>().WithMessage("*Jackknife*");
        small.Bca(0.95, InfluenceMethod.Jackknife).Lower.Should().BeLessThan(small.Original);
    }

    [Theory]
    [InlineData(600)] // values ~ 2e182: squared deviations overflow double
    [InlineData(-600)] // values ~ 1e-179: squared deviations underflow to 0
    [InlineData(1017)] // values ~ 7e307: the sums of the values overflow too
    public void Huge_or_tiny_data_give_the_ordinary_results_scaled(int exponent)
    {
        // Multiplying by a power of two is exact, so every result must be the ordinary one times 2^exponent. Before the
        // overflow-safe sums, 2^600 gave an infinite SE and normal interval and a different (wrong) regression BCa,
        // 2^-600 an SE of 0 and "all empirical influence values are 0".
        double[] x = RReference.Data("normal50");
        double[] scaled = x.Select(v => Math.ScaleB(v, exponent)).ToArray();
        BootstrapResult b = Bootstrap.Run(x, Median, 500, seed: 3);
        BootstrapResult s = Bootstrap.Run(scaled, Median, 500, seed: 3);
        double f = Math.ScaleB(1.0, exponent);

        void Same(double ordinary, double actual, string what) =>
            actual.Should().BeApproximately(ordinary * f, 1e-14 * Math.Abs(ordinary * f), what);

        Same(b.StandardError, s.StandardError, "SE");
        Same(b.Bias, s.Bias, "bias");
        foreach ((BootstrapInterval o, BootstrapInterval t) in new[]
        {
            (b.Normal(), s.Normal()), (b.Percentile(), s.Percentile()), (b.Bca(), s.Bca()),
            (b.Bca(0.95, InfluenceMethod.Jackknife), s.Bca(0.95, InfluenceMethod.Jackknife)),
        })
        {
            Same(o.Lower, t.Lower, $"{o.Method} lower");
            Same(o.Upper, t.Upper, $"{o.Method} upper");
        }

        double[] l = b.InfluenceValues();
        double[] ls = s.InfluenceValues();
        for (int i = 0; i < l.Length; i++)
        {
            ls[i].Should().BeApproximately(l[i] * f, 1e-12 * l.Max(Math.Abs) * f, "regression influence values");
        }

        ReferenceIntervalResult r = ReferenceIntervalBuilder.Build(x);
        ReferenceIntervalResult rs = ReferenceIntervalBuilder.Build(scaled);
        Same(r.Lower, rs.Lower, "reference lower");
        Same(r.Upper, rs.Upper, "reference upper");
    }

    [Fact]
    public void Bca_acceleration_is_scale_free_even_when_the_cubes_overflow_or_underflow()
    {
        double[] t = RReference.Data("normal50");
        double t0 = t.Average();
        double[] l = t.Select(v => v - t0).ToArray();
        BootstrapInterval ordinary = BootstrapIntervals.Bca(t0, t, l);
        foreach (double factor in new[] { 1e150, 1e-150 })
        {
            // Σl³ overflows (1e450) or (Σl²)^1.5 underflows (1e-450); both used to give "all influence values are 0".
            BootstrapInterval bca = BootstrapIntervals.Bca(t0, t, l.Select(v => v * factor).ToArray());
            bca.Acceleration!.Value.Should().BeApproximately(ordinary.Acceleration!.Value, 1e-14);
            bca.Lower.Should().BeApproximately(ordinary.Lower, 1e-13 * ordinary.Lower);
            bca.Upper.Should().BeApproximately(ordinary.Upper, 1e-13 * ordinary.Upper);
        }
    }

    [Fact]
    public void Non_finite_replicates_are_dropped_as_in_R()
    {
        double[] t = [1, 2, double.NaN, 3, 4, double.PositiveInfinity, 5, 6, 7, 8, 9];
        double[] finite = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        BootstrapIntervals.Percentile(5, t, 0.8).Should().Be(BootstrapIntervals.Percentile(5, finite, 0.8));
        BootstrapIntervals.Normal(5, t, 0.8).Should().Be(BootstrapIntervals.Normal(5, finite, 0.8));
        FluentActions.Invoking(() => BootstrapIntervals.Basic(5, [double.NaN, 1.0], 0.9)).Should().Throw<ArgumentException>().WithMessage("*finite*");
    }

    [Fact]
    public void Extreme_order_statistics_are_flagged()
    {
        BootstrapResult b = Bootstrap.Run(RReference.Data("normal50"), Mean, 20, seed: 3);
        b.Percentile(0.95).UsesExtremeOrderStatistics.Should().BeTrue();
        Bootstrap.Run(RReference.Data("normal50"), Mean, 999, seed: 3).Percentile(0.95).UsesExtremeOrderStatistics.Should().BeFalse();
    }

    [Fact]
    public void Bad_input_throws()
    {
        double[] x = [1, 2, 3];
        FluentActions.Invoking(() => Bootstrap.Run([], Mean, 100, 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Bootstrap.Run([1.0], Mean, 100, 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Bootstrap.Run([1.0, double.NaN], Mean, 100, 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Bootstrap.Run(x, null!, 100, 1)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Bootstrap.Run(x, Mean, 1, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("replicates");
        FluentActions.Invoking(() => Bootstrap.Run(x, Mean, 10, 1, maxDegreeOfParallelism: 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Bootstrap.Run(x, _ => double.NaN, 10, 1)).Should().Throw<StatisticsException>();
        int calls = 0;
        FluentActions.Invoking(() => Bootstrap.Run(x, s => Interlocked.Increment(ref calls) > 1 ? throw new InvalidOperationException("boom") : 1.0, 10, 1, maxDegreeOfParallelism: 1))
            .Should().Throw<InvalidOperationException>().WithMessage("boom");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        FluentActions.Invoking(() => Bootstrap.Run(x, Mean, 10, 1, cancellationToken: cancelled.Token)).Should().Throw<OperationCanceledException>();
        FluentActions.Invoking(() => Bootstrap.FromIndices(x, Mean, new int[2, 2])).Should().Throw<ArgumentException>().WithMessage("*n = 3*");
        FluentActions.Invoking(() => Bootstrap.FromIndices(x, Mean, new int[,] { { 0, 1, 3 }, { 0, 0, 0 } })).Should().Throw<ArgumentException>().WithMessage("*0-based*");
        BootstrapResult b = Bootstrap.Run(x, Mean, 10, 1);
        FluentActions.Invoking(() => b.Percentile(1.2)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => b.FillIndices(10, new int[3])).Should().Throw<ArgumentOutOfRangeException>();
    }
}
