namespace FaceDefender.Imaging;

/// <summary>What a warp writes where the sample point falls outside the source image.</summary>
public enum WarpBorderMode
{
    /// <summary>Missing neighbours take a constant value (OpenCV <c>BORDER_CONSTANT</c>).</summary>
    Constant,

    /// <summary>
    /// The destination pixel is left as it was when the sample point lies outside
    /// [0, width - 1] x [0, height - 1] of the source (OpenCV <c>BORDER_TRANSPARENT</c>, but without a seam at the edges).
    /// </summary>
    Transparent,

    /// <summary>Coordinates are clamped to the nearest edge pixel (OpenCV <c>BORDER_REPLICATE</c>).</summary>
    Replicate,
}

/// <summary>How a convolution reads past the edges of the image.</summary>
public enum BlurBorderMode
{
    /// <summary>The edge pixel repeats: aaa|abcd|ddd (OpenCV <c>BORDER_REPLICATE</c>).</summary>
    Replicate,

    /// <summary>Mirror without repeating the edge: cb|abcd|cb (OpenCV <c>BORDER_REFLECT_101</c>, its default).</summary>
    Reflect101,

    /// <summary>Mirror repeating the edge: ba|abcd|dc (OpenCV <c>BORDER_REFLECT</c>).</summary>
    Reflect,
}

internal static class BorderIndex
{
    /// <summary>Maps an index outside 0..n-1 back inside according to the border mode.</summary>
    public static int Map(int i, int n, BlurBorderMode mode)
    {
        if ((uint)i < (uint)n)
        {
            return i;
        }

        if (n == 1)
        {
            return 0;
        }

        switch (mode)
        {
            case BlurBorderMode.Replicate:
                return i < 0 ? 0 : n - 1;
            case BlurBorderMode.Reflect101:
            {
                int period = 2 * (n - 1);
                int m = i % period;
                if (m < 0)
                {
                    m += period;
                }

                return m < n ? m : period - m;
            }

            default:
            {
                int period = 2 * n;
                int m = i % period;
                if (m < 0)
                {
                    m += period;
                }

                return m < n ? m : period - 1 - m;
            }
        }
    }
}
