using FaceDefender.Abstractions;
using FaceDefender.Landmarks;

namespace FaceDefender.Diagnostics;

/// <summary>
/// The diagnostic benchmark on MediaPipe Face Mesh landmarks: measures each eye (the paper's L, R,
/// |L - R|, fissure heights, iris widths and ratios; MRD1, MRD2, fissure width, decentration,
/// inter-eye deviation in prism dioptres, inter-pupillary distance, canthal tilt, head pose) in
/// pixels, iris diameters and mm, judges them against a <see cref="ReferenceStandard"/> and flags poor
/// captures. See docs/diagnostics.md for the landmark points of every measure.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. An assessment takes microseconds (no image is read). The scale-free
/// and mm values do not change under any similarity transform of the landmarks (scale, rotation,
/// translation), so the original photo and the de-identified output give the same numbers.
/// </remarks>
public sealed class LandmarkDiagnosticBenchmark : IDiagnosticBenchmark
{
    /// <summary>Creates a benchmark.</summary>
    /// <param name="standard">The reference standard; null for <see cref="ReferenceStandard.Default"/>.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="ArgumentException">The options' Hirschberg range does not contain its ratio, or an option enum is undefined.</exception>
    public LandmarkDiagnosticBenchmark(ReferenceStandard? standard = null, DiagnosticOptions? options = null)
    {
        Options = options ?? new DiagnosticOptions();
        if (!(Options.PrismDioptresPerMmLow <= Options.PrismDioptresPerMm && Options.PrismDioptresPerMm <= Options.PrismDioptresPerMmHigh))
        {
            throw new ArgumentException(
                $"The Hirschberg range {Options.PrismDioptresPerMmLow}..{Options.PrismDioptresPerMmHigh} PD/mm must contain the ratio {Options.PrismDioptresPerMm}.", nameof(options));
        }

        if (!(Options.PrismDioptresPerMmLow <= Options.ReflexPrismDioptresPerMm && Options.ReflexPrismDioptresPerMm <= Options.PrismDioptresPerMmHigh))
        {
            throw new ArgumentException(
                $"The Hirschberg range {Options.PrismDioptresPerMmLow}..{Options.PrismDioptresPerMmHigh} PD/mm must contain the reflex ratio {Options.ReflexPrismDioptresPerMm}.", nameof(options));
        }

        if (!Enum.IsDefined(Options.Frame) || !Enum.IsDefined(Options.LidMargin) || !Enum.IsDefined(Options.Scale))
        {
            throw new ArgumentException("Options.Frame, LidMargin and Scale must be defined enum values.", nameof(options));
        }

        Standard = standard ?? ReferenceStandard.Default;
    }

    /// <inheritdoc />
    public ReferenceStandard Standard { get; }

    /// <summary>The options.</summary>
    public DiagnosticOptions Options { get; }

    /// <inheritdoc />
    public OcularAssessment Assess(FaceLandmarks landmarks, HeadPose? pose = null)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        OcularMeasurements m = Measure(landmarks, pose);
        return new OcularAssessment(m, FindingRules.Findings(m, Standard, Options), FindingRules.Quality(m, Standard, Options), Standard.Name, landmarks.Space);
    }

    /// <summary>Assesses a detected face with the detector's head pose.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="face"/> is null.</exception>
    public OcularAssessment Assess(DetectedFace face)
    {
        ArgumentNullException.ThrowIfNull(face);
        return Assess(face.Landmarks, face.Pose);
    }

    /// <summary>The measurements only (no standard involved).</summary>
    /// <param name="landmarks">The face's landmarks.</param>
    /// <param name="pose">The detector's head pose, or null to estimate it from the landmarks.</param>
    /// <exception cref="ArgumentNullException"><paramref name="landmarks"/> is null.</exception>
    public OcularMeasurements Measure(FaceLandmarks landmarks, HeadPose? pose = null)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        return OcularMeasurer.Measure(landmarks, pose, Options);
    }
}
