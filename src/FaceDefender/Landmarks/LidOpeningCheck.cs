using System.Numerics;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Landmarks;

/// <summary>
/// Checks the fine contour's lid opening against the image and closes it where the image shows less opening: the
/// landmark models draw an open almond from the face's context also over a half-closed or closed eye. Along a band
/// through the iris centre, perpendicular to the canthal line, the opening between the lids is a dark run (the upper
/// lash line, the iris, the lower margin) between the brighter skin of the two lids. When the run's upper end lies
/// inside the iris disc and below the contour's upper-lid margin (a lid covering the iris that the contour leaves
/// open), the upper-lid points move down to it; the lower lid likewise upwards. A margin the contour puts inside the
/// run, or a run that reaches the iris edge (sclera beyond it), is left alone, so a normally open eye is unchanged.
/// Each lid point moves by the correction at the iris column tapered linearly to zero at the canthi. The stretch a lid is
/// said to cover must look like skin (<see cref="SkinChromaFraction"/>): a light iris around a dark pupil does not.
/// </summary>
/// <remarks>Stateless and thread-safe; operates in place on the working-pixel landmarks.</remarks>
internal static class LidOpeningCheck
{
    /// <summary>Smallest skin-minus-dark luma difference (0-255) for the profile to count as evidence.</summary>
    internal const float MinContrast = 20f;

    /// <summary>Smallest correction, as a fraction of the canthal width (below it the contour is kept).</summary>
    internal const float MinCorrection = 0.025f;

    /// <summary>How far inside the iris disc (fraction of its radius) the run's end must lie to count as a lid over the iris.</summary>
    internal const float InsideIris = 0.12f;

    /// <summary>Where between the dark level (0) and the skin level (1) the run ends: below the middle, so the lash line's soft edge stays outside.</summary>
    internal const float ThresholdFraction = 0.4f;

    /// <summary>
    /// The stretch a lid would cover (between the contour's margin and the run's end) must have at least this fraction of
    /// the lids' skin chroma ((R - B) / (R + G + B)): skin is reddish, a light (blue, grey, green) iris is not, and over a
    /// light iris the dark run is the pupil alone, which without this test read as a lid over the iris.
    /// </summary>
    internal const float SkinChromaFraction = 0.8f;

    /// <summary>Checks both eyes; returns per eye the correction applied to the upper and lower lid at the iris column, in pixels (0: none).</summary>
    public static ((float Upper, float Lower) Right, (float Upper, float Lower) Left) Apply(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector3[] points, Vector3[][] contours)
    {
        if (width < 8 || height < 8 || pixels.Length < width * height || contours.Length < 2)
        {
            return default;
        }

        var right = Eye(pixels, width, height, points, 468, contours[0]);
        var left = Eye(pixels, width, height, points, 473, contours[1]);
        return (right, left);
    }

    private static (float Upper, float Lower) Eye(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector3[] points, int centreIndex, Vector3[] contour)
    {
        Vector2 outer = Xy(contour[EyeContour.OuterCanthusIndex]), inner = Xy(contour[EyeContour.InnerCanthusIndex]);
        float w = Vector2.Distance(outer, inner);
        if (!(w >= 8f))
        {
            return default;
        }

        Vector2 u = (inner - outer) / w;
        Vector2 v = new(-u.Y, u.X); // down the image for an upright face when u points to the image's right
        if (v.Y < 0)
        {
            v = -v;
        }

        Vector2 c = Xy(points[centreIndex]);
        float r = 0;
        for (int k = 1; k <= 4; k++)
        {
            r += Vector2.Distance(c, Xy(points[centreIndex + k]));
        }

        r = MathF.Max(r / 4, 0.19f * w);

        // The contour's lid margins at the iris column, as offsets along v from the iris centre.
        float uc = Vector2.Dot(c - outer, u);
        float? upperC = AtColumn(contour, EyeContour.UpperLidIndices, outer, u, v, c, uc);
        float? lowerC = AtColumn(contour, EyeContour.LowerLidIndices, outer, u, v, c, uc);
        if (upperC is not float up || lowerC is not float low)
        {
            return default;
        }

        // Luma profile along v through the iris centre, averaged over a band of +-0.08 w along u; 4 samples a pixel.
        const int perPixel = 4;
        float half = 0.35f * w;
        int n = (int)(2 * half * perPixel) + 1;
        var profile = new float[n];
        var chroma = new float[n];
        float band = 0.08f * w;
        int across = Math.Max(3, (int)(2 * band) + 1);
        for (int i = 0; i < n; i++)
        {
            float t = -half + (i / (float)perPixel);
            float sum = 0, chromaSum = 0;
            for (int j = 0; j < across; j++)
            {
                float s = -band + (2 * band * j / (across - 1));
                (float luma, float chromaAt) = Sample(pixels, width, height, c + (t * v) + (s * u));
                sum += luma;
                chromaSum += chromaAt;
            }

            profile[i] = sum / across;
            chroma[i] = chromaSum / across;
        }

        int Index(float t) => Math.Clamp((int)MathF.Round((t + half) * perPixel), 0, n - 1);
        float T(float i) => -half + (i / perPixel);

        // Skin: the lids 0.2-0.3 w above and below the centre (the median of a profile there); dark: the darkest point
        // within 0.15 w of it.
        float LidsMedian(float[] values)
        {
            var lids = new List<float>();
            for (int i = Index(-0.3f * w); i <= Index(-0.2f * w); i++)
            {
                lids.Add(values[i]);
            }

            for (int i = Index(0.2f * w); i <= Index(0.3f * w); i++)
            {
                lids.Add(values[i]);
            }

            lids.Sort();
            return lids[lids.Count / 2];
        }

        float skinLevel = LidsMedian(profile);
        float skinChroma = LidsMedian(chroma);

        // Whether the stretch between two offsets looks like lid skin (its mean chroma at least SkinChromaFraction of the
        // lids' skin), not a light iris whose pupil alone made the dark run.
        bool SkinLike(float from, float to)
        {
            int a = Index(MathF.Min(from, to)), b = Index(MathF.Max(from, to));
            float sum = 0;
            for (int i = a; i <= b; i++)
            {
                sum += chroma[i];
            }

            return sum / (b - a + 1) >= SkinChromaFraction * skinChroma;
        }
        int darkest = Index(-0.15f * w);
        for (int i = darkest; i <= Index(0.15f * w); i++)
        {
            if (profile[i] < profile[darkest])
            {
                darkest = i;
            }
        }

        float dark = profile[darkest];
        if (!(skinLevel - dark >= MinContrast))
        {
            return default;
        }

        float threshold = dark + (ThresholdFraction * (skinLevel - dark));
        int top = darkest, bottom = darkest;
        while (top > 0 && profile[top - 1] < threshold)
        {
            top--;
        }

        while (bottom < n - 1 && profile[bottom + 1] < threshold)
        {
            bottom++;
        }

        // Sub-sample crossings.
        float runTop = top > 0 ? T(top - ((threshold - profile[top]) / (profile[top - 1] - profile[top]))) : T(top);
        float runBottom = bottom < n - 1 ? T(bottom + ((threshold - profile[bottom]) / (profile[bottom + 1] - profile[bottom]))) : T(bottom);

        float minShift = MinCorrection * w;
        float upperShift = 0, lowerShift = 0;
        if (runTop > -(1 - InsideIris) * r && runTop - up > minShift && SkinLike(up, runTop))
        {
            upperShift = runTop - up;
        }

        if (runBottom < (1 - InsideIris) * r && low - runBottom > minShift && SkinLike(runBottom, low))
        {
            lowerShift = runBottom - low;
        }

        // Never let the lids cross: a lid meeting the other stops there.
        if (up + upperShift > low + lowerShift)
        {
            float mid = ((up + upperShift) + (low + lowerShift)) / 2;
            upperShift = mid - up;
            lowerShift = mid - low;
        }

        if (upperShift != 0)
        {
            Shift(contour, EyeContour.UpperLidIndices, outer, u, v, uc, w, upperShift);
        }

        if (lowerShift != 0)
        {
            Shift(contour, EyeContour.LowerLidIndices, outer, u, v, uc, w, lowerShift);
        }

        return (upperShift, lowerShift);
    }

    /// <summary>Moves the chain's inner points (not the canthi) along v by <paramref name="shift"/> tapered to 0 at the canthi.</summary>
    private static void Shift(Vector3[] contour, ReadOnlySpan<int> chain, Vector2 outer, Vector2 u, Vector2 v, float uc, float w, float shift)
    {
        for (int k = 1; k < chain.Length - 1; k++)
        {
            Vector3 p = contour[chain[k]];
            float along = Vector2.Dot(Xy(p) - outer, u);
            float weight = along <= uc ? along / MathF.Max(uc, 1e-3f) : (w - along) / MathF.Max(w - uc, 1e-3f);
            weight = Math.Clamp(weight, 0f, 1f);
            Vector2 moved = Xy(p) + (shift * weight * v);
            contour[chain[k]] = new Vector3(moved, p.Z);
        }
    }

    /// <summary>The chain's offset along v from <paramref name="c"/> where it crosses the column at <paramref name="uc"/>, or null outside it.</summary>
    private static float? AtColumn(Vector3[] contour, ReadOnlySpan<int> chain, Vector2 outer, Vector2 u, Vector2 v, Vector2 c, float uc)
    {
        for (int k = 0; k < chain.Length - 1; k++)
        {
            Vector2 a = Xy(contour[chain[k]]), b = Xy(contour[chain[k + 1]]);
            float ua = Vector2.Dot(a - outer, u), ub = Vector2.Dot(b - outer, u);
            if ((ua <= uc && uc <= ub) || (ub <= uc && uc <= ua))
            {
                float f = ub == ua ? 0.5f : (uc - ua) / (ub - ua);
                Vector2 p = a + (f * (b - a));
                return Vector2.Dot(p - c, v);
            }
        }

        return null;
    }

    /// <summary>
    /// Luma and normalised red-minus-blue chroma, (R - B) / (R + G + B + 30), bilinear at <paramref name="p"/>: skin's chroma
    /// is clearly positive, a blue, grey or green iris's near or below zero.
    /// </summary>
    private static (float Luma, float Chroma) Sample(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector2 p)
    {
        float x = Math.Clamp(p.X - 0.5f, 0, width - 1.001f), y = Math.Clamp(p.Y - 0.5f, 0, height - 1.001f);
        int x0 = (int)x, y0 = (int)y;
        float fx = x - x0, fy = y - y0;
        Rgb24 q00 = pixels[(y0 * width) + x0], q01 = pixels[(y0 * width) + x0 + 1];
        Rgb24 q10 = pixels[((y0 + 1) * width) + x0], q11 = pixels[((y0 + 1) * width) + x0 + 1];
        static float C(Rgb24 q) => (q.R - q.B) / (float)(q.R + q.G + q.B + 30);
        float Mix(float a, float b, float cc, float d) => ((a * (1 - fx)) + (b * fx)) * (1 - fy) + (((cc * (1 - fx)) + (d * fx)) * fy);
        return (Mix(Imaging.Luma.Of(q00), Imaging.Luma.Of(q01), Imaging.Luma.Of(q10), Imaging.Luma.Of(q11)), Mix(C(q00), C(q01), C(q10), C(q11)));
    }

    private static Vector2 Xy(Vector3 p) => new(p.X, p.Y);
}
