using FaceDefender.Abstractions;
using FaceDefender.Pipeline;

namespace FaceDefender.Video.Processing;

/// <summary>Options of <see cref="VideoDeidentifier"/>. Immutable; validated on construction.</summary>
public sealed class VideoDeidentificationOptions
{
    /// <summary>The defaults.</summary>
    public static VideoDeidentificationOptions Default { get; } = new();

    /// <summary>Creates options; every argument is optional.</summary>
    /// <param name="deidentification">The still pipeline's options the video shares: fusion preset (every preset, geometry-only
    /// included), pose limits, default avatar sex and age. Default <see cref="DeidentificationOptions.Default"/>. Its eye-opening
    /// checks are not applied to video: a closed eye (a blink) is clinical content, not a failure.</param>
    /// <param name="patient">What the record says about the patient (sex, age, skin tone, pseudonym) for the one avatar of the
    /// video; null for none. Without a skin tone it is read from the first usable frame.</param>
    /// <param name="outputSize">Side of the square output frames: 1024 (the avatar canvas, default) or a smaller divisor of
    /// it (512, 256 or 128), reached by averaging whole blocks of pixels (2x2, 4x4, 8x8).</param>
    /// <param name="detectionInterval">Full face detection at least every this many frames (default 15, half a second at
    /// 30 frames/s); between them the landmarks are tracked from the previous frame. A lost face is detected again at once.
    /// 1 detects every frame.</param>
    /// <param name="smoothing">Whether landmarks are smoothed over time (default true).</param>
    /// <param name="minCutoffHz">One Euro minimum cutoff (see <see cref="OneEuroFilter"/>).</param>
    /// <param name="beta">One Euro speed coefficient, per IPD/s.</param>
    /// <param name="derivativeCutoffHz">One Euro derivative cutoff.</param>
    /// <param name="measurements">Whether eye measurements are taken on every frame (default true).</param>
    /// <param name="blinkThreshold">A frame is part of a blink when the fissure height is below this fraction of the
    /// baseline (default 0.5; see <see cref="BlinkDetector"/>).</param>
    /// <param name="channelCapacity">Frames held between two stages (read, landmarks, fusion, write); default 4. Memory is
    /// bounded by about 3 x capacity frames.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public VideoDeidentificationOptions(
        DeidentificationOptions? deidentification = null,
        PatientInfo? patient = null,
        int outputSize = Avatar.CanvasSize,
        int detectionInterval = 15,
        bool smoothing = true,
        double minCutoffHz = OneEuroFilter.DefaultMinCutoffHz,
        double beta = OneEuroFilter.DefaultBeta,
        double derivativeCutoffHz = OneEuroFilter.DefaultDerivativeCutoffHz,
        bool measurements = true,
        double blinkThreshold = BlinkDetector.DefaultThreshold,
        int channelCapacity = 4)
    {
        if (outputSize is not (1024 or 512 or 256 or 128))
        {
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "The output side is 1024 (the avatar canvas) or 512, 256 or 128.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(detectionInterval, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(detectionInterval, 1000);
        OneEuroFilter.CheckParameters(minCutoffHz, beta, derivativeCutoffHz);
        if (!(blinkThreshold > 0 && blinkThreshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(blinkThreshold), blinkThreshold, "The blink threshold is a fraction of the baseline fissure height in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(channelCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channelCapacity, 64);
        Deidentification = deidentification ?? DeidentificationOptions.Default;
        Patient = patient ?? new PatientInfo();
        OutputSize = outputSize;
        DetectionInterval = detectionInterval;
        Smoothing = smoothing;
        MinCutoffHz = minCutoffHz;
        Beta = beta;
        DerivativeCutoffHz = derivativeCutoffHz;
        Measurements = measurements;
        BlinkThreshold = blinkThreshold;
        ChannelCapacity = channelCapacity;
    }

    /// <summary>The still pipeline's options (fusion, pose limits, avatar defaults).</summary>
    public DeidentificationOptions Deidentification { get; }

    /// <summary>What the record says about the patient.</summary>
    public PatientInfo Patient { get; }

    /// <summary>Side of the square output frames.</summary>
    public int OutputSize { get; }

    /// <summary>Full detection at least every this many frames.</summary>
    public int DetectionInterval { get; }

    /// <summary>Whether landmarks are smoothed over time.</summary>
    public bool Smoothing { get; }

    /// <summary>One Euro minimum cutoff, Hz.</summary>
    public double MinCutoffHz { get; }

    /// <summary>One Euro speed coefficient, per IPD/s.</summary>
    public double Beta { get; }

    /// <summary>One Euro derivative cutoff, Hz.</summary>
    public double DerivativeCutoffHz { get; }

    /// <summary>Whether eye measurements are taken on every frame.</summary>
    public bool Measurements { get; }

    /// <summary>Blink threshold as a fraction of the baseline fissure height.</summary>
    public double BlinkThreshold { get; }

    /// <summary>Frames held between two stages.</summary>
    public int ChannelCapacity { get; }
}
