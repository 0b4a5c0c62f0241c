namespace FaceDefender.Statistics.Tests;

public class NormalIntervalTests
{
    // mean/sd/qnorm arithmetic: R's long-double sums vs our doubles give ~1e-15 relative differences.
    private const double Arithmetic = 1e-13;

    // qt: MathNet's estimate polished by Newton on the incomplete-beta t CDF; R's qt is accurate to ~1e-15.
    private const double TQuantile = 1e-12;

    [Theory]
    [InlineData("n2")]
    [InlineData("n5")]
    [InlineData("normal50")]
    [InlineData("skewed200")]
    public void Intervals_match_R(string d)
    {
        double[] x = RReference.Data(d);
        RReference.ShouldMatch(Descriptive.Mean(x), $"meansd/{d}[1]", Arithmetic);
        RReference.ShouldMatch(Descriptive.StandardDeviation(x), $"meansd/{d}[2]", Arithmetic);

        Interval t95 = NormalIntervals.MeanConfidenceIntervalT(x, 0.95);
        RReference.ShouldMatch(t95.Lower, $"tci/{d}/0.95[1]", TQuantile);
        RReference.ShouldMatch(t95.Upper, $"tci/{d}/0.95[2]", TQuantile);
        t95.Kind.Should().Be(IntervalKind.MeanConfidenceInterval);

        Interval t90 = NormalIntervals.MeanConfidenceIntervalT(x, 0.9);
        RReference.ShouldMatch(t90.Lower, $"tci/{d}/0.9[1]", TQuantile);
        RReference.ShouldMatch(t90.Upper, $"tci/{d}/0.9[2]", TQuantile);

        Interval z = NormalIntervals.MeanConfidenceIntervalZ(x, 0.95);
        RReference.ShouldMatch(z.Lower, $"zci/{d}/0.95[1]", Arithmetic);
        RReference.ShouldMatch(z.Upper, $"zci/{d}/0.95[2]", Arithmetic);

        Interval r95 = NormalIntervals.ReferenceInterval(x, 0.95);
        RReference.ShouldMatch(r95.Lower, $"ref/{d}/0.95[1]", Arithmetic);
        RReference.ShouldMatch(r95.Upper, $"ref/{d}/0.95[2]", Arithmetic);
        r95.Kind.Should().Be(IntervalKind.ReferenceInterval);

        Interval r90 = NormalIntervals.ReferenceInterval(x, 0.9);
        RReference.ShouldMatch(r90.Lower, $"ref/{d}/0.9[1]", Arithmetic);
        RReference.ShouldMatch(r90.Upper, $"ref/{d}/0.9[2]", Arithmetic);

        Interval p = NormalIntervals.PredictionInterval(x, 0.95);
        RReference.ShouldMatch(p.Lower, $"pred/{d}/0.95[1]", TQuantile);
        RReference.ShouldMatch(p.Upper, $"pred/{d}/0.95[2]", TQuantile);
        p.Kind.Should().Be(IntervalKind.PredictionInterval);

        Interval pct = NormalIntervals.PercentileReferenceInterval(x, 0.95);
        RReference.ShouldMatch(pct.Lower, $"pct/{d}/0.95[1]", 1e-15);
        RReference.ShouldMatch(pct.Upper, $"pct/{d}/0.95[2]", 1e-15);
    }

    [Fact]
    public void Known_sigma_z_interval_matches_R()
    {
        Interval z = NormalIntervals.MeanConfidenceIntervalZ(RReference.Data("normal50"), 0.95, knownSigma: 3);
        RReference.ShouldMatch(z.Lower, "zci/normal50/sigma3[1]", Arithmetic);
        RReference.ShouldMatch(z.Upper, "zci/normal50/sigma3[2]", Arithmetic);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(29)]
    [InlineData(49)]
    [InlineData(1162)]
    public void Student_t_quantiles_match_R_qt(int df)
    {
        double[] p = [0.95, 0.975, 0.995];
        for (int i = 0; i < p.Length; i++)
        {
            RReference.ShouldMatch(Distributions.Qt(p[i], df), $"qt/{df}[{i + 1}]", TQuantile);
            RReference.ShouldMatch(-Distributions.Qt(1 - p[i], df), $"qt/{df}[{i + 1}]", TQuantile);
        }
    }

    [Fact]
    public void Reference_interval_is_wider_than_the_confidence_interval_and_prediction_wider_still()
    {
        double[] x = RReference.Data("normal50");
        double ci = NormalIntervals.MeanConfidenceIntervalT(x).Width;
        double reference = NormalIntervals.ReferenceInterval(x).Width;
        double prediction = NormalIntervals.PredictionInterval(x).Width;
        reference.Should().BeGreaterThan(5 * ci);
        prediction.Should().BeGreaterThan(reference);
    }

    [Fact]
    public void Constant_data_gives_a_zero_width_interval_not_NaN()
    {
        Interval r = NormalIntervals.ReferenceInterval(RReference.Data("constant6"));
        r.Lower.Should().Be(7.5);
        r.Upper.Should().Be(7.5);
    }

    [Fact]
    public void T_interval_of_constant_data_throws_as_R_t_test_does()
    {
        // R: t.test(c(2, 2, 2, 2)) stops with "data are essentially constant" (it used to give [2, 2] here).
        FluentActions.Invoking(() => NormalIntervals.MeanConfidenceIntervalT([2.0, 2.0, 2.0, 2.0]))
            .Should().Throw<StatisticsException>().WithMessage("*essentially constant*");
        FluentActions.Invoking(() => NormalIntervals.MeanConfidenceIntervalT(RReference.Data("constant6"), 0.9))
            .Should().Throw<StatisticsException>().WithMessage("*essentially constant*");

        // All zeros: R's test (stderr < 10·eps·|mean|) is 0 < 0, so R goes on and returns [NaN, NaN]; we throw.
        FluentActions.Invoking(() => NormalIntervals.MeanConfidenceIntervalT([0.0, 0.0, 0.0]))
            .Should().Throw<StatisticsException>().WithMessage("*essentially constant*");
    }

    [Theory]
    [InlineData(27.0)] // stderr = 9·eps:  R: t.test(c(1, 1 + 27 * .Machine$double.eps, 1)) -> "data are essentially constant"
    [InlineData(3.0)] // stderr = 1·eps
    [InlineData(1.0)] // stderr = eps/3
    public void T_interval_applies_R_essentially_constant_rule(double k)
    {
        double[] x = [1.0, 1.0 + (k * Math.Pow(2, -52)), 1.0];
        FluentActions.Invoking(() => NormalIntervals.MeanConfidenceIntervalT(x))
            .Should().Throw<StatisticsException>().WithMessage("*essentially constant*10*eps*");
    }

    [Fact]
    public void T_interval_of_nearly_constant_data_is_computed_as_R_does()
    {
        // stderr = 12·eps, just above R's threshold: R: t.test(c(1, 1 + 36 * .Machine$double.eps, 1))$conf.int
        // = 0.99999999999999112 1.00000000000001421. Limits within 2 ulps of 1 (R's mean is a long-double sum).
        Interval t = NormalIntervals.MeanConfidenceIntervalT([1.0, 1.0 + (36 * Math.Pow(2, -52)), 1.0]);
        t.Lower.Should().BeApproximately(0.99999999999999112, 4.5e-16);
        t.Upper.Should().BeApproximately(1.00000000000001421, 4.5e-16);

        // SD 1.3e-13 on a mean of 1: R: t.test(c(1, 1 + 1e-13, 1 - 1e-13, 1 + 2e-13), conf.level = 0.9)$conf.int
        // = 0.99999999999989808 1.00000000000020206.
        Interval t90 = NormalIntervals.MeanConfidenceIntervalT([1.0, 1.0 + 1e-13, 1.0 - 1e-13, 1.0 + 2e-13], 0.9);
        t90.Lower.Should().BeApproximately(0.99999999999989808, 4.5e-16);
        t90.Upper.Should().BeApproximately(1.00000000000020206, 4.5e-16);

        // The other normal-theory intervals stay defined for constant data (zero width), as before.
        NormalIntervals.MeanConfidenceIntervalZ([2.0, 2.0, 2.0]).Width.Should().Be(0);
        NormalIntervals.PredictionInterval([2.0, 2.0, 2.0]).Width.Should().Be(0);
    }

    [Fact]
    public void Bad_input_throws()
    {
        FluentActions.Invoking(() => NormalIntervals.MeanConfidenceIntervalT([])).Should().Throw<ArgumentException>().WithMessage("*empty*");
        FluentActions.Invoking(() => NormalIntervals.MeanConfidenceIntervalT([1.0])).Should().Throw<ArgumentException>().WithMessage("*at least 2*");
        FluentActions.Invoking(() => NormalIntervals.ReferenceInterval([1.0])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => NormalIntervals.PredictionInterval([1.0, double.NaN])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => NormalIntervals.ReferenceInterval([1.0, 2.0], 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("coverage");
        FluentActions.Invoking(() => NormalIntervals.MeanConfidenceIntervalZ([1.0, 2.0], 0.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("level");
        FluentActions.Invoking(() => NormalIntervals.MeanConfidenceIntervalZ([1.0], 0.95, knownSigma: -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => NormalIntervals.PercentileReferenceInterval([], 0.95)).Should().Throw<ArgumentException>();
    }
}
