namespace FaceDefender.Landmarks;

/// <summary>
/// The weighted normal equations A·δ = b of one Gauss-Newton step for a circle-like fit with the parameters (cx, cy, R),
/// where each point's residual has the gradient −(j.X, j.Y, 1): the limbus circle of <see cref="EyeImageRefiner"/> and
/// the turned limbus ellipse of <see cref="CornealReflexDetector"/>. Solved by Cramer's rule (3 × 3), or for the centre
/// alone (2 × 2) when the radius is held.
/// </summary>
internal struct CircleNormalEquations
{
    private double _a11, _a12, _a13, _a22, _a23, _a33, _b1, _b2, _b3;

    /// <summary>Adds one point: its residual's direction <paramref name="jx"/>, <paramref name="jy"/>, residual and weight.</summary>
    public void Add(float jx, float jy, float residual, float weight)
    {
        _a11 += weight * jx * jx;
        _a12 += weight * jx * jy;
        _a13 += weight * jx;
        _a22 += weight * jy * jy;
        _a23 += weight * jy;
        _a33 += weight;
        _b1 += weight * jx * residual;
        _b2 += weight * jy * residual;
        _b3 += weight * residual;
    }

    /// <summary>The step for (cx, cy, R) and the centre's vertical variance factor (A⁻¹)₂₂; false when A is singular.</summary>
    public readonly bool TrySolve(out double dx, out double dy, out double dr, out double varianceY)
    {
        double det = (_a11 * ((_a22 * _a33) - (_a23 * _a23))) - (_a12 * ((_a12 * _a33) - (_a23 * _a13))) + (_a13 * ((_a12 * _a23) - (_a22 * _a13)));
        if (!(Math.Abs(det) > 1e-9))
        {
            dx = dy = dr = varianceY = double.NaN;
            return false;
        }

        dx = ((_b1 * ((_a22 * _a33) - (_a23 * _a23))) - (_a12 * ((_b2 * _a33) - (_a23 * _b3))) + (_a13 * ((_b2 * _a23) - (_a22 * _b3)))) / det;
        dy = ((_a11 * ((_b2 * _a33) - (_a23 * _b3))) - (_b1 * ((_a12 * _a33) - (_a23 * _a13))) + (_a13 * ((_a12 * _b3) - (_b2 * _a13)))) / det;
        dr = ((_a11 * ((_a22 * _b3) - (_b2 * _a23))) - (_a12 * ((_a12 * _b3) - (_b2 * _a13))) + (_b1 * ((_a12 * _a23) - (_a22 * _a13)))) / det;
        varianceY = ((_a11 * _a33) - (_a13 * _a13)) / det;
        return true;
    }

    /// <summary>The step for the centre alone, the radius held; false when that 2 × 2 system is singular.</summary>
    public readonly bool TrySolveCentre(out double dx, out double dy)
    {
        double det = (_a11 * _a22) - (_a12 * _a12);
        if (!(det > 1e-9))
        {
            dx = dy = double.NaN;
            return false;
        }

        dx = ((_a22 * _b1) - (_a12 * _b2)) / det;
        dy = ((_a11 * _b2) - (_a12 * _b1)) / det;
        return true;
    }
}
