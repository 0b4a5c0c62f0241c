namespace FaceDefender.Statistics.Tests;

public class ReferenceIntervalBuilderTests
{
    private static string Cohort => RReference.FixturePath("cohort.csv");

    [Fact]
    public void Normal_column_follows_the_papers_procedure_as_R()
    {
        ReferenceIntervalResult r = ReferenceIntervalBuilder.BuildFromCsv(Cohort, "distance_left");
        const string id = "cohort/distance_left";
        r.CountBefore.Should().Be((int)RReference.Value(id + "[1]"));
        r.CountAfter.Should().Be((int)RReference.Value(id + "[2]"));
        RReference.ShouldMatch(r.LowerFence!.Value, id + "[3]", 1e-15);
        RReference.ShouldMatch(r.UpperFence!.Value, id + "[4]", 1e-15);
        RReference.ShouldMatch(r.ShapiroWilkW!.Value, id + "[5]", 1e-14);
        RReference.ShouldMatch(r.ShapiroWilkP!.Value, id + "[6]", 1e-10);
        r.Method.Should().Be(ReferenceIntervalMethod.Normal);
        RReference.ShouldMatch(r.Lower, id + "[7]", 1e-13);
        RReference.ShouldMatch(r.Upper, id + "[8]", 1e-13);
        r.RemovedValues.Should().BeEquivalentTo([80.5, 21.25, 79.0, 30.0]);
        r.Measurement.Should().Be("distance_left");
        r.Seed.Should().BeNull();
        r.Decisions.Should().Contain(d => d.Contains("1 missing cell", StringComparison.Ordinal) && d.Contains("17", StringComparison.Ordinal));
        r.Decisions.Should().Contain(d => d.StartsWith("Method: Normal", StringComparison.Ordinal));
        r.Interval.Kind.Should().Be(IntervalKind.ReferenceInterval);
    }

    [Fact]
    public void Skewed_column_switches_to_the_bootstrap_method()
    {
        ReferenceIntervalResult r = ReferenceIntervalBuilder.BuildFromCsv(Cohort, "ratio_left", new ReferenceIntervalOptions { BootstrapReplicates = 2000, Seed = 17 });
        const string id = "cohort/ratio_left";
        r.CountBefore.Should().Be((int)RReference.Value(id + "[1]"));
        r.CountAfter.Should().Be((int)RReference.Value(id + "[2]"));
        RReference.ShouldMatch(r.ShapiroWilkP!.Value, id + "[6]", 1e-10);
        r.Method.Should().Be(ReferenceIntervalMethod.Bootstrap);
        r.MethodReason.Should().Contain("rejected");
        r.BootstrapReplicates.Should().Be(2000);
        r.Seed.Should().Be(17UL);

        // Bootstrap-smoothed quantiles lie close to R's plain type-7 quantiles (our resamples are not R's, so
        // this is a statistical check: the smoothing shifts a limit by a small fraction of the spread).
        double q025 = RReference.Value(id + "[9]");
        double q975 = RReference.Value(id + "[10]");
        r.Lower.Should().BeApproximately(q025, 0.02);
        r.Upper.Should().BeApproximately(q975, 0.03);
        r.LowerLimitConfidenceInterval!.Contains(q025).Should().BeTrue();
        r.UpperLimitConfidenceInterval!.Contains(q975).Should().BeTrue();

        // Same seed, same answer.
        ReferenceIntervalBuilder.BuildFromCsv(Cohort, "ratio_left", new ReferenceIntervalOptions { BootstrapReplicates = 2000, Seed = 17 })
            .Should().BeEquivalentTo(r);
    }

    [Fact]
    public void Result_round_trips_through_JSON()
    {
        ReferenceIntervalResult r = ReferenceIntervalBuilder.BuildFromCsv(Cohort, "ratio_left", new ReferenceIntervalOptions { BootstrapReplicates = 500 });
        string json = r.ToJson();
        json.Should().Contain("\"method\": \"Bootstrap\"").And.Contain("\"shapiroWilkP\"").And.Contain("\"decisions\"");
        ReferenceIntervalResult back = ReferenceIntervalResult.FromJson(json);
        back.Should().BeEquivalentTo(r);
        back.Lower.Should().Be(r.Lower);
        back.Decisions.Should().Equal(r.Decisions);
        FluentActions.Invoking(() => ReferenceIntervalResult.FromJson("null")).Should().Throw<System.Text.Json.JsonException>();
    }

    [Fact]
    public void Forced_method_and_no_outlier_removal_are_recorded()
    {
        double[] x = RReference.Data("normal50");
        ReferenceIntervalResult r = ReferenceIntervalBuilder.Build(x, new ReferenceIntervalOptions { RemoveOutliers = false, ForceMethod = ReferenceIntervalMethod.Normal, Coverage = 0.9 });
        r.CountAfter.Should().Be(50);
        r.LowerFence.Should().BeNull();
        r.MethodReason.Should().Contain("forced");
        RReference.ShouldMatch(r.Lower, "ref/normal50/0.9[1]", 1e-13);
        RReference.ShouldMatch(r.Upper, "ref/normal50/0.9[2]", 1e-13);
    }

    [Fact]
    public void Constant_data_is_not_tested_for_normality_and_never_gives_NaN()
    {
        ReferenceIntervalResult r = ReferenceIntervalBuilder.Build(RReference.Data("constant6"), new ReferenceIntervalOptions { BootstrapReplicates = 200 });
        r.ShapiroWilkW.Should().BeNull();
        r.Method.Should().Be(ReferenceIntervalMethod.Bootstrap);
        (r.Lower, r.Upper).Should().Be((7.5, 7.5));
        r.LowerLimitConfidenceInterval.Should().BeNull();
        r.Decisions.Should().Contain(d => d.Contains("No confidence interval", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_input_and_bad_options_throw()
    {
        FluentActions.Invoking(() => ReferenceIntervalBuilder.Build([1.0, 2.0])).Should().Throw<ArgumentException>().WithMessage("*at least 3*");
        FluentActions.Invoking(() => ReferenceIntervalBuilder.Build([1.0, 2.0, double.NaN])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => ReferenceIntervalBuilder.Build([1.0, 1.0, 1.0, 1.0, 100.0, -100.0], new ReferenceIntervalOptions { FenceMultiplier = 0 }))
            .Should().NotThrow("4 values remain after removing the two outliers");
        FluentActions.Invoking(() => new ReferenceIntervalOptions { Coverage = 1.0 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Coverage");
        FluentActions.Invoking(() => new ReferenceIntervalOptions { NormalityAlpha = 0 }).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new ReferenceIntervalOptions { BootstrapReplicates = 10 }).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new ReferenceIntervalOptions { FenceMultiplier = -1 }).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new ReferenceIntervalOptions { ForceMethod = (ReferenceIntervalMethod)5 }).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ReferenceIntervalBuilder.BuildFromCsv(Cohort, "no_such_column")).Should().Throw<InvalidDataException>().WithMessage("*no_such_column*");
    }
}

public class CohortCsvTests
{
    [Fact]
    public void Reads_quoted_fields_missing_cells_and_reports_their_rows()
    {
        const string csv = "\"id\",\"x\",\"note\"\n\"a\",1.5,\"plain\"\n\"b\",,\"has, comma\"\n\"c\",NA,\"say \"\"hi\"\"\"\n\"d\",-2e-1,\"\"\n";
        CohortColumn c = CohortCsv.ReadColumn(new StringReader(csv), "x");
        c.Values.Should().Equal(1.5, -0.2);
        c.MissingRows.Should().Equal(2, 3);
        c.Name.Should().Be("x");
    }

    [Fact]
    public void Reads_the_R_written_cohort()
    {
        CohortColumn c = CohortCsv.ReadColumn(RReference.FixturePath("cohort.csv"), "distance_left");
        c.Values.Should().HaveCount(303);
        c.MissingRows.Should().Equal(17);
    }

    [Fact]
    public void Malformed_files_throw_with_the_line_number()
    {
        FluentActions.Invoking(() => CohortCsv.ReadColumn(new StringReader(""), "x")).Should().Throw<InvalidDataException>().WithMessage("*empty*");
        FluentActions.Invoking(() => CohortCsv.ReadColumn(new StringReader("x,y\n1,2\n3,4,5\n"), "x")).Should().Throw<InvalidDataException>().WithMessage("Line 3*");
        FluentActions.Invoking(() => CohortCsv.ReadColumn(new StringReader("x\n1\n1,5\n"), "x")).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => CohortCsv.ReadColumn(new StringReader("x\n1\nabc\n"), "x")).Should().Throw<InvalidDataException>().WithMessage("Line 3*abc*");
        FluentActions.Invoking(() => CohortCsv.ReadColumn(new StringReader("x\nInf\n"), "x")).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => CohortCsv.ReadColumn(new StringReader("x\n\"1\n"), "x")).Should().Throw<InvalidDataException>().WithMessage("*unterminated*");
        FluentActions.Invoking(() => CohortCsv.ReadColumn("does-not-exist.csv", "x")).Should().Throw<FileNotFoundException>();
        FluentActions.Invoking(() => CohortCsv.ReadColumn(new StringReader("x\n1\n"), " ")).Should().Throw<ArgumentException>();
    }
}
