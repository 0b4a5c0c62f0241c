using System.Globalization;
using System.Numerics;
using System.Text;
using FaceDefender.Abstractions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Diagnostics;

/// <summary>
/// Draws the measurements of an assessment: on a copy of the image (PNG-ready, with pixel drawing of
/// our own: anti-aliased lines and circles, no text) or as an SVG document whose shapes and labels
/// sit on top of an optional image reference, so nothing is burned into the photo.
/// </summary>
/// <remarks>
/// Colours: iris circle and centre cyan; corneal light reflex magenta (a ring around each reflex that was found);
/// canthus-to-canthus (fissure width) yellow; MRD1 green; MRD2 blue, both drawn from where they were measured (the
/// corneal reflex, or the iris centre when the eye has no trustworthy reflex: <see cref="EyeMeasurements.MrdOrigin"/>);
/// eye line white. Coordinates are the assessment's landmark pixels: draw on the image the
/// landmarks refer to (<see cref="OcularAssessment.Space"/>). Thread-safe: no state.
/// </remarks>
public static class MeasurementOverlay
{
    private static readonly Rgb24 Cyan = new(0, 220, 255);
    private static readonly Rgb24 Yellow = new(255, 210, 0);
    private static readonly Rgb24 Green = new(40, 220, 60);
    private static readonly Rgb24 Blue = new(40, 90, 255);
    private static readonly Rgb24 White = new(255, 255, 255);
    private static readonly Rgb24 Magenta = new(255, 60, 220);

    /// <summary>Returns a new image: <paramref name="image"/> with the measures drawn on it. The caller disposes it.</summary>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    public static Image<Rgb24> Draw(Image<Rgb24> image, OcularAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(assessment);
        Image<Rgb24> canvas = image.Clone();
        OcularMeasurements m = assessment.Measurements;
        float width = (float)Math.Max(1.0, (m.Right.IrisDiameterPixels + m.Left.IrisDiameterPixels) / 2 / 40);
        foreach (EyeMeasurements e in (ReadOnlySpan<EyeMeasurements>)[m.Right, m.Left])
        {
            EyePoints p = e.Points;
            Line(canvas, p.InnerCanthus, p.OuterCanthus, Yellow, width);
            Circle(canvas, p.IrisCentre, (float)(e.IrisDiameterPixels / 2), Cyan, width);
            float c = width * 3;
            Line(canvas, p.IrisCentre - new Vector2(c, 0), p.IrisCentre + new Vector2(c, 0), Cyan, width);
            Line(canvas, p.IrisCentre - new Vector2(0, c), p.IrisCentre + new Vector2(0, c), Cyan, width);
            Vector2 origin = MrdOrigin(e);
            Line(canvas, origin, Foot(origin, p.UpperLid, m), Green, width);
            Line(canvas, origin, Foot(origin, p.LowerLid, m), Blue, width);
            if (e.Reflex.Position is { } reflex)
            {
                Circle(canvas, reflex, width * 2.5f, Magenta, width);
            }
        }

        Line(canvas, Mid(m.Right), Mid(m.Left), White, Math.Max(1, width / 2));
        return canvas;
    }

    /// <summary>An SVG document of the measures with value labels, sized to the image.</summary>
    /// <param name="assessment">The assessment.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="imageHref">Optional image reference (file name or URL) drawn underneath; nothing is embedded.</param>
    /// <exception cref="ArgumentNullException"><paramref name="assessment"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Width or height not positive.</exception>
    public static string ToSvg(OcularAssessment assessment, int width, int height, string? imageHref = null)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        OcularMeasurements m = assessment.Measurements;
        double sw = Math.Max(1.0, (m.Right.IrisDiameterPixels + m.Left.IrisDiameterPixels) / 2 / 40);
        double font = Math.Max(8.0, (m.Right.IrisDiameterPixels + m.Left.IrisDiameterPixels) / 2 / 4);
        var sb = new StringBuilder();
        sb.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n"));
        sb.Append(F($"<title>Ocular measurements ({Escape(assessment.StandardName)})</title>\n"));
        if (imageHref is not null)
        {
            sb.Append(F($"<image href=\"{Escape(imageHref)}\" x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\"/>\n"));
        }

        sb.Append(F($"<g fill=\"none\" stroke-width=\"{sw:0.##}\" font-family=\"sans-serif\" font-size=\"{font:0.#}\">\n"));
        foreach (EyeMeasurements e in (ReadOnlySpan<EyeMeasurements>)[m.Right, m.Left])
        {
            EyePoints p = e.Points;
            string eye = e.Side == EyeSide.Right ? "right" : "left";
            SvgLine(sb, p.InnerCanthus, p.OuterCanthus, "#ffd200", $"{eye} fissure width {e.FissureWidth.Millimetres:F2} mm");
            sb.Append(F($"<circle cx=\"{p.IrisCentre.X:0.##}\" cy=\"{p.IrisCentre.Y:0.##}\" r=\"{e.IrisDiameterPixels / 2:0.##}\" stroke=\"#00dcff\"><title>{eye} iris {e.IrisWidth.Pixels:F1} px</title></circle>\n"));
            if (e.Reflex.Position is { } reflex)
            {
                sb.Append(F($"<circle cx=\"{reflex.X:0.##}\" cy=\"{reflex.Y:0.##}\" r=\"{sw * 2.5:0.##}\" stroke=\"#ff3cdc\"><title>{eye} corneal reflex, nasal {e.Reflex.Nasal.Millimetres:F2} mm, up {e.Reflex.Up.Millimetres:F2} mm</title></circle>\n"));
            }

            Vector2 origin = MrdOrigin(e);
            string from = e.MrdOrigin == MarginReflexOrigin.CornealReflex ? "from the corneal reflex" : "from the iris centre";
            Vector2 up = Foot(origin, p.UpperLid, m), down = Foot(origin, p.LowerLid, m);
            SvgLine(sb, origin, up, "#28dc3c", $"{eye} MRD1 {e.Mrd1.Millimetres:F2} mm ({from})");
            SvgLine(sb, origin, down, "#285aff", $"{eye} MRD2 {e.Mrd2.Millimetres:F2} mm ({from})");
            double tx = p.OuterCanthus.X, ty = Math.Max(p.OuterCanthus.Y, p.LowerLid.Y) + (2 * font);
            string anchor = e.Side == EyeSide.Right ? "end" : "start";
            sb.Append(F($"<text x=\"{tx:0.##}\" y=\"{ty:0.##}\" fill=\"#ffffff\" stroke=\"none\" text-anchor=\"{anchor}\">"));
            sb.Append(F($"<tspan x=\"{tx:0.##}\">MRD1 {e.Mrd1.Millimetres:F2} mm, MRD2 {e.Mrd2.Millimetres:F2} mm</tspan>"));
            sb.Append(F($"<tspan x=\"{tx:0.##}\" dy=\"1.2em\">fissure {e.FissureHeight.Millimetres:F2} x {e.FissureWidth.Millimetres:F2} mm</tspan>"));
            sb.Append(F($"<tspan x=\"{tx:0.##}\" dy=\"1.2em\">decentration nasal {e.DecentrationNasal.Millimetres:F2}, up {e.DecentrationUp.Millimetres:F2} mm</tspan></text>\n"));
        }

        Vector2 a = Mid(m.Right), b = Mid(m.Left);
        SvgLine(sb, a, b, "#ffffff", "eye line");
        double y0 = Math.Min(a.Y, b.Y) - (3 * font);
        sb.Append(F($"<text x=\"{(a.X + b.X) / 2:0.##}\" y=\"{y0:0.##}\" fill=\"#ffffff\" stroke=\"none\" text-anchor=\"middle\">"));
        sb.Append(F($"<tspan x=\"{(a.X + b.X) / 2:0.##}\">IPD {m.InterPupillaryDistance.Millimetres:F1} mm; horizontal {m.HorizontalVergence.Millimetres:F2} mm ({m.HorizontalVergencePrism}); vertical {m.VerticalDifference.Millimetres:F2} mm ({m.VerticalDifferencePrism})</tspan>"));
        if (m.Hirschberg.IsAvailable)
        {
            sb.Append(F($"<tspan x=\"{(a.X + b.X) / 2:0.##}\" dy=\"-1.2em\">Hirschberg horizontal {m.Hirschberg.HorizontalPrism.Dioptres:F1} PD, vertical {m.Hirschberg.VerticalPrism.Dioptres:F1} PD</tspan>"));
        }

        foreach (DiagnosticFinding f in assessment.Findings)
        {
            sb.Append(F($"<tspan x=\"{(a.X + b.X) / 2:0.##}\" dy=\"-1.2em\" fill=\"#ff5050\">{Escape(f.Kind.ToString())} ({f.Eye}): {Escape(f.Measure.ToString())}</tspan>"));
        }

        sb.Append("</text>\n</g>\n</svg>\n");
        return sb.ToString();
    }

    // The point on the vertical through the iris centre at the lid point's height (MRD is measured vertically).
    private static Vector2 Foot(Vector2 centre, Vector2 lid, OcularMeasurements m)
    {
        double angle = -m.EyeLineRollDegrees * Math.PI / 180;
        var v = new Vector2((float)-Math.Sin(angle), (float)Math.Cos(angle)); // "down" across the eye line
        float d = Vector2.Dot(lid - centre, v);
        return centre + (v * d);
    }

    // MRD1 and MRD2 start where they were measured: the corneal reflex when the measurement used it.
    private static Vector2 MrdOrigin(EyeMeasurements e) =>
        e.MrdOrigin == MarginReflexOrigin.CornealReflex && e.Reflex.Position is { } reflex ? reflex : e.Points.IrisCentre;

    private static Vector2 Mid(EyeMeasurements e) => (e.Points.InnerCanthus + e.Points.OuterCanthus) / 2;

    private static void SvgLine(StringBuilder sb, Vector2 a, Vector2 b, string colour, string title) =>
        sb.Append(F($"<line x1=\"{a.X:0.##}\" y1=\"{a.Y:0.##}\" x2=\"{b.X:0.##}\" y2=\"{b.Y:0.##}\" stroke=\"{colour}\"><title>{Escape(title)}</title></line>\n"));

    // Anti-aliased thick segment: every pixel near the segment gets coverage from its distance to it.
    private static void Line(Image<Rgb24> img, Vector2 a, Vector2 b, Rgb24 colour, float width)
    {
        float r = width / 2;
        int x0 = (int)MathF.Floor(MathF.Min(a.X, b.X) - r - 1), x1 = (int)MathF.Ceiling(MathF.Max(a.X, b.X) + r + 1);
        int y0 = (int)MathF.Floor(MathF.Min(a.Y, b.Y) - r - 1), y1 = (int)MathF.Ceiling(MathF.Max(a.Y, b.Y) + r + 1);
        Vector2 ab = b - a;
        float len2 = ab.LengthSquared();
        for (int y = Math.Max(0, y0); y <= Math.Min(img.Height - 1, y1); y++)
        {
            for (int x = Math.Max(0, x0); x <= Math.Min(img.Width - 1, x1); x++)
            {
                var p = new Vector2(x + 0.5f, y + 0.5f);
                float t = len2 > 0 ? Math.Clamp(Vector2.Dot(p - a, ab) / len2, 0, 1) : 0;
                float d = Vector2.Distance(p, a + (ab * t));
                Blend(img, x, y, colour, Math.Clamp(r + 0.5f - d, 0, 1));
            }
        }
    }

    private static void Circle(Image<Rgb24> img, Vector2 c, float radius, Rgb24 colour, float width)
    {
        float r = width / 2;
        int x0 = (int)MathF.Floor(c.X - radius - r - 1), x1 = (int)MathF.Ceiling(c.X + radius + r + 1);
        int y0 = (int)MathF.Floor(c.Y - radius - r - 1), y1 = (int)MathF.Ceiling(c.Y + radius + r + 1);
        for (int y = Math.Max(0, y0); y <= Math.Min(img.Height - 1, y1); y++)
        {
            for (int x = Math.Max(0, x0); x <= Math.Min(img.Width - 1, x1); x++)
            {
                float d = MathF.Abs(Vector2.Distance(new Vector2(x + 0.5f, y + 0.5f), c) - radius);
                Blend(img, x, y, colour, Math.Clamp(r + 0.5f - d, 0, 1));
            }
        }
    }

    private static void Blend(Image<Rgb24> img, int x, int y, Rgb24 c, float alpha)
    {
        if (alpha <= 0)
        {
            return;
        }

        Rgb24 o = img[x, y];
        img[x, y] = new Rgb24(Mix(o.R, c.R, alpha), Mix(o.G, c.G, alpha), Mix(o.B, c.B, alpha));
    }

    private static byte Mix(byte a, byte b, float t) => (byte)Math.Clamp(MathF.Round(a + ((b - a) * t)), 0, 255);

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
