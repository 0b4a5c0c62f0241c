namespace FaceDefender.Statistics.Tests;

/// <summary>
/// Mean, variance and SD (and the normal intervals built on them) of values whose plain double sums overflow or whose
/// squared deviations underflow. R sums in long double (range ~1e4932), so its mean does not overflow; the expected
/// values quoted below are R 4.2.2's output (Debian r-base-core, x86-64).
/// </summary>
public class DescriptiveTests
{
    // R's two passes run in long double, ours in double: up to an ulp or so apart (the R-matching tests allow 1e-13).
    private const double Ulps = 4e-16;

    [Fact]
    public void Mean_does_not_overflow_when_the_plain_sum_does()
    {
        // R: mean(c(1e308, 1e308)) = 1e+308
        Descriptive.Mean([1e308, 1e308]).Should().Be(1e308);
        Descriptive.Mean([-1e308, -1e308, -1e308]).Should().Be(-1e308);

        // R: mean(c(1.7e308, 1.7e308, -1.7e308)) = 5.6666666666666668e+307 (the sum overflows on the second term)
        Descriptive.Mean([1.7e308, 1.7e308, -1.7e308]).Should().BeApproximately(5.6666666666666668e+307, Ulps * 5.67e307);

        // R: mean(rep(1e303, 1e6)) == 1e303 is TRUE
        Descriptive.Mean(Enumerable.Repeat(1e303, 1_000_000).ToArray()).Should().Be(1e303);
    }

    [Fact]
    public void Mean_does_not_overflow_in_the_correction_pass()
    {
        // The sum (1.7e308) is finite, but x - mean = -1.7e308 - 5.67e307 overflows in the second pass.
        // R: mean(c(-1.7e308, 1.7e308, 1.7e308)) = 5.6666666666666668e+307
        Descriptive.Mean([-1.7e308, 1.7e308, 1.7e308]).Should().BeApproximately(5.6666666666666668e+307, Ulps * 5.67e307);
    }

    [Fact]
    public void Variance_and_SD_do_not_overflow_when_the_sum_of_squares_does()
    {
        // Squared deviations 1e308 each: their sum 4e308 overflows, the variance 4e308/3 does not.
        // R: var(c(1e154, -1e154, 1e154, -1e154)) = 1.3333333333333335e+308 (long double sum)
        double[] x = [1e154, -1e154, 1e154, -1e154];
        Descriptive.Variance(x).Should().BeApproximately(1.3333333333333335e+308, Ulps * 1.34e308);
        Descriptive.StandardDeviation(x).Should().BeApproximately(Math.Sqrt(4.0 / 3.0) * 1e154, 1e-15 * 1.2e154);

        // The variance 2e400 is beyond double; the SD sqrt(2)·1e200 is not. R gives Inf for both
        // (sd(c(1e200, -1e200)) = Inf, as var squares the deviations in double); we give the SD.
        Descriptive.StandardDeviation([1e200, -1e200]).Should().BeApproximately(Math.Sqrt(2.0) * 1e200, 1e-15 * 1.5e200);
        Descriptive.Mean([1e200, -1e200]).Should().Be(0);
    }

    [Fact]
    public void SD_of_tiny_values_does_not_underflow_to_zero()
    {
        // Deviations of 5e-201 square to 2.5e-401, below the smallest double: the plain sum of squares is 0.
        // R: sd(c(1e-200, 2e-200)) = 0 (it squares in double); the SD is sqrt(0.5)·1e-200.
        Descriptive.StandardDeviation([1e-200, 2e-200]).Should().BeApproximately(Math.Sqrt(0.5) * 1e-200, 1e-15 * 1e-200);
        Descriptive.StandardDeviation([3e-170, -1e-170, 2e-170, 0.0]).Should().BeApproximately(Math.Sqrt(10.0 / 3.0) * 1e-170, 1e-15 * 1.9e-170);

        // Constant data still give exactly 0 (they take the rescaled path too: their sum of squares is 0).
        Descriptive.StandardDeviation(RReference.Data("constant6")).Should().Be(0);
        Descriptive.Variance([1e-300, 1e-300, 1e-300]).Should().Be(0);
    }

    [Fact]
    public void A_variance_or_SD_beyond_the_double_range_throws_instead_of_returning_infinity()
    {
        FluentActions.Invoking(() => Descriptive.Variance([1e200, -1e200]))
            .Should().Throw<OverflowException>().WithMessage("*variance*exceeds*");
        FluentActions.Invoking(() => Descriptive.StandardDeviation([1.7e308, -1.7e308]))
            .Should().Throw<OverflowException>().WithMessage("*standard deviation*exceeds*");
    }

    [Fact]
    public void Huge_values_give_finite_normal_intervals()
    {
        // R: t.test(c(1e308, 1e308 * (1 - 1e-10)))$conf.int is [-Inf, Inf] (var overflows); the true interval is finite.
        double[] x = [1e308, 1e308 * (1 - 1e-10)];
        double sd = (x[0] - x[1]) / Math.Sqrt(2.0);
        double half = Distributions.Qt(0.975, 1) * sd / Math.Sqrt(2.0);
        Interval t = NormalIntervals.MeanConfidenceIntervalT(x);
        t.Width.Should().BeApproximately(2 * half, 1e-5 * half, "the limits are rounded to multiples of ulp(1e308) = 2e292");
        ((t.Lower / 2) + (t.Upper / 2)).Should().BeApproximately(Descriptive.Mean(x), 1e-15 * 1e308);

        Interval r = NormalIntervals.ReferenceInterval([1e200, -1e200]);
        r.Upper.Should().BeApproximately(Distributions.Qnorm(0.975) * Math.Sqrt(2.0) * 1e200, 1e-14 * 3e200);
        r.Lower.Should().Be(-r.Upper);
    }

    [Fact]
    public void Interval_limits_beyond_the_double_range_throw()
    {
        // Mean 1.35e308, SD 4.9e307: the upper reference limit (2.3e308) is beyond double.
        FluentActions.Invoking(() => NormalIntervals.ReferenceInterval([1.7e308, 1.0e308]))
            .Should().Throw<OverflowException>().WithMessage("*beyond*");
    }

    [Fact]
    public void Ordinary_data_keep_the_plain_two_pass_arithmetic_bit_for_bit()
    {
        // The overflow-safe paths are only taken when a plain sum overflows; ordinary data give exactly the
        // two-pass results (the ones matched against R in NormalIntervalTests).
        foreach (string d in new[] { "n2", "n5", "normal50", "skewed200" })
        {
            double[] x = RReference.Data(d);
            double sum = 0.0;
            foreach (double v in x)
            {
                sum += v;
            }

            double mean = sum / x.Length;
            double correction = 0.0;
            foreach (double v in x)
            {
                correction += v - mean;
            }

            mean += correction / x.Length;
            double ss = 0.0;
            foreach (double v in x)
            {
                ss += (v - mean) * (v - mean);
            }

            Descriptive.Mean(x).Should().Be(mean);
            Descriptive.Variance(x).Should().Be(ss / (x.Length - 1));
            Descriptive.StandardDeviation(x).Should().Be(Math.Sqrt(ss / (x.Length - 1)));
        }
    }
}
