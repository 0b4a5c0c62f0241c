namespace FaceDefender.Statistics;

/// <summary>
/// Thrown when a statistic is undefined for the data it was given even though every argument was
/// individually valid: for example a BCa interval when every bootstrap replicate lies on one side of
/// the estimate, or Cohen's kappa when both raters used a single identical category (chance agreement 1).
/// Invalid arguments (empty data, NaN, a level outside (0, 1)) throw the <see cref="ArgumentException"/> family instead.
/// </summary>
public sealed class StatisticsException : Exception
{
    /// <summary>Creates the exception with a message that names the problem and, where there is one, the fix.</summary>
    public StatisticsException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the underlying cause.</summary>
    public StatisticsException(string message, Exception innerException) : base(message, innerException) { }
}
