using System.Numerics;
using FaceDefender.Avatars.Rendering;

namespace FaceDefender.Avatars.GroundTruth;

/// <summary>
/// The schematic eye of one rendered eye (present when <see cref="GroundTruthScene.UsesSchematicEye"/>): its rotation,
/// where its limbus, pupil and corneal light reflex are in the image, the Hirschberg displacement they give and MRD1 /
/// MRD2 read from the reflex and from the limbus centre. Positions are in image pixels (x right, y down; pixel (i, j)
/// covers [i, i + 1) x [j, j + 1)); "Millimetres" vectors are pixels / <see cref="PixelsPerMillimetre"/>. Immutable.
/// </summary>
public sealed class EyeAlignmentTruth
{
    private readonly EyeOptics _optics;

    internal EyeAlignmentTruth(EyeOptics optics, EyeControl control, bool reflexDrawn, ReadOnlySpan<Vector2> p, int[] upper, int[] lower, double mmPerPx)
    {
        _optics = optics;
        Control = control;
        ReflexDrawn = reflexDrawn;
        Vector2 reflex = optics.Reflex, limbus = optics.LimbusCentre;
        TruthValue V(double px) => new(px, px * mmPerPx);
        Mrd1FromReflex = V(reflex.Y - MarginY(p, upper, reflex.X));
        Mrd2FromReflex = V(MarginY(p, lower, reflex.X) - reflex.Y);
        Mrd1FromLimbus = V(limbus.Y - MarginY(p, upper, limbus.X));
        Mrd2FromLimbus = V(MarginY(p, lower, limbus.X) - limbus.Y);
    }

    internal EyeControl Control { get; }

    /// <summary>Horizontal rotation of the optical axis in the head frame (Fick), degrees; positive towards the subject's left (image right). With an <see cref="EyeControl.AngleKappaDegrees"/> the visual axis is turned that angle nasally from it.</summary>
    public double HorizontalRotationDegrees => _optics.AxisAngles.X * (180.0 / Math.PI);

    /// <summary>Vertical rotation of the visual axis in the head frame (Fick, after the horizontal one), degrees; positive up.</summary>
    public double UpRotationDegrees => _optics.AxisAngles.Y * (180.0 / Math.PI);

    /// <summary>This eye's own horizontal deviation as set (<see cref="EyeControl.HorizontalDeviationPrismDioptres"/>; positive eso).</summary>
    public double HorizontalDeviationPrismDioptres => Control.HorizontalDeviationPrismDioptres;

    /// <summary>This eye's own vertical deviation as set (<see cref="EyeControl.VerticalDeviationPrismDioptres"/>; positive hyper).</summary>
    public double VerticalDeviationPrismDioptres => Control.VerticalDeviationPrismDioptres;

    /// <summary>Projected centre of the limbus circle (the same point as the iris-centre landmark 468 or 473).</summary>
    public Vector2 LimbusCentre => _optics.LimbusCentre;

    /// <summary>Projected centre of the entrance pupil (3.05 mm behind the corneal apex; 0.41 mm behind the limbus plane).</summary>
    public Vector2 PupilCentre => _optics.PupilCentre;

    /// <summary>
    /// Where the corneal reflex of a light at the camera is: the projection of the corneal sphere's point whose normal
    /// points at the camera (equal to the projection of the sphere's centre). Given whether or not the scene draws a light.
    /// </summary>
    public Vector2 CornealReflex => _optics.Reflex;

    /// <summary>True when the scene has a <see cref="GroundTruthScene.CameraLight"/>, so the reflex is drawn.</summary>
    public bool ReflexDrawn { get; }

    /// <summary>The eyeball (not a lid, lashes' skin or the nose) is drawn at the reflex's centre, so the reflex is not under a lid.</summary>
    public bool ReflexVisible => _optics.ReflexVisible;

    /// <summary>False when the camera lies beyond the corneal cap and the reflex is on the sclera (very large rotations).</summary>
    public bool ReflexOnCornea => _optics.ReflexOnCornea;

    /// <summary>Radius of the drawn light's mirror image (before the 0.5 px soft edge), pixels; 0 without a light.</summary>
    public double ReflexRadiusPixels => _optics.ReflexRadiusPixels;

    /// <summary>Image scale at the limbus centre's depth, pixels per mm (physical, from the camera model).</summary>
    public double PixelsPerMillimetre => _optics.PixelsPerMm;

    /// <summary>Hirschberg displacement: reflex minus limbus centre, image pixels.</summary>
    public Vector2 ReflexMinusLimbusPixels => CornealReflex - LimbusCentre;

    /// <summary>Hirschberg displacement: reflex minus limbus centre, mm at the eye (image axes).</summary>
    public Vector2 ReflexMinusLimbusMillimetres => ReflexMinusLimbusPixels / _optics.PixelsPerMm;

    /// <summary>Reflex minus entrance-pupil centre, image pixels.</summary>
    public Vector2 ReflexMinusPupilPixels => CornealReflex - PupilCentre;

    /// <summary>Reflex minus entrance-pupil centre, mm at the eye (image axes).</summary>
    public Vector2 ReflexMinusPupilMillimetres => ReflexMinusPupilPixels / _optics.PixelsPerMm;

    /// <summary>
    /// MRD1 by its definition: reflex y minus the upper lid margin's y on the vertical through the reflex (image axes; the
    /// margin is the drawn lid edge, the projected mesh ring). Negative when the lid covers the reflex. Mm with the kit's
    /// convention (pixels x stated iris diameter / that eye's iris width in pixels), as <see cref="EyeTruth.Mrd1"/>.
    /// </summary>
    public TruthValue Mrd1FromReflex { get; }

    /// <summary>MRD2: the lower lid margin's y on the vertical through the reflex minus the reflex's y.</summary>
    public TruthValue Mrd2FromReflex { get; }

    /// <summary>MRD1 from the limbus centre: its y minus the upper lid margin's y on the vertical through it.</summary>
    public TruthValue Mrd1FromLimbus { get; }

    /// <summary>MRD2 from the limbus centre: the lower lid margin's y on the vertical through it minus its y.</summary>
    public TruthValue Mrd2FromLimbus { get; }

    /// <summary>The y of a projected lid margin (a polyline of landmarks) where it crosses the vertical at <paramref name="x"/>.</summary>
    internal static double MarginY(ReadOnlySpan<Vector2> p, int[] margin, double x)
    {
        for (int k = 0; k < margin.Length - 1; k++)
        {
            Vector2 a = p[margin[k]], b = p[margin[k + 1]];
            if ((x - a.X) * (x - b.X) <= 0)
            {
                double t = Math.Abs(b.X - a.X) < 1e-9 ? 0 : (x - a.X) / (b.X - a.X);
                return a.Y + ((b.Y - a.Y) * t);
            }
        }

        // Beyond the canthi: the nearer end.
        Vector2 first = p[margin[0]], last = p[margin[^1]];
        return Math.Abs(x - first.X) < Math.Abs(x - last.X) ? first.Y : last.Y;
    }
}

/// <summary>
/// Both eyes' alignment (present when <see cref="GroundTruthScene.UsesSchematicEye"/>): the true deviation between the
/// visual axes, the Hirschberg displacement difference it gives, and the schematic eye's own Hirschberg ratio. Immutable.
/// </summary>
public sealed class AlignmentTruth
{
    internal AlignmentTruth(EyeAlignmentTruth right, EyeAlignmentTruth left, double irisDiameterMm)
    {
        double scale = irisDiameterMm / 11.7;
        double rc = FaceModel.CorneaRadiusMm * scale, iris = irisDiameterMm / 2;
        LimbusToCorneaCentreMm = Math.Sqrt((rc * rc) - (iris * iris));
        PupilToCorneaCentreMm = rc - (FaceModel.EntrancePupilDepthMm * scale);
        double rightNasal = Math.Atan(right.HorizontalDeviationPrismDioptres / 100), leftNasal = Math.Atan(left.HorizontalDeviationPrismDioptres / 100);
        double rightUp = Math.Atan(right.VerticalDeviationPrismDioptres / 100), leftUp = Math.Atan(left.VerticalDeviationPrismDioptres / 100);
        HorizontalDeviationPrismDioptres = 100 * Math.Tan(rightNasal + leftNasal);
        VerticalDeviationPrismDioptres = 100 * Math.Tan(rightUp - leftUp);
        HirschbergHorizontalMillimetres = -(right.ReflexMinusLimbusMillimetres.X - left.ReflexMinusLimbusMillimetres.X);
        HirschbergVerticalMillimetres = right.ReflexMinusLimbusMillimetres.Y - left.ReflexMinusLimbusMillimetres.Y;
        PupilHirschbergHorizontalMillimetres = -(right.ReflexMinusPupilMillimetres.X - left.ReflexMinusPupilMillimetres.X);
        PupilHirschbergVerticalMillimetres = right.ReflexMinusPupilMillimetres.Y - left.ReflexMinusPupilMillimetres.Y;
    }

    /// <summary>True horizontal deviation between the visual axes, prism dioptres: 100 tan(right nasal + left nasal angle); positive eso.</summary>
    public double HorizontalDeviationPrismDioptres { get; }

    /// <summary>True vertical deviation, prism dioptres: 100 tan(right up - left up angle); positive when the right eye is higher.</summary>
    public double VerticalDeviationPrismDioptres { get; }

    /// <summary>
    /// Between-eye Hirschberg difference, horizontal, mm: -(right - left) of the reflex-minus-limbus x (image axes);
    /// positive when the reflexes lie temporally (esotropia). About <see cref="MillimetresPerPrismDioptre"/> x the
    /// horizontal deviation when the eyes fixate the camera.
    /// </summary>
    public double HirschbergHorizontalMillimetres { get; }

    /// <summary>Between-eye Hirschberg difference, vertical, mm: right minus left reflex-minus-limbus y (y down); positive for a right hypertropia.</summary>
    public double HirschbergVerticalMillimetres { get; }

    /// <summary>As <see cref="HirschbergHorizontalMillimetres"/>, with the entrance-pupil centre instead of the limbus centre.</summary>
    public double PupilHirschbergHorizontalMillimetres { get; }

    /// <summary>As <see cref="HirschbergVerticalMillimetres"/>, with the entrance-pupil centre instead of the limbus centre.</summary>
    public double PupilHirschbergVerticalMillimetres { get; }

    /// <summary>
    /// Distance of the limbus plane in front of the corneal centre of curvature, mm: sqrt(7.8^2 - 5.85^2) = 5.16 mm for an
    /// 11.7 mm iris. An eye rotated by a relative to the camera direction moves its reflex by this x sin(a) relative to its
    /// limbus centre (both points rotate about the same centre; the reflex is the corneal centre's projection).
    /// </summary>
    public double LimbusToCorneaCentreMm { get; }

    /// <summary>Distance of the entrance pupil in front of the corneal centre of curvature, mm: 7.8 - 3.05 = 4.75 mm.</summary>
    public double PupilToCorneaCentreMm { get; }

    /// <summary>
    /// The schematic eye's Hirschberg ratio against the limbus centre, small-angle: <see cref="LimbusToCorneaCentreMm"/> /
    /// 100 mm per prism dioptre (0.0516 mm, i.e. 19.4 PD/mm). At D prism dioptres the exact displacement is
    /// <see cref="LimbusToCorneaCentreMm"/> x sin(atan(D / 100)), 7 % below the linear value at 40 PD.
    /// </summary>
    public double MillimetresPerPrismDioptre => LimbusToCorneaCentreMm / 100;

    /// <summary>As <see cref="MillimetresPerPrismDioptre"/> against the entrance-pupil centre (0.0475 mm, i.e. 21.1 PD/mm).</summary>
    public double PupilMillimetresPerPrismDioptre => PupilToCorneaCentreMm / 100;

    /// <summary>The inverse of <see cref="MillimetresPerPrismDioptre"/> (the clinical figure is about 22 PD/mm, individually 14-24).</summary>
    public double PrismDioptresPerMillimetre => 100 / LimbusToCorneaCentreMm;
}
