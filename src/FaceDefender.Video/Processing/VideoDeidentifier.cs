using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Diagnostics;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Video.Processing;

/// <summary>
/// De-identifies a video frame by frame onto one avatar: every output frame is the avatar canvas with the patient's kept
/// eye region (or, for <see cref="RoiPreset.GeometryOnly"/>, the drawn eye geometry) fused in, or the avatar alone.
/// </summary>
/// <remarks>
/// <para><b>Landmarks.</b> The first frame, every <see cref="VideoDeidentificationOptions.DetectionInterval"/>-th frame and
/// any frame after the face was lost run the full detector (<see cref="MediaPipeLandmarkDetector.Detect(Image{Rgb24})"/>);
/// the others are tracked from the previous frame's landmarks (<see cref="MediaPipeLandmarkDetector.Track(Image{Rgb24}, FaceLandmarks)"/>).
/// When tracking loses the face the same frame is detected in full. Landmarks are then smoothed with a
/// <see cref="OneEuroFilter"/> (reset whenever the face was lost) and the smoothed landmarks are fused: the output's kept
/// region holds still. The measurements are taken on the unsmoothed landmarks of each frame, so that the clinical series
/// (blink onset, a re-fixation movement) carries no smoothing lag.</para>
/// <para><b>Fail closed per frame.</b> A frame without a trustworthy face (none, several, too small, low landmark confidence,
/// head pose beyond the limits of <see cref="DeidentificationOptions"/>) is written as the avatar alone, the same avatar
/// frame as the rest of the video, with no patient pixel, and listed in <see cref="VideoDeidentificationReport.FailedFrames"/>.
/// Several faces are seen by the full detector; between detections tracking follows the one face it has, and keeps only
/// that face's eye region. Closed eyes (a blink) and a covered eye are not failures: they are clinical content.</para>
/// <para><b>One avatar.</b> Chosen once, with the same <see cref="AvatarQuery"/> rule as <see cref="FaceDeidentifier"/>: sex,
/// age and pseudonym from <see cref="VideoDeidentificationOptions.Patient"/> or the defaults, skin tone as given or read
/// (<see cref="FaceDeidentifier.EstimateSkinTone"/>) from the first usable frame. Frames before that frame are held only as
/// a count and written as the avatar alone once it is chosen; a video without any usable face is written on the default
/// (medium) skin tone's avatar.</para>
/// <para><b>Stages.</b> Reading, landmarks (detection, tracking, smoothing, measurements), fusion and writing run
/// concurrently, linked by bounded channels of <see cref="VideoDeidentificationOptions.ChannelCapacity"/> frames, so two
/// cores are used and memory holds a few frames, never the video. Output frames keep the input's order and count.</para>
/// <para><b>Covered eye.</b> An eye counts as covered (<see cref="EyeFrameMeasurement.Occluded"/>) when the image shows no
/// open eye where the landmarks put it (no corneal reflex found and a lid opening of one material: luma spread under 40
/// levels) while the other eye's corneal reflex is found (so it is open and lit). Both eyes closed is a blink, not a cover;
/// without a light at the camera no eye is ever marked covered.</para>
/// <para>Thread-safe: one instance can process several videos at once.</para>
/// </remarks>
public sealed partial class VideoDeidentifier : IDisposable
{
    private readonly MediaPipeLandmarkDetector _detector;
    private readonly bool _ownsDetector;
    private readonly IAvatarProvider _avatars;
    private readonly IFaceFuser _fuser;
    private readonly IDiagnosticBenchmark _diagnostics;
    private readonly ILogger _logger;

    /// <summary>Creates the video pipeline; every part defaults to the embedded implementation.</summary>
    /// <param name="detector">Landmark detector (it must track, so a <see cref="MediaPipeLandmarkDetector"/>); default one with
    /// the embedded models and <see cref="SeveralFacesPolicy.Fail"/>. A detector passed in keeps its own policy and stays the caller's.</param>
    /// <param name="avatars">Avatar source; default <see cref="ProceduralAvatarProvider"/>.</param>
    /// <param name="fuser">Fuser; default <see cref="PeriocularFaceFuser"/>.</param>
    /// <param name="diagnostics">The per-frame eye assessment; default <see cref="LandmarkDiagnosticBenchmark"/>.</param>
    /// <param name="logger">Receives one entry per video (frames, failed frames by reason, avatar, frames per second) and a
    /// warning per run of failed frames; null for none. No patient data is logged.</param>
    public VideoDeidentifier(MediaPipeLandmarkDetector? detector = null, IAvatarProvider? avatars = null, IFaceFuser? fuser = null, IDiagnosticBenchmark? diagnostics = null,
        ILogger<VideoDeidentifier>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _ownsDetector = detector is null;
        _detector = detector ?? new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });
        _avatars = avatars ?? new ProceduralAvatarProvider();
        _fuser = fuser ?? new PeriocularFaceFuser();
        _diagnostics = diagnostics ?? new LandmarkDiagnosticBenchmark();
    }

    /// <summary>
    /// Reads every frame of <paramref name="source"/>, de-identifies it and writes it to <paramref name="sink"/>, then
    /// completes the sink. On cancellation or error the sink is not completed (its output stays invisible).
    /// </summary>
    /// <param name="source">The frames; read to its end, not disposed.</param>
    /// <param name="sink">Receives <see cref="VideoDeidentificationOptions.OutputSize"/>-square frames, one per input frame; not disposed.</param>
    /// <param name="options">Options; null for <see cref="VideoDeidentificationOptions.Default"/>.</param>
    /// <param name="progress">Receives the number of frames written after each frame, or null.</param>
    /// <param name="cancellationToken">Stops the run promptly.</param>
    /// <returns>What was done: frame count, failed frames with reasons, avatar, measurements.</returns>
    /// <exception cref="ArgumentNullException">A null source or sink.</exception>
    /// <exception cref="ArgumentException">The source states a frame size or frame rate that is not positive.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<VideoDeidentificationReport> DeidentifyAsync(
        IVideoFrameSource source,
        IVideoFrameSink sink,
        VideoDeidentificationOptions? options = null,
        IProgress<VideoProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        options ??= VideoDeidentificationOptions.Default;
        VideoInfo info = source.Info ?? throw new ArgumentException("The source has no stream information.", nameof(source));
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new ArgumentException($"The source's frame size {info.Width} x {info.Height} is not positive.", nameof(source));
        }

        if (!(info.FrameRate.PerSecond > 0 && double.IsFinite(info.FrameRate.PerSecond)))
        {
            throw new ArgumentException($"The source's frame rate {info.FrameRate} is not positive.", nameof(source));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var run = new Run(this, source, sink, options, progress, info);
        long start = Stopwatch.GetTimestamp();
        VideoDeidentificationReport report = await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        Log(report, Stopwatch.GetElapsedTime(start));
        return report;
    }

    private void Log(VideoDeidentificationReport report, TimeSpan elapsed)
    {
        string reasons = string.Join(", ", report.FailedFrames.GroupBy(f => f.Reason).Select(g => $"{g.Key} {g.Count()}"));
        _logger.LogInformation("Video of {Frames} frame(s) de-identified onto {Avatar} in {Seconds:F1} s ({FramesPerSecond:F1} frames/s); {Failed} frame(s) written as the avatar alone{Reasons}",
            report.FrameCount, report.Avatar.Id, elapsed.TotalSeconds, report.FrameCount / Math.Max(elapsed.TotalSeconds, 1e-9), report.FailedFrames.Count,
            reasons.Length == 0 ? "" : $" ({reasons})");
        int runStart = -1, previous = -2;
        foreach (FrameFailure f in report.FailedFrames.Append(new FrameFailure(int.MaxValue, FrameFailureReason.NoFace, "")))
        {
            if (f.Frame != previous + 1)
            {
                if (runStart >= 0)
                {
                    _logger.LogWarning("Frames {First}-{Last} had no trustworthy face and were written as the avatar alone", runStart, previous);
                }

                runStart = f.Frame;
            }

            previous = f.Frame;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDetector)
        {
            _detector.Dispose();
        }
    }

    /// <summary>Averages whole blocks of pixels: a <paramref name="size"/>-square copy of a square image whose side is a multiple of it.</summary>
    internal static Image<Rgb24> Downscale(Image<Rgb24> image, int size)
    {
        int factor = image.Width / size;
        var result = new Image<Rgb24>(size, size);
        int area = factor * factor;
        image.ProcessPixelRows(result, (src, dst) =>
        {
            var sums = new int[size * 3];
            for (int y = 0; y < size; y++)
            {
                Array.Clear(sums);
                for (int dy = 0; dy < factor; dy++)
                {
                    Span<Rgb24> row = src.GetRowSpan((y * factor) + dy);
                    for (int x = 0; x < row.Length; x++)
                    {
                        int o = x / factor * 3;
                        sums[o] += row[x].R;
                        sums[o + 1] += row[x].G;
                        sums[o + 2] += row[x].B;
                    }
                }

                Span<Rgb24> output = dst.GetRowSpan(y);
                for (int x = 0; x < size; x++)
                {
                    output[x] = new Rgb24((byte)((sums[3 * x] + (area / 2)) / area), (byte)((sums[(3 * x) + 1] + (area / 2)) / area), (byte)((sums[(3 * x) + 2] + (area / 2)) / area));
                }
            }
        });
        return result;
    }

    private sealed record InputFrame(int Index, Image<Rgb24> Image);

    private sealed record LandmarkedFrame(int Index, Image<Rgb24>? Image, FaceLandmarks? Landmarks);

    private sealed record OutputFrame(int Index, Image<Rgb24> Image, bool Shared);

    /// <summary>One video's run: the four stages and what they share.</summary>
    private sealed class Run(VideoDeidentifier owner, IVideoFrameSource source, IVideoFrameSink sink, VideoDeidentificationOptions options, IProgress<VideoProgress>? progress, VideoInfo info)
    {
        private readonly List<FrameFailure> _failures = [];
        private readonly List<FrameMeasurement> _measurements = [];
        private readonly double _step = 1.0 / info.FrameRate.PerSecond;
        private int _frames;
        private int _fullDetections;
        private int _tracked;
        private int _losses;
        private int? _firstUsable;
        private AvatarMetadata? _avatarMetadata;
        private SkinTone _skinTone;
        private double _latencyMs;

        public async Task<VideoDeidentificationReport> ExecuteAsync(CancellationToken cancellationToken)
        {
            var total = Stopwatch.StartNew();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            CancellationToken token = cts.Token;
            var bounded = new BoundedChannelOptions(options.ChannelCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait };
            Channel<InputFrame> read = Channel.CreateBounded<InputFrame>(bounded);
            Channel<LandmarkedFrame> landmarked = Channel.CreateBounded<LandmarkedFrame>(bounded);
            Channel<OutputFrame> fused = Channel.CreateBounded<OutputFrame>(bounded);
            Avatar? avatar = null;
            Image<Rgb24>? avatarFrame = null;

            Task Stage(Func<Task> body, Action<Exception?>? complete) => Task.Run(async () =>
            {
                try
                {
                    await body().ConfigureAwait(false);
                    complete?.Invoke(null);
                }
                catch (Exception e)
                {
                    complete?.Invoke(e);
                    await cts.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            }, CancellationToken.None);

            Task[] stages =
            [
                Stage(() => ReadAsync(read.Writer, token), e => read.Writer.TryComplete(e)),
                Stage(() => LandmarksAsync(read.Reader, landmarked.Writer, token), e => landmarked.Writer.TryComplete(e)),
                Stage(async () => (avatar, avatarFrame) = await FuseAsync(landmarked.Reader, fused.Writer, token).ConfigureAwait(false), e => fused.Writer.TryComplete(e)),
                Stage(() => WriteAsync(fused.Reader, token), null),
            ];

            try
            {
                try
                {
                    await Task.WhenAll(stages).ConfigureAwait(false);
                }
                catch
                {
                    // Drop what is left in the channels.
                    while (read.Reader.TryRead(out InputFrame? f))
                    {
                        f.Image.Dispose();
                    }

                    while (landmarked.Reader.TryRead(out LandmarkedFrame? f))
                    {
                        f.Image?.Dispose();
                    }

                    while (fused.Reader.TryRead(out OutputFrame? f))
                    {
                        if (!f.Shared)
                        {
                            f.Image.Dispose();
                        }
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    Exception? failure = stages.Select(s => s.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
                    if (failure is not null)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
                    }

                    throw;
                }

                await sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (avatarFrame is not null && !ReferenceEquals(avatarFrame, avatar?.Image))
                {
                    avatarFrame.Dispose();
                }

                avatar?.Dispose();
            }

            IReadOnlyList<FrameMeasurement>? measurements = options.Measurements ? _measurements : null;
            IReadOnlyList<BlinkEvent> blinks = [];
            MeasurementSummary? summary = null;
            if (measurements is not null)
            {
                blinks = BlinkDetector.Detect(BlinkDetector.FissureSeries(measurements), info.FrameRate.PerSecond, options.BlinkThreshold);
                summary = BlinkDetector.Summarize(measurements, blinks, info.FrameRate.PerSecond);
            }

            return new VideoDeidentificationReport(_frames, info.FrameRate, options.OutputSize, _avatarMetadata!, _skinTone, options.Patient.SkinTone is null && _firstUsable is not null,
                _firstUsable, _failures, _fullDetections, _tracked, _losses, _latencyMs, measurements, blinks, summary, total.Elapsed);
        }

        private async Task ReadAsync(ChannelWriter<InputFrame> output, CancellationToken token)
        {
            for (int index = 0; ; index++)
            {
                token.ThrowIfCancellationRequested();
                var frame = new Image<Rgb24>(info.Width, info.Height);
                bool more;
                try
                {
                    more = await source.ReadAsync(frame, token).ConfigureAwait(false);
                    if (more)
                    {
                        await output.WriteAsync(new InputFrame(index, frame), token).ConfigureAwait(false);
                    }
                }
                catch
                {
                    frame.Dispose();
                    throw;
                }

                if (!more)
                {
                    frame.Dispose();
                    _frames = index;
                    return;
                }
            }
        }

        private async Task LandmarksAsync(ChannelReader<InputFrame> input, ChannelWriter<LandmarkedFrame> output, CancellationToken token)
        {
            var smoother = new LandmarkSmoother(options.MinCutoffHz, options.Beta, options.DerivativeCutoffHz);
            _latencyMs = options.Smoothing ? smoother.PointFilter.LagSeconds(0, _step) * 1000 : 0;
            FaceLandmarks? previous = null;
            int lastDetection = int.MinValue / 2;
            bool resetPending = true;
            await foreach (InputFrame frame in input.ReadAllAsync(token).ConfigureAwait(false))
            {
                LandmarkedFrame result;
                try
                {
                    FaceDetection detection;
                    if (previous is not null && frame.Index - lastDetection < options.DetectionInterval)
                    {
                        _tracked++;
                        detection = owner._detector.Track(frame.Image, previous);
                        if (detection.Status != FaceDetectionStatus.Found)
                        {
                            _losses++;
                            resetPending = true;
                            detection = Detect(frame, ref lastDetection);
                        }
                    }
                    else
                    {
                        detection = Detect(frame, ref lastDetection);
                    }

                    FrameFailure? failure = Failure(frame.Index, detection);
                    if (failure is not null)
                    {
                        _failures.Add(failure);
                        previous = null;
                        resetPending = true;
                        frame.Image.Dispose();
                        if (options.Measurements)
                        {
                            _measurements.Add(NotMeasured(frame.Index));
                        }

                        result = new LandmarkedFrame(frame.Index, null, null);
                    }
                    else
                    {
                        DetectedFace face = detection.Face!;
                        previous = face.Landmarks;
                        if (resetPending)
                        {
                            smoother.Reset();
                            resetPending = false;
                        }

                        FaceLandmarks landmarks = options.Smoothing ? smoother.Smooth(face.Landmarks, _step) : face.Landmarks;
                        if (options.Measurements)
                        {
                            _measurements.Add(Measure(frame, face.Landmarks, face.Pose));
                        }

                        result = new LandmarkedFrame(frame.Index, frame.Image, landmarks);
                    }
                }
                catch
                {
                    frame.Image.Dispose();
                    throw;
                }

                await output.WriteAsync(result, token).ConfigureAwait(false);
            }
        }

        private FaceDetection Detect(InputFrame frame, ref int lastDetection)
        {
            _fullDetections++;
            lastDetection = frame.Index;
            return owner._detector.Detect(frame.Image);
        }

        private FrameFailure? Failure(int index, FaceDetection detection)
        {
            if (detection.Status != FaceDetectionStatus.Found || detection.Face is null)
            {
                return detection.Status switch
                {
                    FaceDetectionStatus.NoFace => new FrameFailure(index, FrameFailureReason.NoFace, "No face was found."),
                    FaceDetectionStatus.SeveralFaces => new FrameFailure(index, FrameFailureReason.SeveralFaces, $"{detection.Faces.Count} faces were found; the frame cannot say which is the patient."),
                    FaceDetectionStatus.FaceTooSmall => new FrameFailure(index, FrameFailureReason.FaceTooSmall, "The face is too small for reliable eye landmarks."),
                    _ => new FrameFailure(index, FrameFailureReason.LowConfidence, "The face or its landmarks were not found with enough confidence."),
                };
            }

            HeadPose pose = detection.Face.Pose;
            DeidentificationOptions limits = options.Deidentification;
            if (!(Math.Abs(pose.Yaw) <= limits.MaxYawDegrees && Math.Abs(pose.Pitch) <= limits.MaxPitchDegrees && Math.Abs(pose.Roll) <= limits.MaxRollDegrees))
            {
                return new FrameFailure(index, FrameFailureReason.PoseOutOfRange, string.Create(CultureInfo.InvariantCulture,
                    $"Head pose roll {pose.Roll:0.0}°, yaw {pose.Yaw:0.0}°, pitch {pose.Pitch:0.0}° is beyond ±{limits.MaxRollDegrees:0}°, ±{limits.MaxYawDegrees:0}°, ±{limits.MaxPitchDegrees:0}°."));
            }

            return null;
        }

        private FrameMeasurement NotMeasured(int index) =>
            new(index, index * _step, false, EyeFrameMeasurement.None, EyeFrameMeasurement.None, double.NaN, double.NaN, double.NaN, double.NaN, []);

        private FrameMeasurement Measure(InputFrame frame, FaceLandmarks landmarks, HeadPose pose)
        {
            OcularAssessment a = owner._diagnostics.Assess(landmarks, pose);
            OcularMeasurements m = a.Measurements;
            bool rightOpen = EyeVisibility.ShowsOpenEye(frame.Image, landmarks.RightEye, m.Right.Reflex.Status);
            bool leftOpen = EyeVisibility.ShowsOpenEye(frame.Image, landmarks.LeftEye, m.Left.Reflex.Status);
            bool rightReflex = m.Right.Reflex.IsFound, leftReflex = m.Left.Reflex.IsFound;
            EyeFrameMeasurement Eye(EyeMeasurements e, bool occluded) =>
                new(e.Mrd1.Millimetres, e.Mrd2.Millimetres, e.FissureHeight.Millimetres, e.Reflex.Status, occluded);
            HirschbergAlignment h = m.Hirschberg;
            return new FrameMeasurement(frame.Index, frame.Index * _step, true, Eye(m.Right, !rightOpen && leftReflex), Eye(m.Left, !leftOpen && rightReflex),
                h.GazeRightDegrees, h.GazeUpDegrees, h.HorizontalPrism.Dioptres, h.VerticalPrism.Dioptres, [.. a.QualityFlags.Select(f => f.Issue).Distinct()]);
        }

        private async Task<(Avatar?, Image<Rgb24>?)> FuseAsync(ChannelReader<LandmarkedFrame> input, ChannelWriter<OutputFrame> output, CancellationToken token)
        {
            Avatar? avatar = null;
            Image<Rgb24>? avatarFrame = null;
            int pending = 0; // failed frames read before the avatar was chosen
            try
            {
                await foreach (LandmarkedFrame frame in input.ReadAllAsync(token).ConfigureAwait(false))
                {
                    if (frame.Landmarks is null)
                    {
                        if (avatarFrame is null)
                        {
                            pending++;
                        }
                        else
                        {
                            await output.WriteAsync(new OutputFrame(frame.Index, avatarFrame, Shared: true), token).ConfigureAwait(false);
                        }

                        continue;
                    }

                    Image<Rgb24> image = frame.Image!;
                    Image<Rgb24> result;
                    try
                    {
                        if (avatar is null)
                        {
                            _firstUsable = frame.Index;
                            (avatar, avatarFrame) = Choose(FaceDeidentifier.EstimateSkinTone(image, frame.Landmarks));
                        }

                        FusionResult fusion = owner._fuser.Fuse(image, frame.Landmarks, avatar.Image, avatar.Landmarks, options.Deidentification.Fusion);
                        if (options.OutputSize == Avatar.CanvasSize)
                        {
                            result = fusion.Image;
                            fusion.ReleaseMask(); // the image goes on to the writer; the pooled mask is done with
                        }
                        else
                        {
                            using (fusion)
                            {
                                result = Downscale(fusion.Image, options.OutputSize);
                            }
                        }
                    }
                    finally
                    {
                        image.Dispose();
                    }

                    for (; pending > 0; pending--)
                    {
                        await output.WriteAsync(new OutputFrame(-1, avatarFrame!, Shared: true), token).ConfigureAwait(false);
                    }

                    await output.WriteAsync(new OutputFrame(frame.Index, result, Shared: false), token).ConfigureAwait(false);
                }

                if (avatar is null)
                {
                    (avatar, avatarFrame) = Choose(SkinTone.Medium);
                }

                for (; pending > 0; pending--)
                {
                    await output.WriteAsync(new OutputFrame(-1, avatarFrame!, Shared: true), token).ConfigureAwait(false);
                }
            }
            catch
            {
                if (avatarFrame is not null && !ReferenceEquals(avatarFrame, avatar?.Image))
                {
                    avatarFrame.Dispose();
                }

                avatar?.Dispose();
                throw;
            }

            return (avatar, avatarFrame);
        }

        private (Avatar, Image<Rgb24>) Choose(SkinTone estimated)
        {
            PatientInfo patient = options.Patient;
            DeidentificationOptions d = options.Deidentification;
            _skinTone = patient.SkinTone ?? estimated;
            var query = new AvatarQuery(patient.Sex ?? d.DefaultSex, patient.AgeYears ?? d.DefaultAgeYears, _skinTone, patient.PseudonymKey);
            Avatar avatar = owner._avatars.Select(query);
            _avatarMetadata = avatar.Metadata;
            Image<Rgb24> frame = options.OutputSize == Avatar.CanvasSize ? avatar.Image : Downscale(avatar.Image, options.OutputSize);
            return (avatar, frame);
        }

        private async Task WriteAsync(ChannelReader<OutputFrame> input, CancellationToken token)
        {
            int written = 0;
            await foreach (OutputFrame frame in input.ReadAllAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await sink.WriteAsync(frame.Image, token).ConfigureAwait(false);
                }
                finally
                {
                    if (!frame.Shared)
                    {
                        frame.Image.Dispose();
                    }
                }

                written++;
                progress?.Report(new VideoProgress(written, info.FrameCount));
            }
        }
    }
}
