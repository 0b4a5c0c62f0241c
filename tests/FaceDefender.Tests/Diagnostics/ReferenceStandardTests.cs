using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using FaceDefender.Statistics;

namespace FaceDefender.Tests.Diagnostics;

public sealed class ReferenceStandardTests
{
    [Fact]
    public void Default_standard_states_method_and_source_and_converts_the_paper_ranges()
    {
        ReferenceStandard s = ReferenceStandard.Default;
        s.Ranges.Should().OnlyContain(r => r.Method.Length > 0 && r.Source.Length > 0);
        double k = 256.0 * 11.7 / 63.36;
        ReferenceRange l = s.Find(DiagnosticMeasure.IrisToInnerCanthus, EyeSide.Left)!;
        l.Unit.Should().Be(MeasureUnit.IrisDiameters);
        l.Lower!.Value.Should().BeApproximately(46 / k, 1e-12);
        l.Upper!.Value.Should().BeApproximately(60 / k, 1e-12);
        l.N.Should().Be(1163);
        s.Find(DiagnosticMeasure.IrisToInnerCanthus, EyeSide.Right)!.Upper!.Value.Should().BeApproximately(62.4 / k, 1e-12);
        s.Find(DiagnosticMeasure.FissureHeightToIrisWidthRatio, EyeSide.Right)!.Lower.Should().Be(0.558);
        s.Find(DiagnosticMeasure.Mrd1, EyeSide.Left)!.Eye.Should().Be(EyeSide.Both, "a Both range applies to each eye");
        s.Find(DiagnosticMeasure.CanthalTilt, EyeSide.Left).Should().BeNull();
    }

    [Fact]
    public void Json_round_trip_keeps_every_range()
    {
        string json = ReferenceStandard.Default.ToJson();
        json.Should().Contain("\"measure\": \"Mrd1\"").And.Contain("\"unit\": \"Millimetres\"");
        ReferenceStandard back = ReferenceStandard.FromJson(json);
        back.Name.Should().Be(ReferenceStandard.Default.Name);
        back.Ranges.Should().Equal(ReferenceStandard.Default.Ranges);
    }

    [Fact]
    public void Save_then_Load_round_trips_and_bad_files_fail_with_the_reason()
    {
        string dir = Directory.CreateTempSubdirectory("fd-standard-").FullName;
        try
        {
            var custom = new ReferenceStandard("clinic 2026", "local norms", [
                new ReferenceRange(DiagnosticMeasure.Mrd1, EyeSide.Both, MeasureUnit.Millimetres, 2.5, 5.25, "local cohort", 80, "clinic"),
                new ReferenceRange(DiagnosticMeasure.FissureHeightToIrisWidthRatio, EyeSide.Right, MeasureUnit.Ratio, 0.55, null, "local cohort", null, "clinic"),
            ]);
            string path = Path.Combine(dir, "standard.json");
            custom.Save(path);
            ReferenceStandard back = ReferenceStandard.Load(path);
            back.Name.Should().Be("clinic 2026");
            back.Description.Should().Be("local norms");
            back.Ranges.Should().Equal(custom.Ranges);
            ReferenceStandard.Default.Save(path);
            ReferenceStandard.Load(path).Ranges.Should().Equal(ReferenceStandard.Default.Ranges, "Save replaces an existing file");

            FluentActions.Invoking(() => ReferenceStandard.Load(Path.Combine(dir, "missing.json"))).Should().Throw<FileNotFoundException>();
            FluentActions.Invoking(() => ReferenceStandard.Load(" ")).Should().Throw<ArgumentException>().WithParameterName("path");
            FluentActions.Invoking(() => ReferenceStandard.Load(null!)).Should().Throw<ArgumentNullException>().WithParameterName("path");
            FluentActions.Invoking(() => custom.Save("")).Should().Throw<ArgumentException>().WithParameterName("path");

            foreach ((string name, string text) in new[]
            {
                ("truncated", ReferenceStandard.Default.ToJson()[..40]),
                ("not json", "MRD1 2-5 mm"),
                ("null", "null"),
                ("wrong shape", "[1, 2, 3]"),
                ("empty", string.Empty),
                ("unknown unit", "{\"name\":\"x\",\"ranges\":[{\"measure\":\"Mrd1\",\"eye\":\"Both\",\"unit\":\"Furlongs\"}]}"),
            })
            {
                string bad = Path.Combine(dir, name + ".json");
                File.WriteAllText(bad, text);
                FluentActions.Invoking(() => ReferenceStandard.Load(bad)).Should().Throw<FaceDefenderException>(name).WithMessage("Not a valid reference standard*");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Invalid_standards_are_rejected_with_the_reason()
    {
        var ok = new ReferenceRange(DiagnosticMeasure.Mrd1, EyeSide.Both, MeasureUnit.Millimetres, 2, 5, "m", null, "s");
        FluentActions.Invoking(() => new ReferenceStandard("x", "", [ok, ok])).Should().Throw<ArgumentException>().WithMessage("*Two ranges*");
        FluentActions.Invoking(() => new ReferenceStandard("x", "", [ok with { Lower = 6 }])).Should().Throw<ArgumentException>().WithMessage("*above upper*");
        FluentActions.Invoking(() => new ReferenceStandard("x", "", [ok with { Unit = MeasureUnit.Degrees }])).Should().Throw<ArgumentException>().WithMessage("*does not apply*");
        FluentActions.Invoking(() => new ReferenceStandard("x", "", [ok with { Measure = DiagnosticMeasure.HorizontalVergence, Eye = EyeSide.Left }])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => ReferenceStandard.FromJson("{\"name\":\"x\",\"ranges\":[{\"measure\":\"Nope\"}]}")).Should().Throw<FaceDefenderException>();
    }

    [Fact]
    public void Builder_from_a_cohort_csv_uses_the_statistics_reference_interval_builder()
    {
        // A synthetic healthy cohort: the constructed face with its lids and irises jittered (seeded).
        var rng = new Random(7);
        var people = new List<(string, OcularMeasurements)>();
        var benchmark = new LandmarkDiagnosticBenchmark();
        for (int i = 0; i < 150; i++)
        {
            Vector3[] p = ConstructedFaces.LevelPoints();
            p[159] += new Vector3(0, (float)(rng.NextDouble() * 6) - 3, 0);
            p[386] += new Vector3(0, (float)(rng.NextDouble() * 6) - 3, 0);
            p[468] += new Vector3((float)(rng.NextDouble() * 2) - 1, 0, 0);
            people.Add(($"p{i}", benchmark.Measure(new FaceLandmarks(p), new HeadPose(0, 0, 0))));
        }

        string path = Path.Combine(Path.GetTempPath(), $"fd-cohort-{Guid.NewGuid():N}.csv");
        try
        {
            using (var w = new StreamWriter(path))
            {
                ReferenceStandardBuilder.WriteCohortCsv(w, people);
            }

            var options = new ReferenceIntervalOptions { BootstrapReplicates = 500 };
            BuiltReferenceStandard built = ReferenceStandardBuilder.FromCohortCsv(path, null, "test cohort", "synthetic test cohort", options);
            // Every conventional column but the two corneal-reflex ones (these faces have no reflexes: nothing measured).
            built.Standard.Ranges.Should().HaveCount(CohortMeasureColumn.Standard.Count - 2);
            built.Standard.Find(DiagnosticMeasure.HirschbergHorizontal, EyeSide.Both).Should().BeNull();
            ReferenceRange mrd1 = built.Standard.Find(DiagnosticMeasure.Mrd1, EyeSide.Right)!;
            mrd1.Eye.Should().Be(EyeSide.Right);
            double[] column = [.. people.Select(x => x.Item2.Right.Mrd1.Millimetres)];
            ReferenceIntervalResult direct = ReferenceIntervalBuilder.Build(column, options);
            mrd1.Lower!.Value.Should().BeApproximately(direct.Lower, 1e-12);
            mrd1.Upper!.Value.Should().BeApproximately(direct.Upper, 1e-12);
            mrd1.N.Should().Be(direct.CountAfter);
            mrd1.Method.Should().Contain(direct.Method == ReferenceIntervalMethod.Normal ? "normal method" : "bootstrap method");
            mrd1.Source.Should().Contain("mrd1_right_mm");
            built.Intervals.Should().HaveCount(built.Standard.Ranges.Length);

            // The built standard works as a benchmark's standard and survives JSON.
            ReferenceStandard.FromJson(built.Standard.ToJson()).Ranges.Should().Equal(built.Standard.Ranges);
            new LandmarkDiagnosticBenchmark(built.Standard).Assess(ConstructedFaces.Level(), new HeadPose(0, 0, 0)).StandardName.Should().Be("test cohort");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_cohort_with_corneal_reflexes_gets_alignment_ranges_and_people_without_are_left_out()
    {
        // 120 people with reflexes jittered around their kappa places (a normal spread), 30 without any.
        var rng = new Random(11);
        var people = new List<OcularMeasurements>();
        var benchmark = new LandmarkDiagnosticBenchmark();
        for (int i = 0; i < 150; i++)
        {
            FaceLandmarks face = ConstructedFaces.Level();
            if (i >= 120)
            {
                people.Add(benchmark.Measure(face, new HeadPose(0, 0, 0)));
                continue;
            }

            float J() => (float)((rng.NextDouble() * 0.3) - 0.15);
            people.Add(benchmark.Measure(ConstructedFaces.WithReflexes(face, new Vector2(0.3f + J(), J()), new Vector2(-0.3f + J(), J())), new HeadPose(0, 0, 0)));
        }

        BuiltReferenceStandard built = ReferenceStandardBuilder.FromMeasurements(people, null, "reflex cohort", "synthetic", new ReferenceIntervalOptions { BootstrapReplicates = 200 });
        ReferenceRange h = built.Standard.Find(DiagnosticMeasure.HirschbergHorizontal, EyeSide.Both)!;
        h.Unit.Should().Be(MeasureUnit.PrismDioptres);
        h.N.Should().BeLessThanOrEqualTo(120, "only the people with both reflexes are counted");
        h.Lower!.Value.Should().BeNegative();
        h.Upper!.Value.Should().BePositive();
        built.Standard.Find(DiagnosticMeasure.HirschbergVertical, EyeSide.Both).Should().NotBeNull();

        // A deviation well outside that cohort's range is found against it.
        OcularAssessment a = new LandmarkDiagnosticBenchmark(built.Standard).Assess(
            ConstructedFaces.WithReflexes(ConstructedFaces.Level(), new Vector2(0.3f, 0), new Vector2(1.3f, 0)), new HeadPose(0, 0, 0));
        a.Findings.Should().Contain(f => f.Kind == FindingKind.Esotropia && f.Measure == DiagnosticMeasure.HirschbergHorizontal);
    }

    [Fact]
    public void Column_names_follow_the_convention_and_parse_back()
    {
        MeasureCatalog.ColumnName(DiagnosticMeasure.Mrd1, EyeSide.Right, MeasureUnit.Millimetres).Should().Be("mrd1_right_mm");
        MeasureCatalog.ColumnName(DiagnosticMeasure.HorizontalVergence, EyeSide.Both, MeasureUnit.PrismDioptres).Should().Be("horizontal_vergence_both_pd");
        CohortMeasureColumn.TryParse("fissure_height_to_iris_width_ratio_left_ratio")!.Measure.Should().Be(DiagnosticMeasure.FissureHeightToIrisWidthRatio);
        CohortMeasureColumn.TryParse("age").Should().BeNull();
    }
}
