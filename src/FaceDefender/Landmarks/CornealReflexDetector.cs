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
/// iris centre (the highlight of a light elsewhere), and when the blob touches the edge of the searched disc or the lids. Every refusal has a <see cref="CornealReflexStatus"/>.
/// A spot refused for its place (off centre, or at the disc's edge) is searched for once more around the limbus centre
/// the chords measure, when the landmarks' centre lies more than a tenth of a radius from it.</para>
/// <para>A found reflex carries the limbus centre measured beside it (<see cref="CornealReflex.LimbusCentre"/>): the
/// horizontal chords' midpoint and the vertical centre of an ellipse fitted to the visible limbus; and the limbus
/// radius, that ellipse's major semi-axis weighed against the landmarks' (<see cref="CornealReflex.LimbusRadius"/>).</para>
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

    /// <summary>
    /// Spread assumed for the landmarks' vertical iris centre, in iris radii, when weighing the limbus fitted on the image
    /// against it. On the kit the landmarks' centre errs by 0.2-0.4 px (RMS) on clean 34 px irises and about 0.9 px on
    /// degraded 30-40 px ones, with single eyes off by several pixels (a turned or small eye's centre drawn towards the
    /// middle of the opening).
    /// </summary>
    internal const float LandmarkVerticalSpreadRadii = 0.12f;

    /// <summary>How far (iris radii) the chords' other two searches move their centre either way from the landmarks'.</summary>
    private const float ChordRetryRadii = 0.33f;

    /// <summary>Least dark-to-light step (grey levels over 2 px) taken as a limbus edge by the vertical fit.</summary>
    internal const float EllipseMinStep = 12;

    /// <summary>How much redder (red minus blue, levels) than the sclera beside the lateral arcs an edge's outside may be and still be sclera.</summary>
    internal const float ScleraChromaTolerance = 15;

    /// <summary>
    /// The corneal centre of curvature's distance in front of the limbus plane, in limbus radii: 100 / 19.4 mm (the default
    /// limbus-referenced Hirschberg ratio, <c>DiagnosticOptions.ReflexPrismDioptresPerMm</c>) over half the 11.7 mm iris.
    /// A light at the camera puts the reflex this far times the sine of the eye's turn from the limbus centre.
    /// </summary>
    internal const float CorneaToLimbusRadii = (float)(100 / 19.4 / (11.7 / 2));

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

        return DetectAt(rgb, width, height, c, radius, [.. eye.Contour], strict, mayRecentre: true);
    }

    /// <summary>
    /// The reflex searched in the disc of 0.9 <paramref name="radius"/> around <paramref name="c"/>. When a strict search
    /// rejects its spot as off centre (<see cref="CornealReflexStatus.AtIrisEdge"/>) and the chords put the limbus centre
    /// more than a tenth of a radius from <paramref name="c"/>, it is run once more around that centre: the landmarks'
    /// centre of an eye turned far to one side can lie a third of a radius off, so that the disc takes in the sclera
    /// beside the iris (whose bright patch was then taken for the spot) or puts a true reflex past the limits.
    /// </summary>
    private static (CornealReflex? Reflex, CornealReflexStatus Status) DetectAt(ReadOnlySpan<byte> rgb, int width, int height, Vector2 c, float radius,
        Vector2[] opening, bool strict, bool mayRecentre)
    {
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
            return Recentred(rgb, width, height, c, radius, opening, mayRecentre);
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
                    return Recentred(rgb, width, height, c, radius, opening, mayRecentre);
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

        (Vector2 Centre, float Radius)? limbus = LimbusFit(rgb, width, height, c, radius, opening, position, blobRadius);
        return (new CornealReflex(position, blobRadius, contrast) { LimbusCentre = limbus?.Centre, LimbusRadius = limbus?.Radius }, CornealReflexStatus.Found);
    }

    /// <summary>
    /// The search again around the limbus centre measured by the chords (see <see cref="DetectAt"/>; no reflex is bridged,
    /// since the rejected spot may be the sclera beside the iris), or <see cref="CornealReflexStatus.AtIrisEdge"/>.
    /// </summary>
    private static (CornealReflex? Reflex, CornealReflexStatus Status) Recentred(ReadOnlySpan<byte> rgb, int width, int height, Vector2 c, float radius,
        Vector2[] opening, bool mayRecentre) =>
        mayRecentre && LimbusChordCentre(rgb, width, height, c, radius, opening, new Vector2(float.NaN), 0) is { } l && Vector2.Distance(l, c) > 0.1f * radius
            ? DetectAt(rgb, width, height, l, radius, opening, strict: true, mayRecentre: false)
            : (null, CornealReflexStatus.AtIrisEdge);

    /// <summary>
    /// The limbus centre from horizontal chords of the iris (see <see cref="CornealReflex.LimbusCentre"/>). On each pixel
    /// row within 0.35 iris radii of the landmarks' centre: the steepest light-to-dark step left of the centre and the
    /// steepest dark-to-light step right of it, each to a fraction of a pixel (parabola through the smoothed derivative),
    /// searched from 0.6 to 1.35 times the chord's expected half-length, with visible sclera beyond both; the row counts
    /// when the chord is 0.75-1.15 times its expected length and both steps reach 12 grey levels. On a row through the
    /// reflex, the reflex is bridged by a straight line between the pixels beside it and a step on that bridge does not
    /// count (skipping those rows left too few on an eye turned far enough to put its reflex near the limbus). The
    /// horizontal centre is the rows' median midpoint (at least 3 rows, within 0.35 radii of where the search was
    /// centred); the search is run from the landmarks' centre and from centres <see cref="ChordRetryRadii"/> radii either
    /// side of it, and the one with the most rows counts. The vertical centre is returned as the landmarks'
    /// (<see cref="LimbusFit"/> replaces it; a circle fitted to these chords' ends, which lie within 0.35 radii of the
    /// centre and so say little about it vertically, did worse on held-out scenes). Null when no search gives a centre.
    /// </summary>
    internal static Vector2? LimbusChordCentre(ReadOnlySpan<byte> rgb, int width, int height, Vector2 c, float radius, Vector2[] opening,
        Vector2 reflex, float reflexRadius)
    {
        // The landmarks' centre can be a third of a radius off on an eye turned far to one side (its limbus beside a
        // canthus): one window then holds the pupil's edge instead of the limbus's, and a few rows still pass as chords.
        // So the chords are also searched from centres a third of a radius either side, and the search with the most rows
        // counts (the landmarks' centre on a tie).
        (float? Mid, int Rows) best = ChordMidpoint(rgb, width, height, c, radius, opening, reflex, reflexRadius);
        foreach (float side in (ReadOnlySpan<float>)[-1f, 1f])
        {
            (float? Mid, int Rows) moved = ChordMidpoint(rgb, width, height, c + new Vector2(side * ChordRetryRadii * radius, 0), radius, opening, reflex, reflexRadius);
            if (moved.Mid is not null && (best.Mid is null || moved.Rows > best.Rows))
            {
                best = moved;
            }
        }

        return best.Mid is { } x ? new Vector2(x, c.Y) : null;
    }

    /// <summary>The chords' median midpoint searched from <paramref name="c"/> (null when fewer than 3 rows or when it lies more
    /// than 0.35 radii from <paramref name="c"/>), and the number of rows that gave a chord.</summary>
    private static (float? Mid, int Rows) ChordMidpoint(ReadOnlySpan<byte> rgb, int width, int height, Vector2 c, float radius, Vector2[] opening,
        Vector2 reflex, float reflexRadius)
    {
        int xa = (int)MathF.Floor(c.X - (1.5f * radius)), xb = (int)MathF.Ceiling(c.X + (1.5f * radius));
        if (xa < 1 || xb >= width - 1 || radius < 4)
        {
            return (null, 0);
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

            if (half < 3)
            {
                continue;
            }

            for (int i = 0; i < n; i++)
            {
                int o = ((y * width) + xa + i) * 3;
                row[i] = Luma(rgb, o);
            }

            // The reflex's own edges must not be taken for the limbus: on a row through the reflex its blob is bridged by a
            // straight line between the pixels beside it, and an edge found on that bridge does not count.
            bool reflexOnRow = MathF.Abs(yc - reflex.Y) <= reflexRadius + 1.5f;
            float bridgeFrom = reflex.X - reflexRadius - 1.5f, bridgeTo = reflex.X + reflexRadius + 1.5f;
            if (reflexOnRow)
            {
                int ia = (int)MathF.Floor(bridgeFrom - 0.5f) - xa, ib = (int)MathF.Ceiling(bridgeTo - 0.5f) - xa;
                if (ia < 0 || ib >= n)
                {
                    continue;
                }

                for (int i = ia + 1; i < ib; i++)
                {
                    row[i] = row[ia] + ((row[ib] - row[ia]) * (i - ia) / (ib - ia));
                }
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

            if (reflexOnRow && ((l > bridgeFrom - 1 && l < bridgeTo + 1) || (r > bridgeFrom - 1 && r < bridgeTo + 1)))
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
            return (null, mids.Count);
        }

        mids.Sort();
        float mid = mids.Count % 2 == 1 ? mids[mids.Count / 2] : (mids[(mids.Count / 2) - 1] + mids[mids.Count / 2]) / 2;
        return MathF.Abs(mid - c.X) > 0.35f * radius ? (null, mids.Count) : (mid, mids.Count);
    }

    /// <summary>
    /// The limbus centre and radius beside a reflex (see <see cref="CornealReflex.LimbusCentre"/> and
    /// <see cref="CornealReflex.LimbusRadius"/>): horizontally the chords' centre (<see cref="LimbusChordCentre"/>),
    /// vertically the landmarks' centre moved towards the limbus ellipse fitted to the image (<see cref="LimbusEllipseVertical"/>)
    /// by that fit's weight; the radius the landmarks' <paramref name="radius"/> moved by the same weight towards the fitted
    /// ellipse's major semi-axis (the turned circle's own radius, which no turn foreshortens). Null when the chords give no
    /// centre.
    /// </summary>
    internal static (Vector2 Centre, float Radius)? LimbusFit(ReadOnlySpan<byte> rgb, int width, int height, Vector2 c, float radius, Vector2[] opening,
        Vector2 reflex, float reflexRadius)
    {
        if (LimbusChordCentre(rgb, width, height, c, radius, opening, reflex, reflexRadius) is not { } chords)
        {
            return null;
        }

        (float y, float weight, float fitted) = LimbusEllipse(rgb, width, height, c, chords.X, radius, opening, reflex, reflexRadius);
        return (new Vector2(chords.X, c.Y + (weight * (y - c.Y))), radius + (weight * (fitted - radius)));
    }

    /// <summary>
    /// The limbus's vertical centre from the visible limbus, and the weight it gets against the landmarks' centre.
    /// </summary>
    /// <remarks>
    /// <para>Edge points: on rays from (<paramref name="cx"/>, the landmarks' y) about a pixel apart on the iris circle,
    /// the luminance (a 3-sample average across the ray) from 0.6 to 1.4 iris radii, every half pixel; the steepest
    /// dark-to-light step over 2 px, at least <see cref="EllipseMinStep"/> levels and not at the window's end, to a
    /// fraction of a sample (parabola). A ray that passes within the reflex's radius + 2 px of it is skipped. The point
    /// counts when it lies inside the lid opening at least 1 px from the lid contour, with 2 px on both sides of it
    /// inside the opening too, and when 2 px beyond it the image is sclera: no more than
    /// <see cref="ScleraChromaTolerance"/> redder (red minus blue) than the median beside the lateral arcs (rays within
    /// 30 degrees of horizontal) and at least half as bright. The lid's lash line and skin, which the lid contour
    /// does not always exclude, fail that.</para>
    /// <para>Fit: the limbus is a circle turned with the eye, so in the image an ellipse whose minor axis lies along the
    /// eye's turn, shortened to sqrt(1 - |n|^2) of the radius, where n, the turn's image components, is the reflex's
    /// offset from the limbus centre over the corneal centre's distance in front of the limbus plane
    /// (<see cref="CorneaToLimbusRadii"/>) and is updated with the centre. A circle fitted instead misplaces a turned
    /// eye's centre vertically when the lids hide more of one end of the limbus than of the other (1.1 px on a drawn eye
    /// turned 35 degrees with its top hidden; on the kit's development scenes it doubled the vertical error). Centre and
    /// radius (the ellipse's major semi-axis) by Gauss-Newton with Huber weights (0.5 px).</para>
    /// <para>Weight: inverse variances, w = p^2 / (p^2 + s^2 + m^2), with p = <see cref="LandmarkVerticalSpreadRadii"/>
    /// radii the landmarks' spread, s twice the fit's standard error of the vertical centre (neighbouring rays share
    /// pixels), m = 0.1 px for what the model leaves out; times factors rising smoothly from 0 to 1 between 6 and 16
    /// edge points and between an iris radius of 5 and 9 px, and falling from 1 to 0 as the fitted radius departs by 25
    /// to 40 % from the landmarks'. So the weight, and the centre, change continuously with the image's scale.</para>
    /// </remarks>
    internal static (float Y, float Weight) LimbusEllipseVertical(ReadOnlySpan<byte> rgb, int width, int height, Vector2 c, float cx,
        float radius, Vector2[] opening, Vector2 reflex, float reflexRadius)
    {
        (float y, float weight, _) = LimbusEllipse(rgb, width, height, c, cx, radius, opening, reflex, reflexRadius);
        return (y, weight);
    }

    /// <summary><see cref="LimbusEllipseVertical"/> with the fitted major semi-axis (<paramref name="radius"/> when there is no fit).</summary>
    private static (float Y, float Weight, float Radius) LimbusEllipse(ReadOnlySpan<byte> rgb, int width, int height, Vector2 c, float cx,
        float radius, Vector2[] opening, Vector2 reflex, float reflexRadius)
    {
        var none = (c.Y, 0f, radius);
        if (!(radius >= 2.5f) || !float.IsFinite(cx))
        {
            return none;
        }

        var c0 = new Vector2(cx, c.Y);
        int rays = Math.Clamp((int)MathF.Round(2 * MathF.PI * radius), 16, 360);
        const float step = 0.5f;
        float ra = 0.6f * radius, rb = 1.4f * radius;
        int kn = (int)MathF.Floor((rb - ra) / step) + 1;
        if (kn < 8)
        {
            return none;
        }

        Span<float> profile = kn <= 512 ? stackalloc float[kn] : new float[kn];
        var points = new List<Vector2>(rays);
        var chroma = new List<float>(rays);
        var luma = new List<float>(rays);
        var lateral = new List<bool>(rays);
        bool Inside(Vector2 p) => p.X >= 2 && p.Y >= 2 && p.X <= width - 3 && p.Y <= height - 3;
        for (int j = 0; j < rays; j++)
        {
            float th = 2 * MathF.PI * (j + 0.5f) / rays;
            var u = new Vector2(MathF.Cos(th), MathF.Sin(th));
            var across = new Vector2(-u.Y, u.X);

            // The reflex's edges are not the limbus.
            Vector2 a = c0 + (ra * u);
            float along = Math.Clamp(Vector2.Dot(reflex - a, u), 0, rb - ra);
            if (Vector2.Distance(a + (along * u), reflex) < reflexRadius + 2 || !Inside(a) || !Inside(c0 + ((rb + 2) * u)))
            {
                continue;
            }

            for (int i = 0; i < kn; i++)
            {
                Vector2 p = c0 + ((ra + (i * step)) * u);
                profile[i] = (SampleLuma(rgb, width, p - across) + SampleLuma(rgb, width, p) + SampleLuma(rgb, width, p + across)) / 3;
            }

            int best = -1;
            float bestG = EllipseMinStep;
            for (int i = 2; i < kn - 2; i++)
            {
                float g = profile[i + 2] - profile[i - 2];
                if (g > bestG)
                {
                    bestG = g;
                    best = i;
                }
            }

            if (best <= 2 || best >= kn - 3)
            {
                continue;
            }

            float sub = EyeImageRefiner.Parabola(profile[best + 1] - profile[best - 3], bestG, profile[best + 3] - profile[best - 1]);
            Vector2 e = c0 + ((ra + ((best + sub) * step)) * u);
            Vector2 outside = e + (2 * u);
            if (!PolygonMath.Contains(opening, outside) || !PolygonMath.Contains(opening, e - (2 * u)) || DistanceToPolygon(opening, e) < 1)
            {
                continue;
            }

            points.Add(e);
            chroma.Add(Chroma(rgb, width, outside));
            luma.Add(SampleLuma(rgb, width, outside));
            lateral.Add(MathF.Abs(u.Y) < 0.5f);
        }

        // Sclera beyond the edge, judged against the sclera beside the lateral arcs.
        var refChroma = new List<float>();
        var refLuma = new List<float>();
        for (int i = 0; i < points.Count; i++)
        {
            if (lateral[i])
            {
                refChroma.Add(chroma[i]);
                refLuma.Add(luma[i]);
            }
        }

        if (refChroma.Count < 3)
        {
            return none;
        }

        refChroma.Sort();
        refLuma.Sort();
        float scleraChroma = refChroma[refChroma.Count / 2], scleraLuma = refLuma[refLuma.Count / 2];
        int n = 0;
        for (int i = 0; i < points.Count; i++)
        {
            if (chroma[i] <= scleraChroma + ScleraChromaTolerance && luma[i] >= 0.5f * scleraLuma)
            {
                points[n++] = points[i];
            }
        }

        if (n < 6)
        {
            return none;
        }

        // Gauss-Newton on (cx, cy, R) for the ellipse of a circle turned by n; Huber weights on the residuals.
        float fx = cx, fy = c.Y, fr = radius;
        double vyy = double.NaN, s2 = double.NaN;
        for (int iter = 0; iter < 12; iter++)
        {
            var centre = new Vector2(fx, fy);
            Vector2 turn = (reflex - centre) / (CorneaToLimbusRadii * fr);
            float t = MathF.Min(turn.Length(), 0.8f);
            Vector2 minor = t > 1e-4f ? Vector2.Normalize(turn) : Vector2.UnitX;
            var major = new Vector2(-minor.Y, minor.X);
            float k2 = 1 - (t * t);

            // Parameters (cx, cy, R); the residual's gradient is -(j.X, j.Y, 1).
            var normal = new CircleNormalEquations();
            double sw = 0, swr = 0;
            for (int i = 0; i < n; i++)
            {
                Vector2 q = points[i] - centre;
                float qm = Vector2.Dot(q, minor), qM = Vector2.Dot(q, major);
                float dist = MathF.Sqrt((qM * qM) + (qm * qm / k2));
                if (!(dist > 1e-3f))
                {
                    continue;
                }

                Vector2 j = ((qM * major) + (qm / k2 * minor)) / dist;
                float res = dist - fr;
                float w = MathF.Abs(res) <= 0.5f ? 1 : 0.5f / MathF.Abs(res);
                normal.Add(j.X, j.Y, res, w);
                sw += w;
                swr += w * res * res;
            }

            if (!normal.TrySolve(out double dx, out double dy, out double dr, out vyy))
            {
                return none;
            }

            s2 = swr / Math.Max(1, sw - 3);
            fx += (float)dx;
            fy += (float)dy;
            fr += (float)dr;
            if (!float.IsFinite(fx) || !float.IsFinite(fy) || !(fr > 0))
            {
                return none;
            }

            if (Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dr) < 1e-4)
            {
                break;
            }
        }

        float se = 2 * (float)Math.Sqrt(Math.Max(0, s2 * vyy));
        float prior = LandmarkVerticalSpreadRadii * radius;
        float weight = prior * prior / ((prior * prior) + (se * se) + (0.1f * 0.1f))
            * SmoothStep(6, 16, n) * SmoothStep(5, 9, radius) * (1 - SmoothStep(0.25f, 0.4f, MathF.Abs((fr / radius) - 1)));
        return float.IsFinite(weight) && float.IsFinite(fy) ? (fy, weight, fr) : none;
    }

    /// <summary>0 below <paramref name="from"/>, 1 above <paramref name="to"/>, a smooth (cubic) rise between.</summary>
    private static float SmoothStep(float from, float to, float x)
    {
        float t = Math.Clamp((x - from) / (to - from), 0, 1);
        return t * t * (3 - (2 * t));
    }

    /// <summary>Distance from <paramref name="p"/> to the nearest edge of <paramref name="polygon"/>.</summary>
    private static float DistanceToPolygon(Vector2[] polygon, Vector2 p)
    {
        float best = float.MaxValue;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            Vector2 a = polygon[j], ab = polygon[i] - a;
            float t = ab.LengthSquared() > 0 ? Math.Clamp(Vector2.Dot(p - a, ab) / ab.LengthSquared(), 0, 1) : 0;
            best = MathF.Min(best, Vector2.Distance(p, a + (t * ab)));
        }

        return best;
    }

    /// <summary>Bilinear BT.601 luma at <paramref name="p"/> (pixel centres at +0.5); the caller keeps p a pixel inside the image.</summary>
    private static float SampleLuma(ReadOnlySpan<byte> rgb, int width, Vector2 p)
    {
        float x = p.X - 0.5f, y = p.Y - 0.5f;
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        float fx = x - x0, fy = y - y0;
        int o = ((y0 * width) + x0) * 3, o2 = o + (width * 3);
        float top = ((1 - fx) * Luma(rgb, o)) + (fx * Luma(rgb, o + 3));
        float bottom = ((1 - fx) * Luma(rgb, o2)) + (fx * Luma(rgb, o2 + 3));
        return ((1 - fy) * top) + (fy * bottom);
    }

    /// <summary>Bilinear red minus blue at <paramref name="p"/> (skin is redder than the sclera); as <see cref="SampleLuma"/>.</summary>
    private static float Chroma(ReadOnlySpan<byte> rgb, int width, Vector2 p)
    {
        float x = p.X - 0.5f, y = p.Y - 0.5f;
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        float fx = x - x0, fy = y - y0;
        int o = ((y0 * width) + x0) * 3, o2 = o + (width * 3);
        float top = ((1 - fx) * (rgb[o] - rgb[o + 2])) + (fx * (rgb[o + 3] - rgb[o + 5]));
        float bottom = ((1 - fx) * (rgb[o2] - rgb[o2 + 2])) + (fx * (rgb[o2 + 3] - rgb[o2 + 5]));
        return ((1 - fy) * top) + (fy * bottom);
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
    private static float Luma(ReadOnlySpan<byte> rgb, int o) => Imaging.Luma.At(rgb, o);

    private static bool NeighboursValid(bool[] valid, int i, int pw, int ph)
    {
        int x = i % pw, y = i / pw;
        return x > 0 && y > 0 && x < pw - 1 && y < ph - 1
            && valid[i - 1] && valid[i + 1] && valid[i - pw] && valid[i + pw];
    }
}
