using System.Numerics;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Landmarks;

/// <summary>
/// Image-based canthi for one eye, after the lid-margin refinement (<see cref="EyeImageRefiner"/>). The face mesh's canthi
/// follow the mesh model's head-pose prior: on the ground-truth kit their vertical error grows with head pitch (about
/// 0.14 mm per degree for both canthi, as for every mesh point in proportion to its depth), while points found on the
/// image (the limbus, the refined lid margins) do not. So the canthi are re-read from the image:
/// </summary>
/// <remarks>
/// <para><b>Outer (lateral) canthus.</b> In a rectified window about the mesh's outer canthus (a along the eye axis,
/// outwards; b across it, downwards) every pixel is scored by its colour distance (Mahalanobis, RGB) from the skin
/// around the eye: the skin is the window outside the refined lid contour by more than 12 % of the eye width, the
/// fissure the part of the contour's inside that lies more than 6 % of the eye width inside the mesh canthus. A pixel
/// belongs to the opening when its distance exceeds the geometric interpolation, 35 % of the way, between the skin's
/// and the fissure's median distances. From the column 12 % of the eye width inside the canthus the opening's run
/// (the one nearest the axis) is followed outwards while each next column has an overlapping run; the last column is
/// the canthus's position along the axis. Across the axis the canthus is the lower edge of the opening (a line fitted
/// to the run's lower ends over the last 12 % of the eye width, read at that column): at the lateral angle the upper
/// lid and its lashes overlap the end of the lower lid, so the dark upper edge runs on beyond the angle and its
/// midline lies above the corner, while the lower lid's edge ends at it.</para>
/// <para><b>Inner (medial) canthus.</b> The medial angle is rounded (the caruncle), with no sharp apex, so only its
/// height is re-read: quadratics fitted (least squares, in the eye frame) to the refined upper (contour 9..15) and
/// lower (1..7) lid margins are read at the mesh canthus's position along the axis, and the canthus moves across the
/// axis to their mean. Along the axis the mesh's position is kept.</para>
/// <para>The inner canthus is re-read only when both lids were found on the image (else the margins are the model's own
/// points and carry no image evidence).</para>
/// <para>Each result is kept only when it moves the mesh canthus by at most <see cref="MaxMove"/> x the eye width
/// and the opening's run was followed over at least 3 columns; otherwise the mesh canthus stands.</para>
/// </remarks>
internal static class EyeCanthusRefiner
{
    /// <summary>Largest accepted move from the mesh canthus, fraction of the eye width.</summary>
    public const float MaxMove = 0.12f;

    private const float Step = 0.5f;
    private const float Interpolation = 0.35f;

    /// <summary>
    /// Writes the canthi of <paramref name="contour"/> (points 0 and 8): the image's where found, else the mesh's
    /// (<paramref name="meshOuter"/>, <paramref name="meshInner"/>). Returns which of the two came from the image. The inner
    /// canthus's height is re-read only when both lid margins were found on the image (<paramref name="lidsFromImage"/>).
    /// </summary>
    public static (bool Outer, bool Inner) Refine(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector3[] contour, Vector3 meshOuter, Vector3 meshInner, bool lidsFromImage)
    {
        Vector2 m = new(meshOuter.X, meshOuter.Y), i = new(meshInner.X, meshInner.Y);
        float w = Vector2.Distance(m, i);
        contour[EyeContour.OuterCanthusIndex] = meshOuter;
        contour[EyeContour.InnerCanthusIndex] = meshInner;
        if (!(w >= 8) || !float.IsFinite(w))
        {
            return (false, false);
        }

        Vector2 u = (m - i) / w; // outwards
        Vector2 v = new(-u.Y, u.X);
        if (v.Y < 0)
        {
            v = -v;
        }

        // The refined lid margins in the frame about the outer canthus: upper 9..15, then lower 7..1 (a closed polygon).
        var poly = new Vector2[14];
        for (int k = 0; k < 7; k++)
        {
            poly[k] = ToFrame(contour[9 + k], m, u, v);
            poly[7 + k] = ToFrame(contour[7 - k], m, u, v);
        }

        bool outerFound = false, innerFound = false;
        if (OuterApex(pixels, width, height, m, u, v, w, poly) is { } apex && Vector2.Distance(apex, m) <= MaxMove * w)
        {
            contour[EyeContour.OuterCanthusIndex] = meshOuter with { X = apex.X, Y = apex.Y };
            outerFound = true;
        }

        if (lidsFromImage && InnerHeight(poly, ToFrame(meshInner, m, u, v).X) is { } bMid)
        {
            float across = bMid - ToFrame(meshInner, m, u, v).Y;
            if (MathF.Abs(across) <= MaxMove * w)
            {
                Vector2 p = i + (across * v);
                contour[EyeContour.InnerCanthusIndex] = meshInner with { X = p.X, Y = p.Y };
                innerFound = true;
            }
        }

        return (outerFound, innerFound);
    }

    private static Vector2 ToFrame(Vector3 p, Vector2 origin, Vector2 u, Vector2 v)
    {
        Vector2 d = new Vector2(p.X, p.Y) - origin;
        return new Vector2(Vector2.Dot(d, u), Vector2.Dot(d, v));
    }

    /// <summary>Mean of the upper and lower margin quadratics at frame position <paramref name="a"/>; null if a fit is singular.</summary>
    private static float? InnerHeight(Vector2[] poly, float a)
    {
        float? up = QuadraticAt(poly.AsSpan(0, 7), a), low = QuadraticAt(poly.AsSpan(7, 7), a);
        return up is { } x && low is { } y ? (x + y) / 2 : null;
    }

    private static float? QuadraticAt(ReadOnlySpan<Vector2> pts, float a)
    {
        // Centred and scaled abscissae for conditioning; normal equations of y = c0 + c1 t + c2 t^2.
        double mean = 0, spread = 0;
        foreach (Vector2 p in pts)
        {
            mean += p.X;
        }

        mean /= pts.Length;
        foreach (Vector2 p in pts)
        {
            spread = Math.Max(spread, Math.Abs(p.X - mean));
        }

        if (!(spread > 1e-3))
        {
            return null;
        }

        Span<double> s = stackalloc double[5];
        Span<double> r = stackalloc double[3];
        foreach (Vector2 p in pts)
        {
            double t = (p.X - mean) / spread, tk = 1;
            for (int k = 0; k < 5; k++)
            {
                s[k] += tk;
                if (k < 3)
                {
                    r[k] += tk * p.Y;
                }

                tk *= t;
            }
        }

        // Solve the 3x3 system [s0 s1 s2; s1 s2 s3; s2 s3 s4] c = r by Cramer's rule.
        double det = Det(s[0], s[1], s[2], s[1], s[2], s[3], s[2], s[3], s[4]);
        if (Math.Abs(det) < 1e-12)
        {
            return null;
        }

        double c0 = Det(r[0], s[1], s[2], r[1], s[2], s[3], r[2], s[3], s[4]) / det;
        double c1 = Det(s[0], r[0], s[2], s[1], r[1], s[3], s[2], r[2], s[4]) / det;
        double c2 = Det(s[0], s[1], r[0], s[1], s[2], r[1], s[2], s[3], r[2]) / det;
        double ta = (a - mean) / spread;
        return (float)(c0 + (c1 * ta) + (c2 * ta * ta));
    }

    private static double Det(double a, double b, double c, double d, double e, double f, double g, double h, double i) =>
        (a * ((e * i) - (f * h))) - (b * ((d * i) - (f * g))) + (c * ((d * h) - (e * g)));

    /// <summary>The outer canthus in image coordinates, or null when the opening cannot be followed.</summary>
    private static Vector2? OuterApex(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector2 m, Vector2 u, Vector2 v, float w, Vector2[] poly)
    {
        float a0 = -0.3f * w, b0 = -0.15f * w;
        int na = (int)MathF.Ceiling(0.45f * w / Step), nb = (int)MathF.Ceiling(0.3f * w / Step);
        int n = na * nb;
        var rgb = new Vector3[n];
        var role = new byte[n]; // 1 fissure, 2 skin
        int fissure = 0, skin = 0;
        for (int jb = 0; jb < nb; jb++)
        {
            float b = b0 + (jb * Step);
            for (int ja = 0; ja < na; ja++)
            {
                float a = a0 + (ja * Step);
                Vector2 p = m + (a * u) + (b * v);
                int o = (jb * na) + ja;
                rgb[o] = Sample(pixels, width, height, p.X, p.Y);
                float sd = SignedDistance(poly, new Vector2(a, b));
                if (sd > 1.5f && a < -0.06f * w)
                {
                    role[o] = 1;
                    fissure++;
                }
                else if (sd < -0.12f * w)
                {
                    role[o] = 2;
                    skin++;
                }
            }
        }

        if (fissure < 10 || skin < 30)
        {
            return null;
        }

        // Skin colour model: mean and covariance (+4 levels^2 on the diagonal), inverted.
        Vector3 mean = Vector3.Zero;
        for (int o = 0; o < n; o++)
        {
            if (role[o] == 2)
            {
                mean += rgb[o];
            }
        }

        mean /= skin;
        double cxx = 4, cyy = 4, czz = 4, cxy = 0, cxz = 0, cyz = 0;
        for (int o = 0; o < n; o++)
        {
            if (role[o] == 2)
            {
                Vector3 d = rgb[o] - mean;
                cxx += d.X * d.X / (double)skin;
                cyy += d.Y * d.Y / (double)skin;
                czz += d.Z * d.Z / (double)skin;
                cxy += d.X * d.Y / (double)skin;
                cxz += d.X * d.Z / (double)skin;
                cyz += d.Y * d.Z / (double)skin;
            }
        }

        double det = Det(cxx, cxy, cxz, cxy, cyy, cyz, cxz, cyz, czz);
        if (!(det > 1e-9))
        {
            return null;
        }

        // Inverse of the symmetric covariance (adjugate / determinant).
        double ixx = ((cyy * czz) - (cyz * cyz)) / det, iyy = ((cxx * czz) - (cxz * cxz)) / det, izz = ((cxx * cyy) - (cxy * cxy)) / det;
        double ixy = ((cxz * cyz) - (cxy * czz)) / det, ixz = ((cxy * cyz) - (cxz * cyy)) / det, iyz = ((cxy * cxz) - (cxx * cyz)) / det;
        var dist = new float[n];
        var skinD = new float[skin];
        var fisD = new float[fissure];
        int ks = 0, kf = 0;
        for (int o = 0; o < n; o++)
        {
            Vector3 d = rgb[o] - mean;
            double q = (ixx * d.X * d.X) + (iyy * d.Y * d.Y) + (izz * d.Z * d.Z) + (2 * ((ixy * d.X * d.Y) + (ixz * d.X * d.Z) + (iyz * d.Y * d.Z)));
            dist[o] = (float)Math.Sqrt(Math.Max(0, q));
            if (role[o] == 2)
            {
                skinD[ks++] = dist[o];
            }
            else if (role[o] == 1)
            {
                fisD[kf++] = dist[o];
            }
        }

        double skinMedian = Median(skinD) + 1e-3, fissureMedian = Median(fisD) + 1e-3;
        if (!(fissureMedian > skinMedian))
        {
            return null;
        }

        float threshold = (float)Math.Exp((Math.Log(skinMedian) * (1 - Interpolation)) + (Math.Log(fissureMedian) * Interpolation));

        // Follow the opening's run outwards from the column 12 % of the eye width inside the canthus.
        int j = Math.Clamp((int)MathF.Ceiling(((-0.12f * w) - a0) / Step), 0, na - 1);
        int axisRow = Math.Clamp((int)MathF.Round(-b0 / Step), 0, nb - 1);
        (int Start, int End)? current = null;
        int bestDistance = int.MaxValue;
        foreach ((int s, int e) in Runs(dist, threshold, na, nb, j))
        {
            int d = Math.Abs(s + e - (2 * axisRow));
            if (d < bestDistance)
            {
                bestDistance = d;
                current = (s, e);
            }
        }

        if (current is not { } cur)
        {
            return null;
        }

        var lowerEnds = new List<(int Column, int End)> { (j, cur.End) };
        while (j + 1 < na)
        {
            (int Start, int End)? next = null;
            int best = int.MaxValue;
            foreach ((int s, int e) in Runs(dist, threshold, na, nb, j + 1))
            {
                if (s <= cur.End + 1 && e >= cur.Start - 1)
                {
                    int d = Math.Abs(s + e - cur.Start - cur.End);
                    if (d < best)
                    {
                        best = d;
                        next = (s, e);
                    }
                }
            }

            if (next is not { } nx)
            {
                break;
            }

            cur = nx;
            j++;
            lowerEnds.Add((j, cur.End));
        }

        if (lowerEnds.Count < 3)
        {
            return null;
        }

        float aApex = a0 + (j * Step) + (Step / 2);
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int count = 0;
        foreach ((int col, int end) in lowerEnds)
        {
            float a = a0 + (col * Step);
            if (a < aApex - (0.12f * w))
            {
                continue;
            }

            float b = b0 + (end * Step) + (Step / 2);
            sx += a;
            sy += b;
            sxx += a * a;
            sxy += a * b;
            count++;
        }

        double bApex;
        double denominator = (count * sxx) - (sx * sx);
        if (count >= 3 && Math.Abs(denominator) > 1e-9)
        {
            double slope = ((count * sxy) - (sx * sy)) / denominator;
            bApex = ((sy - (slope * sx)) / count) + (slope * aApex);
        }
        else
        {
            bApex = sy / Math.Max(1, count);
        }

        Vector2 result = m + (aApex * u) + ((float)bApex * v);
        return float.IsFinite(result.X) && float.IsFinite(result.Y) ? result : null;
    }

    /// <summary>The runs (first and last row) of above-threshold samples in one column.</summary>
    private static List<(int Start, int End)> Runs(float[] dist, float threshold, int na, int nb, int column)
    {
        var runs = new List<(int, int)>();
        int k = 0;
        while (k < nb)
        {
            if (dist[(k * na) + column] > threshold)
            {
                int s = k;
                while (k < nb && dist[(k * na) + column] > threshold)
                {
                    k++;
                }

                runs.Add((s, k - 1));
            }
            else
            {
                k++;
            }
        }

        return runs;
    }

    private static double Median(float[] x)
    {
        Array.Sort(x);
        int h = x.Length / 2;
        return x.Length % 2 == 1 ? x[h] : 0.5 * (x[h - 1] + x[h]);
    }

    /// <summary>Distance to the closed polygon's boundary, positive inside.</summary>
    private static float SignedDistance(Vector2[] poly, Vector2 p)
    {
        bool inside = false;
        float best = float.MaxValue;
        for (int k = 0, l = poly.Length - 1; k < poly.Length; l = k++)
        {
            Vector2 a = poly[l], b = poly[k];
            if ((b.Y > p.Y) != (a.Y > p.Y) && p.X < a.X + ((p.Y - a.Y) * (b.X - a.X) / (b.Y - a.Y)))
            {
                inside = !inside;
            }

            Vector2 ab = b - a;
            float len2 = ab.LengthSquared();
            float t = len2 > 0 ? Math.Clamp(Vector2.Dot(p - a, ab) / len2, 0, 1) : 0;
            best = MathF.Min(best, Vector2.Distance(p, a + (t * ab)));
        }

        return inside ? best : -best;
    }

    /// <summary>Bilinear RGB at continuous coordinates (pixel (i, j)'s centre at (i + 0.5, j + 0.5)), clamped at the border.</summary>
    private static Vector3 Sample(ReadOnlySpan<Rgb24> pixels, int width, int height, float x, float y)
    {
        float fx = Math.Clamp(x - 0.5f, 0, width - 1), fy = Math.Clamp(y - 0.5f, 0, height - 1);
        int x0 = Math.Min((int)fx, width - 2 < 0 ? 0 : width - 2), y0 = Math.Min((int)fy, height - 2 < 0 ? 0 : height - 2);
        int x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
        float tx = fx - x0, ty = fy - y0;
        Rgb24 c00 = pixels[(y0 * width) + x0], c10 = pixels[(y0 * width) + x1], c01 = pixels[(y1 * width) + x0], c11 = pixels[(y1 * width) + x1];
        Vector3 top = Vector3.Lerp(new Vector3(c00.R, c00.G, c00.B), new Vector3(c10.R, c10.G, c10.B), tx);
        Vector3 bottom = Vector3.Lerp(new Vector3(c01.R, c01.G, c01.B), new Vector3(c11.R, c11.G, c11.B), tx);
        return Vector3.Lerp(top, bottom, ty);
    }
}
