namespace FaceDefender.Statistics.Tests;

public class SampleSizeTests
{
    [Fact]
    public void Papers_margin_of_error_and_sample_size()
    {
        double e = SampleSize.MarginOfError(1.96, 3.31, 50);
        RReference.ShouldMatch(e, "samplesize/margin", 1e-15);
        Math.Round(e, 2).Should().Be(0.92);

        double n = SampleSize.Required(1.96, 3.63, 0.92);
        RReference.ShouldMatch(n, "samplesize/n", 1e-15);
        Math.Round(n, 2).Should().Be(59.81);
        Math.Ceiling(n).Should().Be(60);

        RReference.ShouldMatch(SampleSize.Required(SampleSize.CriticalValue(0.95), 3.63, 0.92), "samplesize/n_exactz", 1e-14);
    }

    [Fact]
    public void Margin_and_size_are_inverse()
    {
        double n = SampleSize.Required(2.5758, 4.2, 0.7);
        SampleSize.MarginOfError(2.5758, 4.2, n).Should().BeApproximately(0.7, 1e-14);
    }

    [Fact]
    public void Bad_input_throws()
    {
        FluentActions.Invoking(() => SampleSize.MarginOfError(1.96, 3.31, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("n");
        FluentActions.Invoking(() => SampleSize.MarginOfError(1.96, -1, 50)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sigma");
        FluentActions.Invoking(() => SampleSize.Required(1.96, 3.6, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("marginOfError");
        FluentActions.Invoking(() => SampleSize.Required(double.NaN, 3.6, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("z");
        FluentActions.Invoking(() => SampleSize.CriticalValue(1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
