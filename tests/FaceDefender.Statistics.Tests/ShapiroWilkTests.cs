namespace FaceDefender.Statistics.Tests;

public class ShapiroWilkTests
{
    [Theory]
    [InlineData("n3")]
    [InlineData("n4")]
    [InlineData("n5")]
    [InlineData("sw_n3_ties")]
    [InlineData("sw_n7")]
    [InlineData("sw_n11_exp")]
    [InlineData("sw_n30_exp")]
    [InlineData("ties12")]
    [InlineData("normal50")]
    [InlineData("skewed200")]
    [InlineData("sw_ties100")]
    [InlineData("sw_n1163")]
    [InlineData("sw5000")]
    [InlineData("sw5000_ties")]
    [InlineData("sw_tinyrange")]
    [InlineData("sw_extreme")]
    public void W_and_p_match_R_shapiro_test(string dataset)
    {
        double[] x = RReference.Data(dataset);
        ShapiroWilkResult r = ShapiroWilk.Test(x);
        r.N.Should().Be(x.Length);

        // W is closed-form arithmetic on qnorm values; it differs from R only by rounding (summation order,
        // MathNet's erfc-based qnorm vs R's AS 241): 1e-14 is asserted, about 3e-16 is observed.
        RReference.ShouldMatch(r.W, $"shapiro/{dataset}[1]", 1e-14);

        // p is a normal tail area of log(1 - W), so a rounding difference dW in W moves p by about dW / (1 - W)
        // relative: at n = 5000 (1 - W = 4.4e-4) 3e-16 in W becomes 3e-12 in p. Tolerance: 1e-12 / (1 - W) relative.
        double expectedP = RReference.Value($"shapiro/{dataset}[2]");
        double tolerance = Math.Max(1e-12 / (1.0 - r.W) * expectedP, 1e-300);
        r.PValue.Should().BeApproximately(expectedP, tolerance, RReference.Call($"shapiro/{dataset}"));
    }

    [Fact]
    public void Order_of_the_input_does_not_matter()
    {
        double[] x = RReference.Data("skewed200");
        double[] reversed = [.. x.Reverse()];
        ShapiroWilk.Test(reversed).Should().Be(ShapiroWilk.Test(x));
    }

    [Fact]
    public void Normal_data_is_accepted_and_skewed_data_rejected_at_5_percent()
    {
        ShapiroWilk.Test(RReference.Data("normal50")).IsConsistentWithNormal().Should().BeTrue();
        ShapiroWilk.Test(RReference.Data("skewed200")).IsConsistentWithNormal().Should().BeFalse();
    }

    [Fact]
    public void A_range_beyond_the_double_range_gives_the_W_of_the_scaled_data()
    {
        // max - min = 3.4e308 overflows. R: shapiro.test(x) gives W = NaN; W is scale-free, and
        // R: shapiro.test(x / 16) gives W = 0.9919237902923036, p = 0.9975073268347584.
        double[] x = [-1.7e308, -1e308, -3e307, 0, 2e307, 6e307, 1e308, 1.7e308];
        ShapiroWilkResult r = ShapiroWilk.Test(x);
        r.Should().Be(ShapiroWilk.Test(x.Select(v => v / 16).ToArray()));
        r.W.Should().BeApproximately(0.9919237902923036, 1e-14);
        r.PValue.Should().BeApproximately(0.9975073268347584, 1e-12);
    }

    [Fact]
    public void Bad_input_throws()
    {
        FluentActions.Invoking(() => ShapiroWilk.Test([])).Should().Throw<ArgumentException>().WithMessage("*empty*");
        FluentActions.Invoking(() => ShapiroWilk.Test([1, 2])).Should().Throw<ArgumentException>().WithMessage("*at least 3*");
        FluentActions.Invoking(() => ShapiroWilk.Test(new double[5001].Select((_, i) => (double)i).ToArray()))
            .Should().Throw<ArgumentException>().WithMessage("*5000*");
        FluentActions.Invoking(() => ShapiroWilk.Test(RReference.Data("constant6"))).Should().Throw<ArgumentException>().WithMessage("*identical*");
        FluentActions.Invoking(() => ShapiroWilk.Test([1, 2, double.NaN])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => ShapiroWilk.Test(RReference.Data("normal50")).IsConsistentWithNormal(1.0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
