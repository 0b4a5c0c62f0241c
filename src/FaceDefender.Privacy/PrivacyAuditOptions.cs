namespace FaceDefender.Privacy;

/// <summary>Options of <see cref="PrivacyAudit"/>. Immutable; validated on construction.</summary>
public sealed class PrivacyAuditOptions
{
    /// <summary>The defaults.</summary>
    public static PrivacyAuditOptions Default { get; } = new();

    /// <summary>Creates options.</summary>
    /// <param name="falseAcceptRates">FARs at which thresholds and true-accept rates are reported (each in (0, 0.5]); default 0.01 and 0.001.</param>
    /// <param name="maxDegreeOfParallelism">Photos processed at once; default the processor count.</param>
    /// <param name="periocular">Whether to measure the leakage of the eye strip alone; default true.</param>
    /// <param name="sameToolAttack">Whether to run the same-tool attack (gallery protected too, with other variant keys); default true.</param>
    /// <param name="variantPoolSize">
    /// How many variant keys (avatars) are cycled through over the photos, per side of the attack; default 32. As in
    /// a clinic, several patients share an avatar, and avatars are rendered once instead of once a photo.
    /// </param>
    /// <exception cref="ArgumentException">An invalid FAR, parallelism or pool size.</exception>
    public PrivacyAuditOptions(IReadOnlyList<double>? falseAcceptRates = null, int? maxDegreeOfParallelism = null, bool periocular = true, bool sameToolAttack = true,
        int variantPoolSize = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(variantPoolSize, 1);
        double[] fars = falseAcceptRates?.ToArray() ?? [0.01, 0.001];
        if (fars.Length == 0 || fars.Any(f => !(f > 0 && f <= 0.5)))
        {
            throw new ArgumentException("Give one or more false-accept rates in (0, 0.5], for example 0.01.", nameof(falseAcceptRates));
        }

        int dop = maxDegreeOfParallelism ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(dop, 1, nameof(maxDegreeOfParallelism));
        FalseAcceptRates = fars;
        MaxDegreeOfParallelism = dop;
        Periocular = periocular;
        SameToolAttack = sameToolAttack;
        VariantPoolSize = variantPoolSize;
    }

    /// <summary>Variant keys (avatars) cycled through over the photos, per side of the same-tool attack.</summary>
    public int VariantPoolSize { get; }

    /// <summary>False-accept rates at which thresholds are set from the impostor distribution.</summary>
    public IReadOnlyList<double> FalseAcceptRates { get; }

    /// <summary>Photos processed at once.</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>Whether the eye strip alone is measured.</summary>
    public bool Periocular { get; }

    /// <summary>Whether the same-tool attack is run.</summary>
    public bool SameToolAttack { get; }
}
