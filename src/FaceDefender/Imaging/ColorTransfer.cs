using System.Runtime.Intrinsics;
using SixLabors.ImageSharp;

namespace FaceDefender.Imaging;

/// <summary>How <see cref="ColorTransfer"/> computes its Gaussian blurs.</summary>
public enum ColorTransferBlur
{
    /// <summary>
    /// <see cref="LargeSigmaGaussianBlur"/>: cost independent of sigma, within 1 grey level of
    /// <see cref="Exact"/> away from the image border (measured by the tests).
    /// </summary>
    Fast,

    /// <summary>The exact truncated Gaussian (<see cref="SeparableGaussianBlur"/>, radius 3σ).</summary>
    Exact,
}

/// <summary>How the low-frequency colour of the reference replaces the warped image's.</summary>
public enum ColorTransferMode
{
    /// <summary>
    /// corrected = warped · G(reference) / G(warped): the paper's and Earl's formula. It also scales the
    /// patient's local contrast by the gain, so a dark or low-resolution photo placed on a light avatar gets
    /// amplified texture and noise (gains of 2-3 are common).
    /// </summary>
    Multiplicative,

    /// <summary>
    /// corrected = warped − G(warped) + G(reference): the same low frequencies (so the same seamless edge),
    /// but the patient's detail keeps its original amplitude. The default of the fusion.
    /// </summary>
    Additive,
}

/// <summary>
/// Colour correction of a warped patient image towards an avatar, as in Earl's face swap and the
/// FaceDefender prototype: corrected = warped · G(reference) / G(warped) per channel, where G is a
/// Gaussian blur. Where G(warped) ≤ 1 it is raised by 128 first, so dark areas never divide by ~0.
/// </summary>
/// <remarks>Thread-safe. Scratch buffers come from the fusion's own pools (<see cref="WorkBuffers"/>).</remarks>
internal static class ColorTransfer
{
    /// <summary>
    /// Computes the corrected image inside the bounding box of the mask's non-zero pixels
    /// (the blurs still read their full support around it). Destination pixels outside that box are not written.
    /// </summary>
    /// <param name="warped">The warped patient image, interleaved RGB, width x height x 3.</param>
    /// <param name="reference">The avatar image, same size.</param>
    /// <param name="mask">Where the result is needed (values &gt; 0), width x height; or empty for the whole image.</param>
    /// <param name="destination">The corrected image, width x height x 3; may not overlap the inputs.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="sigma">Blur sigma in pixels (the prototype: about 23 at 1024 x 1024).</param>
    /// <param name="blur">Exact or fast blur.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use (1 = calling thread only).</param>
    /// <param name="mode">Multiplicative (the paper's formula, default here) or additive.</param>
    /// <returns>The rectangle that was written, or <see cref="Rectangle.Empty"/> when the mask is all zero.</returns>
    public static Rectangle Apply(
        ReadOnlySpan<byte> warped, ReadOnlySpan<byte> reference, ReadOnlySpan<float> mask, Span<byte> destination,
        int width, int height, float sigma, ColorTransferBlur blur = ColorTransferBlur.Fast, int maxDegreeOfParallelism = 1,
        ColorTransferMode mode = ColorTransferMode.Multiplicative)
    {
        ImagingGuard.Dimensions(width, height, nameof(width), nameof(height));
        ImagingGuard.Sigma(sigma, nameof(sigma));
        long n = (long)width * height * 3;
        ImagingGuard.BufferLength(warped.Length, n, nameof(warped), width, height, 3);
        ImagingGuard.BufferLength(reference.Length, n, nameof(reference), width, height, 3);
        ImagingGuard.BufferLength(destination.Length, n, nameof(destination), width, height, 3);
        Rectangle roi;
        if (mask.IsEmpty)
        {
            roi = new Rectangle(0, 0, width, height);
        }
        else
        {
            ImagingGuard.BufferLength(mask.Length, (long)width * height, nameof(mask), width, height, 1);
            roi = MaskOperations.NonZeroBounds(mask, width, height);
            if (roi.IsEmpty)
            {
                return Rectangle.Empty;
            }
        }

        int count = width * height * 3;
        float[] gRef = WorkBuffers.Floats.Rent(count);
        float[] gWarp = WorkBuffers.Floats.Rent(count);
        try
        {
            Blur(reference, gRef, width, height, sigma, blur, roi, maxDegreeOfParallelism);
            Blur(warped, gWarp, width, height, sigma, blur, roi, maxDegreeOfParallelism);
            Combine(warped, gRef, gWarp, destination, width, roi, mode, simd: true);
        }
        finally
        {
            WorkBuffers.Floats.Return(gRef);
            WorkBuffers.Floats.Return(gWarp);
        }

        return roi;
    }

    /// <summary>
    /// <see cref="Apply"/> with the low frequencies taken only where <paramref name="weight"/> is 1 (normalised convolution):
    /// G(weight·image) / G(weight) for both images, so content excluded from the weight (for example the eye openings,
    /// whose dark lashes and bright sclera differ between patient and avatar) does not leak into the skin's correction as a rim.
    /// </summary>
    /// <param name="warped">The warped patient image, interleaved RGB.</param>
    /// <param name="reference">The avatar image, same size.</param>
    /// <param name="weight">One byte a pixel, 0 or 1: which pixels count as reference colour; 0 outside <paramref name="region"/>.</param>
    /// <param name="region">Where <paramref name="weight"/> may be 1 (the products are formed there only).</param>
    /// <param name="mask">Where the result is needed (values &gt; 0).</param>
    /// <param name="destination">The corrected image; only the mask's bounding box is written.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="sigma">Blur sigma in pixels.</param>
    /// <param name="blur">Exact or fast blur.</param>
    /// <param name="mode">Additive or multiplicative.</param>
    /// <param name="minWeight">Floor of the blurred weight the sums are divided by. Where the weight around a pixel is sparser than
    /// this, both low frequencies are scaled down alike and the additive correction fades towards none, instead of dividing two
    /// nearly empty (and, with the fast blur, inexact) sums.</param>
    internal static Rectangle ApplyWeighted(
        ReadOnlySpan<byte> warped, ReadOnlySpan<byte> reference, ReadOnlySpan<byte> weight, Rectangle region, ReadOnlySpan<float> mask,
        Span<byte> destination, int width, int height, float sigma, ColorTransferBlur blur, ColorTransferMode mode, float minWeight = 1e-4f)
    {
        Rectangle roi = MaskOperations.NonZeroBounds(mask, width, height);
        if (roi.IsEmpty)
        {
            return Rectangle.Empty;
        }

        int pixels = width * height, count = pixels * 3;
        byte[] pw = WorkBuffers.Bytes.Rent(count);
        byte[] aw = WorkBuffers.Bytes.Rent(count);
        float[] gp = WorkBuffers.Floats.Rent(count);
        float[] ga = WorkBuffers.Floats.Rent(count);
        float[] gw = WorkBuffers.Floats.Rent(pixels);
        try
        {
            Array.Clear(pw, 0, count);
            Array.Clear(aw, 0, count);
            for (int y = region.Top; y < region.Bottom; y++)
            {
                for (int x = region.Left; x < region.Right; x++)
                {
                    int i = (y * width) + x;
                    if (weight[i] != 0)
                    {
                        int j = 3 * i;
                        pw[j] = warped[j];
                        pw[j + 1] = warped[j + 1];
                        pw[j + 2] = warped[j + 2];
                        aw[j] = reference[j];
                        aw[j + 1] = reference[j + 1];
                        aw[j + 2] = reference[j + 2];
                    }
                }
            }

            Blur(pw.AsSpan(0, count), gp, width, height, 3, sigma, blur, roi);
            Blur(aw.AsSpan(0, count), ga, width, height, 3, sigma, blur, roi);
            Blur(weight, gw, width, height, 1, sigma, blur, roi);
            for (int y = roi.Top; y < roi.Bottom; y++)
            {
                for (int x = roi.Left; x < roi.Right; x++)
                {
                    int i = (y * width) + x;
                    float norm = MathF.Max(gw[i], minWeight);
                    for (int c = 0; c < 3; c++)
                    {
                        int j = (3 * i) + c;
                        float lp = gp[j] / norm, la = ga[j] / norm;
                        float v = mode == ColorTransferMode.Additive
                            ? warped[j] - lp + la
                            : warped[j] * la / (lp <= 1f ? lp + 128f : lp);
                        destination[j] = PixelConvert.RoundToByte(v);
                    }
                }
            }
        }
        finally
        {
            WorkBuffers.Bytes.Return(pw);
            WorkBuffers.Bytes.Return(aw);
            WorkBuffers.Floats.Return(gp);
            WorkBuffers.Floats.Return(ga);
            WorkBuffers.Floats.Return(gw);
        }

        return roi;
    }

    private static void Blur(ReadOnlySpan<byte> src, float[] dst, int w, int h, int channels, float sigma, ColorTransferBlur blur, Rectangle roi)
    {
        if (blur == ColorTransferBlur.Exact)
        {
            SeparableGaussianBlur.Run<byte, float>(src, dst.AsSpan(0, w * h * channels), w, h, channels, GaussianKernel.Create(sigma),
                BlurBorderMode.Reflect101, roi, 1, allowSimd: true);
        }
        else
        {
            LargeSigmaGaussianBlur.BlurToFloat(src, dst.AsSpan(0, w * h * channels), w, h, channels, sigma, BlurBorderMode.Reflect101, roi, 1);
        }
    }

    private static void Blur(ReadOnlySpan<byte> src, float[] dst, int w, int h, float sigma, ColorTransferBlur blur, Rectangle roi, int dop)
    {
        if (blur == ColorTransferBlur.Exact)
        {
            SeparableGaussianBlur.Run<byte, float>(src, dst.AsSpan(0, w * h * 3), w, h, 3, GaussianKernel.Create(sigma),
                BlurBorderMode.Reflect101, roi, dop, allowSimd: true);
        }
        else
        {
            LargeSigmaGaussianBlur.BlurToFloat(src, dst.AsSpan(0, w * h * 3), w, h, 3, sigma, BlurBorderMode.Reflect101, roi, dop);
        }
    }

    internal static void Combine(ReadOnlySpan<byte> warped, float[] gRef, float[] gWarp, Span<byte> dst, int w, Rectangle roi, ColorTransferMode mode, bool simd)
    {
        int n = roi.Width * 3;
        float[] row = WorkBuffers.Floats.Rent(n);
        try
        {
            Span<float> r = row.AsSpan(0, n);
            for (int y = roi.Y; y < roi.Bottom; y++)
            {
                int off = ((y * w) + roi.X) * 3;
                PixelConvert.ToFloat(warped.Slice(off, n), r, simd);
                ReadOnlySpan<float> gr = gRef.AsSpan(off, n);
                ReadOnlySpan<float> gw = gWarp.AsSpan(off, n);
                int i = 0;
                if (mode == ColorTransferMode.Additive)
                {
                    System.Numerics.Tensors.TensorPrimitives.Subtract(r, gw, r);
                    System.Numerics.Tensors.TensorPrimitives.Add(r, gr, r);
                    i = n;
                }
                else if (simd && Vector256.IsHardwareAccelerated)
                {
                    var one = Vector256.Create(1f);
                    var guard = Vector256.Create(128f);
                    for (; i <= n - 8; i += 8)
                    {
                        var d = Vector256.Create(gw.Slice(i));
                        d += Vector256.ConditionalSelect(
                            Vector256.LessThanOrEqual(d, one), guard, default);
                        (Vector256.Create(r.Slice(i)) * Vector256.Create(gr.Slice(i)) / d).CopyTo(r.Slice(i));
                    }
                }

                for (; i < n; i++)
                {
                    float d = gw[i];
                    if (d <= 1f)
                    {
                        d += 128f;
                    }

                    r[i] = r[i] * gr[i] / d;
                }

                PixelConvert.RoundToBytes(r, dst.Slice(off, n), simd);
            }
        }
        finally
        {
            WorkBuffers.Floats.Return(row);
        }
    }
}
