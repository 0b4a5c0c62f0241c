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
        Findings = findings.ToArray();
        QualityFlags = qualityFlags.ToArray();
        StandardName = standardName;
        Space = space;
    }

    /// <summary>Every measurement.</summary>
    public OcularMeasurements Measurements { get; }

    /// <summary>Findings, right eye first, then left, then both.</summary>
    public IReadOnlyList<DiagnosticFinding> Findings { get; }

    /// <summary>Capture-quality problems; when any is present, read the findings with caution.</summary>
    public IReadOnlyList<CaptureQualityFlag> QualityFlags { get; }

    /// <summary>True when no capture-quality flag was raised.</summary>
    public bool IsCaptureAcceptable => QualityFlags.Count == 0;

    /// <summary>The name of the reference standard the findings were judged against.</summary>
    public string StandardName { get; }

    /// <summary>Which image the landmark coordinates (and <see cref="EyeMeasurements.Points"/>) refer to.</summary>
    public CoordinateSpace Space { get; }

    /// <summary>The findings concerning <paramref name="eye"/> (Right or Left), asymmetry excluded.</summary>
    public IEnumerable<DiagnosticFinding> FindingsFor(EyeSide eye) => Findings.Where(f => f.Eye == eye);
}
