using FaceDefender.Abstractions;
using FaceDefender.Pipeline;

namespace FaceDefender.Video.Processing;

/// <summary>Options of <see cref="VideoDeidentifier"/>. Immutable; each value is checked when it is set.</summary>
public sealed record VideoDeidentificationOptions
{
    /// <summary>The defaults.</summary>
    public static VideoDeidentificationOptions Default { get; } = new();

    /// <summary>The still pipeline's options the video shares: fusion preset (every preset, geometry-only included), pose
    /// limits, default avatar sex and age. Default <see cref="DeidentificationOptions.Default"/>. Its eye-opening checks are
    /// not applied to video: a closed eye (a blink) is clinical content, not a failure.</summary>
    public DeidentificationOptions Deidentification
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Deidentification));
    } = DeidentificationOptions.Default;

    /// <summary>What the record says about the patient (sex, age, skin tone, pseudonym) for the one avatar of the video;
    /// default none. Without a skin tone it is read from the first usable frame.</summary>
    public PatientInfo Patient
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Patient));
    } = new();

    /// <summary>Side of the square output frames: 1024 (the avatar canvas, default) or a smaller divisor of it (512, 256 or
    /// 128), reached by averaging whole blocks of pixels (2x2, 4x4, 8x8).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Another size.</exception>
    public int OutputSize
    {
        get;
        init => field = value is 1024 or 512 or 256 or 128
            ? value
            : throw new ArgumentOutOfRangeException(nameof(OutputSize), value, "The output side is 1024 (the avatar canvas) or 512, 256 or 128.");
    } = Avatar.CanvasSize;

    /// <summary>Full face detection at least every this many frames, 1 to 1000 (default 15, half a second at 30 frames/s);
    /// between them the landmarks are tracked from the previous frame. A lost face is detected again at once. 1 detects
    /// every frame.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1 to 1000.</exception>
    public int DetectionInterval
    {
        get;
        init => field = value is >= 1 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(DetectionInterval), value, "Must be between 1 and 1000 frames.");
    } = 15;

    /// <summary>Whether landmarks are smoothed over time (default true).</summary>
    public bool Smoothing { get; init; } = true;

    /// <summary>One Euro minimum cutoff, Hz, positive (see <see cref="OneEuroFilter"/>); default
    /// <see cref="OneEuroFilter.DefaultMinCutoffHz"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive and finite.</exception>
    public double MinCutoffHz
    {
        get;
        init => field = value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinCutoffHz), value, "The minimum cutoff is a positive, finite frequency in Hz.");
    } = OneEuroFilter.DefaultMinCutoffHz;

    /// <summary>One Euro speed coefficient, per IPD/s, 0 or positive; default <see cref="OneEuroFilter.DefaultBeta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or not finite.</exception>
    public double Beta
    {
        get;
        init => field = value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Beta), value, "Beta is 0 or a positive, finite number.");
    } = OneEuroFilter.DefaultBeta;

    /// <summary>One Euro derivative cutoff, Hz, positive; default <see cref="OneEuroFilter.DefaultDerivativeCutoffHz"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive and finite.</exception>
    public double DerivativeCutoffHz
    {
        get;
        init => field = value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(DerivativeCutoffHz), value, "The derivative cutoff is a positive, finite frequency in Hz.");
    } = OneEuroFilter.DefaultDerivativeCutoffHz;

    /// <summary>Whether eye measurements are taken on every frame (default true).</summary>
    public bool Measurements { get; init; } = true;

    /// <summary>A frame is part of a blink when the fissure height is below this fraction of the baseline, in (0, 1)
    /// (default 0.5; see <see cref="BlinkDetector"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 1).</exception>
    public double BlinkThreshold
    {
        get;
        init => field = value > 0 && value < 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BlinkThreshold), value, "The blink threshold is a fraction of the baseline fissure height in (0, 1).");
    } = BlinkDetector.DefaultThreshold;

    /// <summary>Frames held between two stages (read, landmarks, fusion, write), 1 to 64; default 4. Memory is bounded by
    /// about 3 x capacity frames.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1 to 64.</exception>
    public int ChannelCapacity
    {
        get;
        init => field = value is >= 1 and <= 64 ? value : throw new ArgumentOutOfRangeException(nameof(ChannelCapacity), value, "Must be between 1 and 64.");
    } = 4;
}
