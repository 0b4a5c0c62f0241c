namespace FaceDefender.Imaging;

/// <summary>A normalised, symmetric, truncated 1-D Gaussian kernel.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class GaussianKernel
{
    private readonly float[] _weights;

    private GaussianKernel(float sigma, int radius, float[] weights)
    {
        Sigma = sigma;
        Radius = radius;
        _weights = weights;
    }

    /// <summary>The standard deviation in pixels.</summary>
    public float Sigma { get; }

    /// <summary>Taps on each side of the centre; the kernel has 2·Radius + 1 taps.</summary>
    public int Radius { get; }

    /// <summary>The kernel size, 2·Radius + 1.</summary>
    public int Size => (2 * Radius) + 1;

    /// <summary>All 2·Radius + 1 weights, summing to 1.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Weights from the centre outwards: index 0 is the centre, index d the weight at distance d.</summary>
    internal ReadOnlySpan<float> HalfWeights => _weights.AsSpan(Radius);

    /// <summary>
    /// Creates the kernel exp(-d²/2σ²) for d in -radius..radius, normalised to sum 1
    /// (the same weights as OpenCV's <c>getGaussianKernel</c> for kernels larger than 7 taps).
    /// </summary>
    /// <param name="sigma">Standard deviation in pixels, greater than 0.</param>
    /// <param name="radius">Taps each side; default ceil(3σ), at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">Sigma not positive or finite; radius negative or over 10,000.</exception>
    public static GaussianKernel Create(float sigma, int? radius = null)
    {
        ImagingGuard.Sigma(sigma, nameof(sigma));
        int r = radius ?? Math.Max(1, (int)Math.Ceiling(3 * sigma));
        if (r < 0 || r > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(radius), r, "Kernel radius must be between 0 and 10,000 taps.");
        }

        var w = new double[(2 * r) + 1];
        double sum = 0;
        double s2 = 2.0 * sigma * sigma;
        for (int i = -r; i <= r; i++)
        {
            w[i + r] = Math.Exp(-(i * (double)i) / s2);
            sum += w[i + r];
        }

        var f = new float[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            f[i] = (float)(w[i] / sum);
        }

        return new GaussianKernel(sigma, r, f);
    }

    /// <summary>
    /// Creates the kernel OpenCV's <c>GaussianBlur</c> uses for an odd size and sigma
    /// (sigma ≤ 0 derives it from the size as 0.3·((size − 1)·0.5 − 1) + 0.8).
    /// </summary>
    /// <param name="size">Odd kernel size, at least 1.</param>
    /// <param name="sigma">Sigma, or 0 to derive it from <paramref name="size"/>.</param>
    public static GaussianKernel FromSize(int size, float sigma = 0)
    {
        if (size < 1 || size % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Kernel size must be odd and at least 1 (for example 5, 31 or 101).");
        }

        if (!float.IsFinite(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma must be finite (0 derives it from the size).");
        }

        float s = sigma > 0 ? sigma : (0.3f * (((size - 1) * 0.5f) - 1)) + 0.8f;
        return Create(s, (size - 1) / 2);
    }
}
