namespace FaceDefender.Statistics.Tests;

public class TukeyFenceTests
{
    [Theory]
    [InlineData("fence_on", 1.5)]
    [InlineData("fence_on", 3.0)]
    [InlineData("fence_out", 1.5)]
    [InlineData("fence_out", 3.0)]
    [InlineData("ties12", 1.5)]
    [InlineData("ties12", 3.0)]
    [InlineData("skewed200", 1.5)]
    [InlineData("skewed200", 3.0)]
    [InlineData("normal50", 1.5)]
    [InlineData("normal50", 3.0)]
    public void Quartiles_fences_and_counts_match_R(string dataset, double k)
    {
        double[] x = RReference.Data(dataset);
        TukeyFenceResult r = TukeyFences.Apply(x, k);
        string id = $"fences/{dataset}/k{k.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        RReference.ShouldMatch(r.FirstQuartile, id + "[1]", 1e-15);
        RReference.ShouldMatch(r.ThirdQuartile, id + "[2]", 1e-15);
        RReference.ShouldMatch(r.LowerFence, id + "[3]", 1e-15);
        RReference.ShouldMatch(r.UpperFence, id + "[4]", 1e-15);
        r.Kept.Length.Should().Be((int)RReference.Value(id + "[5]"));
        r.Removed.Length.Should().Be((int)RReference.Value(id + "[6]"));
        (r.Kept.Length + r.Removed.Length).Should().Be(x.Length);
    }

    [Fact]
    public void A_value_exactly_on_a_fence_is_kept()
    {
        // fence_on = -3, 2..8, 13: Q1 = 3, Q3 = 7, fences -3 and 13 exactly.
        TukeyFenceResult r = TukeyFences.Apply(RReference.Data("fence_on"));
        r.LowerFence.Should().Be(-3);
        r.UpperFence.Should().Be(13);
        r.Removed.Should().BeEmpty();
        r.Kept.Should().Contain([-3.0, 13.0]);
    }

    [Fact]
    public void Values_beyond_the_fences_are_removed_in_original_order()
    {
        TukeyFenceResult r = TukeyFences.Apply(RReference.Data("fence_out"));
        r.Removed.Should().Equal(-3.5, 13.5);
        r.Kept.Should().Equal(2, 3, 4, 5, 6, 7, 8);
        r.InterquartileRange.Should().Be(4);
    }

    [Fact]
    public void Constant_data_keeps_everything()
    {
        TukeyFenceResult r = TukeyFences.Apply(RReference.Data("constant6"));
        r.InterquartileRange.Should().Be(0);
        r.Kept.Should().HaveCount(6);
        r.Removed.Should().BeEmpty();
    }

    [Fact]
    public void Bad_input_throws()
    {
        FluentActions.Invoking(() => TukeyFences.Apply([])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => TukeyFences.Apply([1, double.NaN, 3])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => TukeyFences.Apply([1, 2, 3], -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => TukeyFences.Apply([1, 2, 3], double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
