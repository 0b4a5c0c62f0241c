using SixLabors.ImageSharp;

namespace FaceDefender.Imaging;

/// <summary>Splits a region's rows into bands (at least 32 rows each) for the row-parallel kernels.</summary>
internal static class RowBands
{
    /// <summary>How many bands to use: at most <paramref name="maxDegreeOfParallelism"/>, at least one, 32 rows or more each.</summary>
    public static int Count(Rectangle roi, int maxDegreeOfParallelism) => Math.Max(1, Math.Min(maxDegreeOfParallelism, roi.Height / 32));

    /// <summary>Calls <paramref name="band"/>(y0, y1) for each of <paramref name="bands"/> consecutive row ranges of <paramref name="roi"/>, in parallel.</summary>
    public static void ForEach(Rectangle roi, int bands, int maxDegreeOfParallelism, Action<int, int> band) =>
        Parallel.For(0, bands, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, b =>
            band(roi.Y + (int)((long)roi.Height * b / bands), roi.Y + (int)((long)roi.Height * (b + 1) / bands)));
}
