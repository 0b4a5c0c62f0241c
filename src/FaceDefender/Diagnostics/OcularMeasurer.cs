using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Landmarks;

namespace FaceDefender.Diagnostics;

/// <summary>The arithmetic of the measurements (no judgement). Thread-safe: no state.</summary>
internal static class OcularMeasurer
{
    // Lid polylines, outer to inner canthus (canthi included), in the same order as EyeContour.UpperLidIndices / LowerLidIndices.
    private static readonly int[] RightUpper = [33, 246, 161, 160, 159, 158, 157, 173, 133];
    private static readonly int[] RightLower = [33, 7, 163, 144, 145, 153, 154, 155, 133];
    private static readonly int[] LeftUpper = [263, 466, 388, 387, 386, 385, 384, 398, 362];
    private static readonly int[] LeftLower = [263, 249, 390, 373, 374, 380, 381, 382, 362];

    /// <summary>Index of the lid midpoint (159/145, 386/374; contour 12/4) in the 9-point chains.</summary>
    private const int MidpointInChain = 4;

    /// <summary>The lids and canthi of one eye, each from the source the options choose.</summary>
    private sealed record EyeGeometry(Vector2[] Upper, Vector2[] Lower, Vector2 Outer, Vector2 Inner);

    private static EyeGeometry Geometry(FaceLandmarks lm, bool right, DiagnosticOptions o)
    {
        EyeContour? contour = right ? lm.RightEyeContour : lm.LeftEyeContour;
        Vector2[] meshUpper = lm.Select(right ? RightUpper : LeftUpper);
        Vector2[] meshLower = lm.Select(right ? RightLower : LeftLower);
        Vector2[] Chain(Vector2[] mesh, ReadOnlySpan<int> contourIndices, EyePointSource source, bool canthi = false)
        {
            if (contour is null || source == EyePointSource.Mesh)
            {
                return mesh;
            }

            if (source == EyePointSource.Refined && canthi && !contour.HasRefinedCanthi)
            {
                return mesh;
            }

            Vector2[] fine = contour.Select(contourIndices);
            if (source == EyePointSource.Average)
            {
                for (int i = 0; i < fine.Length; i++)
                {
                    fine[i] = (fine[i] + mesh[i]) / 2;
                }
            }

            return fine;
        }

        Vector2[] canthi = Chain(meshLower, EyeContour.LowerLidIndices, o.CanthusSource, canthi: true);
        Vector2[] upper = Chain(meshUpper, EyeContour.UpperLidIndices, o.UpperLidSource);
        Vector2[] lower = Chain(meshLower, EyeContour.LowerLidIndices, o.LowerLidSource);
        return new EyeGeometry(upper, lower, canthi[0], canthi[^1]);
    }

    public static OcularMeasurements Measure(FaceLandmarks lm, HeadPose? pose, DiagnosticOptions o)
    {
        // Frame axes: u along the eye line (image-left to image-right for an upright face), v = u rotated +90°
        // (pointing down the image for an upright face).
        EyeGeometry rightEye = Geometry(lm, right: true, o);
        EyeGeometry leftEye = Geometry(lm, right: false, o);
        Vector2 midRight = (rightEye.Outer + rightEye.Inner) / 2;
        Vector2 midLeft = (leftEye.Outer + leftEye.Inner) / 2;
        Vector2 line = midLeft - midRight;
        double roll = Math.Atan2(-line.Y, line.X) * 180 / Math.PI;
        (double ux, double uy) = (1, 0);
        if (o.Frame == MeasurementFrame.EyeLine)
        {
            double len = Math.Sqrt(((double)line.X * line.X) + ((double)line.Y * line.Y));
            if (len > 0)
            {
                (ux, uy) = (line.X / len, line.Y / len);
            }
        }

        var f = new Frame(ux, uy);
        double rightWidth = Math.Abs(f.X(lm[469]) - f.X(lm[471]));
        double leftWidth = Math.Abs(f.X(lm[474]) - f.X(lm[476]));
        double rightMean = (Vector2.Distance(lm[469], lm[471]) + Vector2.Distance(lm[470], lm[472])) / 2.0;
        double leftMean = (Vector2.Distance(lm[474], lm[476]) + Vector2.Distance(lm[475], lm[477])) / 2.0;
        (double rightScale, double leftScale) = o.Scale switch
        {
            IrisScale.PerEyeHorizontalWidth => (rightWidth, leftWidth),
            IrisScale.PerEyeMeanDiameter => (rightMean, leftMean),
            IrisScale.BothEyesHorizontalWidth => ((rightWidth + leftWidth) / 2, (rightWidth + leftWidth) / 2),
            _ => ((rightMean + leftMean) / 2, (rightMean + leftMean) / 2),
        };

        double rel = o.IrisDiameterSdMm / o.IrisDiameterMm;

        // The reflex displacements are scaled by the iris's diameter, averaged over both eyes: a turned eye's horizontal
        // width is foreshortened (by the cosine of its turn) and would inflate a large deviation. Where the limbus was
        // measured beside the reflex, its fitted radius (the turned circle's major axis); otherwise the larger of the
        // landmarks' two ring diameters (through the detector they shrink together with the turn).
        double RingDiameter(int first) => Math.Max(Vector2.Distance(lm[first + 1], lm[first + 3]), Vector2.Distance(lm[first + 2], lm[first + 4]));
        double alignScale = ((lm.Reflexes.Right?.LimbusRadius is { } rr ? 2 * rr : RingDiameter(468))
            + (lm.Reflexes.Left?.LimbusRadius is { } lr ? 2 * lr : RingDiameter(473))) / 2;
        CornealReflexOffset rightReflex = Offset(lm, right: true, f, o, rel, lm.Reflexes.Right, lm.Reflexes.RightStatus, rightScale, alignScale);
        CornealReflexOffset leftReflex = Offset(lm, right: false, f, o, rel, lm.Reflexes.Left, lm.Reflexes.LeftStatus, leftScale, alignScale);
        HirschbergAlignment alignment = Alignment(rightReflex, leftReflex, (rightScale + leftScale) / 2, o, rel);

        // MRD1 / MRD2 are defined with the eyes fixating the light: they are read from the reflexes only when both eyes
        // have one and their shared gaze is within MaxGazeDegrees of it. A lone highlight (from a window or a lamp, in
        // one eye, or with the eyes turned away) would move the origin by its own offset.
        bool mrdFromReflex = alignment.IsAvailable && Math.Abs(alignment.GazeRightDegrees) <= o.MaxGazeDegrees && Math.Abs(alignment.GazeUpDegrees) <= o.MaxGazeDegrees;
        EyeMeasurements right = Eye(lm, rightEye, f, o, EyeSide.Right, rightScale, rightWidth, rel, rightReflex, mrdFromReflex);
        EyeMeasurements left = Eye(lm, leftEye, f, o, EyeSide.Left, leftScale, leftWidth, rel, leftReflex, mrdFromReflex);

        double meanScale = (rightScale + leftScale) / 2;
        double ipdPx = Vector2.Distance(lm[468], lm[473]);
        MeasuredValue ipd = Value(ipdPx, meanScale, o.IrisDiameterMm, rel);

        double vergenceMm = right.DecentrationNasal.Millimetres + left.DecentrationNasal.Millimetres;
        double verticalMm = right.DecentrationUp.Millimetres - left.DecentrationUp.Millimetres;
        bool given = pose.HasValue;
        HeadPose p = pose ?? HeadPoseEstimator.Estimate(lm.Points);
        return new OcularMeasurements(right, left, ipd, Prism(vergenceMm, o), Prism(verticalMm, o), roll, p, given, o.IrisDiameterMm, o.IrisDiameterSdMm)
        {
            Hirschberg = alignment,
        };
    }

    /// <summary>Distance from the corneal centre of curvature to the limbus plane implied by a Hirschberg ratio, mm.</summary>
    internal static double CorneaToLimbusMm(double prismPerMm) => 100.0 / prismPerMm;

    /// <summary>An eye's rotation (radians) from a reflex displacement (mm) against the rotation's own direction.</summary>
    private static double Rotation(double displacementMm, double prismPerMm) =>
        Math.Asin(Math.Clamp(displacementMm / CorneaToLimbusMm(prismPerMm), -1, 1));

    private static HirschbergAlignment Alignment(CornealReflexOffset right, CornealReflexOffset left, double meanScalePx, DiagnosticOptions o, double rel)
    {
        double kappa = o.AngleKappaMillimetres;
        if (!right.IsFound || !left.IsFound)
        {
            return HirschbergAlignment.Unavailable(kappa);
        }

        // An eye turned towards the nose moves its limbus nasally, so the reflex lies temporal of it: the nasal rotation
        // is the temporal displacement beyond the normal (kappa) nasal one. Up likewise.
        double rn = kappa - right.Nasal.Millimetres, ln = kappa - left.Nasal.Millimetres;
        double ru = -right.Up.Millimetres, lu = -left.Up.Millimetres;
        PrismValue PrismOf(double a, double b, bool sum) => new(
            Pd(a, b, sum, o.ReflexPrismDioptresPerMm), Pd(a, b, sum, o.PrismDioptresPerMmLow), Pd(a, b, sum, o.PrismDioptresPerMmHigh));
        static double Pd(double a, double b, bool sum, double ratio)
        {
            double angle = sum ? Rotation(a, ratio) + Rotation(b, ratio) : Rotation(a, ratio) - Rotation(b, ratio);
            return 100 * Math.Tan(angle);
        }

        MeasuredValue Mm(double mm)
        {
            double iris = mm / o.IrisDiameterMm;
            return new MeasuredValue(iris * meanScalePx, iris, mm, Math.Abs(mm) * rel);
        }

        double ratio = o.ReflexPrismDioptresPerMm;
        double gazeRight = (Rotation(rn, ratio) - Rotation(ln, ratio)) / 2 * (180 / Math.PI);
        double gazeUp = (Rotation(ru, ratio) + Rotation(lu, ratio)) / 2 * (180 / Math.PI);
        return new HirschbergAlignment(true, Mm(rn + ln), Mm(ru - lu), PrismOf(rn, ln, sum: true), PrismOf(ru, lu, sum: false), gazeRight, gazeUp, kappa);
    }

    public static PrismValue Prism(double mm, DiagnosticOptions o) =>
        new(mm * o.PrismDioptresPerMm, mm * o.PrismDioptresPerMmLow, mm * o.PrismDioptresPerMmHigh);

    /// <summary>
    /// One eye's reflex against its limbus centre, in the frame, scaled by <paramref name="alignScalePx"/> (the larger iris
    /// diameter, both eyes' mean); missing without a reflex or a usable scale.
    /// </summary>
    private static CornealReflexOffset Offset(FaceLandmarks lm, bool right, Frame f, DiagnosticOptions o, double rel, CornealReflex? reflex, CornealReflexStatus status,
        double eyeScalePx, double alignScalePx)
    {
        if (reflex is null || !(eyeScalePx > 0) || !(alignScalePx > 0))
        {
            return CornealReflexOffset.Missing(status);
        }

        double nasal = right ? 1 : -1; // nasal is +u for the right eye, -u for the left
        // The limbus centre measured beside the reflex when there is one (the landmark models pull a small or turned eye's
        // iris centre towards the middle of the opening), else the landmarks' iris centre.
        Vector2 c = reflex.LimbusCentre ?? lm[right ? 468 : 473];
        Vector2 r = reflex.Position;
        double nasalPx = nasal * (f.X(r) - f.X(c));
        double upPx = f.Y(c) - f.Y(r);
        MeasuredValue n = Value(nasalPx, alignScalePx, o.IrisDiameterMm, rel), u = Value(upPx, alignScalePx, o.IrisDiameterMm, rel);
        double radius = alignScalePx / 2;
        double ratio = o.ReflexPrismDioptresPerMm;
        return new CornealReflexOffset(CornealReflexStatus.Found, r, n, u, nasalPx / radius, upPx / radius,
            Rotation(o.AngleKappaMillimetres - n.Millimetres, ratio) * (180 / Math.PI), Rotation(-u.Millimetres, ratio) * (180 / Math.PI))
        {
            IsLimbusCentreMeasured = reflex.LimbusCentre is not null,
        };
    }

    private static EyeMeasurements Eye(FaceLandmarks lm, EyeGeometry g, Frame f, DiagnosticOptions o, EyeSide side, double scalePx, double widthPx, double rel,
        CornealReflexOffset offset, bool mrdFromReflex)
    {
        bool right = side == EyeSide.Right;
        int centreIndex = right ? 468 : 473;

        // Nasal is +u for the right eye (it lies on the image's left), -u for the left eye.
        double nasal = right ? 1 : -1;
        Vector2 c = lm[centreIndex];
        Vector2 outer = g.Outer;
        Vector2 inner = g.Inner;
        Vector2 upper = g.Upper[MidpointInChain];
        Vector2 lower = g.Lower[MidpointInChain];
        if (o.LidMargin == LidMarginPoint.AbovePupil)
        {
            upper = AtX(g.Upper, f, f.X(c)) ?? upper;
            lower = AtX(g.Lower, f, f.X(c)) ?? lower;
        }

        Vector2 mid = (outer + inner) / 2;
        double mm = o.IrisDiameterMm;
        MeasuredValue V(double px) => Value(px, scalePx, mm, rel);

        double fissureHeight = f.Y(lower) - f.Y(upper);
        double mrd1 = f.Y(c) - f.Y(upper);
        double mrd2 = f.Y(lower) - f.Y(c);
        var origin = MarginReflexOrigin.LimbusCentre;
        if (mrdFromReflex && offset.Position is { } r)
        {
            // MRD1 / MRD2 by definition: from the reflex to the lid margins on the vertical through it.
            Vector2 up = AtX(g.Upper, f, f.X(r)) ?? upper;
            Vector2 down = AtX(g.Lower, f, f.X(r)) ?? lower;
            mrd1 = f.Y(r) - f.Y(up);
            mrd2 = f.Y(down) - f.Y(r);
            origin = MarginReflexOrigin.CornealReflex;
        }

        double toInner = right ? f.X(inner) - f.X(c) : f.X(c) - f.X(inner);
        double decNasal = nasal * (f.X(c) - f.X(mid));
        double decUp = f.Y(mid) - f.Y(c);

        // Canthal tilt: rise of the outer canthus over the inner one, against the horizontal run.
        double rise = f.Y(inner) - f.Y(outer);
        double run = Math.Abs(f.X(outer) - f.X(inner));
        double tilt = Math.Atan2(rise, run) * 180 / Math.PI;

        Vector2 ringA = lm[right ? 469 : 474];
        Vector2 ringB = lm[right ? 471 : 476];

        // The nasal ring point is the one nearer the inner canthus along the eye line.
        bool aNasal = nasal * (f.X(ringA) - f.X(ringB)) > 0;
        var points = new EyePoints(c, aNasal ? ringA : ringB, aNasal ? ringB : ringA, inner, outer, upper, lower);
        return new EyeMeasurements(
            side, points, scalePx, mm / scalePx, V(widthPx), V(fissureHeight), V(Vector2.Distance(outer, inner)),
            V(mrd1), V(mrd2), V(toInner), V(decNasal), V(decUp), tilt)
        {
            Reflex = offset,
            MrdOrigin = origin,
            // The detail the photo holds (NaN: unknown, then the pixel diameter stands).
            EffectiveIrisDiameterPixels = (right ? lm.RightEyeContour : lm.LeftEyeContour)?.EffectiveIrisDiameterPixels ?? double.NaN,
        };
    }

    private static MeasuredValue Value(double px, double scalePx, double irisMm, double rel)
    {
        double iris = scalePx > 0 ? px / scalePx : double.NaN;
        double mmValue = iris * irisMm;
        return new MeasuredValue(px, iris, mmValue, Math.Abs(mmValue) * rel);
    }

    // The point of a polyline whose frame x equals x (linear interpolation), or null if x is outside it.
    private static Vector2? AtX(Vector2[] chain, Frame f, double x)
    {
        for (int i = 0; i + 1 < chain.Length; i++)
        {
            Vector2 a = chain[i];
            Vector2 b = chain[i + 1];
            double xa = f.X(a), xb = f.X(b);
            if ((x - xa) * (x - xb) <= 0 && xa != xb)
            {
                float t = (float)((x - xa) / (xb - xa));
                return a + ((b - a) * t);
            }
        }

        return null;
    }

    private readonly record struct Frame(double Ux, double Uy)
    {
        public double X(Vector2 p) => (p.X * Ux) + (p.Y * Uy);

        public double Y(Vector2 p) => (-p.X * Uy) + (p.Y * Ux);
    }
}
