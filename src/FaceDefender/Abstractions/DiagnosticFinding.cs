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
public sealed record DiagnosticFinding(
    FindingKind Kind,
    EyeSide Eye,
    DiagnosticMeasure Measure,
    double Value,
    ReferenceRange Range,
    double Excess,
    double? DeviationMm,
    PrismValue? Prism,
    string Description);
