using System.Numerics;
using FaceDefender.Imaging;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Landmarks;

/// <summary>
/// Image-based refinement of one face's eye landmarks after the iris model (<see cref="EyeImageRefinement"/>): the
/// iris circle is fitted to the limbus, the lid-margin points to the lid edge, both on the pixels the models read.
/// </summary>
/// <remarks>
/// <para><b>Iris.</b> The limbus is the boundary between the dark iris and the bright sclera. Around the model's
/// circle (centre c0, radius r0 = mean distance of the four ring points) a contour-gradient score (Daugman's
/// integro-differential idea, as a difference across the circle) is maximised over the centre within
/// <see cref="EyeRefinementSettings.IrisCentreRange"/> x r0 along each eye axis and over the radius: for each of 48 directions, those within
/// 60 degrees of the eye's horizontal axis (the lateral arcs; the top and bottom of the iris are usually under the
/// lids), the luminance 0.08 r outside the circle minus 0.08 r inside it, counted only where both samples lie inside
/// the eye opening (the model's lid contour, shrunk by 0.1 r) and clamped to +-60 levels so that a reflex or a lash
/// cannot dominate; each direction's step is the mean of three sample pairs (0.33, 0.67 and 1 x the band) so that it
/// peaks where the circle meets the edge. The score is the mean over a fixed set of directions, those usable at the
/// circle the search starts from (a direction that leaves the opening for a candidate contributes 0, so a candidate
/// cannot gain by shedding weak directions). A coarse grid, a fine grid (directions re-chosen at the coarse optimum)
/// and a parabolic sub-step give a sub-pixel optimum, then a polish: along each direction the strongest step within
/// +-0.2 r of that circle, and a circle fitted to those edge points (Gauss-Newton, Huber weights), kept if its
/// centre is within 0.15 r and its radius within 0.1 r of the grid's. The fit is rejected (the model's points kept) when fewer than a quarter of the directions are usable, the mean step is under 20 levels
/// overall or on either lateral side (no clear sclera on both sides, e.g. a dark blurred iris with reflexes), or the
/// optimum lies on the edge of the search range; at the edge of the centre range the search first continues once from
/// there (<see cref="EyeRefinementSettings.IrisContinuations"/>: an iris decentred under the lids lies further from the
/// model's circle, which follows the opening). The radius is searched too (within
/// <see cref="EyeRefinementSettings.IrisRadiusRange"/>, +-15 %; on the kit this halves the iris-width error and improves
/// the vertical centre). The five iris points are translated to the new centre and scaled about it so that the two
/// lateral ring points lie on the fitted circle (the fit reads the lateral arcs, i.e. the horizontal diameter; the
/// model's ring is about 7 % wider than tall, so scaling by the mean radius put them 3 % wide), keeping the model's
/// aspect ratio.</para>
/// <para><b>Lids.</b> Each lid-margin point of the fine contour (points 1..7 lower lid, 9..15 upper lid) is searched
/// along its normal within <see cref="EyeRefinementSettings.LidSearchRange"/> x the eye width. Upper lid: the centre of
/// the dark lash line (the darkest sample, then half-level crossings on either side; over the iris, which is as dark as
/// the lashes, the darkest sample bounds it inside; a band wider than
/// <see cref="EyeRefinementSettings.LashLineMaxWidthIrisRadii"/> is held to that width inside its outer crossing). Lower lid: the outermost luminance step (either sign) that reaches
/// 0.35 of the strongest in the window, since the lid edge is the outer boundary of the visible eyeball and a stronger
/// limbus edge may lie inside it. The normal displacements are smoothed along the lid by a robust (Huber) quadratic
/// fit weighted by contrast; weak or window-edge responses are dropped, and with fewer than 4 of the 7 left the lid
/// keeps the model's points. The face-mesh points stay the mesh model's own (moving them by the same displacement made
/// MRD2 worse on the kit; <see cref="MediaPipeLandmarkDetectorOptions.EyeMeshRefinement"/> copies the refined contour onto
/// them if wanted).</para>
/// <para><b>Lids moved further than the model followed</b> (ptosis, retraction, scleral show), only on an eye whose
/// limbus fit was accepted (a sharp, resolved eye; on blurred or upscaled eyes these searches latch onto skin):
/// the lower lid's profile is luminance minus (R - B), so that skin, which is reddish, reads darker than the neutral
/// sclera even where both are equally bright; an upper-lid profile still darkening at the window's inner end is searched
/// on inwards by one more window (<see cref="EyeRefinementSettings.LidInwardExtension"/>); a lower-lid edge on the
/// window's end is searched again over a window widened on both sides; and an edge that is the limbus (on the iris
/// circle, iris inside and sclera outside) is replaced by the lid beyond it, within 0.6 iris radii (upper lid: the lash
/// line beyond the sclera; lower lid: the strongest bright-to-dark step).</para>
/// <para><b>Canthi</b> (with the lid stage): re-read on the image by <see cref="EyeCanthusRefiner"/> into contour points 0
/// and 8.</para>
/// <para><b>Weight and resolution.</b> The result is blended with the models' points by a weight that rises smoothly
/// from 0 at an effective iris radius of <see cref="EyeRefinementSettings.BlendStartRadius"/> to 1 at
/// <see cref="EyeRefinementSettings.BlendFullRadius"/> (the effective diameter is the detail the limbus's sharpness
/// supports, <see cref="LimbusSharpness"/>); the canthi blend from the face mesh's. An eye with less detail than pixels
/// (effective / pixel width under <see cref="EyeRefinementSettings.ResampleBelowDetail"/>) is refined on a copy reduced
/// towards its effective resolution, at three nearby resolutions whose results are averaged. So no stage switches on at
/// an image size: the landmarks change continuously as a photo is scaled.</para>
/// <para>Bounds: the
/// iris centre moves at most 0.35 r0 along each eye axis (0.7 r0 with the continuation); a lid point at most
/// min(<see cref="EyeRefinementSettings.LidSearchRange"/> x eye width, 0.4 r0), twice that (or the farthest edge found
/// past the limbus) when a wider search placed it.</para>
/// </remarks>
internal static class EyeImageRefiner
{
    private const int Directions = 48;

    /// <summary>Refines both eyes of one face in place.</summary>
    /// <param name="pixels">The image the landmarks refer to (row-major, <paramref name="width"/> x <paramref name="height"/>).</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="points">The 478 landmarks (468..477, the iris points, are refined; the mesh only if <see cref="EyeRefinementSettings.MeshLidsFollow"/>).</param>
    /// <param name="contours">The two 71-point contours, subject's right eye first.</param>
    /// <param name="mode">What to refine.</param>
    /// <param name="settings">Tuning; null for <see cref="EyeRefinementSettings.Default"/>.</param>
    /// <returns>Per eye, whether contour points 0 and 8 now hold the refined canthi (<see cref="EyeCanthusRefiner"/>).</returns>
    /// <param name="effectiveDiameters">If given (2 elements), receives per eye (right first) the effective iris diameter in
    /// pixels that the limbus's sharpness supports (<see cref="LimbusSharpness"/>), NaN where it cannot be read.</param>
    public static (bool Right, bool Left) Refine(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector3[] points, Vector3[][] contours,
        EyeImageRefinement mode, EyeRefinementSettings? settings = null, float[]? effectiveDiameters = null)
    {
        if (effectiveDiameters is not null)
        {
            effectiveDiameters.AsSpan().Fill(float.NaN);
        }

        if (width < 8 || height < 8 || pixels.Length < width * height)
        {
            return (false, false);
        }

        EyeRefinementSettings s = settings ?? EyeRefinementSettings.Default;
        float rightEffective = EffectiveDiameter(pixels, width, height, points, contours[0], 468);
        float leftEffective = EffectiveDiameter(pixels, width, height, points, contours[1], 473);
        if (effectiveDiameters is { Length: >= 2 })
        {
            effectiveDiameters[0] = rightEffective;
            effectiveDiameters[1] = leftEffective;
        }

        if (mode == EyeImageRefinement.None)
        {
            return (false, false);
        }

        bool right = RefineBlended(pixels, width, height, points, contours[0], 468, EyeContour.RightEyeMeshIndices, mode, s, rightEffective);
        bool left = RefineBlended(pixels, width, height, points, contours[1], 473, EyeContour.LeftEyeMeshIndices, mode, s, leftEffective);
        return (right, left);
    }

    /// <summary>The model iris's radius (mean distance of the four ring points from the centre).</summary>
    private static float ModelRadius(Vector3[] points, int irisFirst)
    {
        Vector2 c0 = Xy(points[irisFirst]);
        float r0 = 0;
        for (int k = 1; k <= 4; k++)
        {
            r0 += Vector2.Distance(Xy(points[irisFirst + k]), c0) / 4;
        }

        return r0;
    }

    private static float EffectiveDiameter(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector3[] points, Vector3[] contour, int irisFirst)
    {
        float r0 = ModelRadius(points, irisFirst);
        Vector2 axis = Xy(contour[EyeContour.InnerCanthusIndex]) - Xy(contour[EyeContour.OuterCanthusIndex]);
        return LimbusSharpness.EffectiveDiameter(pixels, width, height, Xy(points[irisFirst]), r0, axis, RingWidth(points, irisFirst));
    }

    /// <summary>The model iris's horizontal diameter: the distance between its two lateral ring points.</summary>
    private static float RingWidth(Vector3[] points, int irisFirst) => Vector2.Distance(Xy(points[irisFirst + 1]), Xy(points[irisFirst + 3]));

    /// <summary>
    /// The weight of the image refinement for an eye: 0 up to <see cref="EyeRefinementSettings.BlendStartRadius"/>, 1 from
    /// <see cref="EyeRefinementSettings.BlendFullRadius"/>, smooth (cubic smoothstep) between, of the effective iris radius
    /// (half the effective diameter; the model's pixel radius when the limbus could not be read).
    /// </summary>
    internal static float BlendWeight(float pixelRadius, float effectiveDiameter, EyeRefinementSettings s)
    {
        float r = float.IsFinite(effectiveDiameter) ? MathF.Min(pixelRadius, effectiveDiameter / 2) : pixelRadius;
        if (!(r > s.BlendStartRadius))
        {
            return 0;
        }

        if (r >= s.BlendFullRadius)
        {
            return 1;
        }

        float t = (r - s.BlendStartRadius) / (s.BlendFullRadius - s.BlendStartRadius);
        return t * t * (3 - (2 * t));
    }

    /// <summary>
    /// Refines one eye and blends the result with the models' points by <see cref="BlendWeight"/>, so that the landmarks
    /// change continuously with the photo's size and detail (no size at which the refinement switches on at once). The
    /// canthi blend from the face mesh's (what the measurements use when the contour's canthi are not refined).
    /// </summary>
    private static bool RefineBlended(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector3[] points, Vector3[] contour,
        int irisFirst, ReadOnlySpan<int> meshIndices, EyeImageRefinement mode, EyeRefinementSettings s, float effectiveDiameter)
    {
        float weight = BlendWeight(ModelRadius(points, irisFirst), effectiveDiameter, s);
        if (!(weight > 0))
        {
            return false;
        }

        Vector3[] pointsBefore = (Vector3[])points.Clone();
        Vector3[] contourBefore = (Vector3[])contour.Clone();
        float detail = float.IsFinite(effectiveDiameter) ? effectiveDiameter / RingWidth(points, irisFirst) : 1;
        // The resolution the eye is refined at: its own pixels while its detail is at least ResampleBelowDetail of them,
        // its effective resolution from ResampleOnlyBelowDetail down, linear between (continuous in the detail).
        float factor = !s.RefineAtEffectiveResolution || !(detail < s.ResampleBelowDetail) ? 1
            : detail <= s.ResampleOnlyBelowDetail ? MathF.Max(detail, 0.05f)
            : s.ResampleOnlyBelowDetail + ((detail - s.ResampleOnlyBelowDetail) * (1 - s.ResampleOnlyBelowDetail) / (s.ResampleBelowDetail - s.ResampleOnlyBelowDetail));

        // The refinement at a few nearby resolutions, averaged: each of its choices (an edge found or not, a window widened
        // or not) flips at a different size for each member, so the mean moves by a fraction of a flip from one photo
        // size to the next.
        // Only where the eye is refined below its pixels' resolution (a sharp eye keeps its single full-resolution fit),
        // with a spread that grows from 0 as the resolution falls below the pixels', so that nothing switches.
        float spread = Math.Clamp((1 - factor) / (1 - s.ResampleOnlyBelowDetail), 0, 1);
        ReadOnlySpan<float> members = spread > 0 ? s.ResolutionMembers : [0f];
        var sumPoints = new Vector3[points.Length];
        var sumContour = new Vector3[contour.Length];
        bool canthi = false;
        for (int m = 0; m < members.Length; m++)
        {
            Vector3[] p = (Vector3[])pointsBefore.Clone(), c = (Vector3[])contourBefore.Clone();
            float f = factor * (1 - (spread * members[m]));
            bool memberCanthi = f >= 0.999f
                ? RefineEye(pixels, width, height, p, c, irisFirst, meshIndices, mode, s)
                : RefineEyeResampled(pixels, width, height, p, c, irisFirst, meshIndices, mode, s, f);
            if (!memberCanthi)
            {
                // A member whose canthus stage did not run holds the unrefined canthi, the face mesh's.
                c[EyeContour.OuterCanthusIndex] = pointsBefore[meshIndices[EyeContour.OuterCanthusIndex]];
                c[EyeContour.InnerCanthusIndex] = pointsBefore[meshIndices[EyeContour.InnerCanthusIndex]];
            }

            canthi |= memberCanthi;
            for (int i = 0; i < p.Length; i++)
            {
                sumPoints[i] += p[i] - pointsBefore[i]; // moves, so that a point no member moved stays exactly as it was
            }

            for (int i = 0; i < c.Length; i++)
            {
                sumContour[i] += c[i] - contourBefore[i];
            }
        }

        for (int i = 0; i < points.Length; i++)
        {
            points[i] = pointsBefore[i] + (sumPoints[i] / members.Length);
        }

        for (int i = 0; i < contour.Length; i++)
        {
            contour[i] = canthi || (i != EyeContour.OuterCanthusIndex && i != EyeContour.InnerCanthusIndex) ? contourBefore[i] + (sumContour[i] / members.Length) : contourBefore[i];
        }

        if (weight >= 1)
        {
            return canthi;
        }

        if (canthi)
        {
            // The unrefined canthi the measurements fall back to are the face mesh's.
            contourBefore[EyeContour.OuterCanthusIndex] = pointsBefore[meshIndices[EyeContour.OuterCanthusIndex]];
            contourBefore[EyeContour.InnerCanthusIndex] = pointsBefore[meshIndices[EyeContour.InnerCanthusIndex]];
        }

        for (int i = 0; i < points.Length; i++)
        {
            points[i] = Vector3.Lerp(pointsBefore[i], points[i], weight);
        }

        for (int i = 0; i < contour.Length; i++)
        {
            contour[i] = Vector3.Lerp(contourBefore[i], contour[i], weight);
        }

        return canthi;
    }

    /// <summary>
    /// <see cref="RefineEye"/> on a copy of the eye's surroundings reduced (area average) by <paramref name="factor"/> to
    /// the resolution its detail supports: an enlarged or blurred eye is refined on about the same pixels whatever its
    /// size in the photo, so the refinement's choices (edge found or not, search widened or not) do not change from one
    /// size to the next. The points the refinement moved are mapped back; the others are left exactly as they were.
    /// </summary>
    private static bool RefineEyeResampled(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector3[] points, Vector3[] contour,
        int irisFirst, ReadOnlySpan<int> meshIndices, EyeImageRefinement mode, EyeRefinementSettings s, float factor)
    {
        Vector2 outer = Xy(contour[EyeContour.OuterCanthusIndex]), inner = Xy(contour[EyeContour.InnerCanthusIndex]);
        Vector2 min = Vector2.Min(outer, inner), max = Vector2.Max(outer, inner);
        for (int i = 0; i < 16; i++)
        {
            min = Vector2.Min(min, Xy(contour[i]));
            max = Vector2.Max(max, Xy(contour[i]));
        }

        for (int k = 0; k <= 4; k++)
        {
            min = Vector2.Min(min, Xy(points[irisFirst + k]));
            max = Vector2.Max(max, Xy(points[irisFirst + k]));
        }

        foreach (int m in new[] { meshIndices[EyeContour.OuterCanthusIndex], meshIndices[EyeContour.InnerCanthusIndex] })
        {
            min = Vector2.Min(min, Xy(points[m]));
            max = Vector2.Max(max, Xy(points[m]));
        }

        float pad = (0.75f * Vector2.Distance(outer, inner)) + 4;
        if (!float.IsFinite(min.X) || !float.IsFinite(min.Y) || !float.IsFinite(max.X) || !float.IsFinite(max.Y))
        {
            return false;
        }

        int x0 = Math.Clamp((int)MathF.Floor(min.X - pad), 0, width), y0 = Math.Clamp((int)MathF.Floor(min.Y - pad), 0, height);
        int x1 = Math.Clamp((int)MathF.Ceiling(max.X + pad), 0, width), y1 = Math.Clamp((int)MathF.Ceiling(max.Y + pad), 0, height);
        int sw = x1 - x0, sh = y1 - y0;
        int dw = (int)MathF.Ceiling(sw * factor), dh = (int)MathF.Ceiling(sh * factor);
        if (dw < 8 || dh < 8)
        {
            return false;
        }

        Rgb24[] small = AreaResample(pixels, width, x0, y0, sw, sh, factor, dw, dh);
        Vector2 origin = new(x0, y0);
        Vector3 To(Vector3 p) => new(((p.X - origin.X) * factor), ((p.Y - origin.Y) * factor), p.Z);
        Vector3 Back(Vector3 p) => new((p.X / factor) + origin.X, (p.Y / factor) + origin.Y, p.Z);
        Vector3[] localPoints = new Vector3[points.Length], localContour = new Vector3[contour.Length];
        for (int i = 0; i < points.Length; i++)
        {
            localPoints[i] = To(points[i]);
        }

        for (int i = 0; i < contour.Length; i++)
        {
            localContour[i] = To(contour[i]);
        }

        Vector3[] pointsIn = (Vector3[])localPoints.Clone(), contourIn = (Vector3[])localContour.Clone();
        bool canthi = RefineEye(small, dw, dh, localPoints, localContour, irisFirst, meshIndices, mode, s);
        for (int i = 0; i < points.Length; i++)
        {
            if (localPoints[i] != pointsIn[i])
            {
                points[i] = Back(localPoints[i]);
            }
        }

        for (int i = 0; i < contour.Length; i++)
        {
            if (localContour[i] != contourIn[i])
            {
                contour[i] = Back(localContour[i]);
            }
        }

        return canthi;
    }

    /// <summary>
    /// The region (x0, y0, sw x sh) of the image reduced by <paramref name="factor"/> (&lt; 1) by area averaging: output
    /// pixel (i, j) is the mean of the source area [x0 + i / factor, x0 + (i + 1) / factor) x [y0 + j / factor, ...), clipped
    /// to the region.
    /// </summary>
    private static Rgb24[] AreaResample(ReadOnlySpan<Rgb24> pixels, int width, int x0, int y0, int sw, int sh, float factor, int dw, int dh)
    {
        (int First, float[] Weights)[] wx = AreaWeights(sw, dw, factor), wy = AreaWeights(sh, dh, factor);

        // Horizontal pass into floats (dw x sh), then vertical (dw x dh).
        var rows = new Vector3[dw * sh];
        for (int y = 0; y < sh; y++)
        {
            int o = ((y0 + y) * width) + x0;
            for (int i = 0; i < dw; i++)
            {
                Vector3 sum = Vector3.Zero;
                (int first, float[] w) = wx[i];
                for (int k = 0; k < w.Length; k++)
                {
                    Rgb24 p = pixels[o + first + k];
                    sum += w[k] * new Vector3(p.R, p.G, p.B);
                }

                rows[(y * dw) + i] = sum;
            }
        }

        var result = new Rgb24[dw * dh];
        for (int j = 0; j < dh; j++)
        {
            (int first, float[] w) = wy[j];
            for (int i = 0; i < dw; i++)
            {
                Vector3 sum = Vector3.Zero;
                for (int k = 0; k < w.Length; k++)
                {
                    sum += w[k] * rows[((first + k) * dw) + i];
                }

                Vector3 c = Vector3.Clamp(sum + new Vector3(0.5f), Vector3.Zero, new Vector3(255));
                result[(j * dw) + i] = new Rgb24((byte)c.X, (byte)c.Y, (byte)c.Z);
            }
        }

        return result;
    }

    /// <summary>Per output pixel of an area reduction of n source pixels to m: the first source pixel and the normalised weights.</summary>
    private static (int First, float[] Weights)[] AreaWeights(int n, int m, float factor)
    {
        var result = new (int, float[])[m];
        for (int i = 0; i < m; i++)
        {
            float a = i / factor, b = MathF.Min((i + 1) / factor, n);
            int first = Math.Min((int)MathF.Floor(a), n - 1), last = Math.Max(first, Math.Min((int)MathF.Ceiling(b) - 1, n - 1));
            var w = new float[last - first + 1];
            float total = 0;
            for (int k = first; k <= last; k++)
            {
                w[k - first] = MathF.Max(0, MathF.Min(b, k + 1) - MathF.Max(a, k));
                total += w[k - first];
            }

            for (int k = 0; k < w.Length; k++)
            {
                w[k] = total > 0 ? w[k] / total : 1f / w.Length;
            }

            result[i] = (first, w);
        }

        return result;
    }

    private static bool RefineEye(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector3[] points, Vector3[] contour,
        int irisFirst, ReadOnlySpan<int> meshIndices, EyeImageRefinement mode, EyeRefinementSettings s)
    {
        Vector2 c0 = Xy(points[irisFirst]);
        float r0 = 0;
        for (int k = 1; k <= 4; k++)
        {
            r0 += Vector2.Distance(Xy(points[irisFirst + k]), c0) / 4;
        }

        Vector2 outer = Xy(contour[EyeContour.OuterCanthusIndex]), inner = Xy(contour[EyeContour.InnerCanthusIndex]);
        float eyeWidth = Vector2.Distance(outer, inner);
        if (!(r0 >= s.MinIrisRadiusPixels) || !(eyeWidth > 2 * r0) || !float.IsFinite(c0.X) || !float.IsFinite(c0.Y))
        {
            return false;
        }

        // Eye frame: u along the canthus line, v perpendicular pointing down the image.
        Vector2 u = Vector2.Normalize(inner - outer);
        Vector2 v = new(-u.Y, u.X);
        if (v.Y < 0)
        {
            v = -v;
        }

        // A luminance patch covering the eye opening and the iris search range.
        float pad = (r0 * (1.6f + s.IrisCentreRange)) + 2;
        float minX = MathF.Min(MathF.Min(outer.X, inner.X), c0.X - pad), maxX = MathF.Max(MathF.Max(outer.X, inner.X), c0.X + pad);
        float minY = c0.Y - pad, maxY = c0.Y + pad;
        for (int i = 0; i < 16; i++)
        {
            minY = MathF.Min(minY, contour[i].Y - ((1 + s.LidInwardExtension) * s.LidSearchRange * eyeWidth) - 3);
            maxY = MathF.Max(maxY, contour[i].Y + ((1 + s.LidInwardExtension) * s.LidSearchRange * eyeWidth) + 3);
        }

        var patch = Patch.Create(pixels, width, height, minX - 3, minY - 3, maxX + 3, maxY + 3, s.LowerLidChromaWeight);
        if (patch is null)
        {
            return false;
        }

        bool iris = s.RefineIris && (mode is EyeImageRefinement.Iris or EyeImageRefinement.IrisAndLids);
        bool lids = mode is EyeImageRefinement.Lids or EyeImageRefinement.IrisAndLids;
        bool limbusFound = false;
        if (iris && !s.LidsFirst)
        {
            limbusFound = RefineIris(patch, contour, points, irisFirst, c0, r0, u, v, s);
        }

        // The wider lid searches (past the window, past the limbus) and the lower lid's chroma channel run only on an eye
        // whose limbus was found clearly: a sharp, well-resolved eye (on blurred or upscaled eyes they latch onto skin).
        bool sharp = limbusFound || !s.WideSearchNeedsLimbus;

        bool upperFound = false, lowerFound = false;
        if (lids)
        {
            if (s.RefineUpperLid)
            {
                upperFound = RefineLid(patch, contour, points, irisFirst, meshIndices, EyeContour.UpperLidIndices, -v, upper: true, eyeWidth, r0, sharp ? s : s.Narrow);
            }

            if (s.RefineLowerLid)
            {
                lowerFound = RefineLid(patch, contour, points, irisFirst, meshIndices, EyeContour.LowerLidIndices, v, upper: false, eyeWidth, r0, sharp ? s : s.Narrow);
            }
        }

        if (iris && s.LidsFirst)
        {
            RefineIris(patch, contour, points, irisFirst, c0, r0, u, v, s);
        }

        if (lids && s.RefineCanthi)
        {
            EyeCanthusRefiner.Refine(pixels, width, height, contour, points[meshIndices[EyeContour.OuterCanthusIndex]], points[meshIndices[EyeContour.InnerCanthusIndex]], upperFound && lowerFound);
            return true;
        }

        return false;
    }

    // ------------------------------------------------------------------ iris

    private static bool RefineIris(Patch patch, Vector3[] contour, Vector3[] points, int irisFirst, Vector2 c0, float r0,
        Vector2 u, Vector2 v, EyeRefinementSettings s, int depth = 0)
    {
        // Eye opening polygon: upper lid outer -> inner, then lower lid inner -> outer.
        Span<Vector2> polygon = stackalloc Vector2[16];
        int n = 0;
        foreach (int i in EyeContour.UpperLidIndices)
        {
            polygon[n++] = Xy(contour[i]);
        }

        for (int i = 7; i >= 1; i--)
        {
            polygon[n++] = Xy(contour[i]);
        }

        Span<Vector2> dirs = stackalloc Vector2[Directions];
        int nd = 0;
        for (int k = 0; k < Directions; k++)
        {
            float a = 2 * MathF.PI * (k + 0.5f) / Directions;
            (float sin, float cos) = MathF.SinCos(a);
            if (MathF.Abs(sin) <= s.MaxLateralSine)
            {
                dirs[nd++] = (cos * u) + (sin * v);
            }
        }

        dirs = dirs[..nd];
        patch.SetOpening(polygon, c0, (r0 * 1.9f) + 2, MathF.Max(1f, s.IrisLidMargin * r0));
        Span<bool> use = stackalloc bool[dirs.Length];
        var eval = new IrisScorer(patch, dirs, use, r0, s);
        eval.Select(c0, r0);
        float baseScore = eval.Score(c0, r0);

        // Coarse grid over centre and radius, then a fine grid around the best, then a parabolic sub-step per axis.
        float range = s.IrisCentreRange * r0;
        const int coarseSteps = 3;
        float coarse = range / coarseSteps;
        int radiusSteps = s.RefineRadius ? 2 : 0;
        float radiusStep = s.IrisRadiusRange / 2 * r0;
        (Vector2 bestC, float bestR, float best) = (c0, r0, baseScore);
        int coarseCount = (2 * coarseSteps) + 1, coarseRadii = (2 * radiusSteps) + 1;
        Span<float> coarseScores = stackalloc float[coarseCount * coarseCount * coarseRadii];
        for (int iy = -coarseSteps; iy <= coarseSteps; iy++)
        {
            for (int ix = -coarseSteps; ix <= coarseSteps; ix++)
            {
                Vector2 c = c0 + (ix * coarse * u) + (iy * coarse * v);
                for (int ir = -radiusSteps; ir <= radiusSteps; ir++)
                {
                    float r = r0 + (ir * radiusStep);
                    float score = eval.Score(c, r) - Penalty(c - c0, r - r0, r0, s);
                    coarseScores[((((iy + coarseSteps) * coarseCount) + ix + coarseSteps) * coarseRadii) + ir + radiusSteps] = score;
                    if (score > best)
                    {
                        (bestC, bestR, best) = (c, r, score);
                    }
                }
            }
        }

        if (s.IrisSoftness > 0 && float.IsFinite(best))
        {
            // Soft optimum: candidates weighted by exp((score - best) / softness), so that two nearly equal optima give a
            // blend that moves continuously as their scores change, not a switch from one to the other.
            Vector2 sumC = Vector2.Zero;
            float sumR = 0, sumW = 0;
            for (int iy = -coarseSteps; iy <= coarseSteps; iy++)
            {
                for (int ix = -coarseSteps; ix <= coarseSteps; ix++)
                {
                    for (int ir = -radiusSteps; ir <= radiusSteps; ir++)
                    {
                        float score = coarseScores[((((iy + coarseSteps) * coarseCount) + ix + coarseSteps) * coarseRadii) + ir + radiusSteps];
                        float w = float.IsFinite(score) ? MathF.Exp((score - best) / s.IrisSoftness) : 0;
                        sumC += w * (c0 + (ix * coarse * u) + (iy * coarse * v));
                        sumR += w * (r0 + (ir * radiusStep));
                        sumW += w;
                    }
                }
            }

            if (sumW > 0)
            {
                (bestC, bestR) = (sumC / sumW, sumR / sumW);
            }
        }

        // The fine search uses the directions usable at the coarse optimum.
        float fine = coarse / 4, fineR = s.RefineRadius ? radiusStep / 2 : 0;
        int fineRadiusSteps = s.RefineRadius ? 1 : 0;
        Vector2 centre = bestC;
        float radius = bestR;
        eval.Select(centre, radius);
        best = eval.Score(centre, radius) - Penalty(centre - c0, radius - r0, r0, s);
        int fineCount = 9, fineRadii = (2 * fineRadiusSteps) + 1;
        Span<float> fineScores = stackalloc float[fineCount * fineCount * fineRadii];
        for (int iy = -4; iy <= 4; iy++)
        {
            for (int ix = -4; ix <= 4; ix++)
            {
                Vector2 c = centre + (ix * fine * u) + (iy * fine * v);
                for (int ir = -fineRadiusSteps; ir <= fineRadiusSteps; ir++)
                {
                    float r = radius + (ir * fineR);
                    float score = eval.Score(c, r) - Penalty(c - c0, r - r0, r0, s);
                    fineScores[((((iy + 4) * fineCount) + ix + 4) * fineRadii) + ir + fineRadiusSteps] = score;
                    if (score > best)
                    {
                        (bestC, bestR, best) = (c, r, score);
                    }
                }
            }
        }

        Vector2 refined;
        float refinedR;
        if (s.IrisSoftness > 0 && float.IsFinite(best))
        {
            Vector2 sumC = Vector2.Zero;
            float sumR = 0, sumW = 0;
            for (int iy = -4; iy <= 4; iy++)
            {
                for (int ix = -4; ix <= 4; ix++)
                {
                    for (int ir = -fineRadiusSteps; ir <= fineRadiusSteps; ir++)
                    {
                        float score = fineScores[((((iy + 4) * fineCount) + ix + 4) * fineRadii) + ir + fineRadiusSteps];
                        float w = float.IsFinite(score) ? MathF.Exp((score - best) / s.IrisSoftness) : 0;
                        sumC += w * (centre + (ix * fine * u) + (iy * fine * v));
                        sumR += w * (radius + (ir * fineR));
                        sumW += w;
                    }
                }
            }

            (refined, refinedR) = sumW > 0 ? (sumC / sumW, sumR / sumW) : (bestC, bestR);
        }
        else
        {
            // Parabolic sub-step along u, v and r.
            Vector2 du = fine * u, dv = fine * v;
            float stepU = Parabola(eval.Score(bestC - du, bestR) - Penalty(bestC - du - c0, bestR - r0, r0, s), best,
                eval.Score(bestC + du, bestR) - Penalty(bestC + du - c0, bestR - r0, r0, s));
            float stepV = Parabola(eval.Score(bestC - dv, bestR) - Penalty(bestC - dv - c0, bestR - r0, r0, s), best,
                eval.Score(bestC + dv, bestR) - Penalty(bestC + dv - c0, bestR - r0, r0, s));
            float stepR = s.RefineRadius
                ? Parabola(eval.Score(bestC, bestR - fineR) - Penalty(bestC - c0, bestR - fineR - r0, r0, s), best,
                    eval.Score(bestC, bestR + fineR) - Penalty(bestC - c0, bestR + fineR - r0, r0, s))
                : 0;
            refined = bestC + (stepU * du) + (stepV * dv);
            refinedR = bestR + (stepR * fineR);
        }

        // Polish: edge points within +-0.2 r of the grid's circle and a robust circle fit, kept if within 0.15 r of it.
        if (s.IrisEdgeFit && FitLimbusEdges(patch, refined, refinedR, u, dirs, 0.2f, 1, s.RefineRadius, s) is { } polished
            && Vector2.Distance(polished.Centre, refined) <= 0.15f * r0 && MathF.Abs(polished.Radius - refinedR) <= 0.1f * r0)
        {
            (refined, refinedR) = polished;
        }

        // Reject: weak contrast, no better than the model, or pinned at the range's edge.
        Vector2 offset = refined - c0;
        float ou = Vector2.Dot(offset, u), ov = Vector2.Dot(offset, v);
        bool atEdge = MathF.Abs(ou) > range * 0.97f || MathF.Abs(ov) > range * 0.97f
            || MathF.Abs(refinedR - r0) > s.IrisRadiusRange * r0 * 0.97f;
        bool centrePinned = MathF.Abs(ou) > range * 0.97f || MathF.Abs(ov) > range * 0.97f;
        if (atEdge && centrePinned && depth < s.IrisContinuations && float.IsFinite(best) && best >= s.MinIrisContrast
            && float.IsFinite(refined.X) && float.IsFinite(refined.Y))
        {
            // Pinned at the centre range's edge: continue the search from there (the iris lies further than the model put
            // it, e.g. a decentred iris under the lids), keeping the model's points if that search fails too.
            Vector2 moved = c0 + (Math.Clamp(ou, -range, range) * u) + (Math.Clamp(ov, -range, range) * v);
            Span<Vector3> saved = stackalloc Vector3[5];
            points.AsSpan(irisFirst, 5).CopyTo(saved);
            for (int k = 0; k <= 4; k++)
            {
                points[irisFirst + k] += new Vector3(moved - c0, 0);
            }

            if (RefineIris(patch, contour, points, irisFirst, moved, r0, u, v, s, depth + 1))
            {
                return true;
            }

            saved.CopyTo(points.AsSpan(irisFirst, 5));
            return false;
        }

        if (!float.IsFinite(best) || best < s.MinIrisContrast || atEdge || !float.IsFinite(refined.X) || !float.IsFinite(refined.Y)
            || eval.WeakerSide(refined, refinedR, u) < s.MinIrisContrast)
        {
            return false; // no clear limbus on both sides (e.g. a dark iris without visible sclera, or reflexes): keep the model's
        }

        // Bound (defensive: the grid already is).
        ou = Math.Clamp(ou, -range, range);
        ov = Math.Clamp(ov, -range, range);
        refined = c0 + (ou * u) + (ov * v);
        refinedR = Math.Clamp(refinedR, r0 * (1 - s.IrisRadiusRange), r0 * (1 + s.IrisRadiusRange));
        float scale = refinedR / r0;
        if (s.LateralRingOnCircle)
        {
            // The fit reads the lateral arcs (within 60 degrees of the eye axis), so its radius is the limbus's horizontal
            // half-width: put the two lateral ring points (469 / 471, 474 / 476) on the fitted circle. The model's ring is
            // not round (its horizontal diameter about 7 % above its vertical one on the kit), so scaling by the mean
            // radius would place them about 3 % wide; the ring keeps the model's aspect ratio.
            float lateral = (Vector2.Distance(Xy(points[irisFirst + 1]), c0) + Vector2.Distance(Xy(points[irisFirst + 3]), c0)) / 2;
            if (lateral > 0.5f * r0)
            {
                scale = refinedR / lateral;
            }
        }

        for (int k = 0; k <= 4; k++)
        {
            Vector3 p = points[irisFirst + k];
            Vector2 q = refined + ((Xy(p) - c0) * scale);
            points[irisFirst + k] = new Vector3(q, p.Z);
        }

        return true;
    }

    /// <summary>
    /// Limbus by edge points: along each lateral direction from the start centre, the radius (within +-searchHalfRange x r0) where the
    /// tapered outside-minus-inside luminance step is largest, kept if both its samples lie inside the eye opening and the
    /// step is at least <see cref="EyeRefinementSettings.MinIrisContrast"/>; then a circle fitted to
    /// those points (centre, and radius if <paramref name="fitRadius"/>) by Gauss-Newton with Huber weights.
    /// </summary>
    private static (Vector2 Centre, float Radius)? FitLimbusEdges(Patch patch, Vector2 start, float r0, Vector2 u, ReadOnlySpan<Vector2> dirs,
        float searchHalfRange, int passes, bool fitRadius, EyeRefinementSettings s)
    {
        float radius = r0;
        float band = MathF.Max(1f, s.IrisBand * r0);
        float margin = MathF.Max(1f, s.IrisLidMargin * r0);
        Span<Vector2> edge = stackalloc Vector2[dirs.Length];
        Span<bool> side = stackalloc bool[dirs.Length];
        Vector2 centre = start;
        for (int pass = 0; pass < passes; pass++)
        {
            int count = 0, lateralA = 0, lateralB = 0;
            for (int k = 0; k < dirs.Length; k++)
            {
                Vector2 d = dirs[k];
                float bestG = s.MinIrisContrast, bestRho = float.NaN;
                float step = 0.25f;
                float lo = (1 - searchHalfRange) * r0, hi = (1 + searchHalfRange) * r0;
                float gPrev = float.NaN, gPrev2 = float.NaN;
                for (float rho = lo; rho <= hi; rho += step)
                {
                    Vector2 p = centre + (rho * d);
                    if (!(patch.Inside(p + (band * d)) && patch.Inside(p - (band * d))))
                    {
                        gPrev2 = gPrev = float.NaN;
                        continue;
                    }

                    Vector2 t = (band / 3) * d;
                    float g = (patch.Sample(p + (3 * t)) - patch.Sample(p - (3 * t))
                        + patch.Sample(p + (2 * t)) - patch.Sample(p - (2 * t))
                        + patch.Sample(p + t) - patch.Sample(p - t)) / 3;

                    // A local maximum at the previous radius (strictly inside the searched, usable range).
                    if (gPrev > bestG && gPrev >= gPrev2 && gPrev >= g)
                    {
                        bestG = gPrev;
                        bestRho = rho - step + (Parabola(gPrev2, gPrev, g) * step);
                    }

                    gPrev2 = gPrev;
                    gPrev = g;
                }

                if (float.IsFinite(bestRho))
                {
                    edge[count] = centre + (bestRho * d);
                    side[count] = Vector2.Dot(d, u) > 0;
                    lateralA += side[count] ? 1 : 0;
                    lateralB += side[count] ? 0 : 1;
                    count++;
                }
            }

            int minCount = Math.Max(6, (int)(dirs.Length * s.MinIrisArcFraction));
            if (count < minCount || lateralA < 3 || lateralB < 3)
            {
                return null; // too little limbus visible on one side or the other
            }

            // Gauss-Newton on the centre (and the radius if fitted); Huber weights on the radial residuals.
            Vector2 c = centre;
            float huber = MathF.Max(0.5f, 0.05f * r0);
            for (int iter = 0; iter < 8; iter++)
            {
                // Normal equations A delta = b for the parameters (cx, cy, R): residual = |p - c| - R, gradient -(j, 1).
                var normal = new CircleNormalEquations();
                for (int i = 0; i < count; i++)
                {
                    Vector2 q = edge[i] - c;
                    float dist = q.Length();
                    if (dist < 1e-3f)
                    {
                        continue;
                    }

                    Vector2 j = q / dist;
                    float res = dist - radius;
                    float w = MathF.Abs(res) <= huber ? 1 : huber / MathF.Abs(res);
                    normal.Add(j.X, j.Y, res, w);
                }

                Vector2 delta;
                float dr = 0;
                if (fitRadius)
                {
                    if (!normal.TrySolve(out double dx, out double dy, out double dz, out _))
                    {
                        return null;
                    }

                    delta = new Vector2((float)dx, (float)dy);
                    dr = (float)dz;
                }
                else
                {
                    if (!normal.TrySolveCentre(out double dx, out double dy))
                    {
                        return null;
                    }

                    delta = new Vector2((float)dx, (float)dy);
                }

                c += delta;
                radius += dr;
                if (delta.LengthSquared() + (dr * dr) < 1e-6f)
                {
                    break;
                }
            }

            centre = c;
        }

        return float.IsFinite(centre.X) && float.IsFinite(centre.Y) && float.IsFinite(radius) ? (centre, radius) : null;
    }

    private static float Penalty(Vector2 offset, float dr, float r0, EyeRefinementSettings s) =>
        s.IrisPrior * ((offset.LengthSquared() + (dr * dr)) / (r0 * r0));

    /// <summary>Vertex offset (in steps, within +-0.5) of the parabola through three equally spaced values.</summary>
    internal static float Parabola(float a, float b, float c)
    {
        float den = a - (2 * b) + c;
        if (!(den < -1e-6f) || !float.IsFinite(a) || !float.IsFinite(b) || !float.IsFinite(c))
        {
            return 0;
        }

        return Math.Clamp(0.5f * (a - c) / den, -0.5f, 0.5f);
    }

    /// <summary>
    /// The limbus score over a fixed set of directions (<see cref="Select"/>, chosen at a reference circle): a direction
    /// whose samples leave the eye opening for a candidate circle contributes 0 rather than dropping out, so moving the
    /// circle cannot raise the mean by shedding its weaker directions.
    /// </summary>
    private readonly ref struct IrisScorer
    {
        private readonly Patch _patch;
        private readonly ReadOnlySpan<Vector2> _dirs;
        private readonly Span<bool> _use;
        private readonly float _band;
        private readonly float _margin;
        private readonly float _clamp;
        private readonly int _minCount;

        public IrisScorer(Patch patch, ReadOnlySpan<Vector2> dirs, Span<bool> use, float r0, EyeRefinementSettings s)
        {
            _patch = patch;
            _dirs = dirs;
            _use = use;
            _band = MathF.Max(1f, s.IrisBand * r0);
            _margin = MathF.Max(1f, s.IrisLidMargin * r0);
            _clamp = s.IrisGradientClamp;
            _minCount = Math.Max(6, (int)(dirs.Length * s.MinIrisArcFraction));
        }

        /// <summary>Uses the directions whose samples lie inside the eye opening for the circle (c, r); returns how many.</summary>
        public int Select(Vector2 c, float r)
        {
            int count = 0;
            for (int k = 0; k < _dirs.Length; k++)
            {
                Vector2 d = _dirs[k];
                _use[k] = Inside(c + ((r + _band) * d), _margin) && Inside(c + ((r - _band) * d), _margin);
                count += _use[k] ? 1 : 0;
            }

            return count;
        }

        /// <summary>The smaller of the mean limbus steps on the two lateral sides (directions with d.u above / below 0) at (c, r).</summary>
        public float WeakerSide(Vector2 c, float r, Vector2 u)
        {
            Span<float> sum = stackalloc float[2];
            Span<int> count = stackalloc int[2];
            for (int k = 0; k < _dirs.Length; k++)
            {
                Vector2 d = _dirs[k];
                Vector2 pin = c + ((r - _band) * d), pout = c + ((r + _band) * d);
                if (Inside(pout, _margin) && Inside(pin, _margin))
                {
                    int sideIndex = Vector2.Dot(d, u) > 0 ? 0 : 1;
                    sum[sideIndex] += Math.Clamp(_patch.Sample(pout) - _patch.Sample(pin), -_clamp, _clamp);
                    count[sideIndex]++;
                }
            }

            return count[0] == 0 || count[1] == 0 ? 0 : MathF.Min(sum[0] / count[0], sum[1] / count[1]);
        }

        public float Score(Vector2 c, float r)
        {
            float sum = 0;
            int count = 0;
            for (int k = 0; k < _dirs.Length; k++)
            {
                if (!_use[k])
                {
                    continue;
                }

                count++;
                Vector2 d = _dirs[k];
                Vector2 pin = c + ((r - _band) * d);
                Vector2 pout = c + ((r + _band) * d);
                if (Inside(pout, _margin) && Inside(pin, _margin))
                {
                    // Outside minus inside at three distances (band/3, 2 band/3, band): a tapered derivative whose response
                    // to a step peaks where the circle meets the edge (a single pair would be flat within +-band).
                    Vector2 third = (_band / 3) * d;
                    Vector2 p = c + (r * d);
                    float g = (_patch.Sample(pout) - _patch.Sample(pin)
                        + _patch.Sample(p + (2 * third)) - _patch.Sample(p - (2 * third))
                        + _patch.Sample(p + third) - _patch.Sample(p - third)) / 3;
                    sum += Math.Clamp(g, -_clamp, _clamp);
                }
            }

            return count >= _minCount ? sum / count : float.NegativeInfinity;
        }

        private bool Inside(Vector2 p, float margin) => _patch.Inside(p);
    }

    // ------------------------------------------------------------------ lids

    private static bool RefineLid(Patch patch, Vector3[] contour, Vector3[] points, int irisFirst, ReadOnlySpan<int> meshIndices,
        ReadOnlySpan<int> chain, Vector2 outward, bool upper, float eyeWidth, float r0, EyeRefinementSettings s)
    {
        // Interior points of the 9-point chain (canthi excluded).
        const int count = 7;
        Span<Vector2> normals = stackalloc Vector2[count];
        Span<float> found = stackalloc float[count];
        Span<float> weight = stackalloc float[count];
        Span<float> along = stackalloc float[count];
        float window = s.LidSearchRange * eyeWidth;
        float maxMove = MathF.Min(window, s.LidMaxMoveIrisRadii * r0);
        bool extended = false;
        float farthest = 0;

        // The iris circle as it stands (refined if the iris stage ran first): its centre and mean ring radius.
        Vector2 irisCentre = Xy(points[irisFirst]);
        float irisRadius = 0;
        for (int k = 1; k <= 4; k++)
        {
            irisRadius += Vector2.Distance(Xy(points[irisFirst + k]), irisCentre) / 4;
        }
        Vector2 axis = Vector2.Normalize(Xy(contour[chain[8]]) - Xy(contour[chain[0]]));
        const float step = 0.5f;
        float lashWidth = irisRadius > 0 ? s.LashLineMaxWidthIrisRadii * irisRadius : float.PositiveInfinity;
        int samples = (int)MathF.Ceiling(window / step);
        Span<float> profile = stackalloc float[(2 * samples) + 1 + 4];
        int extra = (int)MathF.Ceiling(s.LidInwardExtension * window / step);
        Span<float> longBuffer = stackalloc float[(2 * (samples + extra)) + 1 + 4];
        Span<float> beyond = stackalloc float[Math.Min(512, (int)MathF.Ceiling(s.BeyondLimbusIrisRadii * 2 * r0 / step) + 5)];
        int usable = 0;
        for (int j = 0; j < count; j++)
        {
            Vector2 p = Xy(contour[chain[j + 1]]);
            Vector2 tangent = Xy(contour[chain[j + 2]]) - Xy(contour[chain[j]]);
            Vector2 normal = tangent.LengthSquared() > 1e-8f ? Vector2.Normalize(new Vector2(-tangent.Y, tangent.X)) : outward;
            if (Vector2.Dot(normal, outward) < 0)
            {
                normal = -normal;
            }

            normals[j] = normal;
            along[j] = Vector2.Dot(p - Xy(contour[chain[0]]), axis) / eyeWidth;

            // Profile from inside (-window - 2 px) to outside (+window + 2 px).
            int total = (2 * samples) + 1 + 4;
            patch.Profile(profile[..total], p, normal, 0, samples + 2, step, lid: !upper && s.LowerLidChromaWeight > 0);

            // Derivative over +-1 px (2 samples each side); upper lid: most negative (bright eyeball to dark lash line);
            // lower lid: largest magnitude.
            weight[j] = 0;
            if (upper && s.UpperLidAtLashLine)
            {
                if (LashLineCentre(profile[..total], samples + 2, samples, step, s.MinLidContrast, lashWidth, out float t, out float contrast))
                {
                    if (s.UpperLidBeyondLimbus && irisRadius > 0
                        && MathF.Abs(Vector2.Distance(p + (t * normal), irisCentre) - irisRadius) <= 0.1f * irisRadius
                        && patch.SampleLid(p + ((t + 2f) * normal)) - patch.SampleLid(p + ((t - 2f) * normal)) >= s.MinLidContrast)
                    {
                        // The dark band is the iris's top edge with bright sclera above it (the lid retracted beyond the
                        // limbus): the lash line is the dark band beyond the sclera.
                        float t0 = t + 1.5f;
                        int n = Math.Min(beyond.Length, (int)MathF.Ceiling(s.BeyondLimbusIrisRadii * irisRadius / step) + 5);
                        patch.Profile(beyond[..n], p, normal, t0, 2, step, lid: false);

                        int zero = n / 2, half = zero - 3;
                        if (half > 2 && LashLineCentre(beyond[..n], zero, half, step, s.MinLidContrast, lashWidth, out float tb, out float cb))
                        {
                            t = t0 + ((zero - 2) * step) + tb;
                            contrast = cb;
                            extended = true;
                            farthest = MathF.Max(farthest, MathF.Abs(t));
                        }
                    }

                    found[j] = t;
                    weight[j] = contrast;
                    usable++;
                }
                else if (LashLineExtension(profile[..total], samples, s) is int toward && toward != 0)
                {
                    // Still darkening at the window's end: inner (-1), the lid lies lower than the model put it, as in
                    // ptosis; outer (+1), higher, as in retraction over the sclera. Search on that way by the extension,
                    // over [-(1 + e) window, +window] or [-window, +(1 + e) window], with the same lash-line rule.
                    Span<float> longProfile = longBuffer[..(total + extra)];
                    patch.Profile(longProfile, p, normal, 0, samples + 2 + (toward < 0 ? extra : 0), step, lid: false);

                    // Centre of the searched range and its half-width, in samples.
                    int half = samples + (extra / 2);
                    int zero = samples + 2 + (toward < 0 ? extra - (extra / 2) : extra / 2);
                    if (LashLineCentre(longProfile, zero, half, step, s.MinLidContrast, lashWidth, out float tl, out float cl))
                    {
                        found[j] = tl + (toward * (extra / 2) * step);
                        weight[j] = cl;
                        usable++;
                        extended = true;
                    }
                }

                continue;
            }

            bool atEdge = false;
            if (StepEdge(profile[..total], samples, window, step, upper, s.OutermostLidEdge, s.MinLidContrast, out float tEdge, out float strengthEdge, out atEdge))
            {
                if (!upper && s.LowerLidBeyondLimbus && extra > 0 && irisRadius > 0
                    && MathF.Abs(Vector2.Distance(p + (tEdge * normal), irisCentre) - irisRadius) <= 0.1f * irisRadius
                    && patch.SampleLid(p + ((tEdge + 1.5f) * normal)) > patch.SampleLid(p + ((tEdge - 1.5f) * normal)))
                {
                    // The edge is the limbus (on the iris circle, dark iris inside, bright sclera outside), not the lid: the
                    // lid lies further out, where the visible sclera ends. Take the strongest bright-to-dark step beyond it
                    // within the widened window, if it is clear.
                    // Profile from just beyond the limbus (+1.5 px) to BeyondLimbusIrisRadii x r further out.
                    float t0 = tEdge + 1.5f;
                    int n = Math.Min(beyond.Length, (int)MathF.Ceiling(s.BeyondLimbusIrisRadii * irisRadius / step) + 5);
                    patch.Profile(beyond[..n], p, normal, t0, 2, step, lid: true);

                    int bestK = -1;
                    float bestD = 0;
                    for (int k = 3; k < n - 3; k++)
                    {
                        float d = beyond[k - 2] - beyond[k + 2]; // bright inside, dark outside
                        if (d > bestD)
                        {
                            (bestD, bestK) = (d, k);
                        }
                    }

                    if (bestK >= 0 && bestD >= s.MinLidContrast && bestD >= s.OutermostLidEdge * strengthEdge)
                    {
                        float dm = beyond[bestK - 3] - beyond[bestK + 1], dp = beyond[bestK - 1] - beyond[bestK + 3];
                        tEdge = t0 + ((bestK - 2) * step) + (Parabola(dm, bestD, dp) * step);
                        strengthEdge = bestD;
                        extended = true;
                        farthest = MathF.Max(farthest, MathF.Abs(tEdge));
                    }
                }

                found[j] = tEdge;
                weight[j] = strengthEdge;
                usable++;
            }
            else if (atEdge && !upper && s.LidInwardExtension > 0)
            {
                // The lower lid's edge lies at the window's end (a lid moved further than the model followed): search
                // again over a window widened on both sides by the same extension.
                int longHalf = samples + extra;
                int longTotal = (2 * longHalf) + 1 + 4;
                Span<float> longProfile = longBuffer[..longTotal];
                patch.Profile(longProfile, p, normal, 0, longHalf + 2, step, lid: true);

                if (StepEdge(longProfile, longHalf, longHalf * step, step, upper, s.OutermostLidEdge, s.MinLidContrast, out tEdge, out strengthEdge, out _))
                {
                    found[j] = tEdge;
                    weight[j] = strengthEdge;
                    usable++;
                    extended = true;
                }
            }
        }

        if (usable < s.MinLidPoints)
        {
            return false;
        }

        if (extended)
        {
            maxMove = MathF.Max(MathF.Min((1 + s.LidInwardExtension) * window, (1 + s.LidInwardExtension) * s.LidMaxMoveIrisRadii * r0), farthest);
        }

        // Robust quadratic fit of the displacement along the lid (Huber IRLS), evaluated at each point.
        Span<float> w = stackalloc float[count];
        Span<float> coef = stackalloc float[3];
        weight.CopyTo(w);
        float huber = MathF.Max(1f, 0.1f * r0);
        bool ok = false;
        for (int iter = 0; iter < 4; iter++)
        {
            ok = FitQuadratic(along, found, w, usable >= 5 ? 3 : usable >= 3 ? 2 : 1, coef);
            if (!ok)
            {
                break;
            }

            for (int j = 0; j < count; j++)
            {
                float res = MathF.Abs(found[j] - Eval(coef, along[j]));
                w[j] = weight[j] * (res <= huber ? 1 : huber / res);
            }
        }

        if (!ok)
        {
            return false;
        }

        for (int j = 0; j < count; j++)
        {
            float move = Math.Clamp(Eval(coef, along[j]), -maxMove, maxMove);
            Vector2 delta = move * normals[j];
            int index = chain[j + 1];
            contour[index] += new Vector3(delta, 0);
            int mesh = meshIndices[index];
            if (s.MeshLidsFollow)
            {
                points[mesh] += new Vector3(delta, 0);
            }
        }

        return true;
    }

    /// <summary>
    /// The centre of the dark lash line in an outward profile of the upper lid: the darkest sample within
    /// +-<paramref name="half"/> samples of <paramref name="zero"/>, and the half-level crossings on either side of it
    /// (half way between the darkest value and the brightest value on that side); the centre is the midpoint of the two
    /// crossings. Inside, where the iris is as dark as the lashes (no inner crossing), the darkest sample bounds it. The
    /// inner bound is held at most <paramref name="maxWidth"/> pixels inside the outer crossing.
    /// </summary>
    private static bool LashLineCentre(ReadOnlySpan<float> profile, int zero, int half, float step, float minContrast, float maxWidth, out float t, out float contrast)
    {
        t = 0;
        contrast = 0;
        int kMin = zero - half;
        for (int k = zero - half; k <= zero + half; k++)
        {
            if (profile[k] < profile[kMin])
            {
                kMin = k;
            }
        }

        if (kMin <= zero - half || kMin >= zero + half)
        {
            return false; // no interior minimum
        }

        float low = profile[kMin];
        float outerRef = low, innerRef = low;
        for (int k = kMin + 1; k < profile.Length; k++)
        {
            outerRef = MathF.Max(outerRef, profile[k]);
        }

        for (int k = 0; k < kMin; k++)
        {
            innerRef = MathF.Max(innerRef, profile[k]);
        }

        contrast = outerRef - low;
        if (contrast < minContrast)
        {
            return false;
        }

        float outerLevel = low + (0.5f * contrast);
        float outer = float.NaN;
        for (int k = kMin + 1; k < profile.Length; k++)
        {
            if (profile[k] >= outerLevel)
            {
                outer = k - 1 + ((outerLevel - profile[k - 1]) / MathF.Max(profile[k] - profile[k - 1], 1e-6f));
                break;
            }
        }

        float inner = kMin;
        if (innerRef - low >= minContrast)
        {
            float innerLevel = low + (0.5f * (innerRef - low));
            for (int k = kMin - 1; k >= 0; k--)
            {
                if (profile[k] >= innerLevel)
                {
                    inner = k + ((profile[k] - innerLevel) / MathF.Max(profile[k] - profile[k + 1], 1e-6f));
                    break;
                }
            }
        }

        if (!float.IsFinite(outer))
        {
            return false;
        }

        // A band wider than the lash line can be is the line merged with the shadow below it: held to the line's width
        // inside the outer crossing (both in samples; a continuous bound, no switch).
        inner = MathF.Max(inner, outer - (maxWidth / step));
        t = (((inner + outer) / 2) - zero) * step;
        return true;
    }

    /// <summary>
    /// The lid edge in a profile of 2 <paramref name="half"/> + 5 samples (zero at <paramref name="half"/> + 2): the
    /// strongest step over +-1 px (upper lid: bright to dark outwards; lower lid: either sign), or with
    /// <paramref name="outermost"/> above 0 the outermost local maximum reaching that fraction of the strongest, refined by
    /// a parabola. Fails (with <paramref name="atEdge"/> set) when the edge lies within a step of <paramref name="limit"/>.
    /// </summary>
    private static bool StepEdge(ReadOnlySpan<float> profile, int half, float limit, float step, bool upper, float outermost, float minContrast,
        out float t, out float strength, out bool atEdge)
    {
        t = 0;
        strength = 0;
        atEdge = false;
        int total = profile.Length;
        int bestK = -1;
        float bestD = 0;
        int kFrom = 3, kTo = total - 3;
        for (int k = kFrom; k < kTo; k++)
        {
            float d = profile[k + 2] - profile[k - 2];
            float st = upper ? -d : MathF.Abs(d);
            if (st > bestD)
            {
                (bestD, bestK) = (st, k);
            }
        }

        if (bestK >= 0 && outermost > 0)
        {
            // The lid edge is the outer boundary of the visible eyeball: take the outermost local maximum of the step
            // that reaches the given fraction of the strongest (a limbus or reflex edge further in is not the lid).
            float threshold = outermost * bestD;
            for (int k = kTo - 1; k > bestK; k--)
            {
                float d = profile[k + 2] - profile[k - 2];
                float st = upper ? -d : MathF.Abs(d);
                float prev = upper ? -(profile[k + 1] - profile[k - 3]) : MathF.Abs(profile[k + 1] - profile[k - 3]);
                float next = upper ? -(profile[k + 3] - profile[k - 1]) : MathF.Abs(profile[k + 3] - profile[k - 1]);
                if (st >= threshold && st >= prev && st >= next)
                {
                    (bestD, bestK) = (st, k);
                    break;
                }
            }
        }

        if (bestK < 0 || bestD < minContrast)
        {
            return false;
        }

        float tBest = (bestK - half - 2) * step;
        if (MathF.Abs(tBest) > limit - step)
        {
            atEdge = true;
            return false; // on the window's edge: no interior optimum
        }

        float dm = upper ? -(profile[bestK + 1] - profile[bestK - 3]) : MathF.Abs(profile[bestK + 1] - profile[bestK - 3]);
        float dp = upper ? -(profile[bestK + 3] - profile[bestK - 1]) : MathF.Abs(profile[bestK + 3] - profile[bestK - 1]);
        t = tBest + (Parabola(dm, bestD, dp) * step);
        strength = bestD;
        return true;
    }

    /// <summary>
    /// Which way the upper lid's lash-line search continues past its window: -1 inwards, +1 outwards (with
    /// <see cref="EyeRefinementSettings.UpperLidOutward"/>), 0 not at all (see <see cref="DarkestAtEnd"/>).
    /// </summary>
    private static int LashLineExtension(ReadOnlySpan<float> profile, int samples, EyeRefinementSettings s) =>
        s.LidInwardExtension <= 0 ? 0
        : DarkestAtEnd(profile, samples + 2, samples, inner: true, s.MinLidContrast) ? -1
        : s.UpperLidOutward && DarkestAtEnd(profile, samples + 2, samples, inner: false, s.MinLidContrast) ? 1
        : 0;

    /// <summary>
    /// Whether the darkest sample within +-half of zero is the window's inner (or outer) end sample and that end is at least
    /// <paramref name="minContrast"/> darker than the other: the profile still darkens towards that end.
    /// </summary>
    private static bool DarkestAtEnd(ReadOnlySpan<float> profile, int zero, int half, bool inner, float minContrast)
    {
        int end = inner ? zero - half : zero + half, other = inner ? zero + half : zero - half;
        for (int k = zero - half; k <= zero + half; k++)
        {
            if (profile[k] < profile[end])
            {
                return false;
            }
        }

        return profile[end] + minContrast <= profile[other];
    }

    private static float Eval(ReadOnlySpan<float> c, float x) => c[0] + (c[1] * x) + (c[2] * x * x);

    /// <summary>Weighted least squares polynomial of <paramref name="terms"/> terms (1..3); false if singular.</summary>
    private static bool FitQuadratic(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, int terms, Span<float> coef)
    {
        Span<double> a = stackalloc double[9];
        Span<double> b = stackalloc double[3];
        a.Clear();
        b.Clear();
        for (int i = 0; i < x.Length; i++)
        {
            if (w[i] <= 0)
            {
                continue;
            }

            double xi = x[i] - 0.5;
            Span<double> f = [1, xi, xi * xi];
            for (int r = 0; r < terms; r++)
            {
                b[r] += w[i] * f[r] * y[i];
                for (int c = 0; c < terms; c++)
                {
                    a[(r * 3) + c] += w[i] * f[r] * f[c];
                }
            }
        }

        // Gaussian elimination with partial pivoting on the terms x terms system.
        Span<double> sol = stackalloc double[3];
        for (int col = 0; col < terms; col++)
        {
            int piv = col;
            for (int r = col + 1; r < terms; r++)
            {
                if (Math.Abs(a[(r * 3) + col]) > Math.Abs(a[(piv * 3) + col]))
                {
                    piv = r;
                }
            }

            if (Math.Abs(a[(piv * 3) + col]) < 1e-9)
            {
                return false;
            }

            if (piv != col)
            {
                for (int c = 0; c < 3; c++)
                {
                    (a[(col * 3) + c], a[(piv * 3) + c]) = (a[(piv * 3) + c], a[(col * 3) + c]);
                }

                (b[col], b[piv]) = (b[piv], b[col]);
            }

            for (int r = col + 1; r < terms; r++)
            {
                double factor = a[(r * 3) + col] / a[(col * 3) + col];
                for (int c = col; c < terms; c++)
                {
                    a[(r * 3) + c] -= factor * a[(col * 3) + c];
                }

                b[r] -= factor * b[col];
            }
        }

        for (int r = terms - 1; r >= 0; r--)
        {
            double acc = b[r];
            for (int c = r + 1; c < terms; c++)
            {
                acc -= a[(r * 3) + c] * sol[c];
            }

            sol[r] = acc / a[(r * 3) + r];
        }

        // Back to a polynomial in x (the fit was in x - 0.5).
        double c0 = sol[0], c1 = terms > 1 ? sol[1] : 0, c2 = terms > 2 ? sol[2] : 0;
        coef[0] = (float)(c0 - (0.5 * c1) + (0.25 * c2));
        coef[1] = (float)(c1 - c2);
        coef[2] = (float)c2;
        return double.IsFinite(coef[0]) && double.IsFinite(coef[1]) && double.IsFinite(coef[2]);
    }

    private static Vector2 Xy(Vector3 p) => new(p.X, p.Y);

    /// <summary>A luminance copy (0..255) of an image rectangle, sampled bilinearly at continuous pixel coordinates.</summary>
    private sealed class Patch
    {
        private readonly float[] _lum;
        private readonly float[] _lid;
        private readonly int _x0, _y0, _w, _h;
        private bool[]? _opening;

        private Patch(float[] lum, float[] lid, int x0, int y0, int w, int h) => (_lum, _lid, _x0, _y0, _w, _h) = (lum, lid, x0, y0, w, h);

        /// <summary>Copies the rectangle's luminance and, with <paramref name="chromaWeight"/> above 0, a lower-lid channel: luminance minus that weight x (R - B).</summary>
        public static Patch? Create(ReadOnlySpan<Rgb24> pixels, int width, int height, float minX, float minY, float maxX, float maxY, float chromaWeight = 0)
        {
            int x0 = Math.Clamp((int)MathF.Floor(minX), 0, width - 1), y0 = Math.Clamp((int)MathF.Floor(minY), 0, height - 1);
            int x1 = Math.Clamp((int)MathF.Ceiling(maxX), 0, width - 1), y1 = Math.Clamp((int)MathF.Ceiling(maxY), 0, height - 1);
            int w = x1 - x0 + 1, h = y1 - y0 + 1;
            if (w < 4 || h < 4 || (long)w * h > 4_000_000)
            {
                return null;
            }

            var lum = new float[w * h];
            float[] lid = chromaWeight > 0 ? new float[w * h] : lum;
            for (int y = 0; y < h; y++)
            {
                ReadOnlySpan<Rgb24> row = pixels.Slice(((y0 + y) * width) + x0, w);
                for (int x = 0; x < w; x++)
                {
                    Rgb24 p = row[x];
                    float l = Luma.Of(p);
                    lum[(y * w) + x] = l;
                    if (chromaWeight > 0)
                    {
                        lid[(y * w) + x] = l - (chromaWeight * (p.R - p.B));
                    }
                }
            }

            return new Patch(lum, lid, x0, y0, w, h);
        }

        /// <summary>
        /// Marks the pixels within <paramref name="radius"/> of <paramref name="centre"/> that lie inside the eye-opening
        /// polygon at least <paramref name="margin"/> from its boundary (row by row: the polygon's crossings of the row give
        /// the inside spans; the distance test stops at the first edge closer than the margin).
        /// </summary>
        public void SetOpening(ReadOnlySpan<Vector2> polygon, Vector2 centre, float radius, float margin)
        {
            _opening = new bool[_w * _h];
            float m2 = margin * margin;
            int yMin = Math.Max(0, (int)(centre.Y - radius - _y0 - 1)), yMax = Math.Min(_h - 1, (int)(centre.Y + radius - _y0 + 1));
            int xMin = Math.Max(0, (int)(centre.X - radius - _x0 - 1)), xMax = Math.Min(_w - 1, (int)(centre.X + radius - _x0 + 1));
            Span<float> crossings = stackalloc float[polygon.Length];
            for (int y = yMin; y <= yMax; y++)
            {
                float py = _y0 + y + 0.5f;
                int nc = 0;
                for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
                {
                    Vector2 a = polygon[j], b = polygon[i];
                    if ((b.Y > py) != (a.Y > py))
                    {
                        crossings[nc++] = ((a.X - b.X) * (py - b.Y) / (a.Y - b.Y)) + b.X;
                    }
                }

                crossings[..nc].Sort();
                for (int c = 0; c + 1 < nc; c += 2)
                {
                    int from = Math.Max(xMin, (int)MathF.Ceiling(crossings[c] - _x0 - 0.5f));
                    int to = Math.Min(xMax, (int)MathF.Floor(crossings[c + 1] - _x0 - 0.5f));
                    for (int x = from; x <= to; x++)
                    {
                        var p = new Vector2(_x0 + x + 0.5f, py);
                        bool clear = true;
                        for (int i = 0, j = polygon.Length - 1; i < polygon.Length && clear; j = i++)
                        {
                            Vector2 a = polygon[j], ab = polygon[i] - a;
                            float t = Math.Clamp(Vector2.Dot(p - a, ab) / MathF.Max(ab.LengthSquared(), 1e-12f), 0, 1);
                            clear = Vector2.DistanceSquared(p, a + (t * ab)) >= m2;
                        }

                        _opening[(y * _w) + x] = clear;
                    }
                }
            }
        }

        /// <summary>Whether the nearest pixel was marked by <see cref="SetOpening"/>.</summary>
        public bool Inside(Vector2 p)
        {
            int ix = (int)MathF.Floor(p.X - _x0), iy = (int)MathF.Floor(p.Y - _y0);
            return _opening is not null && (uint)ix < (uint)_w && (uint)iy < (uint)_h && _opening[(iy * _w) + ix];
        }

        /// <summary>Bilinear luminance at continuous coordinates (pixel (i, j)'s centre is (i + 0.5, j + 0.5)); clamped at the patch border.</summary>
        public float Sample(Vector2 p) => Sample(_lum, p);

        /// <summary>Bilinear lower-lid channel (see <see cref="Create"/>; the luminance when it has no chroma term).</summary>
        public float SampleLid(Vector2 p) => Sample(_lid, p);

        /// <summary>Samples along a line: <paramref name="dest"/>[k] at p + (t0 + (k - first) step) n, luminance or the lower-lid channel.</summary>
        public void Profile(Span<float> dest, Vector2 p, Vector2 normal, float t0, int first, float step, bool lid)
        {
            float[] plane = lid ? _lid : _lum;
            for (int k = 0; k < dest.Length; k++)
            {
                dest[k] = Sample(plane, p + ((t0 + ((k - first) * step)) * normal));
            }
        }

        private float Sample(float[] plane, Vector2 p)
        {
            float fx = Math.Clamp(p.X - 0.5f - _x0, 0, _w - 1.001f);
            float fy = Math.Clamp(p.Y - 0.5f - _y0, 0, _h - 1.001f);
            int ix = (int)fx, iy = (int)fy;
            float ax = fx - ix, ay = fy - iy;
            int o = (iy * _w) + ix;
            float top = plane[o] + (ax * (plane[o + 1] - plane[o]));
            float bottom = plane[o + _w] + (ax * (plane[o + _w + 1] - plane[o + _w]));
            return top + (ay * (bottom - top));
        }
    }
}

/// <summary>Tuning of <see cref="EyeImageRefiner"/> (internal: the defaults are the measured choice).</summary>
internal sealed record EyeRefinementSettings
{
    public static EyeRefinementSettings Default { get; } = new();

    /// <summary>Irises smaller than this radius (pixels, in the image the models read) are left as the model put them.</summary>
    public float MinIrisRadiusPixels { get; init; } = 4f;

    /// <summary>Effective iris radius (pixels) up to which the refinement has no weight (<see cref="EyeImageRefiner.BlendWeight"/>).</summary>
    public float BlendStartRadius { get; init; } = 6f;

    /// <summary>Effective iris radius (pixels) from which the refinement has full weight.</summary>
    public float BlendFullRadius { get; init; } = 11f;

    /// <summary>Whether an eye with less detail than pixels (enlarged or blurred) is refined on a copy reduced to its effective resolution.</summary>
    public bool RefineAtEffectiveResolution { get; init; } = true;

    /// <summary>Effective / pixel iris diameter below which the eye is refined on a reduced copy.</summary>
    public float ResampleBelowDetail { get; init; } = 0.7f;

    /// <summary>Effective / pixel iris diameter at or below which the eye is refined at its effective resolution.</summary>
    public float ResampleOnlyBelowDetail { get; init; } = 0.5f;

    /// <summary>
    /// For an eye refined below its pixels' resolution, the relative reductions (of the chosen resolution, at full spread)
    /// of the refinements that are averaged.
    /// </summary>
    public float[] ResolutionMembers { get; init; } = [0f, 0.09f, 0.17f];

    /// <summary>Largest centre move, as a fraction of the model's iris radius (per axis of the eye frame).</summary>
    public float IrisCentreRange { get; init; } = 0.35f;

    /// <summary>Largest relative radius change.</summary>
    public float IrisRadiusRange { get; init; } = 0.15f;

    /// <summary>Whether the radius is fitted too (else only the centre moves).</summary>
    public bool RefineRadius { get; init; } = true;

    /// <summary>Half-distance of the inside/outside luminance samples, fraction of the radius (at least 1 px).</summary>
    public float IrisBand { get; init; } = 0.08f;

    /// <summary>Samples closer than this (fraction of the radius, at least 1 px) to the lid contour are not used.</summary>
    public float IrisLidMargin { get; init; } = 0.1f;

    /// <summary>Each direction's luminance step is clamped to +- this (levels of 255).</summary>
    public float IrisGradientClamp { get; init; } = 60f;

    /// <summary>Fraction of the lateral directions that must be usable.</summary>
    public float MinIrisArcFraction { get; init; } = 0.25f;

    /// <summary>Minimum mean outside-minus-inside step (levels of 255), overall and on each lateral side, for the fit to count.</summary>
    public float MinIrisContrast { get; init; } = 20f;

    /// <summary>Weight of the quadratic pull towards the model's circle (levels per squared radius).</summary>
    public float IrisPrior { get; init; }

    /// <summary>Half-width of the lid edge search along each normal, fraction of the eye (canthus) width.</summary>
    public float LidSearchRange { get; init; } = 0.06f;

    /// <summary>Largest lid-point move, in model iris radii.</summary>
    public float LidMaxMoveIrisRadii { get; init; } = 0.4f;

    /// <summary>Minimum luminance step (levels over 2 px) for a lid edge to count.</summary>
    public float MinLidContrast { get; init; } = 10f;

    /// <summary>Upper lid: the centre of the dark lash line rather than the steepest bright-to-dark step.</summary>
    public bool UpperLidAtLashLine { get; init; } = true;

    /// <summary>
    /// Upper lid: the widest dark band (iris radii; 0.17 r is 1 mm at the 11.7 mm iris) read as the lash line. The line at
    /// the margin (lash roots and their contact shadow) is under a millimetre wide; a band found wider is that line merged
    /// by blur with the lid's shadow on the eyeball, so its inner half-level crossing is held this far inside the outer one
    /// (the skin-to-line step, which blur leaves in place). Without the bound a blurred or small eye's upper lid read about
    /// 0.5 mm low. Infinity: no bound.
    /// </summary>
    public float LashLineMaxWidthIrisRadii { get; init; } = 0.17f;

    /// <summary>Directions whose angle from the eye's horizontal axis has a sine above this are not used (0.866: 60 degrees).</summary>
    public float MaxLateralSine { get; init; } = 0.866f;

    /// <summary>Whether the lids are refined before the iris (the iris fit then masks with the refined lids).</summary>
    public bool LidsFirst { get; init; }

    /// <summary>Whether the face-mesh lid points move by their contour point's displacement (off: the mesh stays the model's; made MRD2 worse on the kit).</summary>
    public bool MeshLidsFollow { get; init; }

    /// <summary>After the grid search, polish the centre by edge points near the found circle and a robust circle fit.</summary>
    public bool IrisEdgeFit { get; init; } = true;

    /// <summary>Softness (score levels) of the iris grid's optimum; 0 for the plain best candidate (see <c>RefineIris</c>).</summary>
    public float IrisSoftness { get; init; } = 1.5f;

    /// <summary>Whether the iris is refined.</summary>
    public bool RefineIris { get; init; } = true;

    /// <summary>If above 0: the outermost edge at least this fraction of the strongest in the window (else the strongest).</summary>
    public float OutermostLidEdge { get; init; } = 0.35f;

    /// <summary>Whether the upper lid is refined (with <see cref="EyeImageRefinement.IrisAndLids"/>).</summary>
    public bool RefineUpperLid { get; init; } = true;

    /// <summary>Whether the lower lid is refined (with <see cref="EyeImageRefinement.IrisAndLids"/>).</summary>
    public bool RefineLowerLid { get; init; } = true;

    /// <summary>Minimum number of the 7 lid points with an edge for the lid to move.</summary>
    public int MinLidPoints { get; init; } = 4;

    /// <summary>Whether the lid stage also re-reads the canthi on the image (<see cref="EyeCanthusRefiner"/>) into contour points 0 and 8.</summary>
    public bool RefineCanthi { get; init; } = true;

    /// <summary>
    /// How far (fraction of the search window) the wider lid searches reach beyond the window: the upper lid's lash-line
    /// search continues inwards when the profile is still darkening at the window's inner end, the lower lid's edge search
    /// is repeated over the widened window when its edge lies on the window's end; 0 = off.
    /// </summary>
    public float LidInwardExtension { get; init; } = 1f;

    /// <summary>Whether the accepted fit puts the lateral ring points on the fitted circle (else the ring is scaled by the mean radius).</summary>
    public bool LateralRingOnCircle { get; init; } = true;

    /// <summary>Lower lid: an edge on the iris circle with the limbus's polarity is taken as the limbus and the lid searched beyond it.</summary>
    public bool LowerLidBeyondLimbus { get; init; } = true;

    /// <summary>Lower lid: the profile is luminance minus this weight x (R - B), so that skin (reddish) reads darker than the sclera (neutral) even where both are as bright; 0 = luminance only.</summary>
    public float LowerLidChromaWeight { get; init; } = 1f;

    /// <summary>Upper lid: the lash-line search also continues outwards when the profile darkens towards the window's outer end.</summary>
    public bool UpperLidOutward { get; init; } = true;

    /// <summary>Upper lid: a lash line found on the iris circle with bright sclera above it is taken as the limbus and the lid searched beyond it.</summary>
    public bool UpperLidBeyondLimbus { get; init; } = true;

    /// <summary>Whether the wider lid searches and the chroma channel need an accepted limbus fit (see <see cref="Narrow"/>).</summary>
    public bool WideSearchNeedsLimbus { get; init; } = true;

    /// <summary>These settings without the wider lid searches and the lower lid's chroma channel.</summary>
    public EyeRefinementSettings Narrow => this with { LidInwardExtension = 0, LowerLidBeyondLimbus = false, UpperLidBeyondLimbus = false, LowerLidChromaWeight = 0 };

    /// <summary>How far beyond the limbus (iris radii) the lower lid is searched.</summary>
    public float BeyondLimbusIrisRadii { get; init; } = 0.6f;

    /// <summary>How many times the iris search may continue from the edge of its centre range.</summary>
    public int IrisContinuations { get; init; } = 1;

}
