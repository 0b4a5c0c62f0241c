using FaceDefender.Diagnostics;

namespace FaceDefender.Abstractions;

/// <summary>
/// One finding: which measure left which interval, by how much, and what that suggests. Immutable.
/// </summary>
/// <param name="Kind">What it suggests.</param>
/// <param name="Eye">The eye it concerns (<see cref="EyeSide.Both"/> for asymmetry).</param>
/// <param name="Measure">The measure that triggered it.</param>
/// <param name="Value">The measured value in <see cref="ReferenceRange.Unit"/> of <paramref name="Range"/>.</param>
/// <param name="Range">The reference range that was left.</param>
/// <param name="Excess">How far beyond the violated limit, in the range's unit (always positive).</param>
/// <param name="DeviationMm">For strabismus: the deviation in mm relative to the range's centre (inter-eye measures), else null.</param>
/// <param name="Prism">For strabismus: <paramref name="DeviationMm"/> in prism dioptres, else null.</param>
/// <param name="Description">One sentence in English for a report.</param>
/// <remarks>Whether the capture supports it: <see cref="IsReliable"/> and <see cref="CaptureConcerns"/>.</remarks>
public sealed record DiagnosticFinding(
    FindingKind Kind,
    EyeSide Eye,
    DiagnosticMeasure Measure,
    double Value,
    ReferenceRange Range,
    double Excess,
    double? DeviationMm,
    PrismValue? Prism,
    string Description)
{
    /// <summary>
    /// The capture-quality flags of the assessment that bear on this finding: whole-face flags (pose, face size,
    /// gaze) for every finding; an eye's own flags (closed, iris too small) for findings on that eye and for every
    /// finding from an inter-eye measure (strabismus, asymmetry). Empty when the capture supports the finding.
    /// Set by <see cref="OcularAssessment"/>; a finding outside an assessment has none.
    /// </summary>
    public IReadOnlyList<CaptureQualityFlag> CaptureConcerns { get; init; } = [];

    /// <summary>True when no capture-quality flag bears on this finding (<see cref="CaptureConcerns"/> is empty).</summary>
    public bool IsReliable => CaptureConcerns.Count == 0;
}
