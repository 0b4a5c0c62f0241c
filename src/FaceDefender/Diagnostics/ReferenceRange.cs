using FaceDefender.Abstractions;

namespace FaceDefender.Diagnostics;

/// <summary>
/// The normal range of one measure: its limits, what produced them and where they come from. Immutable.
/// A value equal to a limit is inside the range.
/// </summary>
/// <param name="Measure">The measure.</param>
/// <param name="Eye">The eye it applies to: Right, Left, or Both (each eye, or an inter-eye measure).</param>
/// <param name="Unit">The unit of the limits.</param>
/// <param name="Lower">Lower limit, or null for none.</param>
/// <param name="Upper">Upper limit, or null for none.</param>
/// <param name="Method">How the limits were obtained (e.g. "normal method, mean ± 1.96 SD").</param>
/// <param name="N">Number of people the limits were estimated from, or null when not population-derived.</param>
/// <param name="Source">Where the limits come from (publication, cohort file, or "library default").</param>
/// <param name="Coverage">Central fraction of healthy people covered (e.g. 0.95), or null when unknown.</param>
public sealed record ReferenceRange(
    DiagnosticMeasure Measure,
    EyeSide Eye,
    MeasureUnit Unit,
    double? Lower,
    double? Upper,
    string Method,
    int? N,
    string Source,
    double? Coverage = null)
{
    /// <summary>The centre of the range (the normal value inter-eye deviations are measured from); the one limit when only one exists.</summary>
    public double Centre => (Lower, Upper) switch
    {
        ({ } lo, { } hi) => (lo + hi) / 2,
        ({ } lo, null) => lo,
        (null, { } hi) => hi,
        _ => 0,
    };

    /// <summary>-1 below the range, +1 above it, 0 inside (limits included).</summary>
    public int Compare(double value) => value < Lower ? -1 : value > Upper ? 1 : 0;

    /// <summary>Throws when the range is not usable.</summary>
    /// <exception cref="ArgumentException">No limit, a non-finite limit, lower above upper, a unit that does not fit the measure, or empty text.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Measure) || !Enum.IsDefined(Eye) || !Enum.IsDefined(Unit))
        {
            throw new ArgumentException($"Range {Measure}/{Eye}/{Unit}: undefined enum value.", nameof(Measure));
        }

        if (Lower is null && Upper is null)
        {
            throw new ArgumentException($"Range {Measure}/{Eye}: give a lower limit, an upper limit or both.", nameof(Lower));
        }

        if ((Lower is { } lo && !double.IsFinite(lo)) || (Upper is { } hi && !double.IsFinite(hi)))
        {
            throw new ArgumentException($"Range {Measure}/{Eye}: limits must be finite numbers.", nameof(Lower));
        }

        if (Lower > Upper)
        {
            throw new ArgumentException($"Range {Measure}/{Eye}: lower limit {Lower} is above upper limit {Upper}.", nameof(Lower));
        }

        if (!MeasureCatalog.AllowsUnit(Measure, Unit))
        {
            throw new ArgumentException($"Range {Measure}/{Eye}: unit {Unit} does not apply (use {string.Join(" or ", MeasureCatalog.Units(Measure))}).", nameof(Unit));
        }

        if (MeasureCatalog.IsInterEye(Measure) && Eye != EyeSide.Both)
        {
            throw new ArgumentException($"Range {Measure}: an inter-eye measure takes Eye = Both.", nameof(Eye));
        }

        if (string.IsNullOrWhiteSpace(Method) || string.IsNullOrWhiteSpace(Source))
        {
            throw new ArgumentException($"Range {Measure}/{Eye}: state the method and the source.", nameof(Source));
        }

        if (N is < 1 || (Coverage is { } coverage && !(coverage > 0 && coverage < 1)))
        {
            throw new ArgumentException($"Range {Measure}/{Eye}: N must be positive and Coverage in (0, 1).", nameof(N));
        }
    }
}
