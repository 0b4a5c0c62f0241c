using System.Globalization;
using System.Text;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Privacy;

/// <summary>
/// The audit's figure, drawn from the report alone (so the same report always gives the same picture), as SVG (with
/// labels) and as PNG (the same shapes without text: the labels are in the SVG and in <see cref="Caption"/>).
/// Top panel: Rank-1 identification rate per method with its 95 % Wilson interval (blue: probe against the raw
/// gallery; orange: the same-tool attack; green: the eye strip against a gallery of raw eye strips), with the chance
/// rate as a dashed line. Bottom panel: cosine similarity distributions (grey: range; light: mean +- sd; dark: 95 %
/// interval of the mean; black tick: median) of impostor and genuine raw pairs and of each method's protected
/// image against its raw photo, with the thresholds at the report's false-accept rates as dashed red lines.
/// </summary>
public static class PrivacyAuditPlot
{
    private const int Width = 960;
    private const int Left = 230;
    private const int Right = 40;
    private const int RowHeight = 30;
    private const int PanelGap = 70;
    private const int Top = 50;

    private static readonly Rgb24 Background = new(255, 255, 255);
    private static readonly Rgb24 Stripe = new(242, 242, 242);
    private static readonly Rgb24 Axis = new(60, 60, 60);
    private static readonly Rgb24 Grid = new(215, 215, 215);
    private static readonly Rgb24 RawGallery = new(31, 119, 180);
    private static readonly Rgb24 SameTool = new(255, 127, 14);
    private static readonly Rgb24 Strip = new(44, 160, 44);
    private static readonly Rgb24 Chance = new(120, 120, 120);
    private static readonly Rgb24 Threshold = new(214, 39, 40);
    private static readonly Rgb24 RangeColour = new(170, 170, 170);
    private static readonly Rgb24 SdColour = new(174, 199, 232);
    private static readonly Rgb24 CiColour = new(31, 119, 180);
    private static readonly Rgb24 Ink = new(0, 0, 0);

    private enum Kind
    {
        Rect,
        HLine,
        VLine,
        DashedVLine,
        Disc,
        Text,
    }

    private sealed record Shape(Kind Kind, double X1, double Y1, double X2, double Y2, Rgb24 Colour, string Text = "", string Anchor = "start", int FontSize = 12);

    /// <summary>What the figure shows, in words, for the Markdown report that embeds the SVG.</summary>
    public const string Caption =
        "Top: Rank-1 identification per method (rows in the order of the table) with 95 % Wilson intervals; blue = protected probe against the raw gallery, " +
        "orange = same-tool attack (gallery protected with the same method, other avatars), green = eye strip against a gallery of raw eye strips; " +
        "dashed grey line = chance (1 / gallery size); x axis 0-100 %. Bottom: cosine similarity, rows = impostor raw pairs, genuine raw pairs, then each " +
        "method's protected image against its raw photo; grey line = range, light box = mean +- sd, dark box = 95 % interval of the mean, black tick = median; " +
        "dashed red lines = thresholds at the false-accept rates of the report.";

    /// <summary>The figure as an SVG document (with labels).</summary>
    /// <param name="report">An audit report.</param>
    /// <returns>SVG text.</returns>
    public static string ToSvg(PrivacyAuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        (List<Shape> shapes, int height) = Layout(report);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\">");
        sb.AppendLine(c, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"{Hex(Background)}\"/>");
        foreach (Shape s in shapes)
        {
            switch (s.Kind)
            {
                case Kind.Rect:
                    sb.AppendLine(c, $"<rect x=\"{s.X1:0.##}\" y=\"{s.Y1:0.##}\" width=\"{s.X2 - s.X1:0.##}\" height=\"{s.Y2 - s.Y1:0.##}\" fill=\"{Hex(s.Colour)}\"/>");
                    break;
                case Kind.HLine:
                case Kind.VLine:
                    sb.AppendLine(c, $"<line x1=\"{s.X1:0.##}\" y1=\"{s.Y1:0.##}\" x2=\"{s.X2:0.##}\" y2=\"{s.Y2:0.##}\" stroke=\"{Hex(s.Colour)}\" stroke-width=\"1.5\"/>");
                    break;
                case Kind.DashedVLine:
                    sb.AppendLine(c, $"<line x1=\"{s.X1:0.##}\" y1=\"{s.Y1:0.##}\" x2=\"{s.X2:0.##}\" y2=\"{s.Y2:0.##}\" stroke=\"{Hex(s.Colour)}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>");
                    break;
                case Kind.Disc:
                    sb.AppendLine(c, $"<circle cx=\"{s.X1:0.##}\" cy=\"{s.Y1:0.##}\" r=\"{s.X2:0.##}\" fill=\"{Hex(s.Colour)}\"/>");
                    break;
                case Kind.Text:
                    sb.AppendLine(c, $"<text x=\"{s.X1:0.##}\" y=\"{s.Y1:0.##}\" font-size=\"{s.FontSize}\" text-anchor=\"{s.Anchor}\" fill=\"{Hex(s.Colour)}\">{Escape(s.Text)}</text>");
                    break;
            }
        }

        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    private static (List<Shape> Shapes, int Height) Layout(PrivacyAuditReport report)
    {
        var shapes = new List<Shape>();
        var c = CultureInfo.InvariantCulture;
        double plotRight = Width - Right;
        double X(double fraction, double lo, double hi) => Left + ((fraction - lo) / (hi - lo) * (plotRight - Left));

        // Panel 1: Rank-1 with intervals.
        IReadOnlyList<MethodAuditResult> methods = report.Methods;
        double top1 = Top;
        double bottom1 = top1 + (Math.Max(1, methods.Count) * RowHeight);
        shapes.Add(new Shape(Kind.Text, Left, top1 - 28, 0, 0, Ink,
            string.Create(c, $"Rank-1 identification, 95 % Wilson intervals ({report.Embedder}; gallery of {report.Identities} identities)"), FontSize: 14));
        shapes.Add(new Shape(Kind.Text, Left, top1 - 10, 0, 0, RawGallery, "\u25CF vs raw gallery", FontSize: 11));
        shapes.Add(new Shape(Kind.Text, Left + 140, top1 - 10, 0, 0, SameTool, "\u25CF same-tool attack", FontSize: 11));
        shapes.Add(new Shape(Kind.Text, Left + 290, top1 - 10, 0, 0, Strip, "\u25CF eye strip vs raw-strip gallery", FontSize: 11));
        shapes.Add(new Shape(Kind.Text, Left + 500, top1 - 10, 0, 0, Chance, "- - chance", FontSize: 11));
        RowBackground(shapes, methods.Count, top1, plotRight);
        Ticks(shapes, top1, bottom1, [0, 0.25, 0.5, 0.75, 1], v => X(v, 0, 1), v => string.Create(c, $"{v * 100:0} %"));
        for (int r = 0; r < methods.Count; r++)
        {
            MethodAuditResult m = methods[r];
            double cy = top1 + ((r + 0.5) * RowHeight);
            shapes.Add(new Shape(Kind.Text, Left - 8, cy + 4, 0, 0, Ink, m.Method, "end"));
            Interval(shapes, m.RawGallery?.Rank1, cy - 8, RawGallery, v => X(v, 0, 1));
            Interval(shapes, m.SameToolAttack?.Rank1, cy, SameTool, v => X(v, 0, 1));
            Interval(shapes, m.PeriocularStripGallery?.Rank1, cy + 8, Strip, v => X(v, 0, 1));
        }

        double chance = 1.0 / Math.Max(1, report.Identities);
        shapes.Add(new Shape(Kind.DashedVLine, X(chance, 0, 1), top1, X(chance, 0, 1), bottom1, Chance));
        Frame(shapes, top1, bottom1, plotRight);

        // Panel 2: similarity distributions.
        var rows = new List<(string Label, ScoreSummary? Scores)>
        {
            ("impostor (raw vs raw)", report.Impostor),
            ("genuine (raw vs raw)", report.Genuine),
        };
        rows.AddRange(methods.Select(m => ($"{m.Method} vs its raw", m.CosineToRaw)));
        double lo = Math.Min(rows.Where(x => x.Scores is not null).Min(x => x.Scores!.Min), report.Thresholds.Select(t => t.Threshold).DefaultIfEmpty(1).Min());
        lo = Math.Floor(Math.Min(lo, 0.95) * 20) / 20;
        double hi = 1.0;
        double top2 = bottom1 + PanelGap;
        double bottom2 = top2 + (rows.Count * RowHeight);
        shapes.Add(new Shape(Kind.Text, Left, top2 - 12, 0, 0, Ink,
            "Cosine similarity: range, mean \u00B1 sd, 95 % CI of the mean, median; red: FAR thresholds", FontSize: 14));
        RowBackground(shapes, rows.Count, top2, plotRight);
        double step = (hi - lo) > 0.5 ? 0.1 : 0.05;
        var ticks = new List<double>();
        for (double t = lo; t <= hi + 1e-9; t += step)
        {
            ticks.Add(Math.Round(t, 2));
        }

        Ticks(shapes, top2, bottom2, ticks, v => X(v, lo, hi), v => v.ToString("0.00", c));
        for (int r = 0; r < rows.Count; r++)
        {
            double cy = top2 + ((r + 0.5) * RowHeight);
            shapes.Add(new Shape(Kind.Text, Left - 8, cy + 4, 0, 0, Ink, rows[r].Label, "end"));
            if (rows[r].Scores is not { } s)
            {
                continue;
            }

            double Clamp(double v) => X(Math.Clamp(v, lo, hi), lo, hi);
            shapes.Add(new Shape(Kind.HLine, Clamp(s.Min), cy, Clamp(s.Max), cy, RangeColour));
            shapes.Add(new Shape(Kind.Rect, Clamp(s.Mean - s.StandardDeviation), cy - 7, Clamp(s.Mean + s.StandardDeviation), cy + 7, SdColour));
            shapes.Add(new Shape(Kind.Rect, Math.Min(Clamp(s.MeanLow), Clamp(s.Mean) - 1.5), cy - 7, Math.Max(Clamp(s.MeanHigh), Clamp(s.Mean) + 1.5), cy + 7, CiColour));
            shapes.Add(new Shape(Kind.Rect, Clamp(s.Median) - 1, cy - 10, Clamp(s.Median) + 1, cy + 10, Ink));
        }

        for (int i = 0; i < report.Thresholds.Count; i++)
        {
            ThresholdAtFar t = report.Thresholds[i];
            double x = X(Math.Clamp(t.Threshold, lo, hi), lo, hi);
            shapes.Add(new Shape(Kind.DashedVLine, x, top2, x, bottom2, Threshold));
            // One label line per threshold: equal thresholds (few impostor pairs) must not overprint.
            shapes.Add(new Shape(Kind.Text, x, bottom2 + 34 + (12 * i), 0, 0, Threshold,
                string.Create(c, $"FAR {t.FalseAcceptRate:0.###}: {t.Threshold:0.000}"), "middle", 10));
        }

        Frame(shapes, top2, bottom2, plotRight);
        return (shapes, (int)bottom2 + 46 + (12 * report.Thresholds.Count));
    }

    private static void RowBackground(List<Shape> shapes, int rows, double top, double plotRight)
    {
        for (int r = 0; r < rows; r += 2)
        {
            shapes.Add(new Shape(Kind.Rect, Left, top + (r * RowHeight), plotRight, top + ((r + 1) * RowHeight), Stripe));
        }
    }

    private static void Ticks(List<Shape> shapes, double top, double bottom, IEnumerable<double> values, Func<double, double> x, Func<double, string> label)
    {
        foreach (double v in values)
        {
            shapes.Add(new Shape(Kind.VLine, x(v), top, x(v), bottom, Grid));
            shapes.Add(new Shape(Kind.VLine, x(v), bottom, x(v), bottom + 5, Axis));
            shapes.Add(new Shape(Kind.Text, x(v), bottom + 18, 0, 0, Axis, label(v), "middle", 11));
        }
    }

    private static void Frame(List<Shape> shapes, double top, double bottom, double plotRight)
    {
        shapes.Add(new Shape(Kind.HLine, Left, bottom, plotRight, bottom, Axis));
        shapes.Add(new Shape(Kind.VLine, Left, top, Left, bottom, Axis));
    }

    private static void Interval(List<Shape> shapes, ProportionEstimate? p, double cy, Rgb24 colour, Func<double, double> x)
    {
        if (p is null || p.Trials == 0)
        {
            return;
        }

        shapes.Add(new Shape(Kind.Rect, x(p.Low), cy - 1.5, Math.Max(x(p.High), x(p.Low) + 1), cy + 1.5, colour));
        shapes.Add(new Shape(Kind.Disc, x(p.Value), cy, 4, 0, colour));
    }

    private static string Hex(Rgb24 c) => string.Create(CultureInfo.InvariantCulture, $"#{c.R:x2}{c.G:x2}{c.B:x2}");

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
