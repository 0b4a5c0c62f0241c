using System.Numerics;

namespace FaceDefender.Synthesis;

/// <summary>Small planar geometry helpers of the synthesis (points in continuous pixel coordinates).</summary>
internal static class PolygonMath
{
    /// <summary>Even-odd point-in-polygon test.</summary>
    public static bool Contains(ReadOnlySpan<Vector2> polygon, Vector2 p)
    {
        bool inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            Vector2 a = polygon[i], b = polygon[j];
            if ((a.Y > p.Y) != (b.Y > p.Y) && p.X < ((b.X - a.X) * (p.Y - a.Y) / (b.Y - a.Y)) + a.X)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>Distance from a point to a closed polygon's outline (0 inside).</summary>
    public static float DistanceOutside(ReadOnlySpan<Vector2> polygon, Vector2 p)
    {
        if (Contains(polygon, p))
        {
            return 0;
        }

        float best = float.MaxValue;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            best = MathF.Min(best, DistanceToSegment(p, polygon[j], polygon[i]));
        }

        return best;
    }

    /// <summary>Distance from a point to a segment.</summary>
    public static float DistanceToSegment(Vector2 p, Vector2 a, Vector2 b)
    {
        Vector2 ab = b - a;
        float len2 = ab.LengthSquared();
        float t = len2 > 0 ? Math.Clamp(Vector2.Dot(p - a, ab) / len2, 0f, 1f) : 0f;
        return Vector2.Distance(p, a + (t * ab));
    }

    /// <summary>
    /// A centripetal-free (uniform) Catmull-Rom curve through <paramref name="points"/>, open, with the end tangents
    /// taken from the end segments: <paramref name="samplesPerSegment"/> points per segment, ends included.
    /// </summary>
    public static Vector2[] CatmullRom(ReadOnlySpan<Vector2> points, int samplesPerSegment)
    {
        int n = points.Length;
        if (n < 3)
        {
            return points.ToArray();
        }

        var result = new List<Vector2>(((n - 1) * samplesPerSegment) + 1);
        for (int i = 0; i < n - 1; i++)
        {
            Vector2 p0 = i > 0 ? points[i - 1] : (2 * points[0]) - points[1];
            Vector2 p1 = points[i], p2 = points[i + 1];
            Vector2 p3 = i + 2 < n ? points[i + 2] : (2 * points[n - 1]) - points[n - 2];
            for (int s = 0; s < samplesPerSegment; s++)
            {
                float t = s / (float)samplesPerSegment, t2 = t * t, t3 = t2 * t;
                result.Add(0.5f * ((2 * p1) + ((p2 - p0) * t) + (((2 * p0) - (5 * p1) + (4 * p2) - p3) * t2) + (((3 * p1) - p0 - (3 * p2) + p3) * t3)));
            }
        }

        result.Add(points[n - 1]);
        return [.. result];
    }

    /// <summary>Signed area (positive for counter-clockwise in a y-up frame).</summary>
    public static float SignedArea(ReadOnlySpan<Vector2> polygon)
    {
        float a = 0;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            a += (polygon[j].X * polygon[i].Y) - (polygon[i].X * polygon[j].Y);
        }

        return a / 2;
    }
}
