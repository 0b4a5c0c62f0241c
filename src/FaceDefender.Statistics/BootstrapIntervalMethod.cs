namespace FaceDefender.Statistics;

/// <summary>The bootstrap confidence-interval methods of R's <c>boot::boot.ci</c> (Davison and Hinkley 1997, ch. 5).</summary>
public enum BootstrapIntervalMethod
{
    /// <summary>First-order normal approximation with bootstrap bias correction: (t0 - bias) ± z·sd(t*). boot.ci type "norm".</summary>
    Normal,

    /// <summary>Basic (reverse percentile) interval: 2·t0 - t*((1 ± level)/2). boot.ci type "basic".</summary>
    Basic,

    /// <summary>Percentile interval: t*((1 ∓ level)/2). boot.ci type "perc".</summary>
    Percentile,

    /// <summary>Bias-corrected and accelerated percentile interval. boot.ci type "bca".</summary>
    Bca,
}
