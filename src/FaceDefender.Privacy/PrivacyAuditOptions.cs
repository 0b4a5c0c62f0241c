namespace FaceDefender.Privacy;

/// <summary>Options of <see cref="PrivacyAudit"/>. Immutable; each value is checked when it is set.</summary>
public sealed record PrivacyAuditOptions
{
    /// <summary>The defaults.</summary>
    public static PrivacyAuditOptions Default { get; } = new();

    /// <summary>How many variant keys (avatars) are cycled through over the photos, per side of the same-tool attack, at
    /// least 1; default 32. As in a clinic, several patients share an avatar, and avatars are rendered once instead of once
    /// a photo.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1.</exception>
    public int VariantPoolSize
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(VariantPoolSize), value, "Must be at least 1.");
    } = 32;

    /// <summary>False-accept rates at which thresholds and true-accept rates are reported (one or more, each in (0, 0.5]);
    /// default 0.01 and 0.001. The list set is copied.</summary>
    /// <exception cref="ArgumentException">An empty list or a rate outside (0, 0.5].</exception>
    public IReadOnlyList<double> FalseAcceptRates
    {
        get;
        init
        {
            double[] fars = value?.ToArray() ?? throw new ArgumentNullException(nameof(FalseAcceptRates));
            if (fars.Length == 0 || fars.Any(f => !(f > 0 && f <= 0.5)))
            {
                throw new ArgumentException("Give one or more false-accept rates in (0, 0.5], for example 0.01.", nameof(FalseAcceptRates));
            }

            field = fars;
        }
    } = [0.01, 0.001];

    /// <summary>Photos processed at once, at least 1; default the processor count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1.</exception>
    public int MaxDegreeOfParallelism
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), value, "Must be at least 1.");
    } = Environment.ProcessorCount;

    /// <summary>Whether to measure the leakage of the eye strip alone; default true.</summary>
    public bool Periocular { get; init; } = true;

    /// <summary>Whether to run the same-tool attack (gallery protected too, with other variant keys); default true.</summary>
    public bool SameToolAttack { get; init; } = true;
}
