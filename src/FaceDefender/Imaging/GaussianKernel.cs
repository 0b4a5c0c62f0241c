namespace FaceDefender.Imaging;

/// <summary>A normalised, symmetric, truncated 1-D Gaussian kernel.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class GaussianKernel
{
    private readonly float[] _weights;
    private readonly int[] _fixedHalf;

    private GaussianKernel(float sigma, int radius, float[] weights, int[] fixedHalf)
    {
        Sigma = sigma;
        Radius = radius;
        _weights = weights;
        _fixedHalf = fixedHalf;
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
    /// The kernel in 8-bit fixed point (units of 1/256, summing to exactly 256), from the centre outwards: the
    /// weights OpenCV's <c>GaussianBlur</c> uses for 8-bit images, so the 8-bit blur can reproduce it exactly.
    /// </summary>
    internal ReadOnlySpan<int> FixedPointHalfWeights => _fixedHalf;
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

        return new GaussianKernel(sigma, r, f, FixedPoint(sigma, r));
    }

    /// <summary>
    /// 8-bit fixed-point weights, centre first. The double-precision kernel is quantised from the outermost tap
    /// inwards with the rounding error carried to the next tap (round half to even), and the centre takes whatever
    /// makes the sum exactly 256; OpenCV 4.x builds its 8-bit kernels this way (checked weight by weight against
    /// cv2.GaussianBlur on impulses for sizes 3 to 181, see the tests).
    /// </summary>
    private static int[] FixedPoint(double sigma, int r)
    {
        double sum = 1.0;
        var e = new double[r + 1];
        for (int d = 1; d <= r; d++)
        {
            e[d] = Math.Exp(-(d * (double)d) / (2.0 * sigma * sigma));
        }

        // Sum in OpenCV's order (outermost first), then normalise.
        double tails = 0;
        for (int d = r; d >= 1; d--)
        {
            tails += e[d];
        }

        sum += 2 * tails;
        double mul = 1.0 / sum;
        var half = new int[r + 1];
        double carry = 0;
        int total = 0;
        for (int d = r; d >= 1; d--)
        {
            double v = (e[d] * mul * 256.0) + carry;
            int q = (int)Math.Round(v, MidpointRounding.ToEven);
            carry = v - q;
            half[d] = q;
            total += q;
        }

        half[0] = 256 - (2 * total);
        return half;
    }

    /// <summary>OpenCV's fixed kernels for sizes up to 7 when the sigma is derived from the size (units of 1/256).</summary>
    private static int[]? SmallTable(int size) => size switch
    {
        1 => [256],
        3 => [128, 64],
        5 => [96, 64, 16],
        7 => [72, 56, 28, 8],
        _ => null,
    };

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
        GaussianKernel k = Create(s, (size - 1) / 2);
        if (sigma > 0)
        {
            return k;
        }

        // Sigma derived from the size: OpenCV takes the fixed tables for small sizes and 0.15·size + 0.35 in double.
        int[] fixedHalf = SmallTable(size) ?? FixedPoint((0.15 * size) + 0.35, k.Radius);
        return new GaussianKernel(k.Sigma, k.Radius, k._weights, fixedHalf);
    }
}
