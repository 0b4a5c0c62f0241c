using FaceDefender.Privacy;
using FaceDefender.Synthesis;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Privacy;

/// <summary>
/// <see cref="GeometryAttackSimulation"/>: reproducible from its seed, the rounding reaches the attacker's probes, and the
/// figures are what docs/privacy.md reports. The test run uses a small population (a second or so); the documented
/// figures come from the default options: set FACEDEFENDER_GEOMETRY_SIMULATION=full to run and print them
/// (and FACEDEFENDER_GEOMETRY_SIMULATION_ICC to change the reliability of the measures without a published noise).
/// </summary>
public sealed class GeometryAttackSimulationTests(ITestOutputHelper output)
{
    private static GeometryAttackSimulationOptions Small(int seed = 1) =>
        new() { Seed = seed, GallerySizes = [10, 100], ProbesPerGallerySize = 2_000, MinimumTrials = 10 };

    [Fact]
    public void The_same_seed_gives_the_same_report_and_another_seed_another()
    {
        static GeometryAttackSimulationOptions Tiny(int seed) => new() { Seed = seed, GallerySizes = [10, 30], ProbesPerGallerySize = 300, MinimumTrials = 5 };
        GeometryAttackSimulationReport a = GeometryAttackSimulation.Run(Tiny(1)), b = GeometryAttackSimulation.Run(Tiny(1));
        a.ToMarkdown().Should().Be(b.ToMarkdown());
        GeometryAttackSimulation.Run(Tiny(2)).ToMarkdown().Should().NotBe(a.ToMarkdown());
    }

    [Fact]
    public void Rounding_reaches_the_probe_and_coarser_steps_hide_more()
    {
        GeometryAttackSimulationReport report = GeometryAttackSimulation.Run(Small());
        output.WriteLine(report.ToMarkdown());
        double Best(GeometryPrecision p, int size, SimulatedGallery g) =>
            report.Rows.Single(r => r.Precision.Equals(p) && r.GallerySize == size && r.Gallery == g).BestMean;
        GeometryPrecision coarse = new(2, 5, 5, 5);

        double exact = Best(GeometryPrecision.Exact, 100, SimulatedGallery.Raw);
        double def = Best(GeometryPrecision.Default, 100, SimulatedGallery.Raw);
        double rough = Best(coarse, 100, SimulatedGallery.Raw);
        output.WriteLine($"gallery 100, raw: exact {exact:P1}, default {def:P1}, 2 mm {rough:P1}");
        // Measured (seed 1, 2,000 probes): exact 91.9 %, default 90.8 %, 2 mm steps 62.5 %. The attacker is far above
        // chance (1 %) at every precision; coarse steps hide a part (the bounds about half the measured gaps).
        exact.Should().BeGreaterThan(0.6);
        rough.Should().BeLessThan(exact - 0.15, "2 mm steps must cost the attacker (the rounding reaches the probe)");
        def.Should().BeLessThanOrEqualTo(exact + 0.02);
        // Chance is 1 / size and every row carries its clinical cost.
        report.Rows.Should().OnlyContain(r => Math.Abs(r.Chance - (1.0 / r.GallerySize)) < 1e-12 && r.LargestChangeMillimetres == r.Precision.LargestChangeMillimetres);
        report.Rows.Should().OnlyContain(r => r.Nearest.MeanInterval.Lower <= r.Nearest.Mean && r.Nearest.Mean <= r.Nearest.MeanInterval.Upper);
    }

    [Fact]
    public void The_population_comes_from_the_reference_standard_with_cited_noise()
    {
        GeometryAttackSimulation.Measures.Should().HaveCount(13);
        SimulatedMeasure mrd1 = GeometryAttackSimulation.Measures[0];
        mrd1.Name.Should().Be("right MRD1");
        // The default standard's MRD1 range is 2.0-5.5 mm: centre 3.75, SD 3.5 / 2 / 1.96 = 0.893.
        mrd1.Centre.Should().BeApproximately(3.75, 1e-9);
        mrd1.StandardDeviation.Should().BeApproximately(0.893, 1e-3);
        mrd1.VisitNoise.Should().BeApproximately(0.247, 1e-3);
        mrd1.NoiseSource.Should().Contain("Bodnar");
        // MRD1 asymmetry within ±2 mm: rho = 1 - (2/1.96)^2 / (2 x 0.893^2) = 0.347.
        GeometryAttackSimulation.Mrd1InterEyeCorrelation.Should().BeApproximately(0.347, 2e-3);
        FluentActions.Invoking(() => new GeometryAttackSimulationOptions { GallerySizes = [1] }).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new GeometryAttackSimulationOptions { Reliability = 1 }).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Full_simulation_for_the_docs()
    {
        if (Environment.GetEnvironmentVariable("FACEDEFENDER_GEOMETRY_SIMULATION") != "full")
        {
            output.WriteLine("Set FACEDEFENDER_GEOMETRY_SIMULATION=full to run the documented simulation.");
            return;
        }

        // FACEDEFENDER_GEOMETRY_SIMULATION_ICC (for example 0.7) sets the test-retest reliability of the measures without a
        // published noise; default 0.9.
        double icc = double.TryParse(Environment.GetEnvironmentVariable("FACEDEFENDER_GEOMETRY_SIMULATION_ICC"), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : 0.9;
        GeometryAttackSimulationReport report = GeometryAttackSimulation.Run(new GeometryAttackSimulationOptions { Reliability = icc });
        output.WriteLine(report.ToMarkdown());
        foreach (SimulatedMeasure m in report.Measures)
        {
            output.WriteLine($"| {m.Name} | {m.Centre:F2} | {m.StandardDeviation:F2} | {m.VisitNoise:F2} | {m.Source} | {m.NoiseSource} |");
        }
    }
}
