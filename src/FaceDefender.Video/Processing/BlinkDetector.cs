using FaceDefender.Abstractions;

namespace FaceDefender.Video.Processing;

/// <summary>
/// Finds blinks in a series of palpebral fissure heights, one value a frame.
/// </summary>
/// <remarks>
/// <para>The rule: the baseline of frame i is the median of the finite fissure heights within
/// <see cref="BaselineWindowSeconds"/> (2 s) before and after it (a blink lasts 0.1-0.4 s, far less than half the 4-s window,
/// so the median is an open-eye value, and it follows slow changes of the lid position). Frame i belongs to a blink when
/// its fissure height is below threshold x baseline (default 0.5: the lids have closed at least half-way). A blink is a
/// maximal run of such frames; a frame without a value (no usable face) ends a run. Its duration is the run's frame count
/// over the frame rate.</para>
/// <para><see cref="VideoDeidentifier"/> feeds the mean fissure height of the eyes measured and not covered in each
/// frame (NaN for a failed frame).</para>
/// </remarks>
public static class BlinkDetector
{
    /// <summary>Default threshold: a blink frame's fissure is below half the baseline.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Half-width of the baseline's median window, seconds.</summary>
    public const double BaselineWindowSeconds = 2.0;

    /// <summary>Finds the blinks in <paramref name="fissureMm"/>.</summary>
    /// <param name="fissureMm">Fissure height per frame in mm (NaN where not measured).</param>
    /// <param name="framesPerSecond">The frame rate (positive).</param>
    /// <param name="threshold">Fraction of the baseline below which a frame is a blink frame, in (0, 1).</param>
    /// <returns>The blinks, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fissureMm"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A frame rate or threshold out of range.</exception>
    public static IReadOnlyList<BlinkEvent> Detect(IReadOnlyList<double> fissureMm, double framesPerSecond, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(fissureMm);
        if (!(framesPerSecond > 0 && double.IsFinite(framesPerSecond)))
        {
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, "The frame rate is a positive number.");
        }

        if (!(threshold > 0 && threshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold is a fraction in (0, 1).");
        }

        double[] baseline = Baseline(fissureMm, framesPerSecond);
        var blinks = new List<BlinkEvent>();
        int start = -1;
        double minimum = double.PositiveInfinity;
        for (int i = 0; i <= fissureMm.Count; i++)
        {
            bool closed = i < fissureMm.Count && double.IsFinite(fissureMm[i]) && double.IsFinite(baseline[i]) && fissureMm[i] < threshold * baseline[i];
            if (closed)
            {
                if (start < 0)
                {
                    start = i;
                    minimum = double.PositiveInfinity;
                }

                minimum = Math.Min(minimum, fissureMm[i]);
            }
            else if (start >= 0)
            {
                blinks.Add(new BlinkEvent(start, i - 1, (i - start) * 1000.0 / framesPerSecond, minimum));
                start = -1;
            }
        }

        return blinks;
    }

    /// <summary>The baseline of each frame: the median of the finite values within the window (NaN when there are none).</summary>
    internal static double[] Baseline(IReadOnlyList<double> values, double framesPerSecond)
    {
        int half = Math.Max(1, (int)Math.Round(BaselineWindowSeconds * framesPerSecond));
        var result = new double[values.Count];
        var window = new List<double>(2 * half + 1);
        for (int i = 0; i < values.Count; i++)
        {
            window.Clear();
            for (int j = Math.Max(0, i - half); j <= Math.Min(values.Count - 1, i + half); j++)
            {
                if (double.IsFinite(values[j]))
                {
                    window.Add(values[j]);
                }
            }

            result[i] = Median(window);
        }

        return result;
    }

    internal static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    /// <summary>The per-frame fissure series the blinks are read from: the mean of the measured, uncovered eyes.</summary>
    internal static double[] FissureSeries(IReadOnlyList<FrameMeasurement> frames)
    {
        var series = new double[frames.Count];
        for (int i = 0; i < frames.Count; i++)
        {
            FrameMeasurement f = frames[i];
            double sum = 0;
            int n = 0;
            foreach (EyeFrameMeasurement e in new[] { f.Right, f.Left })
            {
                if (f.Measured && !e.Occluded && double.IsFinite(e.FissureHeightMm))
                {
                    sum += e.FissureHeightMm;
                    n++;
                }
            }

            series[i] = n == 0 ? double.NaN : sum / n;
        }

        return series;
    }

    /// <summary>The summary: blink rate, MRD1 statistics outside blinks and covers, cover events.</summary>
    internal static MeasurementSummary Summarize(IReadOnlyList<FrameMeasurement> frames, IReadOnlyList<BlinkEvent> blinks, double framesPerSecond)
    {
        double duration = frames.Count / framesPerSecond;
        var inBlink = new bool[frames.Count];
        foreach (BlinkEvent b in blinks)
        {
            for (int i = b.StartFrame; i <= b.EndFrame; i++)
            {
                inBlink[i] = true;
            }
        }

        Mrd1Statistics Stats(Func<FrameMeasurement, EyeFrameMeasurement> eye)
        {
            var values = new List<double>();
            for (int i = 0; i < frames.Count; i++)
            {
                EyeFrameMeasurement e = eye(frames[i]);
                if (frames[i].Measured && !inBlink[i] && !e.Occluded && double.IsFinite(e.Mrd1Mm))
                {
                    values.Add(e.Mrd1Mm);
                }
            }

            return values.Count == 0 ? new Mrd1Statistics(double.NaN, double.NaN, double.NaN) : new Mrd1Statistics(values.Min(), Median(values), values.Max());
        }

        var covers = new List<CoverEvent>();
        foreach ((EyeSide side, Func<FrameMeasurement, EyeFrameMeasurement> eye) in new (EyeSide, Func<FrameMeasurement, EyeFrameMeasurement>)[] { (EyeSide.Right, f => f.Right), (EyeSide.Left, f => f.Left) })
        {
            int start = -1;
            for (int i = 0; i < frames.Count; i++)
            {
                if (!frames[i].Measured)
                {
                    continue;
                }

                EyeFrameMeasurement e = eye(frames[i]);
                if (e.Occluded && start < 0)
                {
                    start = i;
                }
                else if (start >= 0 && !e.Occluded && e.ReflexStatus == Landmarks.CornealReflexStatus.Found)
                {
                    double uncover = MedianH(frames, i, i + 3);
                    double settled = MedianH(frames, i + 10, i + 20);
                    covers.Add(new CoverEvent(side, start, i, uncover, settled, uncover - settled));
                    start = -1;
                }
            }
        }

        covers.Sort((a, b) => a.UncoverFrame.CompareTo(b.UncoverFrame));
        int measured = frames.Count(f => f.Measured);
        return new MeasurementSummary(duration, measured, blinks.Count, duration > 0 ? blinks.Count / duration * 60 : double.NaN, Stats(f => f.Right), Stats(f => f.Left), covers);
    }

    private static double MedianH(IReadOnlyList<FrameMeasurement> frames, int from, int to)
    {
        var values = new List<double>();
        for (int i = Math.Max(0, from); i < Math.Min(frames.Count, to); i++)
        {
            if (frames[i].Measured && double.IsFinite(frames[i].HirschbergHorizontalPrism))
            {
                values.Add(frames[i].HirschbergHorizontalPrism);
            }
        }

        return Median(values);
    }
}
