using System.Numerics;
using FaceDefender.Avatars.Rendering;

namespace FaceDefender.Avatars.GroundTruth;

/// <summary>
/// The exact value of every measurement of the paper's method (docs/diagnostics.md) for one rendered face, in pixels
/// and in mm at a stated iris diameter. Immutable.
/// </summary>
public sealed class FaceMeasurementTruth
{
    private static readonly int[] RightUpper = [33, 246, 161, 160, 159, 158, 157, 173, 133];
    private static readonly int[] RightLower = [33, 7, 163, 144, 145, 153, 154, 155, 133];
    private static readonly int[] LeftUpper = [263, 466, 388, 387, 386, 385, 384, 398, 362];
    private static readonly int[] LeftLower = [263, 249, 390, 373, 374, 380, 381, 382, 362];

    private FaceMeasurementTruth(EyeTruth right, EyeTruth left, double statedIrisDiameterMm, AlignmentTruth? alignment)
    {
        Right = right;
        Left = left;
        StatedIrisDiameterMm = statedIrisDiameterMm;
        Alignment = alignment;
    }

    /// <summary>The subject's right eye (image left).</summary>
    public EyeTruth Right { get; }

    /// <summary>The subject's left eye (image right).</summary>
    public EyeTruth Left { get; }

    /// <summary>The iris diameter the mm values are scaled to.</summary>
    public double StatedIrisDiameterMm { get; }

    /// <summary>L = x(473) - x(362) (paper |A|).</summary>
    public TruthValue L => Left.IrisToInnerCanthus;

    /// <summary>R = x(133) - x(468) (paper |B|).</summary>
    public TruthValue R => Right.IrisToInnerCanthus;

    /// <summary>D = |L - R| (paper |A - B|); mm from each eye's own scale.</summary>
    public TruthValue D => new(Math.Abs(L.Pixels - R.Pixels), Math.Abs(L.Millimetres - R.Millimetres));

    /// <summary>Right minus left nasal decentration (Hirschberg-style comparison of the two eyes).</summary>
    public TruthValue NasalDecentrationDifference =>
        new(Right.DecentrationNasal.Pixels - Left.DecentrationNasal.Pixels, Right.DecentrationNasal.Millimetres - Left.DecentrationNasal.Millimetres);

    /// <summary>Right minus left upward decentration (positive: the right eye sits higher).</summary>
    public TruthValue UpDecentrationDifference =>
        new(Right.DecentrationUp.Pixels - Left.DecentrationUp.Pixels, Right.DecentrationUp.Millimetres - Left.DecentrationUp.Millimetres);

    /// <summary>
    /// Both eyes' alignment: the true deviation, the Hirschberg difference and the schematic eye's ratio; null unless
    /// the scene uses the schematic eye (<see cref="GroundTruthScene.UsesSchematicEye"/>).
    /// </summary>
    public AlignmentTruth? Alignment { get; }

    /// <summary>Computes the truths from 478 points in a y-down frame.</summary>
    internal static FaceMeasurementTruth Compute(ReadOnlySpan<Vector2> p, double statedIrisDiameterMm) => Compute(p, statedIrisDiameterMm, null);

    /// <summary>Computes the truths from 478 points in a y-down frame, with the schematic eyes' projections when given.</summary>
    internal static FaceMeasurementTruth Compute(ReadOnlySpan<Vector2> p, double statedIrisDiameterMm, AlignmentInputs? alignment)
    {
        // Right eye: nasal is +x (towards the image centre); left eye: nasal is -x.
        EyeTruth right = Eye(p, centre: 468, ringNasal: 469, ringTemporal: 471, outer: 33, inner: 133, upper: 159, lower: 145, nasalSign: 1, statedIrisDiameterMm,
            irisToInner: p[133].X - p[468].X, alignment is null ? null : (alignment.Right, alignment.RightControl, alignment.ReflexDrawn, RightUpper, RightLower));
        EyeTruth left = Eye(p, centre: 473, ringNasal: 474, ringTemporal: 476, outer: 263, inner: 362, upper: 386, lower: 374, nasalSign: -1, statedIrisDiameterMm,
            irisToInner: p[473].X - p[362].X, alignment is null ? null : (alignment.Left, alignment.LeftControl, alignment.ReflexDrawn, LeftUpper, LeftLower));
        AlignmentTruth? both = right.Alignment is not null && left.Alignment is not null ? new AlignmentTruth(right.Alignment, left.Alignment, alignment!.IrisDiameterMm) : null;
        return new FaceMeasurementTruth(right, left, statedIrisDiameterMm, both) { Inputs = alignment };
    }

    /// <summary>The schematic eyes' raw projections this truth was computed from (null for the original eye).</summary>
    internal AlignmentInputs? Inputs { get; private init; }

    /// <summary>The same truth for an image resampled by <paramref name="scale"/> (pixel positions x scale, mm unchanged).</summary>
    internal FaceMeasurementTruth Scaled(ReadOnlySpan<Vector2> scaledPoints, float scale) =>
        Compute(scaledPoints, StatedIrisDiameterMm, Inputs?.Scaled(scale));

    private static EyeTruth Eye(
        ReadOnlySpan<Vector2> p, int centre, int ringNasal, int ringTemporal, int outer, int inner, int upper, int lower, int nasalSign, double stated, double irisToInner,
        (EyeOptics Optics, EyeControl Control, bool Drawn, int[] Upper, int[] Lower)? optics)
    {
        double irisPx = Math.Abs(p[ringNasal].X - p[ringTemporal].X);
        double mmPerPx = stated / irisPx;
        TruthValue V(double px) => new(px, px * mmPerPx);
        Vector2 c = p[centre];
        Vector2 mid = (p[outer] + p[inner]) / 2f;
        EyeAlignmentTruth? alignment = optics is { } o ? new EyeAlignmentTruth(o.Optics, o.Control, o.Drawn, p, o.Upper, o.Lower, mmPerPx) : null;
        return new EyeTruth(
            c,
            V(irisPx),
            V(p[lower].Y - p[upper].Y),
            V(Vector2.Distance(p[outer], p[inner])),
            V(c.Y - p[upper].Y),
            V(p[lower].Y - c.Y),
            V(irisToInner),
            V(nasalSign * (c.X - mid.X)),
            V(mid.Y - c.Y),
            alignment);
    }
}

/// <summary>The schematic eyes' raw projections and settings behind an <see cref="AlignmentTruth"/>.</summary>
internal sealed record AlignmentInputs(EyeOptics Right, EyeOptics Left, EyeControl RightControl, EyeControl LeftControl, bool ReflexDrawn, double IrisDiameterMm)
{
    public AlignmentInputs Scaled(float s) => this with { Right = Scale(Right, s), Left = Scale(Left, s) };

    private static EyeOptics Scale(EyeOptics o, float s) => o with
    {
        LimbusCentre = o.LimbusCentre * s,
        PupilCentre = o.PupilCentre * s,
        Reflex = o.Reflex * s,
        ReflexRadiusPixels = o.ReflexRadiusPixels * s,
        PixelsPerMm = o.PixelsPerMm * s,
    };
}
