using System.Numerics;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Privacy;

/// <summary>The baselines of the audit.</summary>
public enum BaselineKind
{
    /// <summary>The raw photo, unchanged (the upper bound of leakage).</summary>
    Raw,

    /// <summary>The face (convex hull of the face contour) Gaussian-blurred.</summary>
    GaussianBlur,

    /// <summary>The face pixelated into square blocks (block means).</summary>
    Pixelate,

    /// <summary>The face painted black except a horizontal strip over both eyes and brows.</summary>
    BlackFaceEyeStrip,
}

/// <summary>
/// Baseline protections, implemented with the library's kernels. The image geometry is unchanged,
/// so the raw landmarks still locate the face (an attacker's best case for alignment).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class BaselineProtection : IProtectionMethod
{
    /// <summary>Creates a baseline.</summary>
    /// <param name="kind">Which baseline.</param>
    /// <param name="strength">Blur sigma or pixel block size as a fraction of the inter-pupil distance (0.01..2); ignored by the others. Default 0.25.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unknown kind or strength out of range.</exception>
    public BaselineProtection(BaselineKind kind, float strength = 0.25f)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown baseline.");
        }

        if (!(strength >= 0.01f && strength <= 2f))
        {
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "Use a strength between 0.01 and 2 (fraction of the inter-pupil distance).");
        }

        Kind = kind;
        Strength = strength;
    }

    /// <summary>Which baseline.</summary>
    public BaselineKind Kind { get; }

    /// <summary>Blur sigma or block size as a fraction of the inter-pupil distance.</summary>
    public float Strength { get; }

    /// <inheritdoc />
    public string Name => Kind switch
    {
        BaselineKind.Raw => "raw",
        BaselineKind.GaussianBlur => "blur",
        BaselineKind.Pixelate => "pixelate",
        _ => "black-face-eye-strip",
    };

    /// <inheritdoc />
    public ProtectedImage? Protect(Image<Rgb24> photo, FaceLandmarks landmarks, string variantKey)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(landmarks);
        Image<Rgb24> output = photo.Clone();
        if (Kind == BaselineKind.Raw)
        {
            return new ProtectedImage(output, landmarks);
        }

        int w = photo.Width, h = photo.Height;
        float ipd = Math.Max(2f, landmarks.InterPupillaryDistance);
        var mask = new float[w * h];
        Vector2[] hull = ConvexHull.Compute(landmarks.FaceContour);
        PolygonRasterizer.FillPolygon(hull, mask, w, h);
        using (PixelBuffer px = PixelBuffer.Write(output))
        {
            Span<byte> bytes = px.Bytes;
            switch (Kind)
            {
                case BaselineKind.GaussianBlur:
                {
                    var blurred = new byte[bytes.Length];
                    SeparableGaussianBlur.BlurRgb24(bytes, blurred, w, h, GaussianKernel.Create(Strength * ipd));
                    Blend(bytes, blurred, mask);
                    break;
                }

                case BaselineKind.Pixelate:
                {
                    byte[] blocks = Pixelate(bytes, w, h, Math.Max(2, (int)MathF.Round(Strength * ipd)));
                    Blend(bytes, blocks, mask);
                    break;
                }

                default:
                {
                    // Keep a strip from above the brows to below the lower lids, over the whole face width.
                    float top = float.MaxValue, bottom = float.MinValue;
                    foreach (Vector2 p in landmarks.RightBrow.Concat(landmarks.LeftBrow))
                    {
                        top = Math.Min(top, p.Y);
                    }

                    foreach (int i in (ReadOnlySpan<int>)[145, 374, 23, 253])
                    {
                        bottom = Math.Max(bottom, landmarks[i].Y);
                    }

                    top -= 0.1f * ipd;
                    bottom += 0.1f * ipd;
                    for (int y = 0; y < h; y++)
                    {
                        if (y + 0.5f >= top && y + 0.5f <= bottom)
                        {
                            mask.AsSpan(y * w, w).Clear();
                        }
                    }

                    var black = new byte[bytes.Length];
                    Blend(bytes, black, mask);
                    break;
                }
            }
        }

        return new ProtectedImage(output, landmarks);
    }

    private static void Blend(Span<byte> target, ReadOnlySpan<byte> replacement, ReadOnlySpan<float> mask)
    {
        for (int i = 0; i < mask.Length; i++)
        {
            float m = mask[i];
            if (m <= 0)
            {
                continue;
            }

            for (int c = 0; c < 3; c++)
            {
                int k = (3 * i) + c;
                target[k] = PixelConvert.RoundToByte((target[k] * (1 - m)) + (replacement[k] * m));
            }
        }
    }

    private static byte[] Pixelate(ReadOnlySpan<byte> src, int w, int h, int block)
    {
        var dst = new byte[src.Length];
        for (int by = 0; by < h; by += block)
        {
            for (int bx = 0; bx < w; bx += block)
            {
                int x1 = Math.Min(w, bx + block), y1 = Math.Min(h, by + block);
                long r = 0, g = 0, b = 0;
                int n = (x1 - bx) * (y1 - by);
                for (int y = by; y < y1; y++)
                {
                    for (int x = bx; x < x1; x++)
                    {
                        int k = 3 * ((y * w) + x);
                        r += src[k];
                        g += src[k + 1];
                        b += src[k + 2];
                    }
                }

                byte mr = (byte)((r + (n / 2)) / n), mg = (byte)((g + (n / 2)) / n), mb = (byte)((b + (n / 2)) / n);
                for (int y = by; y < y1; y++)
                {
                    for (int x = bx; x < x1; x++)
                    {
                        int k = 3 * ((y * w) + x);
                        dst[k] = mr;
                        dst[k + 1] = mg;
                        dst[k + 2] = mb;
                    }
                }
            }
        }

        return dst;
    }
}
