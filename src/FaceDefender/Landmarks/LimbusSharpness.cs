using System.Numerics;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Landmarks;

/// <summary>
/// How much detail an eye's pixels hold, read from the limbus (the edge between the dark iris and the bright sclera):
/// the effective iris diameter, i.e. the iris width in pixels of a sharp photo holding the same detail. Pixel counts
/// alone cannot tell an enlarged or blurred photo from a sharp one; the width of the limbus edge can.
/// </summary>
/// <remarks>
/// <para>Along rays from the model's iris centre within <see cref="MaxRayDegrees"/> of the eye axis, on both sides
/// (the lateral arcs; above and below the iris lies under the lids), the luminance profile is sampled every quarter
/// pixel from 0.6 to 1.5 iris radii. On each ray the outward rise (iris to sclera) with the steepest slope is taken;
/// its height H is the summed rise over the slope's lobe (where the slope exceeds a tenth of its peak) and its
/// equivalent Gaussian width sigma = H / (peak slope x sqrt(2 pi)) (exact for a Gaussian-blurred step). Rays with a
/// rise under <see cref="MinRiseLevels"/> levels are dropped; with fewer than 3 rays on the two sides together the
/// detail is unknown. The median sigma over the rays is the edge's width in pixels.</para>
/// <para>The measurement itself blurs by <see cref="MeasurementSigmaPixels"/> (bilinear sampling, the slope's finite
/// difference), taken out in quadrature: sigma_b = sqrt(sigma^2 - <see cref="MeasurementSigmaPixels"/>^2). A sharp photo
/// has sigma_b about <see cref="SharpSigmaPixels"/> (the pixel's own area; measured on the ground-truth kit's renders).
/// The effective diameter is the pixel diameter x min(1, <see cref="SharpSigmaPixels"/> / sigma_b): a photo enlarged k
/// times has k times the edge width and k times the pixel diameter, so its effective diameter stays the original's; a
/// blurred photo's is smaller than its pixel diameter.</para>
/// </remarks>
internal static class LimbusSharpness
{
    /// <summary>
    /// Equivalent Gaussian width, pixels, of a sharp photo's limbus edge once the measurement's own blur
    /// (<see cref="MeasurementSigmaPixels"/>) is taken out.
    /// </summary>
    public const float SharpSigmaPixels = 0.40f;

    /// <summary>The blur the measurement itself adds (bilinear sampling and the slope's finite difference), pixels.</summary>
    public const float MeasurementSigmaPixels = 0.2f;

    /// <summary>Rays within this angle of the eye axis are read.</summary>
    public const float MaxRayDegrees = 35f;

    /// <summary>Smallest iris-to-sclera rise (8-bit luminance levels) a ray must show.</summary>
    public const float MinRiseLevels = 12f;

    private const float Step = 0.25f;

    /// <summary>
    /// The effective iris diameter in pixels (at most <paramref name="pixelDiameter"/>), or NaN when the limbus is not
    /// readable (too small, no contrast, outside the image).
    /// </summary>
    /// <param name="pixels">Row-major RGB, <paramref name="width"/> x <paramref name="height"/>.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="centre">Iris centre.</param>
    /// <param name="radius">Iris radius in pixels.</param>
    /// <param name="axis">The eye axis (any length; outer to inner canthus or the reverse).</param>
    /// <param name="pixelDiameter">The iris diameter in pixels the answer is a fraction of.</param>
    public static float EffectiveDiameter(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector2 centre, float radius, Vector2 axis, float pixelDiameter)
    {
        float sigma = EdgeSigma(pixels, width, height, centre, radius, axis);
        if (!float.IsFinite(sigma) || !(pixelDiameter > 0))
        {
            return float.NaN;
        }

        float blur = MathF.Sqrt(MathF.Max((sigma * sigma) - (MeasurementSigmaPixels * MeasurementSigmaPixels), 1e-6f));
        return pixelDiameter * MathF.Min(1f, SharpSigmaPixels / blur);
    }

    /// <summary>The limbus edge's equivalent Gaussian width in pixels (median over the rays), or NaN.</summary>
    public static float EdgeSigma(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector2 centre, float radius, Vector2 axis)
    {
        if (!(radius >= 2) || !float.IsFinite(centre.X) || !float.IsFinite(centre.Y) || !(axis.LengthSquared() > 0) || pixels.Length < width * height)
        {
            return float.NaN;
        }

        Vector2 u = Vector2.Normalize(axis);
        Vector2 v = new(-u.Y, u.X);
        float lo = 0.6f * radius, hi = 1.5f * radius;
        int n = (int)((hi - lo) / Step) + 1;
        Span<float> profile = n <= 512 ? stackalloc float[n] : new float[n];
        Span<float> sigmas = stackalloc float[2 * 9];
        int count = 0;
        const int perSide = 9;
        for (int side = -1; side <= 1; side += 2)
        {
            for (int k = 0; k < perSide; k++)
            {
                float degrees = -MaxRayDegrees + (2 * MaxRayDegrees * k / (perSide - 1));
                (float sin, float cos) = MathF.SinCos(degrees * MathF.PI / 180);
                Vector2 d = (side * cos * u) + (sin * v);
                bool inside = true;
                for (int i = 0; i < n && inside; i++)
                {
                    Vector2 p = centre + ((lo + (i * Step)) * d);
                    inside = Sample(pixels, width, height, p, out profile[i]);
                }

                if (inside && RaySigma(profile, radius) is var s && float.IsFinite(s))
                {
                    sigmas[count++] = s;
                }
            }
        }

        if (count < 3)
        {
            return float.NaN;
        }

        Span<float> used = sigmas[..count];
        used.Sort();
        return count % 2 == 1 ? used[count / 2] : (used[(count / 2) - 1] + used[count / 2]) / 2;
    }

    // One ray's profile (outward, Step apart, starting at 0.6 r): the steepest rise's equivalent Gaussian width, or NaN.
    private static float RaySigma(ReadOnlySpan<float> p, float radius)
    {
        // Slope per pixel by central differences over +-0.5 px (2 samples each side).
        int n = p.Length;
        Span<float> g = n <= 512 ? stackalloc float[n] : new float[n];
        g.Clear();
        int best = -1;
        float peak = 0;
        int first = (int)MathF.Ceiling((0.75f - 0.6f) * radius / Step), last = (int)((1.3f - 0.6f) * radius / Step);
        for (int i = 2; i < n - 2; i++)
        {
            g[i] = (p[i + 2] - p[i - 2]) / (4 * Step);
            if (i >= first && i <= last && g[i] > peak)
            {
                (peak, best) = (g[i], i);
            }
        }

        if (best < 0 || !(peak > 0))
        {
            return float.NaN;
        }

        // The rise's lobe: where the slope stays above a tenth of the peak.
        int a = best, b = best;
        while (a > 2 && g[a - 1] > 0.1f * peak)
        {
            a--;
        }

        while (b < n - 3 && g[b + 1] > 0.1f * peak)
        {
            b++;
        }

        if (a <= 2 || b >= n - 3)
        {
            return float.NaN; // the lobe runs out of the sampled range
        }

        // Levels either side of the rise: the darkest sample inside it and the brightest outside it (within the lobe's
        // ends plus half a pixel); then the 10 % and 90 % crossings, walking out from the steepest point.
        int lo = Math.Max(0, a - 2), hi = Math.Min(n - 1, b + 2);
        float dark = float.MaxValue, bright = float.MinValue;
        for (int i = lo; i <= best; i++)
        {
            dark = MathF.Min(dark, p[i]);
        }

        for (int i = best; i <= hi; i++)
        {
            bright = MathF.Max(bright, p[i]);
        }

        float rise = bright - dark;
        if (!(rise >= MinRiseLevels))
        {
            return float.NaN;
        }

        float l10 = dark + (0.1f * rise), l90 = dark + (0.9f * rise);
        float x10 = float.NaN, x90 = float.NaN;
        for (int i = best; i > lo; i--)
        {
            if (p[i - 1] <= l10 && p[i] > l10)
            {
                x10 = i - 1 + ((l10 - p[i - 1]) / (p[i] - p[i - 1]));
                break;
            }
        }

        for (int i = best; i < hi; i++)
        {
            if (p[i] < l90 && p[i + 1] >= l90)
            {
                x90 = i + ((l90 - p[i]) / (p[i + 1] - p[i]));
                break;
            }
        }

        // A Gaussian-blurred step rises from 10 % to 90 % over 2.563 sigma.
        return float.IsFinite(x10) && float.IsFinite(x90) ? (x90 - x10) * Step / 2.563f : float.NaN;
    }

    private static bool Sample(ReadOnlySpan<Rgb24> pixels, int width, int height, Vector2 p, out float value)
    {
        // Pixel (i, j) covers [i, i + 1) x [j, j + 1): its centre is (i + 0.5, j + 0.5).
        float x = p.X - 0.5f, y = p.Y - 0.5f;
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height)
        {
            value = 0;
            return false;
        }

        float fx = x - x0, fy = y - y0;
        float l00 = Luma(pixels[(y0 * width) + x0]), l10 = Luma(pixels[(y0 * width) + x0 + 1]);
        float l01 = Luma(pixels[((y0 + 1) * width) + x0]), l11 = Luma(pixels[((y0 + 1) * width) + x0 + 1]);
        value = ((l00 * (1 - fx)) + (l10 * fx)) * (1 - fy) + (((l01 * (1 - fx)) + (l11 * fx)) * fy);
        return true;
    }

    private static float Luma(Rgb24 c) => Imaging.Luma.Of(c);
}
