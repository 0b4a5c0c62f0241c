using System.Numerics;

namespace FaceDefender.Avatars.GroundTruth;

/// <summary>
/// The exact value of every measurement in ALGORITHM.md section 3 for one rendered face, in pixels
/// and in mm at a stated iris diameter. Immutable.
/// </summary>
public sealed class FaceMeasurementTruth
{
    private FaceMeasurementTruth(EyeTruth right, EyeTruth left, double statedIrisDiameterMm)
    {
        Right = right;
        Left = left;
        StatedIrisDiameterMm = statedIrisDiameterMm;
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

    /// <summary>Computes the truths from 478 points in a y-down frame.</summary>
    internal static FaceMeasurementTruth Compute(ReadOnlySpan<Vector2> p, double statedIrisDiameterMm)
    {
        // Right eye: nasal is +x (towards the image centre); left eye: nasal is -x.
        EyeTruth right = Eye(p, centre: 468, ringNasal: 469, ringTemporal: 471, outer: 33, inner: 133, upper: 159, lower: 145, nasalSign: 1, statedIrisDiameterMm,
            irisToInner: p[133].X - p[468].X);
        EyeTruth left = Eye(p, centre: 473, ringNasal: 474, ringTemporal: 476, outer: 263, inner: 362, upper: 386, lower: 374, nasalSign: -1, statedIrisDiameterMm,
            irisToInner: p[473].X - p[362].X);
        return new FaceMeasurementTruth(right, left, statedIrisDiameterMm);
    }

    private static EyeTruth Eye(ReadOnlySpan<Vector2> p, int centre, int ringNasal, int ringTemporal, int outer, int inner, int upper, int lower, int nasalSign, double stated, double irisToInner)
    {
        double irisPx = Math.Abs(p[ringNasal].X - p[ringTemporal].X);
        double mmPerPx = stated / irisPx;
        TruthValue V(double px) => new(px, px * mmPerPx);
        Vector2 c = p[centre];
        Vector2 mid = (p[outer] + p[inner]) / 2f;
        return new EyeTruth(
            c,
            V(irisPx),
            V(p[lower].Y - p[upper].Y),
            V(Vector2.Distance(p[outer], p[inner])),
            V(c.Y - p[upper].Y),
            V(p[lower].Y - c.Y),
            V(irisToInner),
            V(nasalSign * (c.X - mid.X)),
            V(mid.Y - c.Y));
    }
}
