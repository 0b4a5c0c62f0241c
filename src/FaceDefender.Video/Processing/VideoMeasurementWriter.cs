using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FaceDefender.Video.Processing;

/// <summary>
/// Writes a <see cref="VideoDeidentificationReport"/>'s measurements: per-frame CSV, the whole report as JSON, and an SVG
/// plot of MRD1 of both eyes over time with the blinks as bands and the Hirschberg deviation below. Numbers use the
/// invariant culture; a value not measured is an empty CSV cell, a JSON null, a gap in the plot.
/// </summary>
public static class VideoMeasurementWriter
{
    private static readonly string[] Columns =
    [
        "frame", "time_s", "measured",
        "right_mrd1_mm", "right_mrd2_mm", "right_fissure_mm", "right_reflex", "right_occluded",
        "left_mrd1_mm", "left_mrd2_mm", "left_fissure_mm", "left_reflex", "left_occluded",
        "gaze_right_deg", "gaze_up_deg", "hirschberg_h_pd", "hirschberg_v_pd", "blink", "flags",
    ];

    /// <summary>Writes one CSV row per frame (header first).</summary>
    /// <param name="report">The report; it must hold measurements.</param>
    /// <param name="writer">The destination; not closed.</param>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    /// <exception cref="ArgumentException">The report has no measurements (they were switched off).</exception>
    public static void WriteCsv(VideoDeidentificationReport report, TextWriter writer)
    {
        IReadOnlyList<FrameMeasurement> frames = Frames(report);
        ArgumentNullException.ThrowIfNull(writer);
        bool[] blink = BlinkFrames(report);
        writer.WriteLine(string.Join(',', Columns));
        var row = new StringBuilder();
        foreach (FrameMeasurement f in frames)
        {
            row.Clear();
            row.Append(f.Frame.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Number(f.TimeSeconds)).Append(',').Append(f.Measured ? "1" : "0");
            foreach (EyeFrameMeasurement e in new[] { f.Right, f.Left })
            {
                row.Append(',').Append(Number(e.Mrd1Mm)).Append(',').Append(Number(e.Mrd2Mm)).Append(',').Append(Number(e.FissureHeightMm))
                    .Append(',').Append(e.ReflexStatus).Append(',').Append(e.Occluded ? "1" : "0");
            }

            row.Append(',').Append(Number(f.GazeRightDegrees)).Append(',').Append(Number(f.GazeUpDegrees))
                .Append(',').Append(Number(f.HirschbergHorizontalPrism)).Append(',').Append(Number(f.HirschbergVerticalPrism))
                .Append(',').Append(blink[f.Frame] ? "1" : "0").Append(',').Append(string.Join(';', f.Flags));
            writer.WriteLine(row.ToString());
        }
    }

    /// <summary>Writes the report as JSON: frame count, rate, avatar id, failed frames, blinks, summary and per-frame measurements.</summary>
    /// <param name="report">The report.</param>
    /// <param name="stream">The destination; not closed.</param>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    public static void WriteJson(VideoDeidentificationReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("frameCount", report.FrameCount);
        w.WriteString("frameRate", report.FrameRate.ToString());
        w.WriteNumber("outputSize", report.OutputSize);
        w.WriteString("avatar", report.Avatar.Id);
        w.WriteString("skinTone", report.SkinTone.ToString());
        if (report.FirstUsableFrame is int first)
        {
            w.WriteNumber("firstUsableFrame", first);
        }
        else
        {
            w.WriteNull("firstUsableFrame");
        }

        w.WriteNumber("fullDetections", report.FullDetections);
        w.WriteNumber("trackedFrames", report.TrackedFrames);
        w.WriteNumber("trackingLosses", report.TrackingLosses);
        Num(w, "smoothingLatencyMs", report.SmoothingLatencyMs);
        w.WriteStartArray("failedFrames");
        foreach (FrameFailure f in report.FailedFrames)
        {
            w.WriteStartObject();
            w.WriteNumber("frame", f.Frame);
            w.WriteString("reason", f.Reason.ToString());
            w.WriteString("message", f.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("blinks");
        foreach (BlinkEvent b in report.Blinks)
        {
            w.WriteStartObject();
            w.WriteNumber("startFrame", b.StartFrame);
            w.WriteNumber("endFrame", b.EndFrame);
            Num(w, "durationMs", b.DurationMs);
            Num(w, "minimumFissureMm", b.MinimumFissureMm);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (report.Summary is { } s)
        {
            w.WriteStartObject("summary");
            Num(w, "durationSeconds", s.DurationSeconds);
            w.WriteNumber("measuredFrames", s.MeasuredFrames);
            w.WriteNumber("blinkCount", s.BlinkCount);
            Num(w, "blinksPerMinute", s.BlinksPerMinute);
            foreach ((string name, Mrd1Statistics m) in new[] { ("rightMrd1Mm", s.RightMrd1), ("leftMrd1Mm", s.LeftMrd1) })
            {
                w.WriteStartObject(name);
                Num(w, "min", m.Minimum);
                Num(w, "median", m.Median);
                Num(w, "max", m.Maximum);
                w.WriteEndObject();
            }

            w.WriteStartArray("covers");
            foreach (CoverEvent c in s.Covers)
            {
                w.WriteStartObject();
                w.WriteString("eye", c.Eye.ToString());
                w.WriteNumber("coverStartFrame", c.CoverStartFrame);
                w.WriteNumber("uncoverFrame", c.UncoverFrame);
                Num(w, "uncoverDeviationPd", c.UncoverDeviationPrism);
                Num(w, "settledDeviationPd", c.SettledDeviationPrism);
                Num(w, "refixationPd", c.RefixationPrism);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (report.Measurements is { } frames)
        {
            w.WriteStartArray("frames");
            foreach (FrameMeasurement f in frames)
            {
                w.WriteStartObject();
                w.WriteNumber("frame", f.Frame);
                Num(w, "timeS", f.TimeSeconds);
                w.WriteBoolean("measured", f.Measured);
                foreach ((string name, EyeFrameMeasurement e) in new[] { ("right", f.Right), ("left", f.Left) })
                {
                    w.WriteStartObject(name);
                    Num(w, "mrd1Mm", e.Mrd1Mm);
                    Num(w, "mrd2Mm", e.Mrd2Mm);
                    Num(w, "fissureMm", e.FissureHeightMm);
                    w.WriteString("reflex", e.ReflexStatus.ToString());
                    w.WriteBoolean("occluded", e.Occluded);
                    w.WriteEndObject();
                }

                Num(w, "gazeRightDeg", f.GazeRightDegrees);
                Num(w, "gazeUpDeg", f.GazeUpDegrees);
                Num(w, "hirschbergHPd", f.HirschbergHorizontalPrism);
                Num(w, "hirschbergVPd", f.HirschbergVerticalPrism);
                w.WriteStartArray("flags");
                foreach (var flag in f.Flags)
                {
                    w.WriteStringValue(flag.ToString());
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// Writes an SVG plot (drawn here, no library): MRD1 of the right (blue) and left (orange) eye in mm against time, blinks
    /// as grey bands, failed frames as red ticks, and below it the Hirschberg horizontal deviation in prism dioptres.
    /// </summary>
    /// <param name="report">The report; it must hold measurements.</param>
    /// <param name="writer">The destination; not closed.</param>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    /// <exception cref="ArgumentException">The report has no measurements.</exception>
    public static void WriteSvg(VideoDeidentificationReport report, TextWriter writer)
    {
        IReadOnlyList<FrameMeasurement> frames = Frames(report);
        ArgumentNullException.ThrowIfNull(writer);
        const double width = 900, left = 60, right = 20, plotW = width - left - right;
        const double top1 = 30, h1 = 220, top2 = top1 + h1 + 50, h2 = 140, height = top2 + h2 + 40;
        double duration = Math.Max(frames.Count * (1.0 / report.FrameRate.PerSecond), 1e-3);
        double X(double t) => left + (t / duration * plotW);
        (double lo1, double hi1) = Range(frames.SelectMany(f => new[] { f.Right.Mrd1Mm, f.Left.Mrd1Mm }), -1, 6);
        (double lo2, double hi2) = Range(frames.Select(f => f.HirschbergHorizontalPrism), -10, 10);
        double Y1(double v) => top1 + h1 - ((v - lo1) / (hi1 - lo1) * h1);
        double Y2(double v) => top2 + h2 - ((v - lo2) / (hi2 - lo2) * h2);
        double step = 1.0 / report.FrameRate.PerSecond;

        var s = new StringBuilder();
        s.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        s.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        foreach (BlinkEvent b in report.Blinks)
        {
            double x0 = X(b.StartFrame * step), x1 = X((b.EndFrame + 1) * step);
            s.Append(Inv($"<rect x=\"{x0:F1}\" y=\"{top1}\" width=\"{Math.Max(x1 - x0, 1):F1}\" height=\"{h1}\" fill=\"#d8d8d8\"><title>blink {b.StartFrame}-{b.EndFrame}, {b.DurationMs:F0} ms</title></rect>\n"));
        }

        foreach (FrameFailure f in report.FailedFrames)
        {
            double x = X((f.Frame + 0.5) * step);
            s.Append(Inv($"<line x1=\"{x:F1}\" y1=\"{top1 + h1}\" x2=\"{x:F1}\" y2=\"{top1 + h1 - 8}\" stroke=\"#d00\"><title>frame {f.Frame}: {Escape(f.Reason.ToString())}</title></line>\n"));
        }

        Axes(s, top1, h1, left, plotW, lo1, hi1, Y1, "MRD1 (mm)");
        Axes(s, top2, h2, left, plotW, lo2, hi2, Y2, "Hirschberg horizontal (PD, + eso)");
        Polyline(s, frames, f => f.Right.Occluded ? double.NaN : f.Right.Mrd1Mm, step, X, Y1, "#1f77b4");
        Polyline(s, frames, f => f.Left.Occluded ? double.NaN : f.Left.Mrd1Mm, step, X, Y1, "#ff7f0e");
        Polyline(s, frames, f => f.HirschbergHorizontalPrism, step, X, Y2, "#2ca02c");
        s.Append(Inv($"<text x=\"{left + 10}\" y=\"{top1 - 10}\" fill=\"#1f77b4\">right eye</text><text x=\"{left + 90}\" y=\"{top1 - 10}\" fill=\"#ff7f0e\">left eye</text><text x=\"{left + 160}\" y=\"{top1 - 10}\" fill=\"#777\">grey: blinks, red ticks: frames written as the avatar alone</text>\n"));
        for (int k = 0; k <= 5; k++)
        {
            double t = duration * k / 5;
            s.Append(Inv($"<text x=\"{X(t):F1}\" y=\"{top2 + h2 + 18}\" text-anchor=\"middle\">{t:0.##} s</text>\n"));
        }

        s.Append("</svg>\n");
        writer.Write(s.ToString());
    }

    private static IReadOnlyList<FrameMeasurement> Frames(VideoDeidentificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Measurements ?? throw new ArgumentException("The report holds no measurements (they were switched off in the options).", nameof(report));
    }

    private static bool[] BlinkFrames(VideoDeidentificationReport report)
    {
        var blink = new bool[report.Measurements!.Count];
        foreach (BlinkEvent b in report.Blinks)
        {
            for (int i = b.StartFrame; i <= b.EndFrame && i < blink.Length; i++)
            {
                blink[i] = true;
            }
        }

        return blink;
    }

    private static void Axes(StringBuilder s, double top, double h, double left, double w, double lo, double hi, Func<double, double> y, string label)
    {
        s.Append(Inv($"<rect x=\"{left}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#444\"/>\n"));
        double tick = NiceStep((hi - lo) / 5);
        for (double v = Math.Ceiling(lo / tick) * tick; v <= hi + 1e-9; v += tick)
        {
            s.Append(Inv($"<line x1=\"{left}\" y1=\"{y(v):F1}\" x2=\"{left + w}\" y2=\"{y(v):F1}\" stroke=\"#eee\"/><text x=\"{left - 6}\" y=\"{y(v) + 4:F1}\" text-anchor=\"end\">{v:0.##}</text>\n"));
        }

        s.Append(Inv($"<text x=\"{left}\" y=\"{top + h + 32}\" fill=\"#444\">{Escape(label)}</text>\n"));
    }

    private static void Polyline(StringBuilder s, IReadOnlyList<FrameMeasurement> frames, Func<FrameMeasurement, double> value, double step, Func<double, double> x, Func<double, double> y, string colour)
    {
        var points = new StringBuilder();
        void Flush()
        {
            if (points.Length > 0)
            {
                s.Append(Inv($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{points}\"/>\n"));
                points.Clear();
            }
        }

        foreach (FrameMeasurement f in frames)
        {
            double v = f.Measured ? value(f) : double.NaN;
            if (!double.IsFinite(v))
            {
                Flush();
                continue;
            }

            points.Append(Inv($"{x((f.Frame + 0.5) * step):F1},{y(v):F1} "));
        }

        Flush();
    }

    private static (double Lo, double Hi) Range(IEnumerable<double> values, double lo, double hi)
    {
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        }

        double tick = NiceStep((hi - lo) / 5);
        return (Math.Floor(lo / tick) * tick, Math.Ceiling(hi / tick) * tick);
    }

    private static double NiceStep(double raw)
    {
        double p = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(raw, 1e-9))));
        double m = raw / p;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    }

    private static string Number(double v) => double.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : string.Empty;

    private static void Num(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
