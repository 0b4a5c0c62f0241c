using System.Text.Json;
using System.Xml.Linq;
using FaceDefender.Video.Processing;

namespace FaceDefender.Video.Tests.Processing;

public sealed class FilterAndWriterTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [Fact]
    public void One_euro_filter_passes_the_first_sample_smooths_noise_and_follows_fast_motion()
    {
        var filter = new OneEuroFilter(1);
        double[] v = [5];
        filter.Apply(v, 1 / 30.0);
        v[0].Should().Be(5, "the first sample passes through");

        // A still value with alternating noise of ±0.01 (landmark noise of 1 % of the IPD): the output stays within ±0.004.
        double worst = 0;
        for (int i = 0; i < 60; i++)
        {
            v[0] = 5 + (i % 2 == 0 ? 0.01 : -0.01);
            filter.Apply(v, 1 / 30.0);
            worst = i >= 10 ? Math.Max(worst, Math.Abs(v[0] - 5)) : 0;
        }

        worst.Should().BeLessThan(0.004); // measured about 0.0025 (the noise x 0.24 at rest)

        // A fast ramp (3 units/s, a blink's lid speed in IPD/s): lag under one frame once the speed is known.
        var fast = new OneEuroFilter(1);
        double x = 0;
        for (int i = 0; i < 20; i++)
        {
            x = i * 0.1;
            v[0] = x;
            fast.Apply(v, 1 / 30.0);
        }

        (x - v[0]).Should().BeLessThan(0.1);
        fast.Reset();
        v[0] = -7;
        fast.Apply(v, 1 / 30.0);
        v[0].Should().Be(-7, "after a reset the next sample passes through");
        new OneEuroFilter(1).LagSeconds(0, 1 / 30.0).Should().BeApproximately(0.0637, 0.001, "lag at rest of the defaults at 30 frames/s: under two frames");
    }

    [Fact]
    public void One_euro_filter_rejects_bad_arguments()
    {
        FluentActions.Invoking(() => new OneEuroFilter(0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new OneEuroFilter(1, minCutoffHz: 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new OneEuroFilter(1, beta: -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new OneEuroFilter(2).Apply(new double[3], 0.1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new OneEuroFilter(1).Apply(new double[1], 0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Blinks_are_runs_below_half_the_moving_median()
    {
        // 10 mm open, a 3-frame dip to 2 mm at 20, a dip to 6 mm (not a blink) at 50, a failed frame inside a dip at 70.
        double[] series = [.. Enumerable.Repeat(10.0, 100)];
        series[20] = series[21] = series[22] = 2;
        series[50] = 6;
        series[70] = 3;
        series[71] = double.NaN;
        series[72] = 3;
        IReadOnlyList<BlinkEvent> blinks = BlinkDetector.Detect(series, 30);
        blinks.Select(b => (b.StartFrame, b.EndFrame)).Should().Equal((20, 22), (70, 70), (72, 72));
        blinks[0].DurationMs.Should().Be(100);
        blinks[0].MinimumFissureMm.Should().Be(2);
        FluentActions.Invoking(() => BlinkDetector.Detect(series, 0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Csv_json_and_svg_hold_every_frame_and_the_blinks()
    {
        KitClip clip = KitClips.Blinks(8, [6], count: 24);
        (VideoDeidentificationReport report, _, _) = await fixture.RunAsync(clip, new VideoDeidentificationOptions { OutputSize = 256 });
        report.Blinks.Should().ContainSingle();

        using var csv = new StringWriter();
        VideoMeasurementWriter.WriteCsv(report, csv);
        string[] lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(clip.Count + 1);
        lines[0].Should().StartWith("frame,time_s,measured,right_mrd1_mm");
        lines.Skip(1).Count(l => l.Split(',')[17] == "1").Should().Be(report.Blinks[0].EndFrame - report.Blinks[0].StartFrame + 1);

        using var json = new MemoryStream();
        VideoMeasurementWriter.WriteJson(report, json);
        using JsonDocument doc = JsonDocument.Parse(json.ToArray());
        doc.RootElement.GetProperty("frames").GetArrayLength().Should().Be(clip.Count);
        doc.RootElement.GetProperty("blinks")[0].GetProperty("startFrame").GetInt32().Should().Be(report.Blinks[0].StartFrame);
        doc.RootElement.GetProperty("summary").GetProperty("blinkCount").GetInt32().Should().Be(1);

        using var svg = new StringWriter();
        VideoMeasurementWriter.WriteSvg(report, svg);
        XDocument plot = XDocument.Parse(svg.ToString());
        XNamespace ns = "http://www.w3.org/2000/svg";
        plot.Root!.Name.Should().Be(ns + "svg");
        plot.Descendants(ns + "polyline").Count().Should().BeGreaterThanOrEqualTo(3, "MRD1 of each eye and the Hirschberg line");
        plot.Descendants(ns + "title").Select(t => t.Value).Should().Contain(t => t.StartsWith("blink", StringComparison.Ordinal));

    }
}
