using System.Numerics;

namespace FaceDefender.Imaging;

/// <summary>
/// Anti-aliased polygon filling into a float mask. Coverage is exact horizontally and sampled on
/// <see cref="SubScanlines"/> lines per pixel vertically, with the non-zero winding rule.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal static class PolygonRasterizer
{
    /// <summary>Vertical samples per pixel row.</summary>
    public const int SubScanlines = 8;

    /// <summary>
    /// Fills a polygon, combining with the mask by maximum (so several polygons form their union).
    /// Pixel (x, y) is the unit square [x, x+1) x [y, y+1); a pixel centre is at (x + 0.5, y + 0.5).
    /// Note the warp kernels put pixel centres at integer coordinates: add (0.5, 0.5) to landmark
    /// coordinates to rasterise in this convention, as <see cref="FillPolygonAtPixelCentres"/> does.
    /// </summary>
    /// <param name="polygon">Vertices in order (either orientation); at least 3, all finite.</param>
    /// <param name="mask">The mask, width x height, row-major.</param>
    /// <param name="width">Mask width.</param>
    /// <param name="height">Mask height.</param>
    /// <param name="value">The value of a fully covered pixel (default 1).</param>
    /// <exception cref="ArgumentException">Fewer than 3 vertices, non-finite vertices, or a mask too small.</exception>
    public static void FillPolygon(ReadOnlySpan<Vector2> polygon, Span<float> mask, int width, int height, float value = 1f)
    {
        ImagingGuard.Dimensions(width, height, nameof(width), nameof(height));
        ImagingGuard.BufferLength(mask.Length, (long)width * height, nameof(mask), width, height, 1);
        if (polygon.Length < 3)
        {
            throw new ArgumentException($"A polygon needs at least 3 vertices; got {polygon.Length}. For 1 or 2 points use ConvexHull.Dilate first.", nameof(polygon));
        }

        float minY = float.MaxValue, maxY = float.MinValue;
        foreach (Vector2 v in polygon)
        {
            if (!float.IsFinite(v.X) || !float.IsFinite(v.Y))
            {
                throw new ArgumentException($"Polygon vertex {v} is not finite.", nameof(polygon));
            }

            minY = Math.Min(minY, v.Y);
            maxY = Math.Max(maxY, v.Y);
        }

        int y0 = Math.Max(0, (int)MathF.Floor(minY));
        int y1 = Math.Min(height - 1, (int)MathF.Ceiling(maxY));
        if (y0 > y1)
        {
            return;
        }

        float[] coverage = new float[width + 1];
        var crossings = new List<(float X, int Dir)>(16);
        const float Step = 1f / SubScanlines;
        for (int y = y0; y <= y1; y++)
        {
            Array.Clear(coverage);
            bool any = false;
            for (int s = 0; s < SubScanlines; s++)
            {
                float sy = y + ((s + 0.5f) * Step);
                crossings.Clear();
                for (int i = 0; i < polygon.Length; i++)
                {
                    Vector2 a = polygon[i];
                    Vector2 b = polygon[(i + 1) % polygon.Length];
                    if ((a.Y <= sy && b.Y > sy) || (b.Y <= sy && a.Y > sy))
                    {
                        float t = (sy - a.Y) / (b.Y - a.Y);
                        crossings.Add((a.X + (t * (b.X - a.X)), b.Y > a.Y ? 1 : -1));
                    }
                }

                if (crossings.Count < 2)
                {
                    continue;
                }

                crossings.Sort(static (p, q) => p.X.CompareTo(q.X));
                int winding = 0;
                for (int i = 0; i < crossings.Count - 1; i++)
                {
                    winding += crossings[i].Dir;
                    if (winding != 0)
                    {
                        AddSpan(coverage, width, crossings[i].X, crossings[i + 1].X, Step);
                        any = true;
                    }
                }
            }

            if (!any)
            {
                continue;
            }

            Span<float> row = mask.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                float v = Math.Min(1f, coverage[x]) * value;
                if (v > row[x])
                {
                    row[x] = v;
                }
            }
        }
    }

    /// <summary>
    /// Fills a polygon given in the warp convention (pixel centres at integer coordinates, as landmarks are):
    /// the polygon is shifted by (0.5, 0.5) before rasterising.
    /// </summary>
    /// <param name="polygon">Vertices in order; at least 3.</param>
    /// <param name="mask">The mask, width x height.</param>
    /// <param name="width">Mask width.</param>
    /// <param name="height">Mask height.</param>
    /// <param name="value">The value of a fully covered pixel.</param>
    public static void FillPolygonAtPixelCentres(ReadOnlySpan<Vector2> polygon, Span<float> mask, int width, int height, float value = 1f)
    {
        var shifted = new Vector2[polygon.Length];
        for (int i = 0; i < polygon.Length; i++)
        {
            shifted[i] = polygon[i] + new Vector2(0.5f);
        }

        FillPolygon(shifted, mask, width, height, value);
    }

    private static void AddSpan(float[] coverage, int width, float xa, float xb, float weight)
    {
        xa = Math.Max(xa, 0);
        xb = Math.Min(xb, width);
        if (xb <= xa)
        {
            return;
        }

        int ia = (int)xa;
        int ib = (int)xb;
        if (ia == ib)
        {
            coverage[ia] += (xb - xa) * weight;
            return;
        }

        coverage[ia] += (ia + 1 - xa) * weight;
        for (int x = ia + 1; x < ib; x++)
        {
            coverage[x] += weight;
        }

        if (ib < width)
        {
            coverage[ib] += (xb - ib) * weight;
        }
    }
}
