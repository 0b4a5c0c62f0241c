using System.Globalization;

namespace FaceDefender.Statistics.Tests;

public class KappaTests
{
    // Closed-form arithmetic on the table: 1e-13 relative (R sums in a different order).
    private const double Tol = 1e-13;

    private static readonly Dictionary<string, long[,]> Tables = LoadTables();

    public static TheoryData<string, KappaWeighting> Cases()
    {
        var d = new TheoryData<string, KappaWeighting>();
        foreach (string name in new[] { "k2", "k2_paper_like", "k3", "k4", "k5", "k4_unobserved", "pairs114", "pairs114_3cat" })
        {
            foreach (KappaWeighting w in Enum.GetValues<KappaWeighting>())
            {
                d.Add(name, w);
            }
        }

        return d;
    }

    private static string IrrName(KappaWeighting w) => w switch
    {
        KappaWeighting.Unweighted => "unweighted",
        KappaWeighting.Linear => "equal",
        _ => "squared",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Table_kappa_matches_irr_and_vcd(string name, KappaWeighting weighting)
    {
        KappaResult r = CohenKappa.FromTable(Tables[name], weighting);
        string irr = $"kappa/{name}/irr/{IrrName(weighting)}";
        RReference.ShouldMatch(r.Kappa, irr + "[1]", Tol);
        RReference.ShouldMatch(r.StandardErrorUnderNull, irr + "[2]", Tol);
        RReference.ShouldMatch(r.Z!.Value, irr + "[3]", 1e-12);
        double p = RReference.Value(irr + "[4]");
        r.PValue!.Value.Should().BeApproximately(p, 1e-12 * Math.Max(p, 1e-6), RReference.Call(irr));
        RReference.ShouldMatch(r.ObservedAgreement, irr + "[5]", Tol);
        RReference.ShouldMatch(r.ChanceAgreement, irr + "[6]", Tol);

        string vcd = $"kappa/{name}/vcd/{IrrName(weighting)}";
        RReference.ShouldMatch(r.Kappa, vcd + "[1]", Tol);
        RReference.ShouldMatch(r.AsymptoticStandardError, vcd + "[2]", Tol);
        r.N.Should().Be(Tables[name].Cast<long>().Sum());
    }

    [Theory]
    [InlineData("k2")]
    [InlineData("k3")]
    [InlineData("k4")]
    [InlineData("k5")]
    [InlineData("k4_unobserved")]
    [InlineData("pairs114")]
    public void Confidence_limits_match_vcd_confint(string name)
    {
        KappaResult u = CohenKappa.FromTable(Tables[name], KappaWeighting.Unweighted, 0.95);
        KappaResult l = CohenKappa.FromTable(Tables[name], KappaWeighting.Linear, 0.95);
        string id = $"kappa/{name}/vcd/ci/equal";
        RReference.ShouldMatch(u.Lower, id + "[1]", Tol);
        RReference.ShouldMatch(l.Lower, id + "[2]", Tol);
        RReference.ShouldMatch(u.Upper, id + "[3]", Tol);
        RReference.ShouldMatch(l.Upper, id + "[4]", Tol);

        KappaResult q = CohenKappa.FromTable(Tables[name], KappaWeighting.Quadratic, 0.9);
        RReference.ShouldMatch(q.Lower, $"kappa/{name}/vcd/ci90/squared[2]", Tol);
        RReference.ShouldMatch(q.Upper, $"kappa/{name}/vcd/ci90/squared[4]", Tol);
    }

    [Fact]
    public void Label_pairs_give_the_same_result_as_their_table_including_an_unused_category()
    {
        string[] f = File.ReadLines(RReference.FixturePath("kappa_pairs.tsv")).Skip(1).First().Split('\t');
        int k = int.Parse(f[1], CultureInfo.InvariantCulture);
        int[] r1 = f[2].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture) - 1).ToArray();
        int[] r2 = f[3].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture) - 1).ToArray();
        k.Should().Be(4);
        r1.Concat(r2).Should().NotContain(3, "category 4 is deliberately unused");

        foreach (KappaWeighting w in Enum.GetValues<KappaWeighting>())
        {
            KappaResult pairs = CohenKappa.FromPairs(r1, r2, k, w);
            pairs.Should().Be(CohenKappa.FromTable(Tables["pairs114"], w));
            RReference.ShouldMatch(pairs.Kappa, $"kappa/pairs114/irr/{IrrName(w)}[1]", Tol);
        }

        // The unused fourth category changes the weighted kappas but not the unweighted one.
        CohenKappa.FromPairs(r1, r2, 4).Kappa.Should().BeApproximately(CohenKappa.FromPairs(r1, r2, 3).Kappa, 1e-15);
        CohenKappa.FromPairs(r1, r2, 4, KappaWeighting.Linear).Kappa.Should().NotBe(CohenKappa.FromPairs(r1, r2, 3, KappaWeighting.Linear).Kappa);
        RReference.ShouldMatch(CohenKappa.FromPairs(r1, r2, 3, KappaWeighting.Quadratic).Kappa, "kappa/pairs114_3cat/irr/squared[1]", Tol);

        string[] labels = ["low", "mid", "high", "extreme"];
        KappaResult named = CohenKappa.FromLabels(r1.Select(i => labels[i]).ToArray(), r2.Select(i => labels[i]).ToArray(), labels, KappaWeighting.Linear);
        named.Should().Be(CohenKappa.FromPairs(r1, r2, 4, KappaWeighting.Linear));
    }

    [Fact]
    public void Perfect_agreement_gives_kappa_1_and_zero_ASE()
    {
        foreach (KappaWeighting w in Enum.GetValues<KappaWeighting>())
        {
            KappaResult r = CohenKappa.FromTable(Tables["k3_perfect"], w);
            r.Kappa.Should().Be(1);
            r.AsymptoticStandardError.Should().BeApproximately(0, 1e-7); // R: 0 (vcd)
            RReference.ShouldMatch(r.StandardErrorUnderNull, $"kappa/k3_perfect/irr/{IrrName(w)}[2]", Tol);
            RReference.ShouldMatch(r.Z!.Value, $"kappa/k3_perfect/irr/{IrrName(w)}[3]", 1e-12);
            r.Upper.Should().Be(1);
        }
    }

    [Fact]
    public void One_constant_rater_gives_kappa_0_with_zero_SE_and_no_test()
    {
        // R prints NaN here (sqrt of a rounding-negative 0); the exact value of both variances is 0.
        foreach (KappaWeighting w in Enum.GetValues<KappaWeighting>())
        {
            KappaResult r = CohenKappa.FromTable(Tables["k3_rater1_constant"], w);
            RReference.ShouldMatch(r.Kappa, $"kappa/k3_rater1_constant/irr/{IrrName(w)}[1]", Tol);
            RReference.ShouldMatch(r.ObservedAgreement, $"kappa/k3_rater1_constant/irr/{IrrName(w)}[5]", Tol);
            r.StandardErrorUnderNull.Should().Be(0);
            r.AsymptoticStandardError.Should().Be(0);
            r.Z.Should().BeNull();
            r.PValue.Should().BeNull();
            (r.Lower, r.Upper).Should().Be((0.0, 0.0));
        }

        // Both constant, different categories: kappa 0 (p_o = p_e = 0 unweighted).
        KappaResult both = CohenKappa.FromPairs([0, 0, 0], [1, 1, 1], 2);
        both.Kappa.Should().Be(0);
        both.Z.Should().BeNull();
    }

    [Fact]
    public void Both_raters_constant_in_the_same_category_is_undefined()
    {
        FluentActions.Invoking(() => CohenKappa.FromPairs([2, 2, 2], [2, 2, 2], 3))
            .Should().Throw<StatisticsException>().WithMessage("*undefined*");
        FluentActions.Invoking(() => CohenKappa.FromTable(new long[,] { { 5, 0 }, { 0, 0 } }, KappaWeighting.Quadratic))
            .Should().Throw<StatisticsException>();
    }

    [Theory]
    [InlineData(1_000_000_000_000_000L)] // 1e15 per unit: n = 5e16
    [InlineData(100_000_000_000_000_000L)] // 1e17 per unit: n = 5e18, near long.MaxValue (9.2e18)
    public void Large_valid_counts_give_the_kappa_of_the_proportions(long scale)
    {
        // k2 = [[20, 5], [10, 15]] times a large factor: the same proportions, so the same kappa, p_o and p_e as R's
        // k2 values, and standard errors smaller by sqrt(scale) (both are proportional to 1/sqrt(n)).
        long[,] k2 = Tables["k2"];
        var big = new long[2, 2];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                big[i, j] = k2[i, j] * scale;
            }
        }

        foreach (KappaWeighting w in Enum.GetValues<KappaWeighting>())
        {
            KappaResult r = CohenKappa.FromTable(big, w);
            string irr = $"kappa/k2/irr/{IrrName(w)}";
            r.N.Should().Be(50 * scale);
            RReference.ShouldMatch(r.Kappa, irr + "[1]", Tol);
            RReference.ShouldMatch(r.ObservedAgreement, irr + "[5]", Tol);
            RReference.ShouldMatch(r.ChanceAgreement, irr + "[6]", Tol);
            RReference.ShouldMatch(r.StandardErrorUnderNull * Math.Sqrt(scale), irr + "[2]", Tol);
            RReference.ShouldMatch(r.AsymptoticStandardError * Math.Sqrt(scale), $"kappa/k2/vcd/{IrrName(w)}[2]", Tol);
            r.PValue.Should().Be(0, "z is in the millions");
        }
    }

    [Fact]
    public void A_total_count_beyond_long_MaxValue_throws_instead_of_wrapping()
    {
        // 4e18 + 1e18 + 2e18 + 3e18 = 1e19 > long.MaxValue (9.22e18): the total used to wrap to a negative n (kappa 5.15).
        long[,] table = { { 4_000_000_000_000_000_000, 1_000_000_000_000_000_000 }, { 2_000_000_000_000_000_000, 3_000_000_000_000_000_000 } };
        FluentActions.Invoking(() => CohenKappa.FromTable(table))
            .Should().Throw<ArgumentException>().WithParameterName("table").WithMessage("*exceeds*")
            .WithInnerException<OverflowException>();

        long[,] four = { { 4_000_000_000_000_000_000, 4_000_000_000_000_000_000 }, { 4_000_000_000_000_000_000, 4_000_000_000_000_000_000 } };
        FluentActions.Invoking(() => CohenKappa.FromTable(four, KappaWeighting.Quadratic)).Should().Throw<ArgumentException>().WithMessage("*long.MaxValue*");

        // Exactly long.MaxValue subjects is still valid.
        long q = long.MaxValue / 4;
        long[,] max = { { q, q }, { q, long.MaxValue - (3 * q) } };
        KappaResult r = CohenKappa.FromTable(max);
        r.N.Should().Be(long.MaxValue);
        r.Kappa.Should().BeApproximately(0, 1e-15);
    }

    [Fact]
    public void A_table_too_skewed_for_double_precision_throws_instead_of_returning_NaN()
    {
        // Exact kappa (2M - 8)/(4M - 8) is about 0.5, but p_e = 1 - 4/M + ... rounds to 1: it used to come back as NaN
        // (kappa, both SEs and the limits).
        FluentActions.Invoking(() => CohenKappa.FromTable(new long[,] { { long.MaxValue - 3, 1 }, { 1, 1 } }))
            .Should().Throw<StatisticsException>().WithMessage("*double precision*");

        // With 2^40 subjects it is still representable: kappa = (2M - 8)/(4M - 8) with M = 2^40 + 3.
        double m = Math.Pow(2, 40) + 3;
        CohenKappa.FromTable(new long[,] { { 1L << 40, 1 }, { 1, 1 } }).Kappa.Should().BeApproximately(((2 * m) - 8) / ((4 * m) - 8), 1e-4);
    }

    [Fact]
    public void Bad_input_throws()
    {
        FluentActions.Invoking(() => CohenKappa.FromPairs([], [], 2)).Should().Throw<ArgumentException>().WithMessage("*no rated subjects*");
        FluentActions.Invoking(() => CohenKappa.FromTable(new long[2, 2])).Should().Throw<ArgumentException>().WithMessage("*no rated subjects*");
        FluentActions.Invoking(() => CohenKappa.FromTable(new long[0, 0])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => CohenKappa.FromPairs([0, 1], [0], 2)).Should().Throw<ArgumentException>().WithMessage("*same subjects*");
        FluentActions.Invoking(() => CohenKappa.FromPairs([0, 2], [0, 1], 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*rater1[1] = 2*");
        FluentActions.Invoking(() => CohenKappa.FromPairs([0, 1], [0, -1], 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*rater2[1]*");
        FluentActions.Invoking(() => CohenKappa.FromPairs([0, 0], [0, 0], 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => CohenKappa.FromTable(new long[2, 3])).Should().Throw<ArgumentException>().WithMessage("*square*");
        FluentActions.Invoking(() => CohenKappa.FromTable(new long[,] { { 1, -1 }, { 0, 2 } })).Should().Throw<ArgumentException>().WithMessage("*negative*");
        FluentActions.Invoking(() => CohenKappa.FromTable(Tables["k2"], KappaWeighting.Unweighted, 1.5)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => CohenKappa.FromTable(Tables["k2"], (KappaWeighting)9)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => CohenKappa.FromLabels(["a"], ["z"], ["a", "b"])).Should().Throw<ArgumentException>().WithMessage("*not one of*");
        FluentActions.Invoking(() => CohenKappa.FromLabels(["a"], ["a"], ["a", "a"])).Should().Throw<ArgumentException>().WithMessage("*twice*");
    }

    private static Dictionary<string, long[,]> LoadTables()
    {
        var d = new Dictionary<string, long[,]>();
        foreach (string line in File.ReadLines(RReference.FixturePath("kappa_tables.tsv")).Skip(1))
        {
            string[] f = line.Split('\t');
            int k = int.Parse(f[1], CultureInfo.InvariantCulture);
            long[] c = f[2].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var t = new long[k, k];
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    t[i, j] = c[(i * k) + j];
                }
            }

            d[f[0]] = t;
        }

        return d;
    }
}
