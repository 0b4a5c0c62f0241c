using FaceDefender.Decoding;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Diagnostics;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Pipeline;

/// <summary>
/// The whole de-identification of one photo: detect → quality gate → avatar → fuse. A photo that fails any
/// step returns a status and no image, never a partly protected face; the output carries no metadata of the input.
/// </summary>
/// <remarks>
/// Thread-safe when its parts are (the defaults are): one instance can serve parallel calls. Disposing it
/// disposes the detector it created (a detector passed in stays the caller's).
/// </remarks>
public sealed class FaceDeidentifier : IDisposable
{
    private readonly ILandmarkDetector _detector;
    private readonly bool _ownsDetector;
    private readonly IAvatarProvider _avatars;
    private readonly IFaceFuser _fuser;
    private readonly IDiagnosticBenchmark? _diagnostics;
    private readonly ILogger _logger;

    /// <summary>Creates the pipeline; every part defaults to the embedded implementation.</summary>
    /// <param name="detector">Landmark detector; default <see cref="MediaPipeLandmarkDetector"/> with the embedded models and
    /// <see cref="SeveralFacesPolicy.Fail"/> (a photo must show exactly one face). A detector passed in keeps its own policy.</param>
    /// <param name="avatars">Avatar source; default <see cref="ProceduralAvatarProvider"/> (synthetic, Apache-2.0).</param>
    /// <param name="fuser">Fuser; default <see cref="PeriocularFaceFuser"/>.</param>
    /// <param name="options">Options; default <see cref="DeidentificationOptions.Default"/>.</param>
    /// <param name="diagnostics">The eye assessment run on the patient's landmarks; default <see cref="LandmarkDiagnosticBenchmark"/>
    /// with the documented default reference standard. Pass <see cref="NoDiagnostics"/> to skip it.</param>
    /// <param name="logger">Optional. Each photo's outcome: a debug line for a success (avatar, region, timings), an
    /// information line for any other status (the status, and the decoding failure's kind for an unreadable file). The
    /// lines never carry file names, patient information or the decoder's message (which can name the file).</param>
    public FaceDeidentifier(ILandmarkDetector? detector = null, IAvatarProvider? avatars = null, IFaceFuser? fuser = null, DeidentificationOptions? options = null,
        IDiagnosticBenchmark? diagnostics = null, ILogger<FaceDeidentifier>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _diagnostics = ReferenceEquals(diagnostics, NoDiagnostics) ? null : diagnostics ?? new LandmarkDiagnosticBenchmark();
        _ownsDetector = detector is null;
        _detector = detector ?? new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });
        _avatars = avatars ?? new ProceduralAvatarProvider();
        _fuser = fuser ?? new PeriocularFaceFuser();
        Options = options ?? DeidentificationOptions.Default;
    }

    /// <summary>The options.</summary>
    public DeidentificationOptions Options { get; }

    /// <summary>Pass as the diagnostics argument to skip the eye assessment.</summary>
    public static IDiagnosticBenchmark NoDiagnostics { get; } = new SkipDiagnostics();

    /// <summary>
    /// Reads a photo file within the decoding budgets (<see cref="DeidentificationOptions.Decoding"/>; EXIF orientation applied)
    /// and de-identifies it. The file is only read. A file that cannot be read or decoded, whatever the reason, is the
    /// <see cref="DeidentificationStatus.UnreadableImage"/> status with <see cref="DeidentificationResult.DecodingFailure"/> set.
    /// </summary>
    /// <param name="path">The photo.</param>
    /// <param name="patient">What the record says about the patient, or null.</param>
    /// <param name="cancellationToken">Stops reading, waiting for the memory budget and decoding.</param>
    /// <returns>The result; dispose it.</returns>
    /// <exception cref="ArgumentException">Empty path.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public DeidentificationResult Deidentify(string path, PatientInfo? patient = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return ReadAndDeidentify(() => FaceImageDecoder.ReadFile(path, Options.Decoding, cancellationToken), patient, cancellationToken);
    }

    /// <summary>
    /// Reads a photo from a stream (from its current position, within <see cref="ImageDecodingOptions.MaxEncodedBytes"/>; not
    /// disposed) and de-identifies it, like <see cref="Deidentify(string, PatientInfo?, CancellationToken)"/>.
    /// </summary>
    /// <param name="stream">The encoded photo.</param>
    /// <param name="patient">What the record says about the patient, or null.</param>
    /// <param name="cancellationToken">Stops reading, waiting for the memory budget and decoding.</param>
    /// <returns>The result; dispose it.</returns>
    /// <exception cref="ArgumentNullException">Null stream.</exception>
    /// <exception cref="ArgumentException">The stream cannot be read.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public DeidentificationResult Deidentify(Stream stream, PatientInfo? patient = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadAndDeidentify(() => FaceImageDecoder.ReadStream(stream, Options.Decoding, cancellationToken), patient, cancellationToken);
    }

    /// <summary>
    /// Reads a photo from a stream asynchronously (no synchronous I/O, as ASP.NET Core requires), then de-identifies it
    /// on the calling thread pool, like <see cref="Deidentify(Stream, PatientInfo?, CancellationToken)"/>.
    /// </summary>
    /// <param name="stream">The encoded photo.</param>
    /// <param name="patient">What the record says about the patient, or null.</param>
    /// <param name="cancellationToken">Stops reading, waiting for the memory budget and decoding.</param>
    /// <returns>The result; dispose it.</returns>
    /// <exception cref="ArgumentNullException">Null stream.</exception>
    /// <exception cref="ArgumentException">The stream cannot be read.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<DeidentificationResult> DeidentifyAsync(Stream stream, PatientInfo? patient = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var total = Stopwatch.StartNew();
        FaceImageDecoder.EncodedImage encoded;
        try
        {
            encoded = await FaceImageDecoder.ReadStreamAsync(stream, Options.Decoding, cancellationToken).ConfigureAwait(false);
        }
        catch (ImageDecodingException e)
        {
            return Logged(Unreadable(e, total));
        }

        return Logged(await Task.Run(() => DecodeAndDeidentify(encoded, patient, total, cancellationToken), cancellationToken).ConfigureAwait(false));
    }

    private DeidentificationResult ReadAndDeidentify(Func<FaceImageDecoder.EncodedImage> read, PatientInfo? patient, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        FaceImageDecoder.EncodedImage encoded;
        try
        {
            encoded = read();
        }
        catch (ImageDecodingException e)
        {
            return Logged(Unreadable(e, total));
        }

        return Logged(DecodeAndDeidentify(encoded, patient, total, cancellationToken));
    }

    private DeidentificationResult DecodeAndDeidentify(FaceImageDecoder.EncodedImage encoded, PatientInfo? patient, Stopwatch total, CancellationToken cancellationToken)
    {
        // Working set beyond the decode: the RGB photo, the detector's crops and the 1024² fusion buffers.
        long estimate = encoded.EstimatedDecodeBytes + (64L * 1024 * 1024);
        using IDisposable? lease = Options.MemoryBudget?.Acquire(estimate, cancellationToken);
        DecodedImage decoded;
        try
        {
            decoded = FaceImageDecoder.Decode(encoded, Options.Decoding, cancellationToken);
        }
        catch (ImageDecodingException e)
        {
            return Unreadable(e, total);
        }

        using (decoded)
        {
            DeidentificationWarnings warnings = decoded.Truncated ? DeidentificationWarnings.TruncatedImage : DeidentificationWarnings.None;
            return Deidentify(decoded.Image, patient, warnings);
        }
    }

    private static DeidentificationResult Unreadable(ImageDecodingException e, Stopwatch total) =>
        new(DeidentificationStatus.UnreadableImage, e.Message, null, null, null, new PipelineTimings(0, 0, 0, total.Elapsed.TotalMilliseconds),
            decodingFailure: e.Failure);

    /// <summary>De-identifies a decoded photo (EXIF orientation must already be applied). The image is not modified.</summary>
    /// <param name="photo">The photo.</param>
    /// <param name="patient">What the record says about the patient, or null.</param>
    public DeidentificationResult Deidentify(Image<Rgb24> photo, PatientInfo? patient = null) => Logged(Deidentify(photo, patient, DeidentificationWarnings.None));

    private DeidentificationResult Logged(DeidentificationResult result)
    {
        if (result.Status == DeidentificationStatus.Success)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                PipelineTimings t = result.Timings;
                _logger.LogDebug("De-identified onto avatar {AvatarId} ({Roi}) in {Milliseconds:F0} ms (detect {DetectMs:F0}, avatar {AvatarMs:F0}, fuse {FuseMs:F0}); warnings: {Warnings}",
                    result.Avatar?.Id, Options.Fusion.Roi, t.TotalMs, t.DetectMs, t.AvatarMs, t.FuseMs, result.Warnings);
            }
        }
        else if (result.DecodingFailure is { } failure)
        {
            _logger.LogInformation("Photo not de-identified: {Status} ({Failure})", result.Status, failure);
        }
        else
        {
            _logger.LogInformation("Photo not de-identified: {Status}; warnings: {Warnings}", result.Status, result.Warnings);
        }

        return result;
    }

    private DeidentificationResult Deidentify(Image<Rgb24> photo, PatientInfo? patient, DeidentificationWarnings warnings)
    {
        ArgumentNullException.ThrowIfNull(photo);
        patient ??= new PatientInfo();
        var total = Stopwatch.StartNew();
        FaceDetection detection = _detector.Detect(photo);
        GateOutcome? gate = null;
        if (!Options.TurnPhotosUpright || !NeedsTurning(detection, photo, out gate))
        {
            return Deidentify(photo, patient, warnings, detection, 0f, total, gate);
        }

        (Image<Rgb24>? upright, float rotation, FaceDetection? found) = TurnUpright(photo, detection);
        if (upright is null)
        {
            return Deidentify(photo, patient, warnings, detection, 0f, total, gate);
        }

        using (upright)
        {
            return Deidentify(upright, patient, warnings, found!, rotation, total, null);
        }
    }

    /// <summary>What <see cref="Gate"/> said of a face: its refusal message (null when it passed) and the status it gives.</summary>
    private readonly record struct GateOutcome(string? Message, DeidentificationStatus Status);

    /// <summary>
    /// Below this <see cref="UprightScore"/> a face may be an upside-down reading. Upright faces scored 0.83-0.89 (kit renders,
    /// turned heads, the portraits reduced and blurred), with one turned head at 0.65; the same images turned 160-200° scored
    /// at most 0.75, each below its upright self.
    /// </summary>
    private const float SuspectScore = 0.8f;

    /// <summary>The face detector's confidence times the mesh model's: both drop for a face read upside down.</summary>
    private static float UprightScore(DetectedFace face) => face.Confidence * face.LandmarkConfidence;

    /// <summary>True when the face was not found (no face or too little confidence), is rolled beyond the limit, scores like
    /// an upside-down reading, or looks shut-eyed, which is also what an upside-down face can look like to the gates. The
    /// gates' verdict, when it was needed here, is handed back so it is not computed again.</summary>
    private bool NeedsTurning(FaceDetection detection, Image<Rgb24> photo, out GateOutcome? gate)
    {
        gate = null;
        if (detection.Status is FaceDetectionStatus.NoFace or FaceDetectionStatus.LowConfidence)
        {
            return true;
        }

        if (detection.Face is not { } face)
        {
            return false;
        }

        if (!(Math.Abs(face.Pose.Roll) <= Options.MaxRollDegrees) || UprightScore(face) < SuspectScore)
        {
            return true;
        }

        string? message = Gate(face, photo, out DeidentificationStatus status);
        gate = new GateOutcome(message, status);
        return message is not null && status == DeidentificationStatus.EyesClosed;
    }

    /// <summary>
    /// Looks for the face in the photo turned by quarter turns. The two best scored readings are tried in turn: the photo is
    /// turned so that face is upright (a lossless quarter turn when its roll is already within the limit, otherwise by the
    /// whole angle) and accepted when the face found there passes every gate and scores higher than the same photo turned
    /// half a turn. Null when none does, or when the best reading is the photo as given with its roll within the limit.
    /// </summary>
    private (Image<Rgb24>? Upright, float Rotation, FaceDetection? Detection) TurnUpright(Image<Rgb24> photo, FaceDetection original)
    {
        var readings = new List<(int QuarterTurn, float Roll, float Score)>(4);
        if (original.Face is { } f0)
        {
            readings.Add((0, f0.Pose.Roll, UprightScore(f0)));
        }

        foreach ((int k, RotateMode mode) in new[] { (90, RotateMode.Rotate90), (180, RotateMode.Rotate180), (270, RotateMode.Rotate270) })
        {
            using Image<Rgb24> turned = Reduced(photo, mode);
            if (_detector.Detect(turned).Face is { } f)
            {
                readings.Add((k, f.Pose.Roll, UprightScore(f)));
            }
        }

        // Turning the photo clockwise by a degrees lowers the roll read by a, so the face's roll in the photo as given is
        // the reading plus the quarter turn it was read at; turning the photo by that roll makes the face upright.
        // The face detector reads an upside-down face with a roll near 0 or 180° off, but scores it lower, so the best scored
        // readings are tried first; when that is the photo as given, upright enough, it is used as given.
        var best = readings.OrderByDescending(r => r.Score).Take(2).ToList();
        if (best.Count > 0 && best[0].QuarterTurn == 0 && Math.Abs(best[0].Roll) <= Options.MaxRollDegrees)
        {
            return (null, 0f, null);
        }

        foreach ((int k, float roll, _) in best)
        {
            float rotation = Math.Abs(roll) <= Options.MaxRollDegrees ? k : MathF.Round(k + roll);
            rotation = rotation > 180f ? rotation - 360f : rotation;
            if (rotation == 0f)
            {
                continue; // the photo as given: already refused
            }

            Image<Rgb24> upright = photo.Clone(x => x.Rotate(rotation));
            FaceDetection again = _detector.Detect(upright);
            if (again.Face is { } face && Gate(face, upright, out _) is null && !UpsideDownScoresHigher(upright, face, mustPassChecks: false))
            {
                return (upright, rotation, again);
            }

            upright.Dispose();
        }

        return (null, 0f, null);
    }

    /// <summary>True when the photo turned half a turn shows a face that scores higher (and, with
    /// <paramref name="mustPassChecks"/>, passes every gate there): then the face found is the upside-down reading of a face,
    /// which can pass the eye checks.</summary>
    private bool UpsideDownScoresHigher(Image<Rgb24> photo, DetectedFace face, bool mustPassChecks)
    {
        using Image<Rgb24> flipped = Reduced(photo, RotateMode.Rotate180);
        return _detector.Detect(flipped).Face is { } other && UprightScore(other) > UprightScore(face)
            && (!mustPassChecks || Gate(other, flipped, out _) is null);
    }

    /// <summary>Longest side of the copies the turning decisions are read on: a face readable in the photo stays readable
    /// (the detector works on crops of 128-256 px), and the copies stay small beside the photo's own memory lease.</summary>
    private const int ReadingSide = 2048;

    /// <summary>The photo turned by a quarter turn, reduced (area average) to at most <see cref="ReadingSide"/> on its longer side.</summary>
    private static Image<Rgb24> Reduced(Image<Rgb24> photo, RotateMode mode)
    {
        int side = Math.Max(photo.Width, photo.Height);
        if (side <= ReadingSide)
        {
            return photo.Clone(x => x.Rotate(mode));
        }

        float f = (float)ReadingSide / side;
        return photo.Clone(x => x.Resize(Math.Max(1, (int)(photo.Width * f)), Math.Max(1, (int)(photo.Height * f)), KnownResamplers.Box).Rotate(mode));
    }

    private DeidentificationResult Deidentify(Image<Rgb24> photo, PatientInfo patient, DeidentificationWarnings warnings, FaceDetection detection, float rotation,
        Stopwatch total, GateOutcome? known)
    {
        double detectMs = total.Elapsed.TotalMilliseconds;

        if (detection.Status != FaceDetectionStatus.Found || detection.Face is null)
        {
            (DeidentificationStatus s, string msg) = detection.Status switch
            {
                FaceDetectionStatus.NoFace => (DeidentificationStatus.NoFace, "No face was found. Use a frontal photo showing one face."),
                FaceDetectionStatus.SeveralFaces => (DeidentificationStatus.SeveralFaces, $"{detection.Faces.Count} faces were found; the photo must show exactly one. Crop it to the patient."),
                FaceDetectionStatus.FaceTooSmall => (DeidentificationStatus.FaceTooSmall, "The face is too small for reliable eye landmarks. Take the photo closer or at a higher resolution."),
                _ => (DeidentificationStatus.LowConfidence, "The face or its landmarks were not found with enough confidence. Retake the photo, frontal and well lit."),
            };
            return Fail(s, msg, detection, detectMs, total, warnings: warnings);
        }

        DetectedFace face = detection.Face;
        OcularAssessment? assessment = _diagnostics?.Assess(face.Landmarks, face.Pose);
        DeidentificationStatus gateStatus;
        string? gate;
        if (known is { } k)
        {
            (gate, gateStatus) = k;
        }
        else
        {
            gate = Gate(face, photo, out gateStatus);
        }

        // The face detector names the eyes by their place in the image, so an upside-down face is fitted as an upright one with
        // the mouth taken for the eyes, which then look closed. A face in the half-turned photo that scores higher and passes
        // the checks means the photo is upside down. The score matters: the upside-down reading of an upright, turned head
        // whose far eye fails the check can pass the checks too.
        if (gate is not null && gateStatus == DeidentificationStatus.EyesClosed && UpsideDownScoresHigher(photo, face, mustPassChecks: true))
        {
            gateStatus = DeidentificationStatus.PoseOutOfRange;
            gate = "The face is upside down (roll about 180°): turned half a turn, the photo shows an upright face with open eyes. Rotate the photo upright (or fix its EXIF orientation) and try again.";
        }

        if (gate is null && rotation == 0f && UprightScore(face) < SuspectScore && UpsideDownScoresHigher(photo, face, mustPassChecks: false))
        {
            gateStatus = DeidentificationStatus.PoseOutOfRange;
            gate = "The face is upside down (roll about 180°): the photo turned half a turn shows a face the detector scores higher. Rotate the photo upright (or fix its EXIF orientation) and try again.";
        }

        if (gate is not null)
        {
            return Fail(gateStatus, gate, detection, detectMs, total, assessment, warnings);
        }

        double t0 = total.Elapsed.TotalMilliseconds;
        bool turned = !(Math.Abs(face.Pose.Yaw) <= Options.MaxYawDegrees && Math.Abs(face.Pose.Pitch) <= Options.MaxPitchDegrees);
        var query = new AvatarQuery(
            patient.Sex ?? Options.DefaultSex,
            patient.AgeYears ?? Options.DefaultAgeYears,
            patient.SkinTone ?? EstimateSkinTone(photo, face.Landmarks),
            patient.PseudonymKey)
        {
            Pose = turned ? new HeadPose(0f, face.Pose.Yaw, face.Pose.Pitch) : null,
            SkinColor = Options.MatchSkinColor ? Avatars.SkinColor.Measure(photo, face.Landmarks) : null,
        };
        using Avatar avatar = _avatars.Select(query);
        double avatarMs = total.Elapsed.TotalMilliseconds - t0;
        if (turned && avatar.Pose is null)
        {
            return Fail(DeidentificationStatus.PoseOutOfRange, string.Create(CultureInfo.InvariantCulture,
                $"Head pose out of range for a frontal avatar: yaw {face.Pose.Yaw:+0.0;-0.0;0.0}° (frontal limit ±{Options.MaxYawDegrees:0.0}°), pitch {face.Pose.Pitch:+0.0;-0.0;0.0}° (±{Options.MaxPitchDegrees:0.0}°), and the avatar provider draws no turned avatars. Retake the photo facing the camera, or use the procedural avatars."),
                detection, detectMs, total, assessment, warnings);
        }

        t0 = total.Elapsed.TotalMilliseconds;
        FusionResult fusion = _fuser.Fuse(photo, face.Landmarks, avatar.Image, avatar.Landmarks, Options.Fusion);
        fusion.Image.Metadata.ExifProfile = null;
        fusion.Image.Metadata.XmpProfile = null;
        fusion.Image.Metadata.IptcProfile = null;
        fusion.Image.Metadata.IccProfile = null;
        double fuseMs = total.Elapsed.TotalMilliseconds - t0;
        string posed = avatar.Pose is { } ap ? string.Create(CultureInfo.InvariantCulture, $", drawn at yaw {ap.Yaw:0}° pitch {ap.Pitch:0}°") : "";
        posed += rotation != 0f ? string.Create(CultureInfo.InvariantCulture, $"; photo turned {rotation:0}° clockwise to bring the face upright") : "";
        return new DeidentificationResult(DeidentificationStatus.Success, $"De-identified onto avatar {avatar.Metadata.Id} ({Options.Fusion.Roi}{posed}).",
            detection, fusion, avatar.Metadata, new PipelineTimings(detectMs, avatarMs, fuseMs, total.Elapsed.TotalMilliseconds), assessment, warnings)
        {
            AvatarPose = turned ? avatar.Pose : null,
            PhotoRotationDegrees = rotation,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDetector)
        {
            _detector.Dispose();
        }
    }

    /// <summary>
    /// A coarse skin tone from the mean luminance of both cheeks (landmarks 50 and 280), used only to pick an
    /// avatar whose colour does not clash with the kept eye region. Luma (BT.601) above 165 is light, above 105 medium.
    /// </summary>
    /// <param name="photo">The photo.</param>
    /// <param name="landmarks">Its landmarks.</param>
    public static SkinTone EstimateSkinTone(Image<Rgb24> photo, FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(landmarks);
        double sum = 0;
        int n = 0;
        Avatars.SkinColor.ForEachCheekPixel(photo, landmarks, p =>
        {
            sum += (0.299 * p.R) + (0.587 * p.G) + (0.114 * p.B);
            n++;
        });

        double luma = n == 0 ? 128 : sum / n;
        return luma > 165 ? SkinTone.Light : luma > 105 ? SkinTone.Medium : SkinTone.Dark;
    }

    private string? Gate(DetectedFace face, Image<Rgb24> photo, out DeidentificationStatus status)
    {
        status = DeidentificationStatus.PoseOutOfRange;
        HeadPose pose = face.Pose;
        var exceeded = new List<string>(3);
        float maxYaw = Math.Max(Options.MaxYawDegrees, Options.MaxPosedYawDegrees), maxPitch = Math.Max(Options.MaxPitchDegrees, Options.MaxPosedPitchDegrees);
        foreach ((string name, float value, float limit) in new[] { ("roll", pose.Roll, Options.MaxRollDegrees), ("yaw", pose.Yaw, maxYaw), ("pitch", pose.Pitch, maxPitch) })
        {
            if (!(Math.Abs(value) <= limit))
            {
                exceeded.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value:+0.0;-0.0;0.0}° is beyond ±{limit:0.0}°"));
            }
        }

        if (exceeded.Count > 0)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Head pose out of range: {string.Join("; ", exceeded)} (measured roll {pose.Roll:0.0}°, yaw {pose.Yaw:0.0}°, pitch {pose.Pitch:0.0}°). Retake the photo facing the camera.");
        }

        status = DeidentificationStatus.EyesClosed;
        foreach ((string name, EyeLandmarks eye) in new[] { ("right", face.Landmarks.RightEye), ("left", face.Landmarks.LeftEye) })
        {
            float width = Vector2.Distance(eye.OuterCanthus, eye.InnerCanthus);
            float height = Vector2.Distance(eye.UpperLidMidpoint, eye.LowerLidMidpoint);
            if (!(width > 0) || !(height / width >= Options.MinEyeOpening))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"The {name} eye looks closed (opening {height / Math.Max(width, 1e-3f):F2} of its width, minimum {Options.MinEyeOpening:F2}). Retake the photo with both eyes open.");
            }

            if (Options.MinEyeContrast > 0)
            {
                double contrast = EyeOpeningEvidence.ScleraIrisContrast(photo, eye);
                if (contrast < Options.MinEyeContrast)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"The {name} eye shows no open eye in the image (sclera-iris contrast {contrast:F1}, minimum {Options.MinEyeContrast:F1}): it is closed, covered or painted over. Retake the photo with both eyes open and uncovered.");
                }
            }
        }

        return null;
    }

    private static DeidentificationResult Fail(DeidentificationStatus s, string msg, FaceDetection detection, double detectMs, Stopwatch total,
        OcularAssessment? assessment = null, DeidentificationWarnings warnings = DeidentificationWarnings.None)
        => new(s, msg, detection, null, null, new PipelineTimings(detectMs, 0, 0, total.Elapsed.TotalMilliseconds), assessment, warnings);

    private sealed class SkipDiagnostics : IDiagnosticBenchmark
    {
        public ReferenceStandard Standard => throw new NotSupportedException("Diagnostics are switched off.");

        public OcularAssessment Assess(FaceLandmarks landmarks, HeadPose? pose = null) => throw new NotSupportedException("Diagnostics are switched off.");
    }
}
