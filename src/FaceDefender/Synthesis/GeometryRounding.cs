using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Synthesis;

/// <summary>
/// Moves a target geometry (landmarks, fine eye contours and corneal reflexes) so that the kept quantities of
/// <see cref="GeometryPrecision"/>, measured by the default <see cref="OcularMeasurer"/>, are multiples of their steps.
/// The moves are small (at most half a step each) and local: lid margins, canthi, iris and reflex of each eye, and for
/// the inter-pupillary distance the eye region as a whole. Thread-safe: no state.
/// </summary>
internal static class GeometryRounding
{
    private static readonly int[] RightUpper = [33, 246, 161, 160, 159, 158, 157, 173, 133];
    private static readonly int[] RightLower = [33, 7, 163, 144, 145, 153, 154, 155, 133];
    private static readonly int[] LeftUpper = [263, 466, 388, 387, 386, 385, 384, 398, 362];
    private static readonly int[] LeftLower = [263, 249, 390, 373, 374, 380, 381, 382, 362];

    private const int MaxIterations = 12;

    /// <summary>The rounded geometry and the largest remaining distance of a kept quantity from its grid (mm, PD or degrees).</summary>
    internal sealed record Result(FaceLandmarks Landmarks, CornealReflexes Reflexes, OcularMeasurements Measurements, double Residual);

    /// <summary>
    /// Rounds <paramref name="target"/>, measured with its own corneal reflexes (<see cref="FaceLandmarks.Reflexes"/>, the
    /// measurement's), to <paramref name="precision"/>. The highlights to draw (<paramref name="drawn"/>) follow: one that is
    /// the measured reflex takes its rounded position, any other moves with its iris.
    /// </summary>
    public static Result Apply(FaceLandmarks target, CornealReflexes drawn, GeometryPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(precision);
        var options = new DiagnosticOptions();
        var state = new State(target, target.Reflexes);
        OcularMeasurements m = state.Measure(options);
        if (precision.IsExact)
        {
            return new Result(target, drawn, m.WithPrecision(precision), 0);
        }

        // The targets are the original values rounded, fixed once: moving one quantity (the iris, say) shifts others (MRD1),
        // and re-rounding those could land a whole step from the original. Each kept quantity ends at most half a step away.
        var targets = new Targets(m, precision, options);
        double residual = double.PositiveInfinity;
        for (int iteration = 0; iteration < MaxIterations && residual > 1e-4; iteration++)
        {
            foreach (bool right in new[] { true, false })
            {
                RoundEye(state, right, right ? targets.Right : targets.Left, options);
            }

            RoundInterPupillary(state, targets.InterPupillary, options);
            m = state.Measure(options);
            residual = targets.Distance(m);
        }

        CornealReflex? Follow(CornealReflex? highlight, CornealReflex? measured, CornealReflex? rounded, Vector2 irisMove)
        {
            if (highlight is null)
            {
                return null;
            }

            return measured is not null && rounded is not null && Vector2.Distance(highlight.Position, measured.Position) < 0.5f
                ? highlight with { Position = rounded.Position }
                : highlight with { Position = highlight.Position + irisMove };
        }

        var followed = new CornealReflexes(
            Follow(drawn.Right, target.Reflexes.Right, state.Reflexes.Right, state.IrisMove(right: true)),
            Follow(drawn.Left, target.Reflexes.Left, state.Reflexes.Left, state.IrisMove(right: false)),
            drawn.RightStatus, drawn.LeftStatus);
        return new Result(state.Build(), followed, m.WithPrecision(precision), residual);
    }

    /// <summary>The largest distance of a kept quantity of <paramref name="m"/> from a multiple of its step (0 for exact steps).</summary>
    internal static double Residual(OcularMeasurements m, GeometryPrecision p, DiagnosticOptions options)
    {
        double worst = 0;
        void Check(double value, double step)
        {
            if (step > 0 && double.IsFinite(value))
            {
                worst = Math.Max(worst, Math.Abs(value - GeometryPrecision.Round(value, step)));
            }
        }

        foreach (EyeMeasurements e in new[] { m.Right, m.Left })
        {
            Check(e.Mrd1.Millimetres, p.Millimetres);
            Check(e.Mrd2.Millimetres, p.Millimetres);
            Check(e.FissureWidth.Millimetres, p.Millimetres);
            Check(e.IrisToInnerCanthus.Millimetres, p.Millimetres);
            Check(e.DecentrationUp.Millimetres, p.Millimetres);
            Check(e.CanthalTiltDegrees, p.Degrees);
            if (e.Reflex.IsFound)
            {
                double stepMm = p.PrismDioptres / options.ReflexPrismDioptresPerMm;
                Check(e.Reflex.Nasal.Millimetres, stepMm);
                Check(e.Reflex.Up.Millimetres, stepMm);
            }
        }

        Check(m.InterPupillaryDistance.Millimetres, p.InterPupillaryMillimetres);
        return worst;
    }

    /// <summary>One eye's rounded kept quantities (NaN: not rounded, keep as is).</summary>
    private sealed record EyeTargets(double Width, double TiltDegrees, double ToInner, double Up, double ReflexNasal, double ReflexUp, double Mrd1, double Mrd2);

    private sealed class Targets
    {
        public Targets(OcularMeasurements m, GeometryPrecision p, DiagnosticOptions options)
        {
            Right = Of(m.Right, p, options);
            Left = Of(m.Left, p, options);
            InterPupillary = p.InterPupillaryMillimetres > 0 ? GeometryPrecision.Round(m.InterPupillaryDistance.Millimetres, p.InterPupillaryMillimetres) : double.NaN;
        }

        public EyeTargets Right { get; }

        public EyeTargets Left { get; }

        public double InterPupillary { get; }

        public double Distance(OcularMeasurements m)
        {
            double worst = Math.Max(Eye(m.Right, Right), Eye(m.Left, Left));
            return double.IsNaN(InterPupillary) ? worst : Math.Max(worst, Math.Abs(m.InterPupillaryDistance.Millimetres - InterPupillary));

            static double Eye(EyeMeasurements e, EyeTargets t)
            {
                double worst = 0;
                void D(double value, double target)
                {
                    if (!double.IsNaN(target) && double.IsFinite(value))
                    {
                        worst = Math.Max(worst, Math.Abs(value - target));
                    }
                }

                D(e.FissureWidth.Millimetres, t.Width);
                D(e.CanthalTiltDegrees, t.TiltDegrees);
                D(e.IrisToInnerCanthus.Millimetres, t.ToInner);
                D(e.DecentrationUp.Millimetres, t.Up);
                D(e.Reflex.Nasal.Millimetres, t.ReflexNasal);
                D(e.Reflex.Up.Millimetres, t.ReflexUp);
                D(e.Mrd1.Millimetres, t.Mrd1);
                D(e.Mrd2.Millimetres, t.Mrd2);
                return worst;
            }
        }

        private static EyeTargets Of(EyeMeasurements e, GeometryPrecision p, DiagnosticOptions options)
        {
            double R(double v, double step) => step > 0 && double.IsFinite(v) ? GeometryPrecision.Round(v, step) : double.NaN;
            double reflexStep = p.PrismDioptres / options.ReflexPrismDioptresPerMm;
            bool reflex = e.Reflex.IsFound;
            return new EyeTargets(R(e.FissureWidth.Millimetres, p.Millimetres), R(e.CanthalTiltDegrees, p.Degrees), R(e.IrisToInnerCanthus.Millimetres, p.Millimetres),
                R(e.DecentrationUp.Millimetres, p.Millimetres), reflex ? R(e.Reflex.Nasal.Millimetres, reflexStep) : double.NaN,
                reflex ? R(e.Reflex.Up.Millimetres, reflexStep) : double.NaN, R(e.Mrd1.Millimetres, p.Millimetres), R(e.Mrd2.Millimetres, p.Millimetres));
        }
    }

    private static double Or(double target, double current) => double.IsNaN(target) ? current : target;

    private static void RoundEye(State s, bool right, EyeTargets t, DiagnosticOptions options)
    {
        // 1. Canthi: fissure width and canthal tilt, about the canthal midpoint; the lids follow the canthi.
        OcularMeasurements m = s.Measure(options);
        Frame f = s.Frame(m);
        EyeMeasurements e = right ? m.Right : m.Left;
        double pxPerMm = e.IrisDiameterPixels / options.IrisDiameterMm;
        Vector2 inner = e.Points.InnerCanthus, outer = e.Points.OuterCanthus;
        double width = Or(t.Width, e.FissureWidth.Millimetres) * pxPerMm;
        double tilt = Or(t.TiltDegrees, e.CanthalTiltDegrees) * Math.PI / 180;
        double outward = Math.Sign(f.X(outer) - f.X(inner));
        Vector2 mid = (inner + outer) / 2;
        Vector2 half = f.ToImage(outward * width * Math.Cos(tilt) / 2, -width * Math.Sin(tilt) / 2);
        s.ApplyToLids(right, Similarity(inner, outer, mid - half, mid + half));

        // 2. Iris (and its reflex, unchanged relative to it): iris to inner canthus and upward decentration.
        m = s.Measure(options);
        e = right ? m.Right : m.Left;
        double dToInner = Or(t.ToInner, e.IrisToInnerCanthus.Millimetres) - e.IrisToInnerCanthus.Millimetres;
        double dUp = Or(t.Up, e.DecentrationUp.Millimetres) - e.DecentrationUp.Millimetres;
        // Right eye: L/R = X(inner) - X(centre); left eye: X(centre) - X(inner). Decentration up = Y(mid) - Y(centre).
        s.MoveIris(right, f.ToImage((right ? -dToInner : dToInner) * pxPerMm, -dUp * pxPerMm));

        // 3. Reflex against the limbus centre, in steps of the displacement of PrismDioptres.
        m = s.Measure(options);
        e = right ? m.Right : m.Left;
        CornealReflex? reflex = right ? s.Reflexes.Right : s.Reflexes.Left;
        if (reflex is not null && e.Reflex.IsFound && e.Reflex.Nasal.Millimetres != 0 && !double.IsNaN(t.ReflexNasal))
        {
            double alignPxPerMm = Math.Abs(e.Reflex.Nasal.Pixels / e.Reflex.Nasal.Millimetres);
            double dn = Or(t.ReflexNasal, e.Reflex.Nasal.Millimetres) - e.Reflex.Nasal.Millimetres;
            double du = Or(t.ReflexUp, e.Reflex.Up.Millimetres) - e.Reflex.Up.Millimetres;
            // Nasal = +X for the right eye, -X for the left; up = -Y.
            s.MoveReflex(right, f.ToImage((right ? dn : -dn) * alignPxPerMm, -du * alignPxPerMm));
        }

        // 4. Lid margins at the measured column: MRD1 (upper) and MRD2 (lower), with the canthi fixed.
        m = s.Measure(options);
        e = right ? m.Right : m.Left;
        double d1 = Or(t.Mrd1, e.Mrd1.Millimetres) - e.Mrd1.Millimetres;
        double d2 = Or(t.Mrd2, e.Mrd2.Millimetres) - e.Mrd2.Millimetres;
        Vector2 column = e.Reflex.IsFound && e.Reflex.Position is { } at ? at : e.Points.IrisCentre;
        // MRD1 = Y(origin) - Y(upper): a larger MRD1 lifts the upper margin (smaller Y). MRD2 = Y(lower) - Y(origin).
        s.ShiftLid(right, upper: true, f, f.X(column), f.X(e.Points.InnerCanthus), f.X(e.Points.OuterCanthus), -d1 * pxPerMm);
        s.ShiftLid(right, upper: false, f, f.X(column), f.X(e.Points.InnerCanthus), f.X(e.Points.OuterCanthus), d2 * pxPerMm);
    }

    private static void RoundInterPupillary(State s, double target, DiagnosticOptions options)
    {
        if (double.IsNaN(target))
        {
            return;
        }

        OcularMeasurements m = s.Measure(options);
        double ipd = m.InterPupillaryDistance.Millimetres;
        double d = target - ipd;
        Vector2 cr = s.Point(468), cl = s.Point(473);
        Vector2 axis = cl - cr;
        float len = axis.Length();
        if (len < 1e-3f || !(ipd > 0))
        {
            return;
        }

        Vector2 shift = axis / len * (float)(d * len / ipd / 2);
        s.MoveEye(right: true, -shift);
        s.MoveEye(right: false, shift);
    }

    /// <summary>The similarity (row-vector convention) that maps a0 to b0 and a1 to b1.</summary>
    private static Matrix3x2 Similarity(Vector2 a0, Vector2 a1, Vector2 b0, Vector2 b1)
    {
        Vector2 da = a1 - a0, db = b1 - b0;
        float n = da.LengthSquared();
        if (n < 1e-9f)
        {
            return Matrix3x2.CreateTranslation(b0 - a0);
        }

        // Complex ratio db / da = (c, s): rotation and scale.
        float c = ((db.X * da.X) + (db.Y * da.Y)) / n, sn = ((db.Y * da.X) - (db.X * da.Y)) / n;
        var rotate = new Matrix3x2(c, sn, -sn, c, 0, 0);
        Vector2 t = b0 - Vector2.Transform(a0, rotate);
        rotate.M31 = t.X;
        rotate.M32 = t.Y;
        return rotate;
    }

    private readonly record struct Frame(double Ux, double Uy)
    {
        public double X(Vector2 p) => (p.X * Ux) + (p.Y * Uy);

        public double Y(Vector2 p) => (-p.X * Uy) + (p.Y * Ux);

        public Vector2 ToImage(double x, double y) => new((float)((x * Ux) - (y * Uy)), (float)((x * Uy) + (y * Ux)));
    }

    /// <summary>The mutable copy of the geometry being rounded.</summary>
    private sealed class State
    {
        private readonly Vector3[] _points;
        private readonly Vector3[]? _right;
        private readonly Vector3[]? _left;
        private readonly bool _rightRefined;
        private readonly bool _leftRefined;
        private readonly CoordinateSpace _space;
        private readonly CornealReflexStatus _rightStatus;
        private readonly CornealReflexStatus _leftStatus;
        private readonly float _ipdPx;

        public State(FaceLandmarks lm, CornealReflexes reflexes)
        {
            _points = lm.Points.ToArray();
            _right = lm.RightEyeContour?.Points.ToArray();
            _left = lm.LeftEyeContour?.Points.ToArray();
            _rightRefined = lm.RightEyeContour?.HasRefinedCanthi ?? false;
            _leftRefined = lm.LeftEyeContour?.HasRefinedCanthi ?? false;
            _space = lm.Space;
            Reflexes = reflexes;
            _rightStatus = reflexes.RightStatus;
            _leftStatus = reflexes.LeftStatus;
            _ipdPx = Math.Max(1f, lm.InterPupillaryDistance);
            _irisStartRight = lm[468];
            _irisStartLeft = lm[473];
        }

        private readonly Vector2 _irisStartRight;
        private readonly Vector2 _irisStartLeft;

        public CornealReflexes Reflexes { get; private set; }

        public Vector2 Point(int i) => new(_points[i].X, _points[i].Y);

        /// <summary>How far the eye's iris centre has moved in all.</summary>
        public Vector2 IrisMove(bool right) => Point(right ? 468 : 473) - (right ? _irisStartRight : _irisStartLeft);

        public FaceLandmarks Build() => new(_points, _space,
            _right is null ? null : new EyeContour(_right, _rightRefined), _left is null ? null : new EyeContour(_left, _leftRefined), Reflexes);

        public OcularMeasurements Measure(DiagnosticOptions options) => OcularMeasurer.Measure(Build(), new HeadPose(0, 0, 0), options);

        public Frame Frame(OcularMeasurements m)
        {
            Vector2 line = ((m.Left.Points.InnerCanthus + m.Left.Points.OuterCanthus) / 2) - ((m.Right.Points.InnerCanthus + m.Right.Points.OuterCanthus) / 2);
            double len = line.Length();
            return len > 0 ? new Frame(line.X / len, line.Y / len) : new Frame(1, 0);
        }

        public void ApplyToLids(bool right, Matrix3x2 t)
        {
            foreach (int i in (right ? RightUpper : LeftUpper).Concat(right ? RightLower : LeftLower).Distinct())
            {
                Transform(ref _points[i], t);
            }

            Vector3[]? contour = right ? _right : _left;
            if (contour is not null)
            {
                for (int i = 0; i < contour.Length; i++)
                {
                    Transform(ref contour[i], t);
                }
            }
        }

        public void MoveIris(bool right, Vector2 d)
        {
            int first = right ? 468 : 473;
            for (int i = first; i < first + 5; i++)
            {
                _points[i] += new Vector3(d, 0);
            }

            MoveReflex(right, d);
        }

        public void MoveReflex(bool right, Vector2 d)
        {
            CornealReflex? r = right ? Reflexes.Right : Reflexes.Left;
            if (r is null)
            {
                return;
            }

            CornealReflex moved = r with { Position = r.Position + d };
            Reflexes = right
                ? new CornealReflexes(moved, Reflexes.Left, _rightStatus, _leftStatus)
                : new CornealReflexes(Reflexes.Right, moved, _rightStatus, _leftStatus);
        }

        /// <summary>Moves the lid's interior margin points (canthi fixed) by dy along the frame's vertical, fully within
        /// a plateau around the measured column and fading smoothly to zero at each canthus.</summary>
        public void ShiftLid(bool right, bool upper, Frame f, double column, double innerX, double outerX, double dy)
        {
            if (dy == 0)
            {
                return;
            }

            double plateau = 0.3 * Math.Abs(outerX - innerX) / 2;
            float Weight(Vector2 p)
            {
                double x = f.X(p);
                double edge = (x - column) * (outerX - column) > 0 ? outerX : innerX;
                double span = Math.Abs(edge - column) - plateau;
                double dist = Math.Abs(x - column) - plateau;
                if (dist <= 0 || span <= 1e-6)
                {
                    return dist <= 0 ? 1f : 0f;
                }

                double t = Math.Clamp(1 - (dist / span), 0, 1);
                return (float)(t * t * (3 - (2 * t)));
            }

            Vector2 v = f.ToImage(0, dy);
            int[] chain = right ? (upper ? RightUpper : RightLower) : (upper ? LeftUpper : LeftLower);
            for (int k = 1; k < chain.Length - 1; k++)
            {
                ref Vector3 q = ref _points[chain[k]];
                q += new Vector3(Weight(new Vector2(q.X, q.Y)) * v, 0);
            }

            Vector3[]? contour = right ? _right : _left;
            if (contour is not null)
            {
                ReadOnlySpan<int> indices = upper ? EyeContour.UpperLidIndices : EyeContour.LowerLidIndices;
                for (int k = 1; k < indices.Length - 1; k++)
                {
                    ref Vector3 q = ref contour[indices[k]];
                    q += new Vector3(Weight(new Vector2(q.X, q.Y)) * v, 0);
                }
            }
        }

        /// <summary>Moves one eye as a whole: iris, reflex, contour and lids fully, the surrounding mesh fading out by 0.3 IPD.</summary>
        public void MoveEye(bool right, Vector2 d)
        {
            Vector2[] opening = (right ? RightUpper.Concat(RightLower.Reverse()) : LeftUpper.Concat(LeftLower.Reverse())).Select(Point).ToArray();
            for (int i = 0; i < FaceLandmarks.MeshCount; i++)
            {
                float dist = PolygonMath.DistanceOutside(opening, Point(i)) / _ipdPx;
                float t = Math.Clamp((dist - 0.1f) / 0.2f, 0f, 1f);
                float w = 1f - (t * t * (3f - (2f * t)));
                _points[i] += new Vector3(w * d, 0);
            }

            int first = right ? 468 : 473;
            for (int i = first; i < first + 5; i++)
            {
                _points[i] += new Vector3(d, 0);
            }

            Vector3[]? contour = right ? _right : _left;
            if (contour is not null)
            {
                for (int i = 0; i < contour.Length; i++)
                {
                    contour[i] += new Vector3(d, 0);
                }
            }

            MoveReflex(right, d);
        }

        private static void Transform(ref Vector3 p, Matrix3x2 t)
        {
            Vector2 q = Vector2.Transform(new Vector2(p.X, p.Y), t);
            p = new Vector3(q, p.Z);
        }
    }
}
