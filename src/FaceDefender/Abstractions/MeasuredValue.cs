namespace FaceDefender.Abstractions;

/// <summary>
/// One length measurement in three units. Immutable.
/// </summary>
/// <param name="Pixels">In pixels of the image the landmarks refer to (depends on face size).</param>
/// <param name="IrisDiameters">Pixels divided by the iris diameter in pixels (scale-free).</param>
/// <param name="Millimetres">Iris diameters times the assumed visible iris diameter in mm.</param>
/// <param name="MillimetresUncertainty">
/// Standard uncertainty (1 SD) of <paramref name="Millimetres"/> that comes from the assumed iris
/// diameter alone: |mm| x (iris diameter SD / iris diameter). Landmark error is not included.
/// </param>
public readonly record struct MeasuredValue(double Pixels, double IrisDiameters, double Millimetres, double MillimetresUncertainty)
{
    /// <summary>A value that could not be measured: NaN in every unit.</summary>
    internal static MeasuredValue NotMeasured => new(double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>The value in <paramref name="unit"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A unit that does not apply to a length.</exception>
    public double In(MeasureUnit unit) => unit switch
    {
        MeasureUnit.Pixels => Pixels,
        MeasureUnit.IrisDiameters => IrisDiameters,
        MeasureUnit.Millimetres => Millimetres,
        MeasureUnit.PrismDioptres => throw new ArgumentOutOfRangeException(nameof(unit), unit, "A length has no prism-dioptre value; use PrismValue for inter-eye deviations."),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "A length is expressed in Pixels, IrisDiameters or Millimetres."),
    };

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Millimetres:F2} mm ({IrisDiameters:F3} iris, {Pixels:F1} px)");
}
