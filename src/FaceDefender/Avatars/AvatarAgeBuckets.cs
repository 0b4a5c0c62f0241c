namespace FaceDefender.Avatars;

/// <summary>
/// The avatar age buckets: the paper prototype's buckets, extended to 85.
/// An age maps to the upper end of its bucket: (0, 5] -> 5, (5, 10] -> 10, (10, 15] -> 15,
/// (15, 20] -> 20, then 10-year steps (20, 30] -> 30 ... (70, 80] -> 80, and everything above 80
/// -> 85. Age 0 (a newborn) maps to 5.
/// </summary>
public static class AvatarAgeBuckets
{
    /// <summary>The oldest age accepted, in years.</summary>
    public const int MaxAgeYears = 130;

    private static readonly int[] BucketValues = [5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 85];

    /// <summary>All buckets in increasing order: 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 85.</summary>
    public static IReadOnlyList<int> All => BucketValues;

    /// <summary>The bucket of an age in whole years.</summary>
    /// <param name="ageYears">Age in years, 0 to <see cref="MaxAgeYears"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">Age negative or above <see cref="MaxAgeYears"/>.</exception>
    public static int Map(int ageYears)
    {
        if (ageYears < 0 || ageYears > MaxAgeYears)
        {
            throw new ArgumentOutOfRangeException(nameof(ageYears), ageYears, $"Age must be between 0 and {MaxAgeYears} years.");
        }

        if (ageYears > 80)
        {
            return 85;
        }

        foreach (int bucket in BucketValues)
        {
            if (ageYears <= bucket)
            {
                return bucket;
            }
        }

        return 85;
    }
}
