using System.Numerics;

namespace FaceDefender.Avatars.GroundTruth;

/// <summary>
/// Exact measurements of one eye, computed from the exact landmarks with the formulas of
/// the paper's measurements (image axes, y down), plus the clinical extras. Immutable.
/// </summary>
public sealed class EyeTruth
{
    internal EyeTruth(
        Vector2 irisCentre, TruthValue irisWidth, TruthValue fissureHeight, TruthValue fissureWidth, TruthValue mrd1, TruthValue mrd2,
        TruthValue irisToInnerCanthus, TruthValue decentrationNasal, TruthValue decentrationUp, EyeAlignmentTruth? alignment = null)
    {
        Alignment = alignment;
        IrisCentre = irisCentre;
        IrisWidth = irisWidth;
        FissureHeight = fissureHeight;
        FissureWidth = fissureWidth;
        Mrd1 = mrd1;
        Mrd2 = mrd2;
        IrisToInnerCanthus = irisToInnerCanthus;
        DecentrationNasal = decentrationNasal;
        DecentrationUp = decentrationUp;
    }

    /// <summary>The iris centre landmark (468 or 473) in image pixels.</summary>
    public Vector2 IrisCentre { get; }

    /// <summary>Iris width |x(469) - x(471)| or |x(474) - x(476)|; its mm value is the stated diameter.</summary>
    public TruthValue IrisWidth { get; }

    /// <summary>Fissure height y(145) - y(159) (right) or y(374) - y(386) (left).</summary>
    public TruthValue FissureHeight { get; }

    /// <summary>Fissure width: distance between the canthi (33-133 right, 263-362 left).</summary>
    public TruthValue FissureWidth { get; }

    /// <summary>Fissure height / iris width (the prototype's ratio; dimensionless).</summary>
    public double HeightToIrisWidthRatio => FissureHeight.Pixels / IrisWidth.Pixels;

    /// <summary>MRD1 stand-in: iris centre y minus upper-lid midpoint y (y(468) - y(159) or y(473) - y(386)).</summary>
    public TruthValue Mrd1 { get; }

    /// <summary>MRD2 stand-in: lower-lid midpoint y minus iris centre y (y(145) - y(468) or y(374) - y(473)).</summary>
    public TruthValue Mrd2 { get; }

    /// <summary>Section 3's |A| or |B|: x(473) - x(362) for the left eye (L), x(133) - x(468) for the right eye (R).</summary>
    public TruthValue IrisToInnerCanthus { get; }

    /// <summary>Iris centre minus the midpoint of the two canthi, horizontally; positive towards the nose.</summary>
    public TruthValue DecentrationNasal { get; }

    /// <summary>Iris centre minus the midpoint of the two canthi, vertically; positive upwards.</summary>
    public TruthValue DecentrationUp { get; }

    /// <summary>
    /// The schematic eye's rotation, limbus, pupil and corneal light reflex with the Hirschberg displacement and MRD1 /
    /// MRD2 from the reflex; null unless the scene uses the schematic eye (<see cref="GroundTruthScene.UsesSchematicEye"/>),
    /// and always null in <see cref="GroundTruthRender.HeadFrameTruth"/>.
    /// </summary>
    public EyeAlignmentTruth? Alignment { get; }
}
