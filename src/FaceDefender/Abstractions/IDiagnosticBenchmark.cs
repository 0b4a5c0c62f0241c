using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Abstractions;

/// <summary>
/// Measures the eye region from a face's 478 landmarks, compares the measurements with a
/// <see cref="ReferenceStandard"/> and reports findings and capture-quality flags.
/// </summary>
/// <remarks>
/// Works on landmarks only, so the same numbers come out of the original photo and, through the
/// mapped landmarks (<c>FusionResult.PatientLandmarks</c>), out of the de-identified image: every
/// reported scale-free and millimetre value is invariant under a similarity transform.
/// Implementations are immutable and thread-safe.
/// </remarks>
public interface IDiagnosticBenchmark
{
    /// <summary>The reference standard findings are judged against.</summary>
    ReferenceStandard Standard { get; }

    /// <summary>Measures one face and judges the measurements.</summary>
    /// <param name="landmarks">The face's landmarks (any coordinate space).</param>
    /// <param name="pose">The head pose from the detector (<see cref="DetectedFace.Pose"/>), or null to estimate it from the landmarks.</param>
    /// <returns>Measurements, findings and capture-quality flags. A poor capture is a flag, never an exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="landmarks"/> is null.</exception>
    OcularAssessment Assess(FaceLandmarks landmarks, HeadPose? pose = null);
}
