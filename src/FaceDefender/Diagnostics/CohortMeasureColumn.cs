using FaceDefender.Abstractions;

namespace FaceDefender.Diagnostics;

/// <summary>Which cohort-CSV column holds which measure. Immutable.</summary>
/// <param name="Column">The CSV header name.</param>
/// <param name="Measure">The measure.</param>
/// <param name="Eye">Right or Left for per-eye measures, Both for inter-eye measures.</param>
/// <param name="Unit">The unit of the column's values.</param>
public sealed record CohortMeasureColumn(string Column, DiagnosticMeasure Measure, EyeSide Eye, MeasureUnit Unit)
{
    /// <summary>A column named by the convention of <see cref="MeasureCatalog.ColumnName"/>.</summary>
    public static CohortMeasureColumn Conventional(DiagnosticMeasure measure, EyeSide eye, MeasureUnit unit) =>
        new(MeasureCatalog.ColumnName(measure, eye, unit), measure, eye, unit);

    /// <summary>
    /// The columns a standard is usually built from: per eye MRD1, MRD2, fissure height (mm), the paper's
    /// L / R (iris diameters) and height/width ratio, decentration (mm); between the eyes the horizontal
    /// vergence, vertical difference and MRD1 asymmetry (mm).
    /// </summary>
    public static IReadOnlyList<CohortMeasureColumn> Standard { get; } = BuildStandard();

    /// <summary>Parses a conventional column name such as <c>mrd1_right_mm</c>; null when it is not one.</summary>
    public static CohortMeasureColumn? TryParse(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        foreach (DiagnosticMeasure m in Enum.GetValues<DiagnosticMeasure>())
        {
            foreach (EyeSide e in Enum.GetValues<EyeSide>())
            {
                foreach (MeasureUnit u in MeasureCatalog.Units(m))
                {
                    if (MeasureCatalog.IsInterEye(m) == (e == EyeSide.Both) && MeasureCatalog.ColumnName(m, e, u) == column)
                    {
                        return new CohortMeasureColumn(column, m, e, u);
                    }
                }
            }
        }

        return null;
    }

    private static CohortMeasureColumn[] BuildStandard()
    {
        var list = new List<CohortMeasureColumn>();
        foreach (EyeSide eye in (ReadOnlySpan<EyeSide>)[EyeSide.Right, EyeSide.Left])
        {
            list.Add(Conventional(DiagnosticMeasure.IrisToInnerCanthus, eye, MeasureUnit.IrisDiameters));
            list.Add(Conventional(DiagnosticMeasure.FissureHeightToIrisWidthRatio, eye, MeasureUnit.Ratio));
            list.Add(Conventional(DiagnosticMeasure.Mrd1, eye, MeasureUnit.Millimetres));
            list.Add(Conventional(DiagnosticMeasure.Mrd2, eye, MeasureUnit.Millimetres));
            list.Add(Conventional(DiagnosticMeasure.FissureHeight, eye, MeasureUnit.Millimetres));
            list.Add(Conventional(DiagnosticMeasure.DecentrationNasal, eye, MeasureUnit.Millimetres));
            list.Add(Conventional(DiagnosticMeasure.DecentrationUp, eye, MeasureUnit.Millimetres));
        }

        list.Add(Conventional(DiagnosticMeasure.HorizontalVergence, EyeSide.Both, MeasureUnit.Millimetres));
        list.Add(Conventional(DiagnosticMeasure.VerticalDifference, EyeSide.Both, MeasureUnit.Millimetres));
        list.Add(Conventional(DiagnosticMeasure.Mrd1Asymmetry, EyeSide.Both, MeasureUnit.Millimetres));
        list.Add(Conventional(DiagnosticMeasure.HirschbergHorizontal, EyeSide.Both, MeasureUnit.PrismDioptres));
        list.Add(Conventional(DiagnosticMeasure.HirschbergVertical, EyeSide.Both, MeasureUnit.PrismDioptres));
        return [.. list];
    }
}
