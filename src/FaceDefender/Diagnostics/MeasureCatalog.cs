using FaceDefender.Abstractions;

namespace FaceDefender.Diagnostics;

/// <summary>What kind of value each <see cref="DiagnosticMeasure"/> is and how to read it from measurements.</summary>
public static class MeasureCatalog
{
    private static readonly MeasureUnit[] LengthUnits = [MeasureUnit.Millimetres, MeasureUnit.IrisDiameters, MeasureUnit.Pixels];

    /// <summary>True for measures between the eyes (their ranges take <see cref="EyeSide.Both"/>).</summary>
    public static bool IsInterEye(DiagnosticMeasure measure) => measure is DiagnosticMeasure.IrisToInnerCanthusDifference
        or DiagnosticMeasure.HorizontalVergence or DiagnosticMeasure.VerticalDifference or DiagnosticMeasure.Mrd1Asymmetry
        or DiagnosticMeasure.FissureHeightAsymmetry or DiagnosticMeasure.InterPupillaryDistance
        or DiagnosticMeasure.HirschbergHorizontal or DiagnosticMeasure.HirschbergVertical;

    /// <summary>The units a measure can be expressed in.</summary>
    public static IReadOnlyList<MeasureUnit> Units(DiagnosticMeasure measure) => measure switch
    {
        DiagnosticMeasure.FissureHeightToIrisWidthRatio => [MeasureUnit.Ratio],
        DiagnosticMeasure.CanthalTilt => [MeasureUnit.Degrees],
        DiagnosticMeasure.HorizontalVergence or DiagnosticMeasure.VerticalDifference
            or DiagnosticMeasure.HirschbergHorizontal or DiagnosticMeasure.HirschbergVertical => [.. LengthUnits, MeasureUnit.PrismDioptres],
        _ => LengthUnits,
    };

    /// <summary>Whether <paramref name="unit"/> applies to <paramref name="measure"/>.</summary>
    public static bool AllowsUnit(DiagnosticMeasure measure, MeasureUnit unit) => Units(measure).Contains(unit);

    /// <summary>
    /// The value of a measure in a unit. For per-eye measures pass Right or Left; for inter-eye
    /// measures pass Both.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="m"/> is null.</exception>
    /// <exception cref="ArgumentException">The eye or unit does not fit the measure.</exception>
    public static double Value(OcularMeasurements m, DiagnosticMeasure measure, EyeSide eye, MeasureUnit unit)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (!AllowsUnit(measure, unit))
        {
            throw new ArgumentException($"{measure} cannot be expressed in {unit}.", nameof(unit));
        }

        if (IsInterEye(measure) != (eye == EyeSide.Both))
        {
            throw new ArgumentException($"{measure} needs eye {(IsInterEye(measure) ? "Both" : "Right or Left")}.", nameof(eye));
        }

        if (unit == MeasureUnit.PrismDioptres)
        {
            return measure switch
            {
                DiagnosticMeasure.HorizontalVergence => m.HorizontalVergencePrism.Dioptres,
                DiagnosticMeasure.VerticalDifference => m.VerticalDifferencePrism.Dioptres,
                DiagnosticMeasure.HirschbergHorizontal => m.Hirschberg.HorizontalPrism.Dioptres,
                _ => m.Hirschberg.VerticalPrism.Dioptres,
            };
        }

        return measure switch
        {
            DiagnosticMeasure.IrisToInnerCanthusDifference => m.D.In(unit),
            DiagnosticMeasure.HorizontalVergence => m.HorizontalVergence.In(unit),
            DiagnosticMeasure.VerticalDifference => m.VerticalDifference.In(unit),
            DiagnosticMeasure.HirschbergHorizontal => m.Hirschberg.Horizontal.In(unit),
            DiagnosticMeasure.HirschbergVertical => m.Hirschberg.Vertical.In(unit),
            DiagnosticMeasure.Mrd1Asymmetry => m.Mrd1Asymmetry.In(unit),
            DiagnosticMeasure.FissureHeightAsymmetry => m.FissureHeightAsymmetry.In(unit),
            DiagnosticMeasure.InterPupillaryDistance => m.InterPupillaryDistance.In(unit),
            DiagnosticMeasure.FissureHeightToIrisWidthRatio => m[eye].FissureHeightToIrisWidthRatio,
            DiagnosticMeasure.CanthalTilt => m[eye].CanthalTiltDegrees,
            DiagnosticMeasure.IrisToInnerCanthus => m[eye].IrisToInnerCanthus.In(unit),
            DiagnosticMeasure.FissureHeight => m[eye].FissureHeight.In(unit),
            DiagnosticMeasure.FissureWidth => m[eye].FissureWidth.In(unit),
            DiagnosticMeasure.IrisWidth => m[eye].IrisWidth.In(unit),
            DiagnosticMeasure.Mrd1 => m[eye].Mrd1.In(unit),
            DiagnosticMeasure.Mrd2 => m[eye].Mrd2.In(unit),
            DiagnosticMeasure.DecentrationNasal => m[eye].DecentrationNasal.In(unit),
            DiagnosticMeasure.DecentrationUp => m[eye].DecentrationUp.In(unit),
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "Unknown measure."),
        };
    }

    /// <summary>The conventional cohort-CSV column name of a measure: e.g. <c>mrd1_right_mm</c>, <c>horizontal_vergence_both_mm</c>.</summary>
    public static string ColumnName(DiagnosticMeasure measure, EyeSide eye, MeasureUnit unit)
    {
        string m = string.Concat(measure.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        string u = unit switch
        {
            MeasureUnit.Millimetres => "mm",
            MeasureUnit.IrisDiameters => "iris",
            MeasureUnit.Pixels => "px",
            MeasureUnit.Ratio => "ratio",
            MeasureUnit.Degrees => "deg",
            MeasureUnit.PrismDioptres => "pd",
            _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown unit."),
        };
        return $"{m}_{eye.ToString().ToLowerInvariant()}_{u}";
    }
}
