using System.Numerics;

namespace FaceDefender.Imaging;

/// <summary>Convex hulls of point sets (Andrew's monotone chain, O(n log n)).</summary>
internal static class ConvexHull
{
    /// <summary>Computes the convex hull, counter-clockwise in a y-up frame (clockwise on screen), without repeated points.</summary>
    /// <param name="points">At least one point; all coordinates finite.</param>
    /// <returns>The hull vertices; 1 or 2 points when the input is degenerate (all equal or collinear).</returns>
    /// <exception cref="ArgumentException">No points, or a coordinate is NaN or infinite.</exception>
    public static Vector2[] Compute(ReadOnlySpan<Vector2> points)
    {
        if (points.IsEmpty)
        {
            throw new ArgumentException("A convex hull needs at least one point.", nameof(points));
        }

        var p = new Vector2[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            if (!float.IsFinite(points[i].X) || !float.IsFinite(points[i].Y))
            {
                throw new ArgumentException($"Point {i} is not finite ({points[i]}).", nameof(points));
            }

            p[i] = points[i];
        }

        Array.Sort(p, static (a, b) => a.X != b.X ? a.X.CompareTo(b.X) : a.Y.CompareTo(b.Y));
        var hull = new Vector2[2 * p.Length];
        int k = 0;
        for (int i = 0; i < p.Length; i++)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
            {
                k--;
            }

            hull[k++] = p[i];
        }

        for (int i = p.Length - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
            {
                k--;
            }

            hull[k++] = p[i];
        }

        int count = Math.Max(1, k - 1);
        if (count == 2 && hull[0] == hull[1])
        {
            count = 1;
        }

        return hull.AsSpan(0, count).ToArray();
    }

    /// <summary>
    /// Grows a convex polygon outward by <paramref name="distance"/> pixels (its Minkowski sum with a disk,
    /// the disk approximated by a 32-gon circumscribing the circle, so the result contains the exact offset).
    /// </summary>
    /// <param name="hull">A convex polygon (or any point set: its hull is taken).</param>
    /// <param name="distance">Offset in pixels, at least 0.</param>
    public static Vector2[] Dilate(ReadOnlySpan<Vector2> hull, float distance)
    {
        if (!(distance >= 0) || !float.IsFinite(distance))
        {
            throw new ArgumentOutOfRangeException(nameof(distance), distance, "Dilation distance must be finite and at least 0 pixels.");
        }

        if (distance == 0)
        {
            return Compute(hull);
        }

        const int Sides = 32;
        float r = distance / MathF.Cos(MathF.PI / Sides);
        var pts = new Vector2[hull.Length * Sides];
        for (int i = 0; i < hull.Length; i++)
        {
            for (int k = 0; k < Sides; k++)
            {
                float a = 2 * MathF.PI * k / Sides;
                pts[(i * Sides) + k] = hull[i] + new Vector2(r * MathF.Cos(a), r * MathF.Sin(a));
            }
        }

        return Compute(pts);
    }

    private static float Cross(Vector2 o, Vector2 a, Vector2 b) => ((a.X - o.X) * (b.Y - o.Y)) - ((a.Y - o.Y) * (b.X - o.X));
}
