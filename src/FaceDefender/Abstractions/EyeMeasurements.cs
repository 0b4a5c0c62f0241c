using System.Numerics;

namespace FaceDefender.Abstractions;

/// <summary>
/// The measurements of one eye. Immutable.
/// </summary>
/// <remarks>
/// <para>Frame: with <see cref="FaceDefender.Diagnostics.MeasurementFrame.EyeLine"/> (the default) "horizontal"
/// is along the line from the right eye's canthal midpoint to the left eye's (mean of landmarks
/// 33/133 and of 263/362) and "vertical" is perpendicular to it, so head roll does not change any
/// value; with <see cref="FaceDefender.Diagnostics.MeasurementFrame.Image"/> they are the image axes (the paper's).</para>
/// <para>Landmarks (subject's right eye / left eye): iris centre 468 / 473; horizontal iris ring
/// points 469, 471 / 474, 476; inner canthus 133 / 362; outer canthus 33 / 263; upper-lid margin
/// 159 / 386 and lower-lid margin 145 / 374 (or, with
/// <see cref="FaceDefender.Diagnostics.LidMarginPoint.AbovePupil"/>, the lid polylines 246-161-160-159-158-157-173 /
/// 466-388-387-386-385-384-398 and 7-163-144-145-153-154-155 / 249-390-373-374-380-381-382 read at the
/// iris centre's horizontal position). The detector's lid points come from the face mesh; the iris
/// model's own 71-point eye contour is not exposed by <c>MediaPipeLandmarkDetector</c>.</para>
/// </remarks>
public sealed class EyeMeasurements
{
    /// <summary>Creates the measurements (used by the benchmark).</summary>
    public EyeMeasurements(
        EyeSide side,
        EyePoints points,
        double irisDiameterPixels,
        double millimetresPerPixel,
        MeasuredValue irisWidth,
        MeasuredValue fissureHeight,
        MeasuredValue fissureWidth,
        MeasuredValue mrd1,
        MeasuredValue mrd2,
        MeasuredValue irisToInnerCanthus,
        MeasuredValue decentrationNasal,
        MeasuredValue decentrationUp,
        double canthalTiltDegrees)
    {
        if (side == EyeSide.Both || !Enum.IsDefined(side))
        {
            throw new ArgumentOutOfRangeException(nameof(side), side, "An eye is Right or Left.");
        }

        Side = side;
        Points = points;
        IrisDiameterPixels = irisDiameterPixels;
        MillimetresPerPixel = millimetresPerPixel;
        IrisWidth = irisWidth;
        FissureHeight = fissureHeight;
        FissureWidth = fissureWidth;
        Mrd1 = mrd1;
        Mrd2 = mrd2;
        IrisToInnerCanthus = irisToInnerCanthus;
        DecentrationNasal = decentrationNasal;
        DecentrationUp = decentrationUp;
        CanthalTiltDegrees = canthalTiltDegrees;
    }

    /// <summary>Which eye.</summary>
    public EyeSide Side { get; }

    /// <summary>The image points the measurements were taken from (for overlays).</summary>
    public EyePoints Points { get; }

    /// <summary>The iris diameter in pixels that scales this eye (see <see cref="FaceDefender.Diagnostics.IrisScale"/>).</summary>
    public double IrisDiameterPixels { get; }

    /// <summary>
    /// The iris diameter in pixels that the photo's detail supports (at most <see cref="IrisDiameterPixels"/>): about
    /// <see cref="IrisDiameterPixels"/> for a sharp photo, less for an enlarged or blurred one (a photo enlarged 2x keeps
    /// the effective diameter it had before). Read by the landmark detector from the sharpness of the limbus
    /// (<see cref="FaceDefender.Landmarks.EyeContour.EffectiveIrisDiameterPixels"/>); equal to
    /// <see cref="IrisDiameterPixels"/> when unknown (landmarks without eye contours, or a limbus too faint to read).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero, a negative value or infinity (NaN means unknown).</exception>
    public double EffectiveIrisDiameterPixels
    {
        get => double.IsNaN(field) ? IrisDiameterPixels : Math.Min(field, IrisDiameterPixels);
        init
        {
            if (!double.IsNaN(value) && !(value > 0 && double.IsFinite(value)))
            {
                throw new ArgumentOutOfRangeException(nameof(EffectiveIrisDiameterPixels), value, "The effective iris diameter is a positive, finite number of pixels, or NaN when unknown.");
            }

            field = value;
        }
    } = double.NaN;

    /// <summary>Millimetres per pixel: assumed iris diameter (mm) / <see cref="IrisDiameterPixels"/>.</summary>
    public double MillimetresPerPixel { get; }

    /// <summary>Horizontal iris width: ring points 469-471 / 474-476 projected on the horizontal axis.</summary>
    public MeasuredValue IrisWidth { get; }

    /// <summary>Fissure height: lower-lid minus upper-lid margin, vertically (= MRD1 + MRD2).</summary>
    public MeasuredValue FissureHeight { get; }

    /// <summary>Fissure width: Euclidean distance between the canthi (33-133 / 263-362).</summary>
    public MeasuredValue FissureWidth { get; }

    /// <summary>Fissure height / horizontal iris width in pixels (the paper's ratio).</summary>
    public double FissureHeightToIrisWidthRatio => FissureHeight.Pixels / IrisWidth.Pixels;

    /// <summary>MRD1: corneal reflex (or, without one, iris centre; see <see cref="MrdOrigin"/>) minus upper-lid margin, vertically (positive when the margin is above it).</summary>
    public MeasuredValue Mrd1 { get; }

    /// <summary>MRD2: lower-lid margin minus corneal reflex (or iris centre; see <see cref="MrdOrigin"/>), vertically.</summary>
    public MeasuredValue Mrd2 { get; }

    /// <summary>The paper's L (left eye: 473 minus 362) or R (right eye: 133 minus 468), horizontally.</summary>
    public MeasuredValue IrisToInnerCanthus { get; }

    /// <summary>Iris centre minus canthal midpoint, horizontally, positive towards the nose.</summary>
    public MeasuredValue DecentrationNasal { get; }

    /// <summary>Iris centre minus canthal midpoint, vertically, positive upwards.</summary>
    public MeasuredValue DecentrationUp { get; }

    /// <summary>Angle of the inner-to-outer canthus line above the horizontal axis, degrees (positive: outer canthus higher).</summary>
    public double CanthalTiltDegrees { get; }

    /// <summary>The corneal light reflex against the limbus centre (the Hirschberg displacement), or why there is none.</summary>
    public CornealReflexOffset Reflex { get; init; } = CornealReflexOffset.Missing(Landmarks.CornealReflexStatus.NotSearched);

    /// <summary>
    /// Where <see cref="Mrd1"/> and <see cref="Mrd2"/> were measured from: the corneal reflex when both eyes have one and
    /// their shared gaze is within <see cref="FaceDefender.Diagnostics.DiagnosticOptions.MaxGazeDegrees"/> of the light (the
    /// lid margins then read on the vertical through the reflex), else the limbus centre.
    /// </summary>
    public MarginReflexOrigin MrdOrigin { get; init; } = MarginReflexOrigin.LimbusCentre;
}

/// <summary>The image points one eye was measured from, in the landmarks' pixels.</summary>
/// <param name="IrisCentre">Iris centre.</param>
/// <param name="IrisNasal">Horizontal iris ring point on the nasal side.</param>
/// <param name="IrisTemporal">Horizontal iris ring point on the temporal side.</param>
/// <param name="InnerCanthus">Inner canthus.</param>
/// <param name="OuterCanthus">Outer canthus.</param>
/// <param name="UpperLid">The upper-lid margin point used for MRD1.</param>
/// <param name="LowerLid">The lower-lid margin point used for MRD2.</param>
public readonly record struct EyePoints(
    Vector2 IrisCentre, Vector2 IrisNasal, Vector2 IrisTemporal, Vector2 InnerCanthus, Vector2 OuterCanthus, Vector2 UpperLid, Vector2 LowerLid);
