using FaceDefender.Landmarks;

namespace FaceDefender.Abstractions;

/// <summary>The result of <see cref="IDiagnosticBenchmark.Assess"/>. Immutable.</summary>
public sealed class OcularAssessment
{
    /// <summary>Creates an assessment (used by the benchmark).</summary>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    public OcularAssessment(OcularMeasurements measurements, IReadOnlyList<DiagnosticFinding> findings, IReadOnlyList<CaptureQualityFlag> qualityFlags,
        string standardName, CoordinateSpace space)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(qualityFlags);
        ArgumentNullException.ThrowIfNull(standardName);
        Measurements = measurements;
        QualityFlags = qualityFlags.ToArray();
        Findings = findings.Select(f => f with { CaptureConcerns = ConcernsFor(f, QualityFlags) }).ToArray();
        StandardName = standardName;
        Space = space;
    }

    /// <summary>Every measurement.</summary>
    public OcularMeasurements Measurements { get; }

    /// <summary>
    /// Findings, right eye first, then left, then both. Each carries the capture-quality flags that bear on it
    /// (<see cref="DiagnosticFinding.CaptureConcerns"/>, set here from <see cref="QualityFlags"/>): a finding with
    /// concerns is unreliable and should be withheld or shown as such (<see cref="ReliableFindings"/>).
    /// </summary>
    public IReadOnlyList<DiagnosticFinding> Findings { get; }

    /// <summary>The findings no capture-quality flag bears on (<see cref="DiagnosticFinding.IsReliable"/>).</summary>
    public IReadOnlyList<DiagnosticFinding> ReliableFindings => [.. Findings.Where(f => f.IsReliable)];

    /// <summary>True when every finding is reliable (also when there are none).</summary>
    public bool AreFindingsReliable => Findings.All(f => f.IsReliable);

    /// <summary>Capture-quality problems; each finding lists those that bear on it (<see cref="DiagnosticFinding.CaptureConcerns"/>).</summary>
    public IReadOnlyList<CaptureQualityFlag> QualityFlags { get; }

    /// <summary>True when no capture-quality flag was raised.</summary>
    public bool IsCaptureAcceptable => QualityFlags.Count == 0;

    /// <summary>The name of the reference standard the findings were judged against.</summary>
    public string StandardName { get; }

    /// <summary>Which image the landmark coordinates (and <see cref="EyeMeasurements.Points"/>) refer to.</summary>
    public CoordinateSpace Space { get; }

    /// <summary>
    /// The flags bearing on a finding: whole-face flags always; an eye's flags for findings on that eye and for
    /// findings from inter-eye measures or on both eyes. A missing reflex bears on none (without it there is no alignment
    /// finding, and the margin-reflex distances fall back to the limbus centre); a limbus centre not measured on the
    /// image bears on the alignment findings only.
    /// </summary>
    private static CaptureQualityFlag[] ConcernsFor(DiagnosticFinding f, IReadOnlyList<CaptureQualityFlag> flags)
    {
        bool alignment = f.Kind is FindingKind.Esotropia or FindingKind.Exotropia or FindingKind.Hypertropia or FindingKind.Hypotropia;
        bool bothEyes = f.Eye == EyeSide.Both || Diagnostics.MeasureCatalog.IsInterEye(f.Measure) || alignment;
        return [.. flags.Where(q => q.Issue switch
        {
            CaptureQualityIssue.NoCornealReflex => false,
            CaptureQualityIssue.LimbusNotMeasured => alignment,
            _ => q.Eye == EyeSide.Both || bothEyes || q.Eye == f.Eye,
        })];
    }

    /// <summary>The findings concerning <paramref name="eye"/> (Right or Left), asymmetry excluded.</summary>
    public IEnumerable<DiagnosticFinding> FindingsFor(EyeSide eye) => Findings.Where(f => f.Eye == eye);
}
