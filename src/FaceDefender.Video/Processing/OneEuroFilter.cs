namespace FaceDefender.Video.Processing;

/// <summary>
/// The One Euro filter (Casiez, Roussel and Vogel, CHI 2012) over a fixed number of channels: an exponential low-pass
/// filter whose cutoff frequency rises with the speed of the signal, so a still signal is smoothed strongly (jitter
/// removed) and a moving one follows with little lag.
/// </summary>
/// <remarks>
/// <para>For each channel and sample x with time step Te: the speed dx = (x - x̂prev) / Te is low-passed with the
/// derivative cutoff; the cutoff is fc = <see cref="MinCutoffHz"/> + <see cref="Beta"/> x |dx̂|; the output is
/// x̂ = x̂prev + α (x - x̂prev) with α = 1 / (1 + τ / Te), τ = 1 / (2π fc). The first sample after construction or
/// <see cref="Reset"/> passes through unchanged.</para>
/// <para>Units: <see cref="Beta"/> is per unit of speed (value units per second), so its meaning depends on the units of
/// the values. <see cref="VideoDeidentifier"/> feeds landmark positions in inter-pupillary distances (IPD) of the first
/// frame of a track, so the defaults below mean the same at every face size.</para>
/// <para>Defaults: <see cref="DefaultMinCutoffHz"/> 2.5 Hz (at 30 frames/s α = 0.34 at rest: frame-to-frame jitter of a
/// still face drops about 2.5-fold, and the lag of a slow drift is τ = 1 / (2π × 2.5 Hz) = 64 ms, under two frames), <see cref="DefaultBeta"/> 10 per IPD/s (a blink moves
/// the lid at roughly 2-4 IPD/s, which raises the cutoff to 20-40 Hz: α above 0.8, under one frame of lag, so blinks keep
/// their onset frame), <see cref="DefaultDerivativeCutoffHz"/> 1 Hz (the value of the original paper).</para>
/// <para>Not thread-safe: one instance filters one sequence.</para>
/// </remarks>
public sealed class OneEuroFilter
{
    /// <summary>Default minimum cutoff frequency, Hz.</summary>
    public const double DefaultMinCutoffHz = 2.5;

    /// <summary>Default speed coefficient, per unit of speed (in IPD per second for landmark positions).</summary>
    public const double DefaultBeta = 10;

    /// <summary>Default cutoff frequency of the speed estimate, Hz.</summary>
    public const double DefaultDerivativeCutoffHz = 1.0;

    private readonly double[] _value;
    private readonly double[] _speed;
    private bool _initialized;

    /// <summary>Creates a filter of <paramref name="channels"/> independent channels.</summary>
    /// <param name="channels">Number of values filtered per sample (at least 1).</param>
    /// <param name="minCutoffHz">Cutoff at rest, Hz (positive, finite).</param>
    /// <param name="beta">Speed coefficient (0 or more; 0 is a plain low-pass at <paramref name="minCutoffHz"/>).</param>
    /// <param name="derivativeCutoffHz">Cutoff of the speed estimate, Hz (positive, finite).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument outside its range.</exception>
    public OneEuroFilter(int channels, double minCutoffHz = DefaultMinCutoffHz, double beta = DefaultBeta, double derivativeCutoffHz = DefaultDerivativeCutoffHz)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        CheckParameters(minCutoffHz, beta, derivativeCutoffHz);
        Channels = channels;
        MinCutoffHz = minCutoffHz;
        Beta = beta;
        DerivativeCutoffHz = derivativeCutoffHz;
        _value = new double[channels];
        _speed = new double[channels];
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>Cutoff frequency at rest, Hz.</summary>
    public double MinCutoffHz { get; }

    /// <summary>Speed coefficient.</summary>
    public double Beta { get; }

    /// <summary>Cutoff frequency of the speed estimate, Hz.</summary>
    public double DerivativeCutoffHz { get; }

    /// <summary>True once a sample has been filtered since construction or <see cref="Reset"/>.</summary>
    public bool IsInitialized => _initialized;

    /// <summary>The smoothing factor α of an exponential low-pass at <paramref name="cutoffHz"/> for time step <paramref name="stepSeconds"/>.</summary>
    /// <param name="cutoffHz">Cutoff frequency, Hz (positive).</param>
    /// <param name="stepSeconds">Time between samples, seconds (positive).</param>
    public static double Alpha(double cutoffHz, double stepSeconds)
    {
        double tau = 1.0 / (2 * Math.PI * cutoffHz);
        return 1.0 / (1.0 + (tau / stepSeconds));
    }

    /// <summary>
    /// The steady lag of the filter behind a signal moving at a constant <paramref name="speed"/> (value units per second),
    /// in seconds: (1 - α) / α samples of <paramref name="stepSeconds"/>, α at the cutoff that speed gives. At speed 0 it is
    /// the lag at rest, the filter's latency for slow motion.
    /// </summary>
    /// <param name="speed">Speed of the signal (absolute value used).</param>
    /// <param name="stepSeconds">Time between samples, seconds (positive).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepSeconds"/> not positive and finite.</exception>
    public double LagSeconds(double speed, double stepSeconds)
    {
        if (!(stepSeconds > 0 && double.IsFinite(stepSeconds)))
        {
            throw new ArgumentOutOfRangeException(nameof(stepSeconds), stepSeconds, "The time step is a positive number of seconds.");
        }

        double alpha = Alpha(MinCutoffHz + (Beta * Math.Abs(speed)), stepSeconds);
        return (1 - alpha) / alpha * stepSeconds;
    }

    /// <summary>Filters one sample of every channel in place.</summary>
    /// <param name="values">Exactly <see cref="Channels"/> values; replaced by the filtered values.</param>
    /// <param name="stepSeconds">Time since the previous sample, seconds (positive, finite).</param>
    /// <exception cref="ArgumentException">Wrong number of values.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepSeconds"/> not positive and finite.</exception>
    public void Apply(Span<double> values, double stepSeconds)
    {
        if (values.Length != Channels)
        {
            throw new ArgumentException($"Expected {Channels} values, got {values.Length}.", nameof(values));
        }

        if (!(stepSeconds > 0 && double.IsFinite(stepSeconds)))
        {
            throw new ArgumentOutOfRangeException(nameof(stepSeconds), stepSeconds, "The time step is a positive number of seconds.");
        }

        if (!_initialized)
        {
            values.CopyTo(_value);
            Array.Clear(_speed);
            _initialized = true;
            return;
        }

        double speedAlpha = Alpha(DerivativeCutoffHz, stepSeconds);
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i];
            if (!double.IsFinite(x))
            {
                values[i] = _value[i];
                continue;
            }

            double speed = (x - _value[i]) / stepSeconds;
            _speed[i] += speedAlpha * (speed - _speed[i]);
            double alpha = Alpha(MinCutoffHz + (Beta * Math.Abs(_speed[i])), stepSeconds);
            _value[i] += alpha * (x - _value[i]);
            values[i] = _value[i];
        }
    }

    /// <summary>Forgets the past: the next sample passes through unchanged.</summary>
    public void Reset() => _initialized = false;

    internal static void CheckParameters(double minCutoffHz, double beta, double derivativeCutoffHz)
    {
        if (!(minCutoffHz > 0 && double.IsFinite(minCutoffHz)))
        {
            throw new ArgumentOutOfRangeException(nameof(minCutoffHz), minCutoffHz, "The minimum cutoff is a positive, finite frequency in Hz.");
        }

        if (!(beta >= 0 && double.IsFinite(beta)))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Beta is 0 or a positive, finite number.");
        }

        if (!(derivativeCutoffHz > 0 && double.IsFinite(derivativeCutoffHz)))
        {
            throw new ArgumentOutOfRangeException(nameof(derivativeCutoffHz), derivativeCutoffHz, "The derivative cutoff is a positive, finite frequency in Hz.");
        }
    }
}
