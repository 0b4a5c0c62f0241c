using System.Globalization;

namespace FaceDefender.Synthesis;

/// <summary>
/// How finely the geometry-only output keeps the patient's eye geometry: each kept quantity is rounded to a clinical
/// step before the eyes are drawn, so the output (and anything measured on it) carries only the rounded values.
/// Immutable; validated on construction. A step of 0 keeps that quantity exactly.
/// </summary>
/// <remarks>
/// <para>The kept quantities, per eye, in the measurement frame of <see cref="FaceDefender.Diagnostics.LandmarkDiagnosticBenchmark"/>
/// with its default options: MRD1 and MRD2 (from the corneal reflex, or the limbus centre without one), fissure width,
/// iris centre to inner canthus (the paper's L and R) and upward decentration, all to <see cref="Millimetres"/>; the
/// canthal tilt to <see cref="Degrees"/>; the corneal reflex's displacement from the limbus centre (the Hirschberg
/// reading) to the displacement of <see cref="PrismDioptres"/> at the reflex's Hirschberg ratio; and between the eyes
/// the inter-pupillary distance to <see cref="InterPupillaryMillimetres"/>. The other measures are functions of these
/// (fissure height is MRD1 + MRD2 plus the lid contour's curvature between the reflex and the lid midpoint; nasal
/// decentration is L or R minus half the canthal span) and are not rounded separately. The shape of each lid between
/// the canthi and the measured point is kept (moved with them), not rounded.</para>
/// <para>The default (<see cref="Default"/>: 0.5 mm, 1 PD, 1 degree, 1 mm) follows how these values are recorded in
/// the clinic: lid positions and fissures are read with a millimetre rule and written to the nearest 0.5 mm, prism
/// bars step by 1-2 PD at small angles, canthal tilt is written in whole degrees and the inter-pupillary distance in
/// whole millimetres. At the default, no kept quantity moves by more than half its step (0.25 mm, 0.5 PD, 0.5 degree,
/// 0.5 mm), below the 0.5 mm in which lid measurements are recorded. What this rounding does and does not hide from
/// an attacker who measures eyes is reported by <c>GeometryAttackSimulation</c> in the FaceDefender.Privacy package
/// (docs/privacy.md).</para>
/// </remarks>
public sealed class GeometryPrecision : IEquatable<GeometryPrecision>
{
    /// <summary>The default clinical steps: 0.5 mm, 1 PD, 1 degree, inter-pupillary distance 1 mm (see the remarks).</summary>
    public static GeometryPrecision Default { get; } = new();

    /// <summary>No rounding: every kept quantity is the patient's, to the detector's precision.</summary>
    public static GeometryPrecision Exact { get; } = new(0, 0, 0, 0);

    /// <summary>Creates a precision; every argument is optional, 0 keeps that quantity exactly.</summary>
    /// <param name="millimetres">Step of MRD1, MRD2, fissure width, iris to inner canthus and upward decentration, mm (0 .. 5; default 0.5).</param>
    /// <param name="prismDioptres">Step of each eye's corneal-reflex displacement, prism dioptres (0 .. 20; default 1).</param>
    /// <param name="degrees">Step of the canthal tilt, degrees (0 .. 20; default 1).</param>
    /// <param name="interPupillaryMillimetres">Step of the inter-pupillary distance, mm (0 .. 20; default 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A step outside its range or not finite.</exception>
    public GeometryPrecision(double millimetres = 0.5, double prismDioptres = 1, double degrees = 1, double interPupillaryMillimetres = 1)
    {
        Millimetres = Check(millimetres, 5, nameof(millimetres));
        PrismDioptres = Check(prismDioptres, 20, nameof(prismDioptres));
        Degrees = Check(degrees, 20, nameof(degrees));
        InterPupillaryMillimetres = Check(interPupillaryMillimetres, 20, nameof(interPupillaryMillimetres));
    }

    /// <summary>Step of the per-eye lengths (MRD1, MRD2, fissure width, iris to inner canthus, upward decentration), mm; 0 = exact.</summary>
    public double Millimetres { get; }

    /// <summary>Step of each eye's corneal-reflex displacement, prism dioptres; 0 = exact.</summary>
    public double PrismDioptres { get; }

    /// <summary>Step of the canthal tilt, degrees; 0 = exact.</summary>
    public double Degrees { get; }

    /// <summary>Step of the inter-pupillary distance, mm; 0 = exact.</summary>
    public double InterPupillaryMillimetres { get; }

    /// <summary>Whether every step is 0 (nothing is rounded).</summary>
    public bool IsExact => Millimetres == 0 && PrismDioptres == 0 && Degrees == 0 && InterPupillaryMillimetres == 0;

    /// <summary>The clinical cost: the largest change of any kept length, mm (half the larger length step).</summary>
    public double LargestChangeMillimetres => Math.Max(Millimetres, InterPupillaryMillimetres) / 2;

    /// <summary><paramref name="value"/> rounded to a multiple of <paramref name="step"/> (midpoints away from zero); unchanged when the step is 0.</summary>
    /// <param name="value">The value.</param>
    /// <param name="step">The step (0 or positive).</param>
    /// <returns>The rounded value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite step.</exception>
    public static double Round(double value, double step)
    {
        if (!(step >= 0) || double.IsInfinity(step))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "A step is 0 (exact) or positive.");
        }

        return step == 0 || !double.IsFinite(value) ? value : Math.Round(value / step, MidpointRounding.AwayFromZero) * step;
    }

    /// <inheritdoc />
    public bool Equals(GeometryPrecision? other) => other is not null && Millimetres == other.Millimetres && PrismDioptres == other.PrismDioptres
        && Degrees == other.Degrees && InterPupillaryMillimetres == other.InterPupillaryMillimetres;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GeometryPrecision);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Millimetres, PrismDioptres, Degrees, InterPupillaryMillimetres);

    /// <summary>For example "0.5 mm, 1 PD, 1 deg, IPD 1 mm", or "exact".</summary>
    public override string ToString() => IsExact
        ? "exact"
        : string.Create(CultureInfo.InvariantCulture, $"{Millimetres:0.###} mm, {PrismDioptres:0.###} PD, {Degrees:0.###} deg, IPD {InterPupillaryMillimetres:0.###} mm");

    private static double Check(double value, double max, string name) => value >= 0 && value <= max
        ? value
        : throw new ArgumentOutOfRangeException(name, value, $"Must be between 0 (exact) and {max}.");
}
