using System.Xml.Linq;
using FaceDefender.Privacy;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Privacy;

/// <summary>The audit figure (SVG with labels, PNG without text) drawn from a constructed report.</summary>
public sealed class PrivacyAuditPlotTests
{
    private static PrivacyAuditReport Report()
    {
        ScoreSummary impostor = ScoreSummary.Of([0.85, 0.88, 0.9, 0.93, 0.95, 0.91]);
        ScoreSummary genuine = ScoreSummary.Of([0.97, 0.99, 0.995, 0.98]);
        IdentificationResult Id(int k1, int n) => new(10, ProportionEstimate.Wilson(k1, n), ProportionEstimate.Wilson(Math.Min(n, k1 + 3), n), 0.1, 0.5);
        MethodAuditResult M(string name, int raw, int same, int strip, double[] cos) => new(name, 20, 0, ScoreSummary.Of(cos),
            [new TrueAcceptAtFar(0.01, 0.95, ProportionEstimate.Wilson(0, 20))], Id(raw, 20), Id(same, 20), 0, ScoreSummary.Of(cos), Id(1, 20), Id(strip, 20));
        return new PrivacyAuditReport("test-embedder", 20, 0, 10, impostor, genuine, 1.0,
            [new ThresholdAtFar(0.01, 0.95, 45, ProportionEstimate.Wilson(4, 4))],
            [M("raw", 20, 20, 19, [1, 1, 1]), M("blur & co", 6, 15, 4, [0.86, 0.88, 0.9]), M("ours-eyes-only", 2, 18, 9, [0.9, 0.92, 0.95])]);
    }

    [Fact]
    public void Svg_is_well_formed_and_labels_every_method_and_the_chance_and_threshold_lines()
    {
        string svg = PrivacyAuditPlot.ToSvg(Report());

        XDocument doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        string[] texts = doc.Descendants(ns + "text").Select(t => t.Value).ToArray();
        texts.Should().Contain(["raw", "blur & co", "ours-eyes-only", "impostor (raw vs raw)", "genuine (raw vs raw)", "FAR 0.01: 0.950", "- - chance"]);
        texts.Should().Contain(t => t.Contains("gallery of 10 identities", StringComparison.Ordinal));
        // Three series per method row, each a dot with its interval bar.
        doc.Descendants(ns + "circle").Should().HaveCount(9);
        doc.Descendants(ns + "line").Count(l => (string?)l.Attribute("stroke-dasharray") is not null).Should().Be(2, "one chance line, one threshold line");
    }

    [Fact]
    public void Png_puts_each_rate_where_the_svg_does_and_is_deterministic()
    {
        PrivacyAuditReport report = Report();
        using Image<Rgb24> png = PrivacyAuditPlot.Render(report);
        using Image<Rgb24> again = PrivacyAuditPlot.Render(report);
        XDocument doc = XDocument.Parse(PrivacyAuditPlot.ToSvg(report));
        XNamespace ns = "http://www.w3.org/2000/svg";

        png.Width.Should().Be((int)double.Parse(doc.Root!.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        png.Height.Should().Be((int)double.Parse(doc.Root!.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        foreach (XElement circle in doc.Descendants(ns + "circle"))
        {
            int x = (int)double.Parse(circle.Attribute("cx")!.Value, System.Globalization.CultureInfo.InvariantCulture);
            int y = (int)double.Parse(circle.Attribute("cy")!.Value, System.Globalization.CultureInfo.InvariantCulture);
            Rgb24 expected = Rgb(circle.Attribute("fill")!.Value);
            png[x, y].Should().Be(expected, $"the dot at ({x}, {y}) has the colour of its series");
        }

        for (int y = 0; y < png.Height; y += 7)
        {
            for (int x = 0; x < png.Width; x += 5)
            {
                again[x, y].Should().Be(png[x, y]);
            }
        }
    }

    private static Rgb24 Rgb(string hex) => new(
        Convert.ToByte(hex.Substring(1, 2), 16), Convert.ToByte(hex.Substring(3, 2), 16), Convert.ToByte(hex.Substring(5, 2), 16));
}
