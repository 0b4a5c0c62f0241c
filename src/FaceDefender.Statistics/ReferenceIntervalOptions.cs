namespace FaceDefender.Statistics;

/// <summary>
/// Settings of <see cref="ReferenceIntervalBuilder"/>, defaulting to the paper's procedure. Immutable; every
/// property is validated when the options are created (a bad value throws there, not later).
/// </summary>
public sealed record ReferenceIntervalOptions
{
    private readonly double coverage = 0.95;
    private readonly double fenceMultiplier = TukeyFences.DefaultMultiplier;
    private readonly double normalityAlpha = 0.05;
    private readonly int bootstrapReplicates = 10_000;
    private readonly double limitConfidenceLevel = 0.90;
    private readonly QuantileType quantileType = QuantileType.R7;
    private readonly ReferenceIntervalMethod? forceMethod;

    /// <summary>Central fraction of the healthy population the interval covers; default 0.95.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 1).</exception>
    public double Coverage
    {
        get => coverage;
        init { Guard.Level(value, nameof(Coverage)); coverage = value; }
    }

    /// <summary>Tukey fence multiplier k for outlier removal; default 1.5. Set <see cref="RemoveOutliers"/> to false to skip the step.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or not finite.</exception>
    public double FenceMultiplier
    {
        get => fenceMultiplier;
        init
        {
            if (!(value >= 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(FenceMultiplier), value, "The fence multiplier must be finite and >= 0 (Tukey: 1.5).");
            }

            fenceMultiplier = value;
        }
    }

    /// <summary>Whether to remove values outside the Tukey fences first; default true.</summary>
    public bool RemoveOutliers { get; init; } = true;

    /// <summary>Quantile definition for the quartiles and the bootstrap percentiles; default R's type 7.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not one of R1..R9.</exception>
    public QuantileType QuantileType
    {
        get => quantileType;
        init
        {
            if (value < QuantileType.R1 || value > QuantileType.R9)
            {
                throw new ArgumentOutOfRangeException(nameof(QuantileType), value, "Quantile type must be R1..R9.");
            }

            quantileType = value;
        }
    }

    /// <summary>Shapiro-Wilk significance level: normality is rejected when p &lt; alpha; default 0.05.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 1).</exception>
    public double NormalityAlpha
    {
        get => normalityAlpha;
        init { Guard.Level(value, nameof(NormalityAlpha)); normalityAlpha = value; }
    }

    /// <summary>Use this method regardless of the normality test (the test is still run and recorded); default null (decide by the test).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined method.</exception>
    public ReferenceIntervalMethod? ForceMethod
    {
        get => forceMethod;
        init
        {
            if (value is { } m && !Enum.IsDefined(m))
            {
                throw new ArgumentOutOfRangeException(nameof(ForceMethod), value, "Unknown reference-interval method.");
            }

            forceMethod = value;
        }
    }

    /// <summary>Bootstrap replicates B for the bootstrap method; default 10,000, at least 100.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 100.</exception>
    public int BootstrapReplicates
    {
        get => bootstrapReplicates;
        init
        {
            if (value < 100)
            {
                throw new ArgumentOutOfRangeException(nameof(BootstrapReplicates), value, "Use at least 100 bootstrap replicates (10,000 recommended).");
            }

            bootstrapReplicates = value;
        }
    }

    /// <summary>Seed of the bootstrap; default 20240601. Recorded in the result so the run can be repeated.</summary>
    public ulong Seed { get; init; } = 20240601;

    /// <summary>Confidence level of the bootstrap confidence interval around each limit; default 0.90 (CLSI EP28).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 1).</exception>
    public double LimitConfidenceLevel
    {
        get => limitConfidenceLevel;
        init { Guard.Level(value, nameof(LimitConfidenceLevel)); limitConfidenceLevel = value; }
    }
}
