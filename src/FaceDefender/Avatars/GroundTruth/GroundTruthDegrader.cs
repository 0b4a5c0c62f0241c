using System.Numerics;
using FaceDefender.Avatars.Rendering;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Avatars.GroundTruth;

/// <summary>
/// How <see cref="GroundTruthDegrader"/> degrades a render, applied in this order: resampling to an iris size, downscale
/// then upscale, Gaussian blur, sensor noise, JPEG. Each step is off by default. Immutable; checked when applied.
/// </summary>
public sealed record GroundTruthDegradation
{
    /// <summary>
    /// Resample the image so that the iris is this many pixels wide (the mean over both eyes of the truth's
    /// <see cref="EyeTruth.IrisWidth"/>); the image size is rounded to whole pixels and the exact factor applied to the
    /// truth. Null (default): keep the size. Range 8 .. 40.
    /// </summary>
    public float? TargetIrisDiameterPixels { get; init; }

    /// <summary>
    /// Downscale by this factor (area average) and upscale back to the same size (bilinear): detail finer than the small
    /// image is lost, positions are unchanged. 1 (default): off. Range 0.1 .. 1.
    /// </summary>
    public float DownUpFactor { get; init; } = 1f;

    /// <summary>Gaussian blur, standard deviation in pixels of the (resampled) image. 0 (default): off. Range 0 .. 5.</summary>
    public float BlurSigmaPixels { get; init; }

    /// <summary>Sensor noise: zero-mean Gaussian per channel and pixel, standard deviation in 8-bit levels. 0 (default): off. Range 0 .. 25.</summary>
    public float NoiseSigmaLevels { get; init; }

    /// <summary>JPEG compression at this quality (ImageSharp's encoder, 4:2:0 chroma), decoded again. Null (default): off. Range 50 .. 95.</summary>
    public int? JpegQuality { get; init; }

    /// <summary>Seed of the noise (SplitMix64: the same seed gives the same bytes on every platform).</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (TargetIrisDiameterPixels is float iris)
        {
            EyeControl.Check(iris, 8f, 40f, nameof(TargetIrisDiameterPixels));
        }

        EyeControl.Check(DownUpFactor, 0.1f, 1f, nameof(DownUpFactor));
        EyeControl.Check(BlurSigmaPixels, 0f, 5f, nameof(BlurSigmaPixels));
        EyeControl.Check(NoiseSigmaLevels, 0f, 25f, nameof(NoiseSigmaLevels));
        if (JpegQuality is int q && (q < 50 || q > 95))
        {
            throw new ArgumentOutOfRangeException(nameof(JpegQuality), q, "JpegQuality must be between 50 and 95.");
        }
    }
}

/// <summary>
/// A testing aid: degrades a <see cref="GroundTruthRender"/> as a camera, a messaging app or a small crop would, and
/// scales its truth to the degraded image's pixels. Deterministic (the noise comes from <see cref="GroundTruthDegradation.Seed"/>),
/// CPU only. Resampling keeps the kit's pixel convention (pixel (i, j) covers [i, i + 1) x [j, j + 1)), so a position
/// x maps to x times the size ratio exactly.
/// </summary>
public static class GroundTruthDegrader
{
    /// <summary>Degrades <paramref name="render"/>; the render itself is not changed.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A degradation value is out of its documented range.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="render"/> was disposed.</exception>
    public static DegradedGroundTruth Degrade(GroundTruthRender render, GroundTruthDegradation degradation)
    {
        ArgumentNullException.ThrowIfNull(render);
        ArgumentNullException.ThrowIfNull(degradation);
        degradation.Validate();
        Image<Rgb24> source = render.Image;
        int w = source.Width, h = source.Height;
        var bytes = new byte[w * h * 3];
        source.CopyPixelDataTo(bytes);
        float[] img = Array.ConvertAll(bytes, b => (float)b);

        // 1. Resample to the iris size.
        int w1 = w, h1 = h;
        if (degradation.TargetIrisDiameterPixels is float target)
        {
            double iris = (render.Truth.Right.IrisWidth.Pixels + render.Truth.Left.IrisWidth.Pixels) / 2;
            double factor = target / iris;
            w1 = Math.Max(8, (int)Math.Round(w * factor));
            h1 = Math.Max(8, (int)Math.Round(h * factor));
            img = Resample(img, w, h, w1, h1);
        }

        float scale = (float)w1 / w;

        // 2. Down, then up again.
        if (degradation.DownUpFactor < 1f)
        {
            int ws = Math.Max(4, (int)Math.Round(w1 * degradation.DownUpFactor)), hs = Math.Max(4, (int)Math.Round(h1 * degradation.DownUpFactor));
            img = Resample(Resample(img, w1, h1, ws, hs), ws, hs, w1, h1);
        }

        // 3. Blur.
        if (degradation.BlurSigmaPixels > 0f)
        {
            img = Blur(img, w1, h1, degradation.BlurSigmaPixels);
        }

        // 4. Noise.
        if (degradation.NoiseSigmaLevels > 0f)
        {
            var rng = new SeededRandom(SeededRandom.Mix(degradation.Seed, 0x6E6F697365UL));
            for (int i = 0; i < img.Length; i++)
            {
                img[i] += degradation.NoiseSigmaLevels * Gaussian(rng);
            }
        }

        var output = new byte[w1 * h1 * 3];
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = (byte)Math.Clamp(MathF.Round(img[i], MidpointRounding.ToEven), 0f, 255f);
        }

        Image<Rgb24> image = Image.LoadPixelData<Rgb24>(output, w1, h1);

        // 5. JPEG.
        if (degradation.JpegQuality is int quality)
        {
            using var stream = new MemoryStream();
            image.SaveAsJpeg(stream, new JpegEncoder { Quality = quality, ColorType = JpegColorType.YCbCrRatio420 });
            image.Dispose();
            stream.Position = 0;
            image = Image.Load<Rgb24>(stream);
        }

        ReadOnlySpan<Vector3> points = render.Landmarks.Points;
        var scaled = new Vector3[FaceLandmarks.Count];
        var flat = new Vector2[FaceLandmarks.Count];
        for (int i = 0; i < scaled.Length; i++)
        {
            scaled[i] = points[i] * scale;
            flat[i] = new Vector2(scaled[i].X, scaled[i].Y);
        }

        var landmarks = new FaceLandmarks(scaled, render.Landmarks.Space);
        return new DegradedGroundTruth(image, landmarks, render.Truth.Scaled(flat, scale), scale, degradation);
    }

    /// <summary>Separable resampling of interleaved RGB: area average when shrinking an axis, bilinear when enlarging it.</summary>
    private static float[] Resample(float[] src, int w, int h, int w2, int h2)
    {
        (int Start, float[] Weights)[] cols = Weights(w, w2), rows = Weights(h, h2);
        var tmp = new float[w2 * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w2; x++)
            {
                (int start, float[] wt) = cols[x];
                float r = 0f, g = 0f, b = 0f;
                for (int k = 0; k < wt.Length; k++)
                {
                    int o = 3 * ((y * w) + start + k);
                    r += wt[k] * src[o];
                    g += wt[k] * src[o + 1];
                    b += wt[k] * src[o + 2];
                }

                int t = 3 * ((y * w2) + x);
                tmp[t] = r;
                tmp[t + 1] = g;
                tmp[t + 2] = b;
            }
        }

        var dst = new float[w2 * h2 * 3];
        for (int y = 0; y < h2; y++)
        {
            (int start, float[] wt) = rows[y];
            for (int x = 0; x < w2; x++)
            {
                float r = 0f, g = 0f, b = 0f;
                for (int k = 0; k < wt.Length; k++)
                {
                    int o = 3 * (((start + k) * w2) + x);
                    r += wt[k] * tmp[o];
                    g += wt[k] * tmp[o + 1];
                    b += wt[k] * tmp[o + 2];
                }

                int t = 3 * ((y * w2) + x);
                dst[t] = r;
                dst[t + 1] = g;
                dst[t + 2] = b;
            }
        }

        return dst;
    }

    /// <summary>Per output pixel along one axis: the first source pixel and the weights of the following ones.</summary>
    private static (int Start, float[] Weights)[] Weights(int n, int n2)
    {
        var result = new (int, float[])[n2];
        double ratio = (double)n / n2;
        for (int j = 0; j < n2; j++)
        {
            if (n2 < n)
            {
                // Output pixel j covers the source interval [j ratio, (j + 1) ratio): weight each source pixel by its overlap.
                double a = j * ratio, b = (j + 1) * ratio;
                int first = (int)Math.Floor(a), last = Math.Min(n - 1, (int)Math.Ceiling(b) - 1);
                var wt = new float[last - first + 1];
                for (int i = first; i <= last; i++)
                {
                    wt[i - first] = (float)((Math.Min(b, i + 1) - Math.Max(a, i)) / ratio);
                }

                result[j] = (first, wt);
            }
            else if (n2 > n)
            {
                // Bilinear at the output pixel's centre, (j + 0.5) ratio in source coordinates; edges clamped.
                double u = ((j + 0.5) * ratio) - 0.5;
                int i0 = (int)Math.Floor(u);
                float f = (float)(u - i0);
                if (i0 < 0)
                {
                    result[j] = (0, [1f]);
                }
                else if (i0 >= n - 1)
                {
                    result[j] = (n - 1, [1f]);
                }
                else
                {
                    result[j] = (i0, [1f - f, f]);
                }
            }
            else
            {
                result[j] = (j, [1f]);
            }
        }

        return result;
    }

    private static float[] Blur(float[] src, int w, int h, float sigma)
    {
        int radius = (int)MathF.Ceiling(3f * sigma);
        var kernel = new float[(2 * radius) + 1];
        float sum = 0f;
        for (int k = -radius; k <= radius; k++)
        {
            kernel[k + radius] = MathF.Exp(-k * k / (2f * sigma * sigma));
            sum += kernel[k + radius];
        }

        for (int k = 0; k < kernel.Length; k++)
        {
            kernel[k] /= sum;
        }

        var tmp = new float[src.Length];
        var dst = new float[src.Length];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    float acc = 0f;
                    for (int k = -radius; k <= radius; k++)
                    {
                        int xx = Math.Clamp(x + k, 0, w - 1);
                        acc += kernel[k + radius] * src[(3 * ((y * w) + xx)) + c];
                    }

                    tmp[(3 * ((y * w) + x)) + c] = acc;
                }
            }
        }

        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    float acc = 0f;
                    for (int k = -radius; k <= radius; k++)
                    {
                        int yy = Math.Clamp(y + k, 0, h - 1);
                        acc += kernel[k + radius] * tmp[(3 * ((yy * w) + x)) + c];
                    }

                    dst[(3 * ((y * w) + x)) + c] = acc;
                }
            }
        }

        return dst;
    }

    /// <summary>A standard normal draw (Box-Muller, one value per pair of uniforms).</summary>
    private static float Gaussian(SeededRandom rng)
    {
        double u1 = ((rng.NextULong() >> 11) + 1) * (1.0 / (1UL << 53)); // (0, 1]
        double u2 = (rng.NextULong() >> 11) * (1.0 / (1UL << 53));
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}

/// <summary>A degraded render: the image, the landmarks and the truth in its pixels. Dispose it.</summary>
public sealed class DegradedGroundTruth : IDisposable
{
    private Image<Rgb24>? _image;

    internal DegradedGroundTruth(Image<Rgb24> image, FaceLandmarks landmarks, FaceMeasurementTruth truth, float scale, GroundTruthDegradation degradation)
    {
        _image = image;
        Landmarks = landmarks;
        Truth = truth;
        Scale = scale;
        Degradation = degradation;
    }

    /// <summary>The degraded image.</summary>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Image<Rgb24> Image => _image ?? throw new ObjectDisposedException(nameof(DegradedGroundTruth));

    /// <summary>The exact landmarks in the degraded image's pixels (the render's, times <see cref="Scale"/>).</summary>
    public FaceLandmarks Landmarks { get; }

    /// <summary>
    /// The render's truth in the degraded image's pixels: every pixel value and position times <see cref="Scale"/>
    /// (including <see cref="EyeTruth.Alignment"/>), millimetres unchanged.
    /// </summary>
    public FaceMeasurementTruth Truth { get; }

    /// <summary>Degraded pixels per render pixel (the new width / the render's width).</summary>
    public float Scale { get; }

    /// <summary>What was applied.</summary>
    public GroundTruthDegradation Degradation { get; }

    /// <summary>Maps a position in the render's pixels to the degraded image's pixels.</summary>
    public Vector2 Map(Vector2 renderPixel) => renderPixel * Scale;

    /// <summary>Releases the image.</summary>
    public void Dispose()
    {
        _image?.Dispose();
        _image = null;
    }
}
