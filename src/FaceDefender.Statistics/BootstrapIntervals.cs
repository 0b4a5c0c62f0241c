namespace FaceDefender.Statistics;

/// <summary>
/// Bootstrap confidence intervals from an estimate t0 and its replicates t*, with the exact semantics of
/// R's <c>boot::boot.ci</c> (boot 1.3): non-finite replicates are dropped; percentile-type limits are order statistics
/// of rank (B + 1)·α, interpolated on the normal quantile scale when (B + 1)·α is not an integer (boot's <c>norm.inter</c>).
/// </summary>
public static class BootstrapIntervals
{
    /// <summary>
    /// Normal interval with bootstrap bias correction: (t0 - b) ± qnorm((1 + level)/2)·sd(t*), with
    /// b = mean(t*) - t0 and sd the unbiased (n - 1) standard deviation. R: <c>boot.ci(b, type = "norm")</c>.
    /// </summary>
    /// <param name="original">The estimate on the original data, t0.</param>
    /// <param name="replicates">Bootstrap replicates t*; at least 2 must be finite and not all equal.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentException">Non-finite t0 or fewer than 2 finite replicates.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal (R: "Cannot calculate confidence intervals").</exception>
    public static BootstrapInterval Normal(double original, ReadOnlySpan<double> replicates, double level = 0.95)
    {
        double[] t = Prepare(original, replicates, level);
        double bias = Descriptive.MeanUnchecked(t) - original;
        double merr = Math.Sqrt(Descriptive.VarianceUnchecked(t)) * Distributions.Qnorm((1.0 + level) / 2.0);
        return new BootstrapInterval(BootstrapIntervalMethod.Normal, level, original - bias - merr, original - bias + merr, false);
    }

    /// <summary>Basic (reverse percentile) interval 2·t0 - t*_((B+1)(1 ± level)/2). R: <c>boot.ci(b, type = "basic")</c>.</summary>
    /// <param name="original">The estimate on the original data, t0.</param>
    /// <param name="replicates">Bootstrap replicates t*.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentException">Non-finite t0 or fewer than 2 finite replicates.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal.</exception>
    public static BootstrapInterval Basic(double original, ReadOnlySpan<double> replicates, double level = 0.95)
    {
        double[] t = Prepare(original, replicates, level);
        Array.Sort(t);
        (double hi, bool e1) = NormInter(t, (1.0 + level) / 2.0);
        (double lo, bool e2) = NormInter(t, (1.0 - level) / 2.0);
        return new BootstrapInterval(BootstrapIntervalMethod.Basic, level, (2.0 * original) - hi, (2.0 * original) - lo, e1 || e2);
    }

    /// <summary>Percentile interval t*_((B+1)(1 ∓ level)/2). R: <c>boot.ci(b, type = "perc")</c>.</summary>
    /// <param name="original">The estimate on the original data, t0 (used only for validation and the equality check).</param>
    /// <param name="replicates">Bootstrap replicates t*.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentException">Non-finite t0 or fewer than 2 finite replicates.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal.</exception>
    public static BootstrapInterval Percentile(double original, ReadOnlySpan<double> replicates, double level = 0.95)
    {
        double[] t = Prepare(original, replicates, level);
        Array.Sort(t);
        (double lo, bool e1) = NormInter(t, (1.0 - level) / 2.0);
        (double hi, bool e2) = NormInter(t, (1.0 + level) / 2.0);
        return new BootstrapInterval(BootstrapIntervalMethod.Percentile, level, lo, hi, e1 || e2);
    }

    /// <summary>
    /// Bias-corrected and accelerated (BCa) interval (Efron 1987): percentile limits at adjusted levels
    /// Φ(z0 + (z0 + z_α)/(1 - a(z0 + z_α))), with z0 = Φ⁻¹(#(t* &lt; t0)/B) and a = Σl³/(6(Σl²)^1.5).
    /// R: <c>boot.ci(b, type = "bca", L = influence)</c>.
    /// </summary>
    /// <param name="original">The estimate on the original data, t0.</param>
    /// <param name="replicates">Bootstrap replicates t*.</param>
    /// <param name="influence">Empirical influence values l_1..l_n (see <see cref="EmpiricalInfluence"/>).</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentException">Non-finite t0, fewer than 2 finite replicates, empty or non-finite influence values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Level outside (0, 1).</exception>
    /// <exception cref="StatisticsException">All replicates equal, every replicate on one side of t0 (z0 infinite),
    /// or all influence values 0 (a undefined).</exception>
    public static BootstrapInterval Bca(double original, ReadOnlySpan<double> replicates, ReadOnlySpan<double> influence, double level = 0.95)
    {
        double[] t = Prepare(original, replicates, level);
        Guard.Finite(influence, nameof(influence), 1);
        int below = 0;
        foreach (double v in t)
        {
            if (v < original)
            {
                below++;
            }
        }

        double w = Distributions.Qnorm((double)below / t.Length);
        if (!double.IsFinite(w))
        {
            throw new StatisticsException(
                $"BCa bias correction is infinite: {below} of {t.Length} replicates lie below the estimate. The BCa interval is undefined here; use the percentile interval or more replicates.");
        }

        double s2 = 0.0;
        double s3 = 0.0;
        foreach (double l in influence)
        {
            double l2 = l * l;
            s2 += l2;
            s3 += l2 * l;
        }

        double a = s3 / (6.0 * Math.Pow(s2, 1.5));
        if (!double.IsFinite(a))
        {
            throw new StatisticsException("BCa acceleration is undefined: all empirical influence values are 0 (R: \"estimated adjustment 'a' is NA\").");
        }

        Array.Sort(t);
        double zlo = Distributions.Qnorm((1.0 - level) / 2.0);
        double zhi = Distributions.Qnorm((1.0 + level) / 2.0);
        double alo = Distributions.Pnorm(w + ((w + zlo) / (1.0 - (a * (w + zlo)))));
        double ahi = Distributions.Pnorm(w + ((w + zhi) / (1.0 - (a * (w + zhi)))));
        (double lo, bool e1) = NormInter(t, alo);
        (double hi, bool e2) = NormInter(t, ahi);
        return new BootstrapInterval(BootstrapIntervalMethod.Bca, level, lo, hi, e1 || e2, w, a);
    }

    /// <summary>Validates, drops non-finite replicates and applies boot.ci's "all values equal" check.</summary>
    private static double[] Prepare(double original, ReadOnlySpan<double> replicates, double level)
    {
        if (!double.IsFinite(original))
        {
            throw new ArgumentException($"The original estimate t0 is {original}; it must be finite.", nameof(original));
        }

        Guard.Level(level, nameof(level));
        var list = new List<double>(replicates.Length);
        foreach (double v in replicates)
        {
            if (double.IsFinite(v))
            {
                list.Add(v);
            }
        }

        if (list.Count < 2)
        {
            throw new ArgumentException($"Only {list.Count} of {replicates.Length} bootstrap replicates are finite; at least 2 are needed.", nameof(replicates));
        }

        double[] t = [.. list];
        double mean = Descriptive.MeanUnchecked(t);
        double eps = Math.Min(1e-8, mean / 1e6);
        bool constant = true;
        foreach (double v in t)
        {
            if (!(Math.Abs(v - mean) < eps))
            {
                constant = false;
                break;
            }
        }

        if (constant)
        {
            throw new StatisticsException($"All {t.Length} bootstrap replicates equal {mean}; confidence intervals cannot be calculated (as R's boot.ci).");
        }

        return t;
    }

    /// <summary>
    /// boot's norm.inter on sorted replicates: the order statistic of rank (B + 1)α, or, when that rank is not an
    /// integer, interpolation between ranks k and k + 1 on the normal quantile scale.
    /// </summary>
    private static (double Value, bool Extreme) NormInter(double[] sorted, double alpha)
    {
        int r = sorted.Length;
        double rk = (r + 1) * alpha;
        bool extreme = !(rk > 1 && rk < r);
        double k = Math.Truncate(rk);
        if (k == 0)
        {
            return (sorted[0], extreme);
        }

        if (k >= r)
        {
            return (sorted[r - 1], extreme);
        }

        if (k == rk)
        {
            return (sorted[(int)k - 1], extreme);
        }

        double temp1 = Distributions.Qnorm(alpha);
        double temp2 = Distributions.Qnorm(k / (r + 1));
        double temp3 = Distributions.Qnorm((k + 1) / (r + 1));
        double tk = sorted[(int)k - 1];
        double tk1 = sorted[(int)k];
        return (tk + ((temp1 - temp2) / (temp3 - temp2) * (tk1 - tk)), extreme);
    }
}
