using System.Numerics;
using FaceDefender.Imaging;
using FaceDefender.Synthesis;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Landmarks;

/// <summary>
/// Finds the corneal light reflex of each eye: the brightest compact spot inside the visible iris.
/// </summary>
/// <remarks>
/// <para>Per eye: the luminance (BT.601) of the pixels within 0.9 iris radii of the iris centre and inside the
/// lid opening; the peak of its 3 x 3 mean is a reflex only if it stands at least <see cref="MinContrast"/> grey
/// levels above the iris's median and reaches <see cref="MinPeak"/>, and if the connected pixels brighter than
/// half-way between median and peak cover at most <see cref="MaxAreaFraction"/> of the iris disc (a reflex is
/// small; a washed-out eye is not a reflex). Position: the brightness-weighted centroid of that blob. The reflex is
/// refused as ambiguous when a second, separate spot reaches <see cref="SecondSpotFraction"/> of its contrast (a ring
/// light, a window beside the flash, glasses glare), when it lies farther than <see cref="MaxOffsetIrisRadii"/> from the
/// iris centre (the highlight of a light elsewhere), and when the blob touches the edge of the searched disc or the lids. Every refusal has a <see cref="CornealReflexStatus"/>.</para>
/// <para>Only geometry leaves this class. Stateless and thread-safe.</para>
/// </remarks>
public static class CornealReflexDetector
{
    /// <summary>Minimum peak above the iris median, in grey levels.</summary>
    public const float MinContrast = 48;

    /// <summary>Minimum peak luminance, in grey levels.</summary>
    public const float MinPeak = 140;

    /// <summary>Largest blob, as a fraction of the iris disc's area.</summary>
    public const float MaxAreaFraction = 0.12f;

    /// <summary>A second separate spot whose peak contrast reaches this fraction of the reflex's makes the eye ambiguous.</summary>
    public const float SecondSpotFraction = 0.85f;

    /// <summary>
    /// Farthest a reflex of a light at the camera may lie from the iris centre, in iris radii. A 40 PD deviation moves
    /// it about 0.35 radii; a highlight farther out is a light elsewhere (a window, a lamp) or lies near the limbus.
    /// </summary>
    public const float MaxOffsetIrisRadii = 0.55f;

    /// <summary>Finds the reflexes of both eyes of a face.</summary>
    /// <param name="image">The photo the landmarks refer to.</param>
    /// <param name="landmarks">The face's landmarks in <paramref name="image"/>'s pixels.</param>
    /// <returns>Each eye's reflex, or null with the reason for an eye without a trustworthy one.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static CornealReflexes Detect(Image<Rgb24> image, FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(landmarks);
        using PixelBuffer px = PixelBuffer.Read(image);
        return Detect(px.Bytes, image.Width, image.Height, landmarks);
    }

    /// <summary>
    /// The brightest compact highlight of each eye for drawing synthetic eyes: as <see cref="Detect(Image{Rgb24}, FaceLandmarks)"/>
    /// but a spot at the iris edge or beside a second one is kept (it is not a measurement).
    /// </summary>
    internal static CornealReflexes DetectHighlights(Image<Rgb24> image, FaceLandmarks landmarks)
    {
        using PixelBuffer px = PixelBuffer.Read(image);
        return Detect(px.Bytes, image.Width, image.Height, landmarks, strict: false);
    }

    /// <summary>Finds the reflexes of both eyes in packed RGB24 pixels.</summary>
    internal static CornealReflexes Detect(ReadOnlySpan<byte> rgb, int width, int height, FaceLandmarks landmarks, bool strict = true)
    {
        (CornealReflex? right, CornealReflexStatus rs) = DetectEye(rgb, width, height, landmarks.RightEye, strict);
        (CornealReflex? left, CornealReflexStatus ls) = DetectEye(rgb, width, height, landmarks.LeftEye, strict);
        return new CornealReflexes(right, left, rs, ls);
    }

    internal static (CornealReflex? Reflex, CornealReflexStatus Status) DetectEye(ReadOnlySpan<byte> rgb, int width, int height, EyeLandmarks eye, bool strict = true)
    {
        Vector2 c = eye.IrisCentre;
        float radius = eye.IrisDiameter / 2;
        if (!(radius >= 2.5f) || !float.IsFinite(c.X) || !float.IsFinite(c.Y))
        {
            return (null, CornealReflexStatus.IrisTooSmall);
        }

        Vector2[] opening = [.. eye.Contour];
        float rs = 0.9f * radius;
        int x0 = Math.Max(0, (int)MathF.Floor(c.X - rs)), x1 = Math.Min(width - 1, (int)MathF.Ceiling(c.X + rs));
        int y0 = Math.Max(0, (int)MathF.Floor(c.Y - rs)), y1 = Math.Min(height - 1, (int)MathF.Ceiling(c.Y + rs));
        if (x1 < x0 || y1 < y0)
        {
            return (null, CornealReflexStatus.Occluded);
        }

        int pw = x1 - x0 + 1, ph = y1 - y0 + 1;
        var lum = new float[pw * ph];
        var valid = new bool[pw * ph];
        var values = new List<float>(pw * ph);
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                var p = new Vector2(x + 0.5f, y + 0.5f);
                if (Vector2.Distance(p, c) > rs || !PolygonMath.Contains(opening, p))
                {
                    continue;
                }

                int o = ((y * width) + x) * 3;
                float l = Luma(rgb, o);
                int i = ((y - y0) * pw) + (x - x0);
                lum[i] = l;
                valid[i] = true;
                values.Add(l);
            }
        }

        // Too little of the disc is visible to tell a reflex from the iris (closed or covered eye, image border).
        if (values.Count < (strict ? Math.Max(9, 0.25f * MathF.PI * rs * rs) : 9))
        {
            return (null, CornealReflexStatus.Occluded);
        }

        values.Sort();
        float median = values[values.Count / 2];

        // Peak of the 3 x 3 mean over valid pixels.
        var smooth = new float[pw * ph];
        int best = -1;
        float bestMean = float.MinValue;
        for (int y = 0; y < ph; y++)
        {
            for (int x = 0; x < pw; x++)
            {
                if (!valid[(y * pw) + x])
                {
                    continue;
                }

                float s = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int xx = x + dx, yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < pw && yy < ph && valid[(yy * pw) + xx])
                        {
                            s += lum[(yy * pw) + xx];
                            n++;
                        }
                    }
                }

                smooth[(y * pw) + x] = s / n;
                if (s / n > bestMean)
                {
                    bestMean = s / n;
                    best = (y * pw) + x;
                }
            }
        }

        // The brightest raw pixel around that peak.
        int seed = best;
        for (int dy = -1; dy <= 1; dy++)
        {
            for (int dx = -1; dx <= 1; dx++)
            {
                int xx = (best % pw) + dx, yy = (best / pw) + dy;
                if (xx >= 0 && yy >= 0 && xx < pw && yy < ph && valid[(yy * pw) + xx] && lum[(yy * pw) + xx] > lum[seed])
                {
                    seed = (yy * pw) + xx;
                }
            }
        }

        float peak = lum[seed];
        float contrast = peak - median;
        if (contrast < MinContrast || peak < MinPeak)
        {
            return (null, CornealReflexStatus.NoReflex);
        }

        float threshold = median + (0.5f * contrast);
        float maxArea = MathF.Max(4, MaxAreaFraction * MathF.PI * radius * radius);
        var visited = new bool[pw * ph];
        var stack = new Stack<int>();
        stack.Push(seed);
        visited[seed] = true;
        double sw = 0, sx = 0, sy = 0;
        int area = 0;
        while (stack.Count > 0)
        {
            int i = stack.Pop();
            area++;
            if (area > maxArea)
            {
                return (null, CornealReflexStatus.NotCompact);
            }

            double wgt = lum[i] - threshold + 1;
            sw += wgt;
            sx += wgt * (i % pw);
            sy += wgt * (i / pw);
            int ix = i % pw, iy = i / pw;
            ReadOnlySpan<(int Dx, int Dy)> steps = [(1, 0), (-1, 0), (0, 1), (0, -1)];
            foreach ((int dx, int dy) in steps)
            {
                int xx = ix + dx, yy = iy + dy;
                if (xx < 0 || yy < 0 || xx >= pw || yy >= ph)
                {
                    continue;
                }

                int j = (yy * pw) + xx;
                if (!visited[j] && valid[j] && lum[j] >= threshold)
                {
                    visited[j] = true;
                    stack.Push(j);
                }
            }
        }

        float blobRadius = MathF.Sqrt(area / MathF.PI);
        var position = new Vector2((float)(x0 + (sx / sw) + 0.5), (float)(y0 + (sy / sw) + 0.5));
        if (!strict)
        {
            return (new CornealReflex(position, blobRadius, contrast), CornealReflexStatus.Found);
        }

        // A light at the camera puts its reflex near the iris centre; farther out it is another light's highlight.
        if (Vector2.Distance(position, c) > MaxOffsetIrisRadii * radius)
        {
            return (null, CornealReflexStatus.AtIrisEdge);
        }

        // The blob touches the searched disc's edge (or the lids): it may continue outside the iris.
        float edge = rs - 1.5f;
        for (int i = 0; i < visited.Length; i++)
        {
            if (visited[i])
            {
                var p = new Vector2(x0 + (i % pw) + 0.5f, y0 + (i / pw) + 0.5f);
                bool nearRim = Vector2.Distance(p, c) > edge;
                if (nearRim || !NeighboursValid(valid, i, pw, ph))
                {
                    return (null, CornealReflexStatus.AtIrisEdge);
                }
            }
        }

        // A second spot of similar brightness away from this one makes the reflex ambiguous.
        // Raw peak against raw peak (a smaller spot's 3 x 3 mean is lower), and a smoothed level that a single noisy pixel does not reach.
        float second = median + (SecondSpotFraction * contrast);
        float secondSmooth = median + (0.5f * contrast);
        var seedPoint = new Vector2(seed % pw, seed / pw);
        for (int i = 0; i < smooth.Length; i++)
        {
            if (valid[i] && !visited[i] && lum[i] >= second && smooth[i] >= secondSmooth
                && Vector2.Distance(new Vector2(i % pw, i / pw), seedPoint) > blobRadius + 2f)
            {
                return (null, CornealReflexStatus.Multiple);
            }
        }

        return (new CornealReflex(position, blobRadius, contrast) { LimbusCentre = LimbusChordCentre(rgb, width, height, c, radius, opening, position, blobRadius) },
            CornealReflexStatus.Found);
    }

    /// <summary>
    /// The limbus centre from horizontal chords of the iris (see <see cref="CornealReflex.LimbusCentre"/>). On each pixel
    /// row within 0.35 iris radii of the landmarks' centre: the steepest light-to-dark step left of the centre and the
    /// steepest dark-to-light step right of it, each to a fraction of a pixel (parabola through the smoothed derivative),
    /// searched from 0.6 to 1.35 times the chord's expected half-length, with visible sclera beyond both; the row counts
    /// when the chord is 0.75-1.15 times its expected length and both steps reach 12 grey levels. The horizontal centre is
    /// the rows' median midpoint (at least 3 rows); the vertical one stays the landmarks' (a circle fitted to the chords'
    /// ends was tried for it: better on the tuning scenes, worse on held-out ones). Null without 3 rows or when the
    /// midpoint lies more than 0.35 radii from the landmarks' centre.
    /// </summary>
    internal static Vector2? LimbusChordCentre(ReadOnlySpan<byte> rgb, int width, int height, Vector2 c, float radius, Vector2[] opening,
        Vector2 reflex, float reflexRadius)
    {
        int xa = (int)MathF.Floor(c.X - (1.5f * radius)), xb = (int)MathF.Ceiling(c.X + (1.5f * radius));
        if (xa < 1 || xb >= width - 1 || radius < 4)
        {
            return null;
        }

        int n = xb - xa + 1;
        Span<float> row = n <= 512 ? stackalloc float[n] : new float[n];
        Span<float> smooth = n <= 512 ? stackalloc float[n] : new float[n];
        var mids = new List<float>();
        int ya = (int)MathF.Ceiling(c.Y - (0.35f * radius) - 0.5f), yb = (int)MathF.Floor(c.Y + (0.35f * radius) - 0.5f);
        for (int y = Math.Max(0, ya); y <= Math.Min(height - 1, yb); y++)
        {
            float yc = y + 0.5f;
            float t = (yc - c.Y) / radius;
            float half = radius * MathF.Sqrt(MathF.Max(0, 1 - (t * t)));

            // The reflex's own edges must not be taken for the limbus: skip a row whose reflex blob reaches a search window.
            bool reflexOnRow = MathF.Abs(yc - reflex.Y) <= reflexRadius + 1.5f
                && MathF.Abs(reflex.X - c.X) + reflexRadius + 1.5f >= 0.6f * half;
            if (reflexOnRow || half < 3)
            {
                continue;
            }

            for (int i = 0; i < n; i++)
            {
                int o = ((y * width) + xa + i) * 3;
                row[i] = Luma(rgb, o);
            }

            smooth[0] = row[0];
            smooth[n - 1] = row[n - 1];
            for (int i = 1; i < n - 1; i++)
            {
                smooth[i] = (row[i - 1] + (2 * row[i]) + row[i + 1]) / 4;
            }

            float? left = Step(smooth, xa, c.X - (1.35f * half), c.X - (0.6f * half), falling: true);
            float? right = Step(smooth, xa, c.X + (0.6f * half), c.X + (1.35f * half), falling: false);
            if (left is not { } l || right is not { } r)
            {
                continue;
            }

            float chord = r - l;
            if (chord < 1.5f * half || chord > 2.3f * half
                || !PolygonMath.Contains(opening, new Vector2(l - 2, yc)) || !PolygonMath.Contains(opening, new Vector2(r + 2, yc)))
            {
                continue;
            }

            mids.Add((l + r) / 2);
        }

        if (mids.Count < 3)
        {
            return null;
        }

        mids.Sort();
        float mid = mids.Count % 2 == 1 ? mids[mids.Count / 2] : (mids[(mids.Count / 2) - 1] + mids[mids.Count / 2]) / 2;
        if (MathF.Abs(mid - c.X) > 0.35f * radius)
        {
            return null;
        }

        return new Vector2(mid, c.Y);
    }

    /// <summary>
    /// The position (continuous x) of the steepest falling (or rising) step of <paramref name="profile"/> between
    /// <paramref name="from"/> and <paramref name="to"/>, refined by a parabola; null when the step is under 12 grey
    /// levels over three pixels or at the window's end.
    /// </summary>
    private static float? Step(ReadOnlySpan<float> profile, int x0, float from, float to, bool falling)
    {
        int i0 = Math.Max(2, (int)MathF.Floor(from - 0.5f) - x0), i1 = Math.Min(profile.Length - 3, (int)MathF.Ceiling(to - 0.5f) - x0);
        float sign = falling ? -1 : 1;
        int best = -1;
        float bestD = 0;
        for (int i = i0; i <= i1; i++)
        {
            float d = sign * (profile[i + 1] - profile[i - 1]) / 2;
            if (d > bestD)
            {
                bestD = d;
                best = i;
            }
        }

        if (best <= i0 || best >= i1 || sign * (profile[best + 2] - profile[best - 2]) < 12)
        {
            return null;
        }

        float dm = sign * (profile[best] - profile[best - 2]) / 2, dp = sign * (profile[best + 2] - profile[best]) / 2;
        return x0 + best + EyeImageRefiner.Parabola(dm, bestD, dp) + 0.5f;
    }

    /// <summary>BT.601 luma of the packed RGB24 pixel at byte offset <paramref name="o"/>.</summary>
    private static float Luma(ReadOnlySpan<byte> rgb, int o) => (0.299f * rgb[o]) + (0.587f * rgb[o + 1]) + (0.114f * rgb[o + 2]);

    private static bool NeighboursValid(bool[] valid, int i, int pw, int ph)
    {
        int x = i % pw, y = i / pw;
        return x > 0 && y > 0 && x < pw - 1 && y < ph - 1
            && valid[i - 1] && valid[i + 1] && valid[i - pw] && valid[i + pw];
    }
}
