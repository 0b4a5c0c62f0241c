using System.Numerics;

namespace FaceDefender.Imaging;

/// <summary>How the scale of a similarity transform is estimated.</summary>
public enum SimilarityScale
{
    /// <summary>Umeyama's least-squares scale: minimises the squared residuals of the fit.</summary>
    LeastSquares,

    /// <summary>
    /// The ratio of the two point sets' RMS spreads (Earl's face swap and the FaceDefender prototype);
    /// equal to <see cref="LeastSquares"/> when the points match exactly, larger when they are noisy.
    /// </summary>
    RatioOfSpreads,
}

/// <summary>A rotation, uniform scale and translation: p' = s·R(θ)·p + t.</summary>
/// <param name="Scale">Uniform scale, greater than 0.</param>
/// <param name="Rotation">Rotation angle in radians, counter-clockwise in a y-up frame (clockwise on screen).</param>
/// <param name="Translation">Translation in pixels.</param>
/// <param name="RmsError">Root-mean-square residual of the fit in destination pixels.</param>
public readonly record struct SimilarityTransform(double Scale, double Rotation, Vector2 Translation, double RmsError)
{
    /// <summary>The transform as a System.Numerics matrix (row-vector convention, usable with <see cref="Vector2.Transform(Vector2, Matrix3x2)"/>).</summary>
    public Matrix3x2 ToMatrix()
    {
        double c = Scale * Math.Cos(Rotation), s = Scale * Math.Sin(Rotation);
        return new Matrix3x2((float)c, (float)s, (float)-s, (float)c, Translation.X, Translation.Y);
    }

    /// <summary>Applies the transform to a point (in double precision).</summary>
    public Vector2 Apply(Vector2 p)
    {
        double c = Scale * Math.Cos(Rotation), s = Scale * Math.Sin(Rotation);
        return new Vector2((float)((c * p.X) - (s * p.Y) + Translation.X), (float)((s * p.X) + (c * p.Y) + Translation.Y));
    }
}

/// <summary>Least-squares transforms from point correspondences.</summary>
/// <remarks>Thread-safe; all arithmetic in double precision.</remarks>
internal static class TransformEstimation
{
    /// <summary>
    /// The similarity transform mapping <paramref name="source"/> onto <paramref name="destination"/> in the
    /// least-squares sense (Umeyama 1991). In 2-D the SVD of the cross-covariance has a closed form:
    /// θ = atan2(Σ a×b, Σ a·b) over centred points, which is always a proper rotation, so reflections
    /// can never be returned (Umeyama's det R = +1 guard holds by construction).
    /// </summary>
    /// <param name="source">Source points (at least 2, not all coincident).</param>
    /// <param name="destination">Corresponding destination points, same count.</param>
    /// <param name="scale">How the scale is estimated.</param>
    /// <exception cref="ArgumentException">Different counts, fewer than 2 points, non-finite points, or all source or destination points coincident.</exception>
    public static SimilarityTransform EstimateSimilarity(
        ReadOnlySpan<Vector2> source, ReadOnlySpan<Vector2> destination, SimilarityScale scale = SimilarityScale.LeastSquares)
    {
        Validate(source, destination, 2);
        int n = source.Length;
        (double sx, double sy) = Mean(source);
        (double dx, double dy) = Mean(destination);
        double dot = 0, cross = 0, varS = 0, varD = 0;
        for (int i = 0; i < n; i++)
        {
            double ax = source[i].X - sx, ay = source[i].Y - sy;
            double bx = destination[i].X - dx, by = destination[i].Y - dy;
            dot += (ax * bx) + (ay * by);
            cross += (ax * by) - (ay * bx);
            varS += (ax * ax) + (ay * ay);
            varD += (bx * bx) + (by * by);
        }

        double spreadTol = 1e-18 * n;
        if (varS <= spreadTol)
        {
            throw new ArgumentException("All source points coincide: a similarity transform needs at least two distinct points.", nameof(source));
        }

        if (varD <= spreadTol)
        {
            throw new ArgumentException("All destination points coincide: a similarity transform needs at least two distinct points.", nameof(destination));
        }

        double theta = Math.Atan2(cross, dot);
        double s = scale == SimilarityScale.LeastSquares
            ? Math.Sqrt((dot * dot) + (cross * cross)) / varS
            : Math.Sqrt(varD / varS);
        double c = s * Math.Cos(theta), si = s * Math.Sin(theta);
        double tx = dx - ((c * sx) - (si * sy));
        double ty = dy - ((si * sx) + (c * sy));

        double sse = 0;
        for (int i = 0; i < n; i++)
        {
            double px = (c * source[i].X) - (si * source[i].Y) + tx - destination[i].X;
            double py = (si * source[i].X) + (c * source[i].Y) + ty - destination[i].Y;
            sse += (px * px) + (py * py);
        }

        return new SimilarityTransform(s, theta, new Vector2((float)tx, (float)ty), Math.Sqrt(sse / n));
    }

    /// <summary>The full affine transform (6 parameters) mapping source onto destination in the least-squares sense.</summary>
    /// <param name="source">Source points (at least 3, not all collinear).</param>
    /// <param name="destination">Corresponding destination points, same count.</param>
    /// <returns>The transform in System.Numerics row-vector convention.</returns>
    /// <exception cref="ArgumentException">Different counts, fewer than 3 points, non-finite points, or collinear source points.</exception>
    public static Matrix3x2 EstimateAffine(ReadOnlySpan<Vector2> source, ReadOnlySpan<Vector2> destination)
    {
        Validate(source, destination, 3);
        int n = source.Length;
        (double mx, double my) = Mean(source);
        (double nx, double ny) = Mean(destination);

        // Centred normal equations: [Sxx Sxy; Sxy Syy] · [a b] = [Sxu Syu], likewise for v.
        double sxx = 0, sxy = 0, syy = 0, sxu = 0, syu = 0, sxv = 0, syv = 0;
        for (int i = 0; i < n; i++)
        {
            double x = source[i].X - mx, y = source[i].Y - my;
            double u = destination[i].X - nx, v = destination[i].Y - ny;
            sxx += x * x;
            sxy += x * y;
            syy += y * y;
            sxu += x * u;
            syu += y * u;
            sxv += x * v;
            syv += y * v;
        }

        double det = (sxx * syy) - (sxy * sxy);
        if (det <= 1e-9 * Math.Max(1e-30, sxx * syy))
        {
            throw new ArgumentException("The source points are collinear (or coincide): an affine transform needs at least three points spanning an area.", nameof(source));
        }

        // u = a·x + b·y, v = c·x + d·y (centred).
        double a = ((sxu * syy) - (syu * sxy)) / det;
        double b = ((syu * sxx) - (sxu * sxy)) / det;
        double c = ((sxv * syy) - (syv * sxy)) / det;
        double d = ((syv * sxx) - (sxv * sxy)) / det;
        double tx = nx - ((a * mx) + (b * my));
        double ty = ny - ((c * mx) + (d * my));
        return new Matrix3x2((float)a, (float)c, (float)b, (float)d, (float)tx, (float)ty);
    }

    private static void Validate(ReadOnlySpan<Vector2> source, ReadOnlySpan<Vector2> destination, int minimum)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"Point sets differ in size: {source.Length} source vs {destination.Length} destination points. Pass corresponding pairs.", nameof(destination));
        }

        if (source.Length < minimum)
        {
            throw new ArgumentException($"At least {minimum} point pairs are needed; got {source.Length}.", nameof(source));
        }

        for (int i = 0; i < source.Length; i++)
        {
            if (!float.IsFinite(source[i].X) || !float.IsFinite(source[i].Y))
            {
                throw new ArgumentException($"Source point {i} is not finite ({source[i]}).", nameof(source));
            }

            if (!float.IsFinite(destination[i].X) || !float.IsFinite(destination[i].Y))
            {
                throw new ArgumentException($"Destination point {i} is not finite ({destination[i]}).", nameof(destination));
            }
        }
    }

    private static (double X, double Y) Mean(ReadOnlySpan<Vector2> p)
    {
        double x = 0, y = 0;
        foreach (Vector2 v in p)
        {
            x += v.X;
            y += v.Y;
        }

        return (x / p.Length, y / p.Length);
    }
}
