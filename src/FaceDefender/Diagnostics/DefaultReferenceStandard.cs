using FaceDefender.Abstractions;

namespace FaceDefender.Diagnostics;

/// <summary>The default standard's numbers and their sources (see docs/diagnostics.md).</summary>
internal static class DefaultReferenceStandard
{
    /// <summary>
    /// Pixels per iris diameter at the paper's 1024-pixel FFHQ-aligned scale: the alignment leaves about
    /// 256 px between the eye centres; adult mean inter-pupillary distance 63.36 mm (Dodgson 2004);
    /// visible iris diameter 11.7 mm. 256 x 11.7 / 63.36 = 47.27 px (uncertain by about ±10 %).
    /// </summary>
    public const double PaperPixelsPerIrisDiameter = 256.0 * 11.7 / 63.36;

    private const string Paper = "Tan, Chen, Wang et al., J Med Internet Res 2025;27:e66873 (published px range at the 1024 FFHQ scale, divided by 47.27 px per iris diameter = 256 px eye distance x 11.7 mm / 63.36 mm IPD)";
    private const string PaperMethod = "population reference range of 1,163 healthy people (Tukey 1.5 IQR outlier removal, normality test, normal or bootstrap method), re-expressed in iris diameters";
    private const string PaperRatioMethod = "population reference range of 1,163 healthy people (Tukey 1.5 IQR outlier removal, normality test, normal or bootstrap method); a ratio, so unchanged";
    private const string Literature = "literature norm";

    public static ReferenceStandard Instance { get; } = Build();

    private static ReferenceStandard Build()
    {
        const double k = PaperPixelsPerIrisDiameter;
        ReferenceRange[] ranges =
        [
            new(DiagnosticMeasure.IrisToInnerCanthus, EyeSide.Left, MeasureUnit.IrisDiameters, 46 / k, 60 / k, PaperMethod, 1163, Paper + "; L in [46, 60] px"),
            new(DiagnosticMeasure.IrisToInnerCanthus, EyeSide.Right, MeasureUnit.IrisDiameters, 45 / k, 62.4 / k, PaperMethod, 1163, Paper + "; R in [45, 62.4] px"),
            new(DiagnosticMeasure.FissureHeightToIrisWidthRatio, EyeSide.Left, MeasureUnit.Ratio, 0.569, 0.872, PaperRatioMethod, 1163, "Tan, Chen, Wang et al., J Med Internet Res 2025;27:e66873"),
            new(DiagnosticMeasure.FissureHeightToIrisWidthRatio, EyeSide.Right, MeasureUnit.Ratio, 0.558, 0.870, PaperRatioMethod, 1163, "Tan, Chen, Wang et al., J Med Internet Res 2025;27:e66873"),
            new(DiagnosticMeasure.Mrd1, EyeSide.Both, MeasureUnit.Millimetres, 2.0, 5.5, Literature + ": normal MRD1 about 4-5 mm; ptosis is commonly graded from MRD1 of 2 mm or less; above about 5.5 mm the lid clears the upper limbus (iris radius 5.85 mm), i.e. upper scleral show", null,
                "Putterman AM, Ophthal Plast Reconstr Surg 2012;28:308-311 (MRD1, MRD2); limbus from the 11.7 mm iris diameter"),
            new(DiagnosticMeasure.Mrd2, EyeSide.Both, MeasureUnit.Millimetres, 4.0, 6.5, Literature + ": normal MRD2 about 5-5.5 mm; beyond about 6.5 mm the lower lid sits below the lower limbus (inferior scleral show, lower-lid retraction)", null,
                "Putterman AM, Ophthal Plast Reconstr Surg 2012;28:308-311; limbus from the 11.7 mm iris diameter"),
            new(DiagnosticMeasure.FissureHeight, EyeSide.Both, MeasureUnit.Millimetres, 7.0, 12.0, Literature + ": adult palpebral fissure height about 9-10 mm (range about 7-12 mm)", null,
                "standard oculoplastic texts (e.g. AAO Basic and Clinical Science Course, Orbit, Eyelids and Lacrimal System)"),
            new(DiagnosticMeasure.Mrd1Asymmetry, EyeSide.Both, MeasureUnit.Millimetres, -2.0, 2.0, Literature + ": an MRD1 difference of 2 mm or more between the eyes is notable", null,
                "clinical convention (an inter-eye MRD1 difference of 2 mm or more is notable)"),
            new(DiagnosticMeasure.HirschbergHorizontal, EyeSide.Both, MeasureUnit.PrismDioptres, -10, 10, "library default, not population-derived: a deviation of 10 PD or more by the corneal reflexes; below it a photographic Hirschberg estimate cannot separate a small deviation from the spread of angle kappa (about ±0.15 mm per eye, ±4 PD for the difference) and landmark error; replace with a cohort-built standard", null,
                "library default (limbus-referenced Hirschberg ratio 19.4 PD/mm, Barry and Baches 1997; individual range 14-24)"),
            new(DiagnosticMeasure.HirschbergVertical, EyeSide.Both, MeasureUnit.PrismDioptres, -10, 10, "library default, not population-derived: a vertical deviation of 10 PD or more by the corneal reflexes; replace with a cohort-built standard", null,
                "library default (limbus-referenced Hirschberg ratio 19.4 PD/mm; individual range 14-24)"),
            new(DiagnosticMeasure.DecentrationNasal, EyeSide.Both, MeasureUnit.Millimetres, -1.0, 1.0, "library default, not population-derived: iris assumed centred between the canthi; used only to detect off-centre gaze when the corneal reflexes are missing", null,
                "library default"),
            new(DiagnosticMeasure.DecentrationUp, EyeSide.Both, MeasureUnit.Millimetres, -1.0, 1.0, "library default, not population-derived: iris assumed centred on the canthal line; used only to detect off-centre gaze when the corneal reflexes are missing", null,
                "library default"),
        ];
        return new ReferenceStandard(
            "FaceDefender default 2026-12",
            "The paper's published ranges re-expressed in iris diameters, literature norms for MRD1, MRD2, fissure height and MRD1 asymmetry, and stated library defaults for the corneal-reflex (Hirschberg) deviations. See docs/diagnostics.md.",
            ranges);
    }
}
