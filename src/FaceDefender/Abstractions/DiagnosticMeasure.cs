namespace FaceDefender.Abstractions;

/// <summary>
/// The measures of the diagnostic benchmark. Per-eye measures take <see cref="EyeSide.Right"/> or
/// <see cref="EyeSide.Left"/>; inter-eye measures take <see cref="EyeSide.Both"/>. Which landmarks
/// each measure uses is documented on <see cref="EyeMeasurements"/> and <see cref="OcularMeasurements"/>.
/// </summary>
public enum DiagnosticMeasure
{
    /// <summary>Iris centre to inner canthus along the eye line: the paper's L (left eye) and R (right eye). Length.</summary>
    IrisToInnerCanthus,

    /// <summary>|L - R| (the paper's |A - B|). Length; inter-eye.</summary>
    IrisToInnerCanthusDifference,

    /// <summary>Palpebral fissure height: lower-lid to upper-lid margin. Length.</summary>
    FissureHeight,

    /// <summary>Palpebral fissure width: inner to outer canthus. Length.</summary>
    FissureWidth,

    /// <summary>Horizontal iris width (the scale of the eye). Length.</summary>
    IrisWidth,

    /// <summary>Fissure height / iris width (the paper's ratio). Ratio.</summary>
    FissureHeightToIrisWidthRatio,

    /// <summary>Margin-reflex distance 1: iris centre to upper-lid margin (positive when the margin is above the centre). Length.</summary>
    Mrd1,

    /// <summary>Margin-reflex distance 2: iris centre to lower-lid margin (positive when the margin is below the centre). Length.</summary>
    Mrd2,

    /// <summary>Iris centre minus the midpoint of the canthi, along the eye line, positive towards the nose. Length.</summary>
    DecentrationNasal,

    /// <summary>Iris centre minus the midpoint of the canthi, across the eye line, positive upwards. Length.</summary>
    DecentrationUp,

    /// <summary>Right plus left nasal decentration against the canthi (a reported measure; alignment findings come from <see cref="HirschbergHorizontal"/>). Length; inter-eye.</summary>
    HorizontalVergence,

    /// <summary>Right minus left upward decentration against the canthi (a reported measure; alignment findings come from <see cref="HirschbergVertical"/>). Length; inter-eye.</summary>
    VerticalDifference,

    /// <summary>Right minus left MRD1. Length; inter-eye.</summary>
    Mrd1Asymmetry,

    /// <summary>Right minus left fissure height. Length; inter-eye.</summary>
    FissureHeightAsymmetry,

    /// <summary>Distance between the iris centres (468, 473). Length; inter-eye.</summary>
    InterPupillaryDistance,

    /// <summary>Canthal tilt: angle of the inner-to-outer canthus line above the eye line, in degrees (positive: outer canthus higher).</summary>
    CanthalTilt,

    /// <summary>
    /// Horizontal deviation by the photographic Hirschberg test: the difference between the two eyes' corneal-reflex
    /// displacements from their limbus centres, angle kappa removed; positive eso, negative exo. Length or prism dioptres;
    /// inter-eye. Not available without a reflex in both eyes.
    /// </summary>
    HirschbergHorizontal,

    /// <summary>Vertical deviation by the photographic Hirschberg test; positive when the right eye is higher. Length or prism dioptres; inter-eye.</summary>
    HirschbergVertical,
}
