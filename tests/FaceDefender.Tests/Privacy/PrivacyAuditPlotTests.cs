using System.Xml.Linq;
using FaceDefender.Privacy;

namespace FaceDefender.Tests.Privacy;

/// <summary>The audit figure (SVG) drawn from a constructed report.</summary>
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

        // Each dot sits at its rate on the 0-100 % axis (x from 230 to 920 px), in its row, in its series' colour: raw
        // gallery (blue) above same-tool (orange) above eye strip (green).
        double Attr(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, System.Globalization.CultureInfo.InvariantCulture);
        XElement[] dots = [.. doc.Descendants(ns + "circle").OrderBy(e => Attr(e, "cy"))];
        (double Rate, string Colour)[] expected =
        [
            (20 / 20.0, "#1f77b4"), (20 / 20.0, "#ff7f0e"), (19 / 20.0, "#2ca02c"),
            (6 / 20.0, "#1f77b4"), (15 / 20.0, "#ff7f0e"), (4 / 20.0, "#2ca02c"),
            (2 / 20.0, "#1f77b4"), (18 / 20.0, "#ff7f0e"), (9 / 20.0, "#2ca02c"),
        ];
        for (int i = 0; i < dots.Length; i++)
        {
            Attr(dots[i], "cx").Should().BeApproximately(230 + (expected[i].Rate * 690), 0.01, $"dot {i}");
            ((string?)dots[i].Attribute("fill")).Should().Be(expected[i].Colour, $"dot {i}");
        }
    }
}
