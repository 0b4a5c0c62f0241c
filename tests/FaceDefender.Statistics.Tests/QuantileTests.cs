namespace FaceDefender.Statistics.Tests;

public class QuantileTests
{
    private static readonly double[] Probs = [0, 0.01, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string d in new[] { "n1", "n2", "n3", "n4", "n5", "ties12", "normal50", "skewed200" })
        {
            for (int type = 1; type <= 9; type++)
            {
                data.Add(d, type);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void All_nine_types_match_R_exactly(string dataset, int type)
    {
        double[] x = RReference.Data(dataset);
        double[] q = Quantiles.Compute(x, Probs, (QuantileType)type);
        string id = $"quantile/{dataset}/type{type}";
        for (int i = 0; i < Probs.Length; i++)
        {
            // Pure arithmetic on the data: R's steps reproduced, so 1e-15 relative (in practice bit-identical).
            RReference.ShouldMatch(q[i], $"{id}[{i + 1}]", 1e-15);
        }
    }

    [Fact]
    public void Single_value_and_sorted_entry_point_agree()
    {
        double[] x = RReference.Data("normal50");
        double[] sorted = [.. x.Order()];
        Quantiles.Quantile(x, 0.975).Should().Be(Quantiles.FromSorted(sorted, 0.975));
        Quantiles.Quantile(x, 0.25, QuantileType.R6).Should().Be(Quantiles.FromSorted(sorted, 0.25, QuantileType.R6));
    }

    [Fact]
    public void Default_type_is_R7_not_MathNets_R8()
    {
        double[] x = RReference.Data("n4");
        Quantiles.Quantile(x, 0.25).Should().Be(RReference.Value("quantile/n4/type7[5]"));
        Quantiles.Quantile(x, 0.25).Should().NotBe(RReference.Value("quantile/n4/type8[5]"));
    }

    [Fact]
    public void Input_is_not_modified()
    {
        double[] x = [3, 1, 2];
        Quantiles.Quantile(x, 0.5);
        x.Should().Equal(3, 1, 2);
    }

    [Fact]
    public void Bad_input_throws_with_a_clear_message()
    {
        FluentActions.Invoking(() => Quantiles.Quantile([], 0.5)).Should().Throw<ArgumentException>().WithMessage("*empty*");
        FluentActions.Invoking(() => Quantiles.Quantile([1, double.NaN], 0.5)).Should().Throw<ArgumentException>().WithMessage("*finite*");
        FluentActions.Invoking(() => Quantiles.Quantile([1, double.PositiveInfinity], 0.5)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Quantiles.Quantile([1, 2], 1.5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probability");
        FluentActions.Invoking(() => Quantiles.Quantile([1, 2], double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Quantiles.Quantile([1, 2], 0.5, (QuantileType)10)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
