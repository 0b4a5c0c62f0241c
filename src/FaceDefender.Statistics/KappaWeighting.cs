namespace FaceDefender.Statistics;

/// <summary>
/// Agreement weights for Cohen's kappa over k ordered categories (w_ii = 1). The weights depend on k, so
/// categories nobody used still change a weighted kappa.
/// </summary>
public enum KappaWeighting
{
    /// <summary>w_ij = 1 if i = j, else 0 (irr: "unweighted").</summary>
    Unweighted,

    /// <summary>w_ij = 1 - |i - j| / (k - 1) (irr: "equal", vcd: "Equal-Spacing", Cicchetti-Allison).</summary>
    Linear,

    /// <summary>w_ij = 1 - (i - j)^2 / (k - 1)^2 (irr: "squared", vcd: "Fleiss-Cohen").</summary>
    Quadratic,
}
