using FaceDefender.Abstractions;
using FaceDefender.Landmarks;

namespace FaceDefender.Video.Processing;

/// <summary>Why a frame was written as the avatar alone.</summary>
public enum FrameFailureReason
{
    /// <summary>No face in the frame.</summary>
    NoFace,

    /// <summary>More than one face: the frame cannot say which is the patient.</summary>
    SeveralFaces,

    /// <summary>The face is smaller than the detector's minimum.</summary>
    FaceTooSmall,

    /// <summary>The face or its landmarks were not found with enough confidence.</summary>
    LowConfidence,

    /// <summary>The head pose is beyond the limits of <see cref="Pipeline.DeidentificationOptions"/>.</summary>
    PoseOutOfRange,
}

/// <summary>A frame written as the avatar alone (no patient pixel), and why.</summary>
/// <param name="Frame">Frame index, from 0.</param>
/// <param name="Reason">The reason.</param>
/// <param name="Message">A readable explanation.</param>
public sealed record FrameFailure(int Frame, FrameFailureReason Reason, string Message);

/// <summary>Progress of a video, in frames.</summary>
/// <param name="FramesWritten">Frames handed to the sink so far.</param>
/// <param name="TotalFrames">The number of frames the source states, or null.</param>
public readonly record struct VideoProgress(int FramesWritten, long? TotalFrames);

/// <summary>One eye's measurements in one frame; NaN where not measured.</summary>
/// <param name="Mrd1Mm">MRD1, mm.</param>
/// <param name="Mrd2Mm">MRD2, mm.</param>
/// <param name="FissureHeightMm">Palpebral fissure height, mm.</param>
/// <param name="ReflexStatus">The corneal-reflex search outcome.</param>
/// <param name="Occluded">The eye is covered (see <see cref="VideoDeidentifier"/>: no visible open eye there while the other eye's corneal reflex is found).</param>
public sealed record EyeFrameMeasurement(double Mrd1Mm, double Mrd2Mm, double FissureHeightMm, CornealReflexStatus ReflexStatus, bool Occluded)
{
    /// <summary>An eye not measured.</summary>
    public static EyeFrameMeasurement None { get; } = new(double.NaN, double.NaN, double.NaN, CornealReflexStatus.NotSearched, false);
}

/// <summary>The measurements of one frame.</summary>
/// <param name="Frame">Frame index, from 0.</param>
/// <param name="TimeSeconds">Frame time: index / frame rate.</param>
/// <param name="Measured">False for a failed frame (every value NaN).</param>
/// <param name="Right">The subject's right eye.</param>
/// <param name="Left">The subject's left eye.</param>
/// <param name="GazeRightDegrees">Shared gaze towards the image's right from the reflexes, degrees (NaN without both reflexes).</param>
/// <param name="GazeUpDegrees">Shared gaze upwards, degrees (NaN without both reflexes).</param>
/// <param name="HirschbergHorizontalPrism">Horizontal deviation, prism dioptres (positive eso; NaN without both reflexes).</param>
/// <param name="HirschbergVerticalPrism">Vertical deviation, prism dioptres (positive: right eye higher).</param>
/// <param name="Flags">The capture-quality issues raised on this frame.</param>
public sealed record FrameMeasurement(
    int Frame,
    double TimeSeconds,
    bool Measured,
    EyeFrameMeasurement Right,
    EyeFrameMeasurement Left,
    double GazeRightDegrees,
    double GazeUpDegrees,
    double HirschbergHorizontalPrism,
    double HirschbergVerticalPrism,
    IReadOnlyList<CaptureQualityIssue> Flags);

/// <summary>One blink: consecutive frames whose fissure height is below the blink threshold.</summary>
/// <param name="StartFrame">First frame of the blink.</param>
/// <param name="EndFrame">Last frame of the blink (inclusive).</param>
/// <param name="DurationMs">(End - start + 1) frames in milliseconds.</param>
/// <param name="MinimumFissureMm">The smallest fissure height in the blink, mm.</param>
public sealed record BlinkEvent(int StartFrame, int EndFrame, double DurationMs, double MinimumFissureMm);

/// <summary>One eye covered and then uncovered, and the deviation the uncovered eye shows.</summary>
/// <param name="Eye">The covered eye.</param>
/// <param name="CoverStartFrame">First occluded frame.</param>
/// <param name="UncoverFrame">First frame after the cover in which the eye is seen again with its corneal reflex (frames in
/// between that show neither a cover nor the reflex do not end the cover).</param>
/// <param name="UncoverDeviationPrism">Median Hirschberg horizontal deviation over the first 3 measured frames from
/// <paramref name="UncoverFrame"/>, prism dioptres.</param>
/// <param name="SettledDeviationPrism">Median over the measured frames 10 to 19 after <paramref name="UncoverFrame"/>, prism dioptres.</param>
/// <param name="RefixationPrism">Uncover minus settled: the movement with which the eye takes up fixation again (NaN when not measured).</param>
public sealed record CoverEvent(EyeSide Eye, int CoverStartFrame, int UncoverFrame, double UncoverDeviationPrism, double SettledDeviationPrism, double RefixationPrism);

/// <summary>Per-eye statistics of MRD1 over the frames with that eye open and uncovered, mm (NaN when none).</summary>
/// <param name="Minimum">Smallest.</param>
/// <param name="Median">Median.</param>
/// <param name="Maximum">Largest.</param>
public readonly record struct Mrd1Statistics(double Minimum, double Median, double Maximum);

/// <summary>The summary of a video's measurements.</summary>
/// <param name="DurationSeconds">Frame count / frame rate.</param>
/// <param name="MeasuredFrames">Frames with a usable face.</param>
/// <param name="BlinkCount">Blinks found.</param>
/// <param name="BlinksPerMinute">Blinks per minute of video.</param>
/// <param name="RightMrd1">MRD1 of the right eye outside blinks and covers.</param>
/// <param name="LeftMrd1">MRD1 of the left eye outside blinks and covers.</param>
/// <param name="Covers">Each cover and uncover of one eye.</param>
public sealed record MeasurementSummary(
    double DurationSeconds,
    int MeasuredFrames,
    int BlinkCount,
    double BlinksPerMinute,
    Mrd1Statistics RightMrd1,
    Mrd1Statistics LeftMrd1,
    IReadOnlyList<CoverEvent> Covers);

/// <summary>What <see cref="VideoDeidentifier.DeidentifyAsync"/> did.</summary>
public sealed class VideoDeidentificationReport
{
    internal VideoDeidentificationReport(
        int frameCount, FrameRate frameRate, int outputSize, AvatarMetadata avatar, SkinTone skinTone, bool skinToneFromVideo, int? firstUsableFrame,
        IReadOnlyList<FrameFailure> failures, int fullDetections, int trackedFrames, int trackingLosses, double smoothingLatencyMs,
        IReadOnlyList<FrameMeasurement>? measurements, IReadOnlyList<BlinkEvent> blinks, MeasurementSummary? summary, TimeSpan elapsed)
    {
        FrameCount = frameCount;
        FrameRate = frameRate;
        OutputSize = outputSize;
        Avatar = avatar;
        SkinTone = skinTone;
        SkinToneFromVideo = skinToneFromVideo;
        FirstUsableFrame = firstUsableFrame;
        FailedFrames = failures;
        FullDetections = fullDetections;
        TrackedFrames = trackedFrames;
        TrackingLosses = trackingLosses;
        SmoothingLatencyMs = smoothingLatencyMs;
        Measurements = measurements;
        Blinks = blinks;
        Summary = summary;
        Elapsed = elapsed;
    }

    /// <summary>Frames read and written (the output has exactly as many frames as the input).</summary>
    public int FrameCount { get; }

    /// <summary>The source's frame rate.</summary>
    public FrameRate FrameRate { get; }

    /// <summary>Side of the square output frames.</summary>
    public int OutputSize { get; }

    /// <summary>The one avatar every frame was put on.</summary>
    public AvatarMetadata Avatar { get; }

    /// <summary>The skin tone the avatar was chosen for.</summary>
    public SkinTone SkinTone { get; }

    /// <summary>True when the skin tone was read from the first usable frame (none was given).</summary>
    public bool SkinToneFromVideo { get; }

    /// <summary>The first frame with a usable face, or null when there was none (every frame is then the avatar alone).</summary>
    public int? FirstUsableFrame { get; }

    /// <summary>The frames written as the avatar alone, in order, with their reasons.</summary>
    public IReadOnlyList<FrameFailure> FailedFrames { get; }

    /// <summary>Frames on which the full face detector ran (scheduled, first, or after a lost track).</summary>
    public int FullDetections { get; }

    /// <summary>Frames whose landmarks were tracked from the previous frame.</summary>
    public int TrackedFrames { get; }

    /// <summary>Times tracking lost the face and the frame was detected again.</summary>
    public int TrackingLosses { get; }

    /// <summary>The smoothing's lag at rest, milliseconds (0 without smoothing): see <see cref="OneEuroFilter.LagSeconds"/>.</summary>
    public double SmoothingLatencyMs { get; }

    /// <summary>Per-frame measurements (one per frame, failed frames included as not measured), or null when switched off.</summary>
    public IReadOnlyList<FrameMeasurement>? Measurements { get; }

    /// <summary>The blinks found (empty without measurements).</summary>
    public IReadOnlyList<BlinkEvent> Blinks { get; }

    /// <summary>The summary of the measurements, or null when switched off.</summary>
    public MeasurementSummary? Summary { get; }

    /// <summary>Wall-clock time of the whole run.</summary>
    public TimeSpan Elapsed { get; }
}
