using FaceDefender.Abstractions;
using FaceDefender.Decoding;
using FaceDefender.Fusion;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Pipeline;

/// <summary>
/// The result of de-identifying one photo. <see cref="Image"/> is set only when <see cref="Status"/> is
/// <see cref="DeidentificationStatus.Success"/>: a photo that fails any check never yields a partly protected image.
/// Dispose the result to release the image.
/// </summary>
public sealed class DeidentificationResult : IDisposable
{
    internal DeidentificationResult(DeidentificationStatus status, string message, FaceDetection? detection,
        FusionResult? fusion, AvatarMetadata? avatar, PipelineTimings timings, OcularAssessment? assessment = null,
        DeidentificationWarnings warnings = DeidentificationWarnings.None, ImageDecodingFailure? decodingFailure = null)
    {
        Warnings = warnings;
        DecodingFailure = decodingFailure;
        Assessment = assessment;
        Status = status;
        Message = message;
        Detection = detection;
        Fusion = fusion;
        Avatar = avatar;
        Timings = timings;
    }

    /// <summary>The outcome.</summary>
    public DeidentificationStatus Status { get; }

    /// <summary>What the caller should know even when the photo succeeded (for example a truncated file).</summary>
    public DeidentificationWarnings Warnings { get; }

    /// <summary>Why the file was refused, when <see cref="Status"/> is <see cref="DeidentificationStatus.UnreadableImage"/>; otherwise null.</summary>
    public ImageDecodingFailure? DecodingFailure { get; }

    /// <summary>True when the photo was de-identified.</summary>
    public bool Succeeded => Status == DeidentificationStatus.Success;

    /// <summary>A sentence saying what happened and, on failure, what to do.</summary>
    public string Message { get; }

    /// <summary>The de-identified image (metadata-free), or null unless <see cref="Succeeded"/>.</summary>
    public Image<Rgb24>? Image => Fusion?.Image;

    /// <summary>The face detection on the original photo (null when the file was unreadable).</summary>
    public FaceDetection? Detection { get; }

    /// <summary>The fusion details (transform, mask, the patient's landmarks in the output), or null.</summary>
    public FusionResult? Fusion { get; }

    /// <summary>The avatar used, or null.</summary>
    public AvatarMetadata? Avatar { get; }

    /// <summary>The pose the avatar was drawn at when the face was turned beyond the frontal limits
    /// (<see cref="DeidentificationOptions.MaxYawDegrees"/>, <see cref="DeidentificationOptions.MaxPitchDegrees"/>); null when
    /// the frontal avatar was used or nothing was made.</summary>
    public HeadPose? AvatarPose { get; init; }

    /// <summary>
    /// Degrees (clockwise, in (-180, 180]) by which the photo was turned to bring a rolled, sideways or upside-down face upright
    /// (<see cref="DeidentificationOptions.TurnPhotosUpright"/>); 0 when it was used as given. When not 0,
    /// <see cref="Detection"/>, <see cref="Assessment"/> and <see cref="FusionResult.PatientLandmarks"/>'s source refer to the
    /// turned photo.
    /// </summary>
    public float PhotoRotationDegrees { get; init; }

    /// <summary>
    /// The eye assessment (measurements, findings, capture-quality flags) on the patient's landmarks in the original photo,
    /// whenever a face was found, also when a quality check failed; null when no face was found or diagnostics are off.
    /// The same numbers follow from <see cref="FusionResult.PatientLandmarks"/> on the output.
    /// </summary>
    public OcularAssessment? Assessment { get; }

    /// <summary>Time spent in each stage.</summary>
    public PipelineTimings Timings { get; }

    /// <summary>
    /// Writes the de-identified image as PNG atomically (a temporary file in the same folder, then a rename),
    /// so a crash never leaves a half-written file. Never overwrites an existing file unless asked.
    /// </summary>
    /// <param name="path">Destination path.</param>
    /// <param name="overwrite">Replace an existing file.</param>
    /// <exception cref="InvalidOperationException">The result has no image.</exception>
    public void SavePng(string path, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Image<Rgb24> image = Image ?? throw new InvalidOperationException($"There is no image to save: status {Status} ({Message}).");
        AtomicFile.Write(path, overwrite, s => image.Save(s, FastPng));
    }

    /// <summary>
    /// Writes the de-identified image as PNG (no metadata) to <paramref name="destination"/>, for example an HTTP response
    /// body or a blob upload stream, asynchronously. The stream is not closed.
    /// </summary>
    /// <param name="destination">A writable stream.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="InvalidOperationException">The result has no image.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Task SavePngAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(destination));
        }

        Image<Rgb24> image = Image ?? throw new InvalidOperationException($"There is no image to save: status {Status} ({Message}).");
        return image.SaveAsync(destination, FastPng, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => Fusion?.Dispose();

    // Fastest zlib level (lossless either way): the CLI batch went from 2.84 to 4.39 images/s (benchmarks/cli-batch.sh 24).
    private static readonly SixLabors.ImageSharp.Formats.Png.PngEncoder FastPng = new()
    {
        CompressionLevel = SixLabors.ImageSharp.Formats.Png.PngCompressionLevel.BestSpeed,
    };
}

/// <summary>Milliseconds spent in each pipeline stage.</summary>
/// <param name="DetectMs">Face and landmark detection.</param>
/// <param name="AvatarMs">Avatar selection (rendering on first use).</param>
/// <param name="FuseMs">Fusion.</param>
/// <param name="TotalMs">Everything.</param>
public readonly record struct PipelineTimings(double DetectMs, double AvatarMs, double FuseMs, double TotalMs);
