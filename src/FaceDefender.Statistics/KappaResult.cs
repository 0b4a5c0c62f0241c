namespace FaceDefender.Statistics;

/// <summary>
/// Cohen's kappa for two raters with its large-sample inference. Immutable.
/// </summary>
/// <param name="Kappa">(p_o - p_e) / (1 - p_e). R: <c>irr::kappa2(...)$value</c>, <c>vcd::Kappa(...)</c> value.</param>
/// <param name="ObservedAgreement">p_o = Σ w_ij p_ij.</param>
/// <param name="ChanceAgreement">p_e = Σ w_ij p_i. p_.j.</param>
/// <param name="StandardErrorUnderNull">SE of kappa when the true kappa is 0 (Fleiss, Cohen and Everitt 1969), used for the
/// test; <c>irr::kappa2</c>'s standard error.</param>
/// <param name="Z">Kappa / <paramref name="StandardErrorUnderNull"/>; null when that SE is 0 (one rater used a single
/// category: kappa is 0 by construction and the test is undefined).</param>
/// <param name="PValue">Two-sided P = 2 Φ(-|z|); null when <paramref name="Z"/> is null.</param>
/// <param name="AsymptoticStandardError">Large-sample SE of kappa not assuming kappa = 0 (Fleiss, Cohen and Everitt 1969);
/// <c>vcd::Kappa</c>'s ASE. 0 for perfect agreement and for a constant rater (where R may print NaN from rounding).</param>
/// <param name="Lower">max(-1, kappa - z_(1+level)/2 · ASE), as <c>confint(vcd::Kappa(...))</c>.</param>
/// <param name="Upper">min(1, kappa + z_(1+level)/2 · ASE).</param>
/// <param name="Level">Confidence level of [Lower, Upper].</param>
/// <param name="N">Number of rated subjects.</param>
/// <param name="Categories">Number of categories k.</param>
/// <param name="Weighting">Agreement weights.</param>
public sealed record KappaResult(
    double Kappa,
    double ObservedAgreement,
    double ChanceAgreement,
    double StandardErrorUnderNull,
    double? Z,
    double? PValue,
    double AsymptoticStandardError,
    double Lower,
    double Upper,
    double Level,
    long N,
    int Categories,
    KappaWeighting Weighting);
