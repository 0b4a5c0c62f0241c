using SixLabors.ImageSharp;

namespace FaceDefender.Imaging;

/// <summary>
/// A Gaussian blur for large sigma whose cost does not grow with sigma: the image is box-averaged
/// down by a factor s ≈ σ/4, blurred exactly there with the residual sigma, and bilinearly
/// interpolated back. Box, residual Gaussian and interpolation tent add up to the requested variance.
/// </summary>
/// <remarks>
/// <para>Error against the exact truncated Gaussian (<see cref="SeparableGaussianBlur"/>, 3σ radius) on 8-bit
/// images, away from the image border (more than 3σ + 2s from it): at most 0.5 grey level on natural
/// photographs and at most 1.5 grey levels on a worst-case black/white step edge, for σ from 8 to 64
/// (measured by the tests). Within 3σ of the border the reflection happens on the coarse grid and the
/// error can reach a few grey levels. Below σ = 8 the exact blur runs instead.</para>
/// <para>Thread-safe; scratch memory comes from the fusion's own pools (<see cref="WorkBuffers"/>).</para>
/// </remarks>
internal static class LargeSigmaGaussianBlur
{
    /// <summary>Sigma below which the exact separable blur is used.</summary>
    public const float ExactBelowSigma = 8f;

    /// <summary>Blurs interleaved bytes into floats.</summary>
    /// <param name="source">Source bytes, width x height x channels.</param>
    /// <param name="destination">Destination floats, width x height x channels (only <paramref name="region"/> is written).</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="channels">Values per pixel (1 to 4).</param>
    /// <param name="sigma">Standard deviation in pixels, greater than 0.</param>
    /// <param name="border">How edges are extended.</param>
    /// <param name="region">Only these pixels are written (default: all).</param>
    /// <param name="maxDegreeOfParallelism">Threads for the coarse blur (1 = calling thread only).</param>
    public static void BlurToFloat(
        ReadOnlySpan<byte> source, Span<float> destination, int width, int height, int channels, float sigma,
        BlurBorderMode border = BlurBorderMode.Reflect101, Rectangle? region = null, int maxDegreeOfParallelism = 1)
    {
        ImagingGuard.Sigma(sigma, nameof(sigma));
        ImagingGuard.Dimensions(width, height, nameof(width), nameof(height));
        if (channels is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 to 4.");
        }

        long n = (long)width * height * channels;
        ImagingGuard.BufferLength(source.Length, n, nameof(source), width, height, channels);
        ImagingGuard.BufferLength(destination.Length, n, nameof(destination), width, height, channels);
        Rectangle roi = ImagingGuard.Region(region, width, height, nameof(region));

        int s = (int)(sigma / 4f);
        if (sigma < ExactBelowSigma || s < 2 || width < 4 * s || height < 4 * s)
        {
            SeparableGaussianBlur.Run<byte, float>(source, destination, width, height, channels, GaussianKernel.Create(sigma),
                border, roi, maxDegreeOfParallelism, allowSimd: true);
            return;
        }

        // Residual sigma on the coarse grid: sigma² = s²·σc² + (s² − 1)/12 (box) + s²/6 (bilinear tent).
        double residual = ((sigma * (double)sigma) - (((s * s) - 1) / 12.0) - ((s * s) / 6.0)) / (s * s);
        float sigmaC = (float)Math.Sqrt(residual);
        GaussianKernel kc = GaussianKernel.Create(sigmaC);
        int cw = (width + s - 1) / s;
        int ch = (height + s - 1) / s;
        int c = channels;

        // Coarse cells whose blur is needed: those under the region plus one for interpolation,
        // and the coarse kernel support around them for the inputs.
        int ox0 = Math.Max(0, (roi.X / s) - 1), ox1 = Math.Min(cw, (roi.Right / s) + 2);
        int oy0 = Math.Max(0, (roi.Y / s) - 1), oy1 = Math.Min(ch, (roi.Bottom / s) + 2);
        int rc = kc.Radius;
        bool wide = rc >= cw || rc >= ch;
        int ix0 = wide ? 0 : Math.Max(0, ox0 - rc), ix1 = wide ? cw : Math.Min(cw, ox1 + rc);
        int iy0 = wide ? 0 : Math.Max(0, oy0 - rc), iy1 = wide ? ch : Math.Min(ch, oy1 + rc);

        float[] coarse = WorkBuffers.Floats.Rent(cw * ch * c);
        float[] blurred = WorkBuffers.Floats.Rent(cw * ch * c);
        float[] rowSum = WorkBuffers.Floats.Rent(width * c);
        float[] rowTmp = WorkBuffers.Floats.Rent(width * c);
        try
        {
            Array.Clear(coarse, 0, cw * ch * c);
            Downsample(source, width, height, c, s, border, coarse, cw, ix0, ix1, iy0, iy1, rowSum, rowTmp);
            SeparableGaussianBlur.Run<float, float>(coarse.AsSpan(0, cw * ch * c), blurred.AsSpan(0, cw * ch * c), cw, ch, c, kc,
                border, new Rectangle(ox0, oy0, ox1 - ox0, oy1 - oy0), maxDegreeOfParallelism, allowSimd: true);
            Upsample(blurred, cw, ch, c, s, destination, width, roi, rowTmp);
        }
        finally
        {
            WorkBuffers.Floats.Return(coarse);
            WorkBuffers.Floats.Return(blurred);
            WorkBuffers.Floats.Return(rowSum);
            WorkBuffers.Floats.Return(rowTmp);
        }
    }

    private static void Downsample(
        ReadOnlySpan<byte> src, int w, int h, int c, int s, BlurBorderMode border,
        float[] coarse, int cw, int ix0, int ix1, int iy0, int iy1, float[] rowSum, float[] rowTmp)
    {
        int rowLen = w * c;
        float inv = 1f / (s * s);
        for (int cy = iy0; cy < iy1; cy++)
        {
            Span<float> sum = rowSum.AsSpan(0, rowLen);
            sum.Clear();
            for (int k = 0; k < s; k++)
            {
                int y = BorderIndex.Map((cy * s) + k, h, border);
                PixelConvert.ToFloat(src.Slice(y * rowLen, rowLen), rowTmp.AsSpan(0, rowLen), simd: true);
                System.Numerics.Tensors.TensorPrimitives.Add(sum, rowTmp.AsSpan(0, rowLen), sum);
            }

            Span<float> dst = coarse.AsSpan(cy * cw * c, cw * c);
            for (int cx = ix0; cx < ix1; cx++)
            {
                for (int ci = 0; ci < c; ci++)
                {
                    float a = 0;
                    for (int k = 0; k < s; k++)
                    {
                        int x = BorderIndex.Map((cx * s) + k, w, border);
                        a += sum[(x * c) + ci];
                    }

                    dst[(cx * c) + ci] = a * inv;
                }
            }
        }
    }

    private static void Upsample(float[] blurred, int cw, int ch, int c, int s, Span<float> dst, int w, Rectangle roi, float[] rowTmp)
    {
        float offset = (s - 1) * 0.5f;
        float invS = 1f / s;
        int n = roi.Width;
        Span<int> x0s = n <= 4096 ? stackalloc int[n] : new int[n];
        Span<float> fxs = n <= 4096 ? stackalloc float[n] : new float[n];
        for (int i = 0; i < n; i++)
        {
            float u = Math.Clamp((roi.X + i - offset) * invS, 0f, cw - 1);
            int x0 = Math.Min((int)u, cw - 2);
            x0s[i] = x0;
            fxs[i] = u - x0;
        }

        Span<float> t = rowTmp.AsSpan(0, cw * c);
        for (int y = roi.Y; y < roi.Bottom; y++)
        {
            float v = Math.Clamp((y - offset) * invS, 0f, ch - 1);
            int y0 = Math.Min((int)v, ch - 2);
            float fy = v - y0;
            System.Numerics.Tensors.TensorPrimitives.Lerp(
                blurred.AsSpan(y0 * cw * c, cw * c), blurred.AsSpan((y0 + 1) * cw * c, cw * c), fy, t);
            Span<float> o = dst.Slice(((y * w) + roi.X) * c, n * c);
            for (int i = 0; i < n; i++)
            {
                int b = x0s[i] * c;
                float fx = fxs[i];
                for (int ci = 0; ci < c; ci++)
                {
                    float a = t[b + ci];
                    o[(i * c) + ci] = a + ((t[b + c + ci] - a) * fx);
                }
            }
        }
    }
}
