using System.Numerics;
using FaceDefender.Geometry;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Synthesis;

/// <summary>
/// Geometry-only eyes: drives the avatar's own eye region to a target geometry (the patient's lid margins, canthi,
/// iris centre and radius, corneal reflex, mapped into the avatar frame). It takes no patient image: no patient
/// pixel can reach its output.
/// </summary>
/// <remarks>
/// <para><b>Lids and skin.</b> The avatar image is warped piecewise-affinely over the triangles of the face mesh. Each
/// mesh vertex moves from the avatar's position towards the target's by a weight that is 1 within
/// <see cref="SyntheticEyeOptions.RigidRadiusFraction"/> of an eye opening (so lid margins and canthi land exactly
/// on the target) and fades smoothly to 0 at <see cref="SyntheticEyeOptions.FalloffRadiusFraction"/>; triangles
/// whose vertices all stay put are not touched, so the result is continuous and the avatar is unchanged beyond.</para>
/// <para><b>Eyeball.</b> Inside the target's lid opening (a Catmull-Rom curve through each lid's nine mesh points) a
/// synthetic eyeball is painted from the avatar's own colours: the avatar's sclera (its median colour, shaded towards
/// the corners and under the upper lid) and an iris disc at the target's centre and radius whose colour is the
/// avatar's iris as a radial profile (median per ring over the avatar's visible iris, so pupil, limbal ring and
/// colour are the avatar's) with a fibre texture seeded by the avatar's pixels, and a thin dark line just inside the upper
/// margin (the lash roots' contact shadow a photograph shows there, about 0.6 mm). The corneal reflex, when given, is
/// drawn as a small bright spot at its target position.</para>
/// <para>What a clinician can judge from the result: lid position and fissure size, canthal position and tilt, iris
/// position and size, the reflex position, left/right symmetry. What not: anything about the tissue (lid lesions,
/// lashes, redness, iris colour or pattern, pupil size, corneal clarity), which all come from the avatar.</para>
/// <para>Stateless and thread-safe.</para>
/// </remarks>
public static class SyntheticEyeRenderer
{
    private const int ProfileBins = 24;
    private const int ProfileAngles = 96;
    private const int ScleraBands = 16;

    /// <summary>Fraction of the opening below the upper margin painted without the avatar's lash shadow (see PaintEyeball).</summary>
    private const float UpperShadowFreeBand = 0.2f;

    /// <summary>
    /// Width of the dark contact line drawn just inside the upper margin, iris diameters (0.05: about 0.6 mm, the line a
    /// photograph shows there). Without it the detector read the drawn upper lid about 0.4 mm higher than the original's.
    /// </summary>
    private const float ContactLineIrisDiameters = 0.05f;

    /// <summary>How much the contact line darkens the eyeball at its darkest.</summary>
    private const float ContactLineDarkness = 0.8f;

    /// <summary>Renders the avatar with its eye region driven to <paramref name="target"/>'s geometry.</summary>
    /// <param name="avatar">The avatar image; not modified.</param>
    /// <param name="avatarLandmarks">The avatar's 478 landmarks in its pixels.</param>
    /// <param name="target">The geometry to reproduce, as 478 landmarks in the avatar's pixels (e.g. the patient's
    /// landmarks mapped by the fusion's similarity transform).</param>
    /// <param name="reflexes">Corneal reflexes in the avatar's pixels (or <see cref="CornealReflexes.None"/>).</param>
    /// <param name="options">Options, or null for <see cref="SyntheticEyeOptions.Default"/>.</param>
    /// <returns>A new image (the avatar's size) and the mask of the pixels that may differ from the avatar; dispose it.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The avatar's iris centres are not at least 4 px apart.</exception>
    public static SyntheticEyeResult Render(Image<Rgb24> avatar, FaceLandmarks avatarLandmarks, FaceLandmarks target, CornealReflexes reflexes, SyntheticEyeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(avatar);
        ArgumentNullException.ThrowIfNull(avatarLandmarks);
        ArgumentNullException.ThrowIfNull(target);
        options = (options ?? SyntheticEyeOptions.Default).Validated();
        var output = new Image<Rgb24>(avatar.Width, avatar.Height);
        try
        {
            using PixelBuffer av = PixelBuffer.Read(avatar);
            using PixelBuffer o = PixelBuffer.Write(output);
            float[] mask = RenderInto(av.Bytes, avatar.Width, avatar.Height, avatarLandmarks, target, reflexes, options, o.Bytes);
            return new SyntheticEyeResult(output, mask, MaskOperations.NonZeroBounds(mask, avatar.Width, avatar.Height));
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Moves and uniformly scales each eye of <paramref name="target"/> onto the corresponding avatar eye (canthi midpoint
    /// and canthal width), without rotation (see <see cref="EyePlacement.AvatarPositions"/>). Points within 0.25 IPD of
    /// an eye opening follow that eye's transform fully, fading to no change at 0.4 IPD.
    /// </summary>
    /// <param name="target">The geometry (478 landmarks in the avatar's pixels).</param>
    /// <param name="avatar">The avatar's landmarks.</param>
    /// <returns>The placed landmarks and each eye's transform (row-vector convention).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static (FaceLandmarks Landmarks, Matrix3x2 Right, Matrix3x2 Left) PlaceEyesOnAvatar(FaceLandmarks target, FaceLandmarks avatar)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(avatar);
        Matrix3x2 right = EyeTransform(target.RightEye, avatar.RightEye), left = EyeTransform(target.LeftEye, avatar.LeftEye);
        Vector2[] rightOpening = [.. target.RightEye.Contour], leftOpening = [.. target.LeftEye.Contour];
        float ipd = MathF.Max(1f, target.InterPupillaryDistance);
        var points = new Vector3[FaceLandmarks.Count];
        ReadOnlySpan<Vector3> src = target.Points;
        for (int i = 0; i < points.Length; i++)
        {
            var p = new Vector2(src[i].X, src[i].Y);
            bool isRight;
            float weight;
            if (i >= FaceLandmarks.MeshCount)
            {
                isRight = i < 473;
                weight = 1f;
            }
            else
            {
                float dr = PolygonMath.DistanceOutside(rightOpening, p), dl = PolygonMath.DistanceOutside(leftOpening, p);
                isRight = dr <= dl;
                float t = Math.Clamp(((MathF.Min(dr, dl) / ipd) - 0.25f) / 0.15f, 0f, 1f);
                weight = 1f - (t * t * (3f - (2f * t)));
            }

            Vector2 q = Vector2.Transform(p, isRight ? right : left);
            points[i] = new Vector3(p + (weight * (q - p)), src[i].Z);
        }

        EyeContour? rightContour = target.RightEyeContour?.Transform(right, right.M11);
        EyeContour? leftContour = target.LeftEyeContour?.Transform(left, left.M11);
        return (new FaceLandmarks(points, target.Space, rightContour, leftContour), right, left);
    }

    private static Matrix3x2 EyeTransform(EyeLandmarks from, EyeLandmarks to)
    {
        float wFrom = Vector2.Distance(from.OuterCanthus, from.InnerCanthus), wTo = Vector2.Distance(to.OuterCanthus, to.InnerCanthus);
        float scale = wFrom > 1e-3f ? wTo / wFrom : 1f;
        Vector2 cFrom = (from.OuterCanthus + from.InnerCanthus) / 2, cTo = (to.OuterCanthus + to.InnerCanthus) / 2;
        return Matrix3x2.CreateTranslation(-cFrom) * Matrix3x2.CreateScale(scale) * Matrix3x2.CreateTranslation(cTo);
    }

    /// <summary>The kernel: writes the whole output (the avatar with its eye region re-rendered) and returns the changed-pixel mask.</summary>
    internal static float[] RenderInto(ReadOnlySpan<byte> avatar, int width, int height, FaceLandmarks avatarLandmarks, FaceLandmarks target,
        CornealReflexes reflexes, SyntheticEyeOptions options, Span<byte> output)
    {
        float ipd = avatarLandmarks.InterPupillaryDistance;
        if (!(ipd > 4f))
        {
            throw new ArgumentException($"The avatar's iris centres are {ipd:F1} px apart: its landmarks do not describe a usable face.", nameof(avatarLandmarks));
        }

        avatar.CopyTo(output);
        target = WithFineLidMargins(target);
        avatarLandmarks = WithFineLidMargins(avatarLandmarks);
        var mask = new float[width * height];
        WarpMesh(avatar, width, height, avatarLandmarks, target, options, ipd, output, mask);
        uint seed = 2166136261;
        foreach (bool right in new[] { true, false })
        {
            EyeLandmarks av = right ? avatarLandmarks.RightEye : avatarLandmarks.LeftEye;
            AvatarEyeLook look = AvatarEyeLook.Measure(avatar, width, height, av, ref seed);
            EyeLandmarks tg = right ? target.RightEye : target.LeftEye;
            CornealReflex? reflex = options.DrawReflex ? (right ? reflexes.Right : reflexes.Left) : null;
            PaintEyeball(tg, look, reflex, options, width, height, output, mask);
        }

        return mask;
    }

    /// <summary>
    /// When the landmarks carry the iris model's fine eye contours, their 16 lid-margin points (canthi included) replace
    /// the face mesh's (the mesh's lids follow the real lid only partly; docs/diagnostics.md). Mixing the mesh's canthi
    /// with the contour's lid points kinks the lid line near the corners, so the canthi come from the contour too.
    /// </summary>
    internal static FaceLandmarks WithFineLidMargins(FaceLandmarks landmarks)
    {
        if (landmarks.RightEyeContour is null && landmarks.LeftEyeContour is null)
        {
            return landmarks;
        }

        Vector3[] points = landmarks.Points.ToArray();
        Replace(points, landmarks.RightEyeContour, EyeContour.RightEyeMeshIndices);
        Replace(points, landmarks.LeftEyeContour, EyeContour.LeftEyeMeshIndices);
        return new FaceLandmarks(points, landmarks.Space, landmarks.RightEyeContour, landmarks.LeftEyeContour);

        static void Replace(Vector3[] points, EyeContour? contour, ReadOnlySpan<int> meshIndices)
        {
            if (contour is null)
            {
                return;
            }

            for (int i = 0; i < 16; i++)
            {
                points[meshIndices[i]] = contour.Points[i];
            }
        }
    }

    // ------------------------------------------------------------------ lids and skin: piecewise-affine mesh warp

    private static void WarpMesh(ReadOnlySpan<byte> avatar, int width, int height, FaceLandmarks avatarLm, FaceLandmarks target,
        SyntheticEyeOptions options, float ipd, Span<byte> output, float[] mask)
    {
        Vector2[] rightOpening = [.. avatarLm.RightEye.Contour];
        Vector2[] leftOpening = [.. avatarLm.LeftEye.Contour];
        float r0 = options.RigidRadiusFraction * ipd, r1 = options.FalloffRadiusFraction * ipd;
        var src = new Vector2[FaceLandmarks.MeshCount];
        var dst = new Vector2[FaceLandmarks.MeshCount];
        var moved = new bool[FaceLandmarks.MeshCount];
        for (int i = 0; i < src.Length; i++)
        {
            src[i] = avatarLm[i];
            float d = MathF.Min(PolygonMath.DistanceOutside(rightOpening, src[i]), PolygonMath.DistanceOutside(leftOpening, src[i]));
            float t = Math.Clamp((d - r0) / (r1 - r0), 0f, 1f);
            float weight = 1f - (t * t * (3f - (2f * t)));
            dst[i] = src[i] + (weight * (target[i] - src[i]));
            moved[i] = weight > 0f;
        }

        var triangles = CanonicalFaceMesh.Instance.TriangleIndices;
        for (int t = 0; t < CanonicalFaceMesh.TriangleCount; t++)
        {
            int a = triangles[3 * t], b = triangles[(3 * t) + 1], c = triangles[(3 * t) + 2];
            if (moved[a] || moved[b] || moved[c])
            {
                WarpTriangle(avatar, width, height, src[a], src[b], src[c], dst[a], dst[b], dst[c], output, mask);
            }
        }
    }

    /// <summary>
    /// Fills destination triangle (da, db, dc) with the avatar sampled bilinearly at the corresponding point of the
    /// source triangle. Pixel centres on an edge (within a small tolerance) belong to both neighbours: their affine
    /// maps agree there, so there are no cracks and overlaps are harmless.
    /// </summary>
    private static void WarpTriangle(ReadOnlySpan<byte> avatar, int width, int height, Vector2 sa, Vector2 sb, Vector2 sc,
        Vector2 da, Vector2 db, Vector2 dc, Span<byte> output, float[] mask)
    {
        double area = ((double)(db.X - da.X) * (dc.Y - da.Y)) - ((double)(db.Y - da.Y) * (dc.X - da.X));
        if (Math.Abs(area) < 1e-6)
        {
            return;
        }

        int x0 = Math.Max(0, (int)MathF.Floor(MathF.Min(da.X, MathF.Min(db.X, dc.X)) - 0.5f));
        int x1 = Math.Min(width - 1, (int)MathF.Ceiling(MathF.Max(da.X, MathF.Max(db.X, dc.X)) - 0.5f));
        int y0 = Math.Max(0, (int)MathF.Floor(MathF.Min(da.Y, MathF.Min(db.Y, dc.Y)) - 0.5f));
        int y1 = Math.Min(height - 1, (int)MathF.Ceiling(MathF.Max(da.Y, MathF.Max(db.Y, dc.Y)) - 0.5f));
        double inv = 1.0 / area;
        const double Tolerance = 1e-5;
        for (int y = y0; y <= y1; y++)
        {
            double py = y + 0.5;
            for (int x = x0; x <= x1; x++)
            {
                double px = x + 0.5;

                // Barycentric coordinates of the pixel centre in the destination triangle.
                double u = ((((double)db.X - px) * (dc.Y - py)) - (((double)db.Y - py) * (dc.X - px))) * inv;
                double v = ((((double)dc.X - px) * (da.Y - py)) - (((double)dc.Y - py) * (da.X - px))) * inv;
                double w = 1 - u - v;
                if (u < -Tolerance || v < -Tolerance || w < -Tolerance)
                {
                    continue;
                }

                float sx = (float)((u * sa.X) + (v * sb.X) + (w * sc.X)) - 0.5f;
                float sy = (float)((u * sa.Y) + (v * sb.Y) + (w * sc.Y)) - 0.5f;
                int o = ((y * width) + x) * 3;
                Sample(avatar, width, height, sx, sy, out float r, out float g, out float bl);
                output[o] = ToByte(r);
                output[o + 1] = ToByte(g);
                output[o + 2] = ToByte(bl);
                mask[(y * width) + x] = 1f;
            }
        }
    }

    // ------------------------------------------------------------------ eyeball

    private static void PaintEyeball(EyeLandmarks eye, AvatarEyeLook look, CornealReflex? reflex, SyntheticEyeOptions options,
        int width, int height, Span<byte> output, float[] mask)
    {
        Vector2[] upper = PolygonMath.CatmullRom([.. eye.UpperLid], 6);
        Vector2[] lower = PolygonMath.CatmullRom([.. eye.LowerLid], 6);
        var opening = new Vector2[upper.Length + lower.Length - 2];
        upper.CopyTo(opening, 0);
        for (int i = 1; i < lower.Length - 1; i++)
        {
            opening[upper.Length + i - 1] = lower[lower.Length - 1 - i];
        }

        if (MathF.Abs(PolygonMath.SignedArea(opening)) < 2f)
        {
            return;
        }

        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (Vector2 p in opening)
        {
            minX = MathF.Min(minX, p.X);
            minY = MathF.Min(minY, p.Y);
            maxX = MathF.Max(maxX, p.X);
            maxY = MathF.Max(maxY, p.Y);
        }

        int bx0 = Math.Max(0, (int)MathF.Floor(minX) - 1), by0 = Math.Max(0, (int)MathF.Floor(minY) - 1);
        int bx1 = Math.Min(width - 1, (int)MathF.Ceiling(maxX) + 1), by1 = Math.Min(height - 1, (int)MathF.Ceiling(maxY) + 1);
        if (bx1 < bx0 || by1 < by0)
        {
            return;
        }

        int lw = bx1 - bx0 + 1, lh = by1 - by0 + 1;
        var local = new Vector2[opening.Length];
        for (int i = 0; i < local.Length; i++)
        {
            local[i] = opening[i] - new Vector2(bx0, by0);
        }

        var coverage = new float[lw * lh];
        PolygonRasterizer.FillPolygon(local, coverage, lw, lh);

        Vector2 c = eye.IrisCentre;
        // A round iris as wide as the target's horizontal diameter, the size the measurements' mm scale reads.
        float radius = MathF.Max(0.5f, eye.HorizontalIrisDiameter / 2);
        float midX = (minX + maxX) / 2, halfWidth = MathF.Max(1f, (maxX - minX) / 2);
        float spot = reflex is null ? 0 : Math.Clamp(reflex.Radius, 0.05f * radius, 0.15f * radius);
        spot = MathF.Max(0.7f, spot);
        float lineWidth = ContactLineIrisDiameters * 2 * radius;
        for (int y = 0; y < lh; y++)
        {
            for (int x = 0; x < lw; x++)
            {
                float cov = coverage[(y * lw) + x];
                if (cov <= 0f)
                {
                    continue;
                }

                var p = new Vector2(bx0 + x + 0.5f, by0 + y + 0.5f);
                float yUpper = CurveY(upper, p.X), yLower = CurveY(lower, p.X);
                float fissure = MathF.Max(1f, yLower - yUpper);
                // The top fifth of the opening takes the colour of the band below it: the avatar's lash shadow there
                // would extend the dark lid line below the drawn margin, and the detector's lid refinement reads the
                // centre of that line as the margin (measured: MRD1 re-detected 0.4 mm low on every eye without this).
                float s = Math.Clamp((p.Y - yUpper) / fissure, UpperShadowFreeBand, 1f);
                float lidShadow = look.Shade(s);
                float u = (p.X - midX) / halfWidth;
                float corner = 1f - (0.08f * Math.Clamp(u * u, 0f, 1f));
                Vector3 col = look.Sclera(s) * corner;

                float dist = Vector2.Distance(p, c);
                float irisAlpha = Math.Clamp(radius - dist + 0.5f, 0f, 1f);
                if (irisAlpha > 0f)
                {
                    float r = dist / radius;
                    float theta = MathF.Atan2(p.Y - c.Y, p.X - c.X);
                    Vector3 iris = look.Iris(r) * (1f + (options.IrisTextureAmplitude * look.Fibre(theta, r))) * lidShadow;
                    col = Vector3.Lerp(col, iris, irisAlpha);
                }

                // The thin dark line a photograph shows just inside the upper margin (lash roots and their contact shadow),
                // ContactLineIrisDiameters of the iris wide: the edge the detector reads as the margin.
                float below = (p.Y - yUpper) / lineWidth;
                if (below < 1f)
                {
                    float t = Math.Clamp((1f - below) / 0.8f, 0f, 1f);
                    col *= 1f - (ContactLineDarkness * t * t * (3f - (2f * t)));
                }

                if (reflex is not null)
                {
                    // A Gaussian spot, truncated at 3 sigma so the reflex touches nothing beyond it.
                    float d2 = Vector2.DistanceSquared(p, reflex.Position);
                    if (d2 < 9 * spot * spot)
                    {
                        float g = MathF.Exp(-d2 / (2 * spot * spot));
                        col = Vector3.Lerp(col, new Vector3(250, 250, 248), 0.95f * g);
                    }
                }

                int gi = ((by0 + y) * width) + bx0 + x;
                int o = gi * 3;
                output[o] = ToByte(output[o] + ((col.X - output[o]) * cov));
                output[o + 1] = ToByte(output[o + 1] + ((col.Y - output[o + 1]) * cov));
                output[o + 2] = ToByte(output[o + 2] + ((col.Z - output[o + 2]) * cov));
                mask[gi] = MathF.Max(mask[gi], cov);
            }
        }
    }

    /// <summary>The y of a polyline (ordered by x in either direction) at <paramref name="x"/>, clamped at its ends.</summary>
    private static float CurveY(Vector2[] curve, float x)
    {
        for (int i = 0; i < curve.Length - 1; i++)
        {
            Vector2 a = curve[i], b = curve[i + 1];
            if ((x >= a.X && x <= b.X) || (x <= a.X && x >= b.X))
            {
                float dx = b.X - a.X;
                return MathF.Abs(dx) < 1e-6f ? (a.Y + b.Y) / 2 : a.Y + ((x - a.X) / dx * (b.Y - a.Y));
            }
        }

        return MathF.Abs(x - curve[0].X) < MathF.Abs(x - curve[^1].X) ? curve[0].Y : curve[^1].Y;
    }

    internal static void Sample(ReadOnlySpan<byte> img, int width, int height, float x, float y, out float r, out float g, out float b)
    {
        x = Math.Clamp(x, 0f, width - 1);
        y = Math.Clamp(y, 0f, height - 1);
        int ix = Math.Min((int)x, width - 2 < 0 ? 0 : width - 2), iy = Math.Min((int)y, height - 2 < 0 ? 0 : height - 2);
        float fx = x - ix, fy = y - iy;
        int x1 = Math.Min(ix + 1, width - 1), y1 = Math.Min(iy + 1, height - 1);
        int o00 = ((iy * width) + ix) * 3, o01 = ((iy * width) + x1) * 3, o10 = ((y1 * width) + ix) * 3, o11 = ((y1 * width) + x1) * 3;
        float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
        r = (img[o00] * w00) + (img[o01] * w01) + (img[o10] * w10) + (img[o11] * w11);
        g = (img[o00 + 1] * w00) + (img[o01 + 1] * w01) + (img[o10 + 1] * w10) + (img[o11 + 1] * w11);
        b = (img[o00 + 2] * w00) + (img[o01 + 2] * w01) + (img[o10 + 2] * w10) + (img[o11 + 2] * w11);
    }

    private static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);

    /// <summary>The avatar's own eye colours: sclera, iris radial profile, and a fibre pattern seeded by its pixels.</summary>
    private sealed class AvatarEyeLook
    {
        private static readonly Vector3 FallbackSclera = new(232, 224, 216);
        private readonly Vector3[] _profile;
        private readonly float[] _fibreA;
        private readonly float[] _fibreB;

        private readonly Vector3[] _sclera;
        private readonly float _brightest;

        private AvatarEyeLook(Vector3[] sclera, Vector3[] profile, uint seed)
        {
            _sclera = sclera;
            _brightest = sclera.Max(Luma);
            _profile = profile;
            _fibreA = Noise(ref seed, 53);
            _fibreB = Noise(ref seed, 131);
        }

        /// <summary>The sclera colour at band position s (0 upper lid, 1 lower lid).</summary>
        public Vector3 Sclera(float s)
        {
            float f = Math.Clamp((s * ScleraBands) - 0.5f, 0f, ScleraBands - 1);
            int i = Math.Min((int)f, ScleraBands - 2);
            return Vector3.Lerp(_sclera[i], _sclera[i + 1], f - i);
        }

        /// <summary>The lids' shading at band position s, relative to the brightest band (0..1), for the iris.</summary>
        public float Shade(float s) => _brightest > 1f ? Math.Clamp(Luma(Sclera(s)) / _brightest, 0f, 1f) : 1f;

        private static float Luma(Vector3 v) => Imaging.Luma.Of(v.X, v.Y, v.Z);

        public static AvatarEyeLook Measure(ReadOnlySpan<byte> img, int width, int height, EyeLandmarks eye, ref uint seed)
        {
            Vector2[] opening = [.. eye.Contour];
            Vector2 c = eye.IrisCentre;
            float radius = eye.IrisDiameter / 2;

            // Sclera: per band between the lids (s = 0 at the upper lid, 1 at the lower), the median colour of the
            // opening's pixels away from the iris. The bands carry the avatar's lash lines and lid shadows.
            Vector2[] upper = PolygonMath.CatmullRom([.. eye.UpperLid], 6), lower = PolygonMath.CatmullRom([.. eye.LowerLid], 6);
            float minX = opening.Min(p => p.X), maxX = opening.Max(p => p.X), minY = opening.Min(p => p.Y), maxY = opening.Max(p => p.Y);
            var bands = new List<float>[ScleraBands * 3];
            for (int i = 0; i < bands.Length; i++)
            {
                bands[i] = [];
            }

            for (int y = Math.Max(0, (int)minY); y <= Math.Min(height - 1, (int)maxY); y++)
            {
                for (int x = Math.Max(0, (int)minX); x <= Math.Min(width - 1, (int)maxX); x++)
                {
                    var p = new Vector2(x + 0.5f, y + 0.5f);
                    if (Vector2.Distance(p, c) <= 1.15f * radius || !PolygonMath.Contains(opening, p))
                    {
                        continue;
                    }

                    float yu = CurveY(upper, p.X), yl = CurveY(lower, p.X);
                    if (yl - yu < 2f)
                    {
                        continue;
                    }

                    int bin = Math.Clamp((int)((p.Y - yu) / (yl - yu) * ScleraBands), 0, ScleraBands - 1);
                    int o = ((y * width) + x) * 3;
                    bands[3 * bin].Add(img[o]);
                    bands[(3 * bin) + 1].Add(img[o + 1]);
                    bands[(3 * bin) + 2].Add(img[o + 2]);
                }
            }

            var sclera = new Vector3[ScleraBands];
            var scleraKnown = new bool[ScleraBands];
            for (int b = 0; b < ScleraBands; b++)
            {
                if (bands[3 * b].Count >= 3)
                {
                    sclera[b] = new Vector3(Median(bands[3 * b]), Median(bands[(3 * b) + 1]), Median(bands[(3 * b) + 2]));
                    scleraKnown[b] = true;
                }
            }

            if (!scleraKnown.Any(k => k))
            {
                Array.Fill(sclera, FallbackSclera);
            }
            else
            {
                FillGaps(sclera, scleraKnown);
            }

            var rs = new List<float>();
            var gs = new List<float>();
            var bs = new List<float>();

            // Iris: per ring, the median over the visible angles.
            var profile = new Vector3[ProfileBins];
            var known = new bool[ProfileBins];
            for (int bin = 0; bin < ProfileBins && radius >= 1f; bin++)
            {
                rs.Clear();
                gs.Clear();
                bs.Clear();
                float r = (bin + 0.5f) / ProfileBins * radius;
                for (int k = 0; k < ProfileAngles; k++)
                {
                    float theta = 2 * MathF.PI * k / ProfileAngles;
                    Vector2 q = c + (r * new Vector2(MathF.Cos(theta), MathF.Sin(theta)));
                    if (!InsideBy(opening, q, 1f))
                    {
                        continue;
                    }

                    Sample(img, width, height, q.X - 0.5f, q.Y - 0.5f, out float sr, out float sg, out float sb);
                    rs.Add(sr);
                    gs.Add(sg);
                    bs.Add(sb);
                }

                if (rs.Count >= 3)
                {
                    profile[bin] = new Vector3(Median(rs), Median(gs), Median(bs));
                    known[bin] = true;
                }
            }

            FillGaps(profile, known);
            foreach (Vector3 v in profile)
            {
                seed = Hash(seed, v);
            }

            foreach (Vector3 v in sclera)
            {
                seed = Hash(seed, v);
            }

            return new AvatarEyeLook(sclera, profile, seed);
        }

        /// <summary>The iris colour at relative radius r (0 centre, 1 limbus).</summary>
        public Vector3 Iris(float r)
        {
            float f = Math.Clamp((r * ProfileBins) - 0.5f, 0f, ProfileBins - 1);
            int i = Math.Min((int)f, ProfileBins - 2);
            return Vector3.Lerp(_profile[i], _profile[i + 1], f - i);
        }

        /// <summary>A radial fibre pattern in [-1, 1]; zero in the pupil.</summary>
        public float Fibre(float theta, float r)
        {
            float a = Periodic(_fibreA, (theta / (2 * MathF.PI)) + (0.15f * r));
            float b = Periodic(_fibreB, (theta / (2 * MathF.PI)) - (0.08f * r));
            float radial = Math.Clamp((r - 0.3f) / 0.15f, 0f, 1f);
            return ((0.6f * a) + (0.4f * b)) * radial;
        }

        private static bool InsideBy(Vector2[] polygon, Vector2 p, float margin)
        {
            if (!PolygonMath.Contains(polygon, p))
            {
                return false;
            }

            for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
            {
                if (PolygonMath.DistanceToSegment(p, polygon[j], polygon[i]) < margin)
                {
                    return false;
                }
            }

            return true;
        }

        private static void FillGaps(Vector3[] profile, bool[] known)
        {
            if (!known.Any(k => k))
            {
                // No visible iris (a closed or tiny avatar eye): a neutral brown iris with a dark pupil.
                for (int i = 0; i < profile.Length; i++)
                {
                    float r = (i + 0.5f) / profile.Length;
                    profile[i] = r < 0.35f ? new Vector3(20, 18, 18) : new Vector3(95, 66, 45) * (r > 0.85f ? 0.7f : 1f);
                }

                return;
            }

            for (int i = 0; i < profile.Length; i++)
            {
                if (known[i])
                {
                    continue;
                }

                int best = -1;
                for (int d = 1; d < profile.Length && best < 0; d++)
                {
                    if (i - d >= 0 && known[i - d])
                    {
                        best = i - d;
                    }
                    else if (i + d < profile.Length && known[i + d])
                    {
                        best = i + d;
                    }
                }

                profile[i] = profile[best];
            }
        }

        private static float Median(List<float> values)
        {
            values.Sort();
            int n = values.Count;
            return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
        }

        private static uint Hash(uint h, Vector3 v)
        {
            foreach (float f in new[] { v.X, v.Y, v.Z })
            {
                h = (h ^ (uint)MathF.Round(f)) * 16777619;
            }

            return h;
        }

        private static float[] Noise(ref uint state, int cells)
        {
            var values = new float[cells];
            for (int i = 0; i < cells; i++)
            {
                // xorshift32: deterministic on every runtime.
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                values[i] = ((state & 0xFFFFFF) / (float)0xFFFFFF * 2f) - 1f;
            }

            return values;
        }

        private static float Periodic(float[] cells, float t)
        {
            float f = (t - MathF.Floor(t)) * cells.Length;
            int i = (int)f % cells.Length;
            int j = (i + 1) % cells.Length;
            float s = f - MathF.Floor(f);
            s = s * s * (3 - (2 * s));
            return cells[i] + ((cells[j] - cells[i]) * s);
        }
    }
}

/// <summary>The output of <see cref="SyntheticEyeRenderer.Render"/>. Owns <see cref="Image"/>: dispose it.</summary>
public sealed class SyntheticEyeResult : IDisposable
{
    internal SyntheticEyeResult(Image<Rgb24> image, float[] mask, Rectangle maskBounds)
    {
        Image = image;
        MaskArray = mask;
        MaskBounds = maskBounds;
    }

    /// <summary>The avatar with its eye region re-rendered to the target geometry.</summary>
    public Image<Rgb24> Image { get; }

    /// <summary>Where the output may differ from the avatar (row-major, 0..1); zero means the avatar's pixel, bit for bit.</summary>
    public ReadOnlyMemory<float> Mask => MaskArray;

    internal float[] MaskArray { get; }

    /// <summary>Bounding box of the non-zero mask.</summary>
    public Rectangle MaskBounds { get; }

    /// <inheritdoc />
    public void Dispose() => Image.Dispose();
}
