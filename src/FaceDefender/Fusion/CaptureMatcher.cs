using System.Numerics;
using FaceDefender.Avatars.Rendering;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;

namespace FaceDefender.Fusion;

/// <summary>
/// <see cref="CaptureMatching.BlurAndNoise"/>: two global statistics of the photo around the eyes (blur and noise, in photo
/// pixels), and the avatar degraded to match them at the output scale. Nothing else of the photo is read.
/// </summary>
internal static class CaptureMatcher
{
    /// <summary>The re-blur sigma of the blur estimate, in pixels.</summary>
    private const float ReblurSigma = 1f;

    /// <summary>
    /// The blur (Gaussian sigma, pixels) and noise level (grey levels of luma) of an image around both eye contours (their
    /// bounding box grown by 15 % of the inter-pupil distance). Noise: the median absolute 3x3 Laplacian over 0.6745 · 6 (a
    /// white-noise sigma; edges are a minority, so the median ignores them). Blur: on the strongest tenth of the gradients
    /// (at least 4 noise sigmas), the gradient loses a factor R when re-blurred with sigma 1, and a Gaussian edge of sigma s
    /// gives R = √(s² + 1) / s, so s = 1 / √(R² − 1); the median over those pixels.
    /// </summary>
    internal static (float Blur, float Noise) Estimate(ReadOnlySpan<byte> rgb, int width, int height, FaceLandmarks landmarks)
    {
        float ipd = landmarks.InterPupillaryDistance;
        float x0 = float.MaxValue, y0 = float.MaxValue, x1 = float.MinValue, y1 = float.MinValue;
        foreach (bool left in new[] { true, false })
        {
            foreach (int i in FusionLandmarkSets.MaskGroup(RoiPreset.EyesOnly, left))
            {
                Vector2 p = landmarks[i];
                x0 = MathF.Min(x0, p.X);
                y0 = MathF.Min(y0, p.Y);
                x1 = MathF.Max(x1, p.X);
                y1 = MathF.Max(y1, p.Y);
            }
        }

        float g = 0.15f * ipd;
        Rectangle r = Rectangle.Intersect(
            Rectangle.FromLTRB((int)MathF.Floor(x0 - g), (int)MathF.Floor(y0 - g), (int)MathF.Ceiling(x1 + g), (int)MathF.Ceiling(y1 + g)),
            new Rectangle(0, 0, width, height));
        if (r.Width < 8 || r.Height < 8)
        {
            return (0.5f, 0f);
        }

        int w = r.Width, h = r.Height;
        var luma = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            int off = (((y + r.Y) * width) + r.X) * 3;
            for (int x = 0; x < w; x++)
            {
                int j = off + (3 * x);
                luma[(y * w) + x] = Luma.At(rgb, j);
            }
        }

        var smooth = new float[w * h];
        SeparableGaussianBlur.BlurPlane(luma, smooth, w, h, 1, GaussianKernel.Create(ReblurSigma), BlurBorderMode.Reflect101);
        // At most about 20 000 samples (every few rows of a large photo), so the sorts stay cheap.
        int step = Math.Max(1, ((w - 2) * (h - 2)) / 20000);
        int rows = ((h - 3) / step) + 1;
        int n = rows * (w - 2);
        var lap = new float[n];
        var g0 = new float[n];
        var g1 = new float[n];
        int k = 0;
        for (int y = 1; y < h - 1; y += step)
        {
            for (int x = 1; x < w - 1; x++, k++)
            {
                int i = (y * w) + x;
                lap[k] = MathF.Abs((4 * luma[i]) - (2 * (luma[i - 1] + luma[i + 1] + luma[i - w] + luma[i + w]))
                    + luma[i - w - 1] + luma[i - w + 1] + luma[i + w - 1] + luma[i + w + 1]);
                g0[k] = Gradient(luma, i, w);
                g1[k] = Gradient(smooth, i, w);
            }
        }

        n = k;
        Array.Resize(ref lap, n);
        Array.Resize(ref g0, n);
        Array.Resize(ref g1, n);
        float noise = Median(lap) / (0.6745f * 6f);
        float[] sorted = (float[])g0.Clone();
        Array.Sort(sorted);
        float strong = MathF.Max(sorted[(int)(0.9f * (n - 1))], 4 * noise);
        var sigmas = new List<float>(n / 8);
        for (int i = 0; i < n; i++)
        {
            if (g0[i] >= strong && g1[i] > 0)
            {
                float ratio = g0[i] / g1[i];
                sigmas.Add(ratio > 1.005f ? ReblurSigma / MathF.Sqrt((ratio * ratio) - 1) : 10f);
            }
        }

        float blur = sigmas.Count == 0 ? 0.5f : Math.Clamp(Median([.. sigmas]), 0.3f, 4f);
        return (blur, noise);
    }

    /// <summary>
    /// Degrades <paramref name="avatar"/> in place around <paramref name="maskBounds"/>: blurred from its own estimated sharpness to
    /// the kept pixels' (the photo's blur, plus the bilinear enlargement's tent, times the enlargement) and given luma noise of the
    /// photo's level on the photo's pixel grid (bilinear like the kept pixels, so the grain has their size). Full strength up to
    /// 10 % of the inter-pupil distance beyond the mask's box, fading to none over the next 20 %.
    /// </summary>
    internal static void Degrade(Span<byte> avatar, int width, int height, FaceLandmarks avatarLandmarks, float ipd, Rectangle maskBounds,
        Matrix3x2 patientToOutput, float photoBlur, float photoNoise)
    {
        float scale = new Vector2(patientToOutput.M11, patientToOutput.M12).Length();
        float target = TargetBlur(photoBlur, scale);
        (float own, _) = Estimate(avatar, width, height, avatarLandmarks);
        float add = MathF.Sqrt(MathF.Max(0f, (target * target) - (own * own)));
        float noise = photoNoise;
        if (!(add >= 0.3f) && !(noise >= 0.25f))
        {
            return;
        }

        add = MathF.Min(add, 0.06f * ipd);
        int core = (int)MathF.Ceiling(0.1f * ipd), ramp = (int)MathF.Ceiling(0.2f * ipd);
        Rectangle c = Rectangle.FromLTRB(maskBounds.Left - core, maskBounds.Top - core, maskBounds.Right + core, maskBounds.Bottom + core);
        Rectangle d = Rectangle.Intersect(Rectangle.Inflate(c, ramp, ramp), new Rectangle(0, 0, width, height));
        if (d.IsEmpty)
        {
            return;
        }

        int n = width * height * 3;
        byte[] blurred = WorkBuffers.Bytes.Rent(n);
        try
        {
            if (add >= 0.3f)
            {
                SeparableGaussianBlur.BlurRgb24(avatar, blurred.AsSpan(0, n), width, height, GaussianKernel.Create(add), BlurBorderMode.Reflect101, d);
            }
            else
            {
                avatar.CopyTo(blurred);
            }

            NoiseLattice? lattice = noise >= 0.25f ? new NoiseLattice(d, patientToOutput, noise, Seed(avatarLandmarks)) : null;
            float invRamp = 1f / ramp;
            for (int y = d.Top; y < d.Bottom; y++)
            {
                float dy = MathF.Max(0, MathF.Max(c.Top - y, y - (c.Bottom - 1)));
                for (int x = d.Left; x < d.Right; x++)
                {
                    float dx = MathF.Max(0, MathF.Max(c.Left - x, x - (c.Right - 1)));
                    float t = MathF.Min(1f, MathF.Sqrt((dx * dx) + (dy * dy)) * invRamp);
                    float wgt = 1f - (t * t * (3f - (2f * t)));
                    if (wgt <= 0f)
                    {
                        continue;
                    }

                    float nv = lattice is null ? 0f : wgt * lattice.Sample(x, y);
                    int j = ((y * width) + x) * 3;
                    for (int ch = 0; ch < 3; ch++)
                    {
                        float a = avatar[j + ch];
                        avatar[j + ch] = PixelConvert.RoundToByte(a + (wgt * (blurred[j + ch] - a)) + nv);
                    }
                }
            }
        }
        finally
        {
            WorkBuffers.Bytes.Return(blurred);
        }
    }

    /// <summary>
    /// The blur (Gaussian sigma, output pixels) the kept pixels have after the photo is enlarged <paramref name="scale"/> times:
    /// the photo's blur and the bilinear interpolation's tent (variance 1/6 of a photo pixel squared), in quadrature, times the
    /// enlargement.
    /// </summary>
    internal static float TargetBlur(float photoBlur, float scale) => scale * MathF.Sqrt((photoBlur * photoBlur) + (1f / 6f));

    /// <summary>A seed from the avatar's landmarks: the same avatar always gets the same grain.</summary>
    private static ulong Seed(FaceLandmarks avatar)
    {
        ulong h = 0xCA97u;
        foreach (int i in new[] { 1, 33, 133, 263, 362, 468, 473 })
        {
            h = SeededRandom.Mix(h, BitConverter.SingleToUInt32Bits(avatar[i].X), BitConverter.SingleToUInt32Bits(avatar[i].Y));
        }

        return h;
    }

    private static float Gradient(float[] v, int i, int w)
    {
        float gx = (v[i + 1] - v[i - 1]) * 0.5f, gy = (v[i + w] - v[i - w]) * 0.5f;
        return MathF.Sqrt((gx * gx) + (gy * gy));
    }

    private static float Median(float[] v)
    {
        if (v.Length == 0)
        {
            return 0;
        }

        Array.Sort(v);
        return v[v.Length / 2];
    }

    /// <summary>White Gaussian values on the photo's pixel grid under an output rectangle, sampled bilinearly at output pixels.</summary>
    private sealed class NoiseLattice
    {
        private readonly float[] _values;
        private readonly int _x0, _y0, _w, _h;
        private readonly Matrix3x2 _outputToPatient;

        public NoiseLattice(Rectangle d, Matrix3x2 patientToOutput, float sigma, ulong seed)
        {
            Matrix3x2.Invert(patientToOutput, out _outputToPatient);
            float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
            foreach (Vector2 corner in new Vector2[] { new(d.Left, d.Top), new(d.Right, d.Top), new(d.Left, d.Bottom), new(d.Right, d.Bottom) })
            {
                Vector2 p = Vector2.Transform(corner, _outputToPatient);
                minX = MathF.Min(minX, p.X);
                minY = MathF.Min(minY, p.Y);
                maxX = MathF.Max(maxX, p.X);
                maxY = MathF.Max(maxY, p.Y);
            }

            _x0 = (int)MathF.Floor(minX) - 2;
            _y0 = (int)MathF.Floor(minY) - 2;
            _w = (int)MathF.Ceiling(maxX) + 3 - _x0;
            _h = (int)MathF.Ceiling(maxY) + 3 - _y0;
            _values = new float[_w * _h];
            var rng = new SeededRandom(seed);
            for (int i = 0; i < _values.Length; i++)
            {
                float u1 = 1f - rng.NextFloat(), u2 = rng.NextFloat();
                _values[i] = sigma * MathF.Sqrt(-2f * MathF.Log(u1)) * MathF.Cos(2f * MathF.PI * u2);
            }
        }

        /// <summary>The value at output pixel (x, y): its centre mapped to the photo, pixel centres of the photo at integers.</summary>
        public float Sample(int x, int y)
        {
            Vector2 p = Vector2.Transform(new Vector2(x + 0.5f, y + 0.5f), _outputToPatient) - new Vector2(0.5f + _x0, 0.5f + _y0);
            int ix = Math.Clamp((int)MathF.Floor(p.X), 0, _w - 2), iy = Math.Clamp((int)MathF.Floor(p.Y), 0, _h - 2);
            float fx = Math.Clamp(p.X - ix, 0f, 1f), fy = Math.Clamp(p.Y - iy, 0f, 1f);
            int i = (iy * _w) + ix;
            float top = _values[i] + (fx * (_values[i + 1] - _values[i]));
            float bottom = _values[i + _w] + (fx * (_values[i + _w + 1] - _values[i + _w]));
            return top + (fy * (bottom - top));
        }
    }
}
