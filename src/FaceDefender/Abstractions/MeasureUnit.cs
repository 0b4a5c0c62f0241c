namespace FaceDefender.Abstractions;

/// <summary>The unit a measurement or a reference range is expressed in.</summary>
public enum MeasureUnit
{
    /// <summary>Image pixels (only meaningful at a fixed face scale, e.g. the paper's 1024 canvas).</summary>
    Pixels,

    /// <summary>Multiples of the visible iris diameter (scale-free).</summary>
    IrisDiameters,

    /// <summary>Millimetres at the assumed visible iris diameter.</summary>
    Millimetres,

    /// <summary>A dimensionless ratio (e.g. fissure height / iris width).</summary>
    Ratio,

    /// <summary>Degrees of angle.</summary>
    Degrees,

    /// <summary>Prism dioptres (Hirschberg conversion of a decentration in mm).</summary>
    PrismDioptres,
}
