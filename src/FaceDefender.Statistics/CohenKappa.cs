namespace FaceDefender.Statistics;

/// <summary>
/// Cohen's kappa for two raters, unweighted or with linear/quadratic agreement weights, from label pairs or a
/// k x k confusion matrix (rows = rater 1, columns = rater 2), with the standard errors of Fleiss, Cohen and
/// Everitt (1969): under H0 (as <c>irr::kappa2</c>) and asymptotic (as <c>vcd::Kappa</c>).
/// Degenerate cases: perfect agreement gives kappa 1 and ASE 0; a rater who used one category gives kappa 0,
/// both SEs 0 and no z or P; both raters using the same single category (chance agreement 1) makes kappa
/// undefined and throws <see cref="StatisticsException"/>; no subjects throws <see cref="ArgumentException"/>, and so does
/// a table whose counts add up to more than <see cref="long.MaxValue"/> subjects (the total is summed with checked
/// arithmetic, never wrapped; any table up to that total is computed in double from its proportions).
/// </summary>
public static class CohenKappa
{
    /// <summary>Kappa from paired labels coded 0 .. <paramref name="categories"/> - 1 (in category order for weighting).</summary>
    /// <param name="rater1">Labels of rater 1.</param>
    /// <param name="rater2">Labels of rater 2, same length.</param>
    /// <param name="categories">Number of categories k &gt;= 2, including ones nobody used.</param>
    /// <param name="weighting">Agreement weights.</param>
    /// <param name="level">Confidence level for [Lower, Upper], in (0, 1).</param>
    /// <exception cref="ArgumentException">Different lengths or no subjects.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label outside [0, k), k &lt; 2, level outside (0, 1), unknown weighting.</exception>
    /// <exception cref="StatisticsException">Both raters used one and the same category (kappa undefined).</exception>
    public static KappaResult FromPairs(ReadOnlySpan<int> rater1, ReadOnlySpan<int> rater2, int categories, KappaWeighting weighting = KappaWeighting.Unweighted, double level = 0.95)
    {
        if (rater1.Length != rater2.Length)
        {
            throw new ArgumentException($"The raters must rate the same subjects: rater1 has {rater1.Length} labels, rater2 has {rater2.Length}.", nameof(rater2));
        }

        CheckCategories(categories);
        var counts = new long[categories * categories];
        for (int i = 0; i < rater1.Length; i++)
        {
            int a = rater1[i];
            int b = rater2[i];
            if ((uint)a >= (uint)categories)
            {
                throw new ArgumentOutOfRangeException(nameof(rater1), a, $"rater1[{i}] = {a} is outside the categories 0..{categories - 1}.");
            }

            if ((uint)b >= (uint)categories)
            {
                throw new ArgumentOutOfRangeException(nameof(rater2), b, $"rater2[{i}] = {b} is outside the categories 0..{categories - 1}.");
            }

            counts[(a * categories) + b]++;
        }

        return Compute(counts, categories, weighting, level, nameof(rater1));
    }

    /// <summary>Kappa from labels of any type, with the ordered list of categories (order matters for weights).</summary>
    /// <typeparam name="T">Label type, compared with the default equality comparer.</typeparam>
    /// <param name="rater1">Labels of rater 1.</param>
    /// <param name="rater2">Labels of rater 2, same length.</param>
    /// <param name="categories">All categories in order (at least 2, distinct), including unused ones.</param>
    /// <param name="weighting">Agreement weights.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentNullException">A null list.</exception>
    /// <exception cref="ArgumentException">Different lengths, no subjects, duplicate categories, or a label not in the list.</exception>
    /// <exception cref="StatisticsException">Both raters used one and the same category.</exception>
    public static KappaResult FromLabels<T>(IReadOnlyList<T> rater1, IReadOnlyList<T> rater2, IReadOnlyList<T> categories, KappaWeighting weighting = KappaWeighting.Unweighted, double level = 0.95)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(rater1);
        ArgumentNullException.ThrowIfNull(rater2);
        ArgumentNullException.ThrowIfNull(categories);
        var code = new Dictionary<T, int>();
        for (int i = 0; i < categories.Count; i++)
        {
            if (!code.TryAdd(categories[i], i))
            {
                throw new ArgumentException($"Category '{categories[i]}' is listed twice.", nameof(categories));
            }
        }

        int[] Encode(IReadOnlyList<T> labels, string name)
        {
            var result = new int[labels.Count];
            for (int i = 0; i < result.Length; i++)
            {
                if (!code.TryGetValue(labels[i], out result[i]))
                {
                    throw new ArgumentException($"{name}[{i}] = '{labels[i]}' is not one of the listed categories.", name);
                }
            }

            return result;
        }

        return FromPairs(Encode(rater1, nameof(rater1)), Encode(rater2, nameof(rater2)), categories.Count, weighting, level);
    }

    /// <summary>Kappa from a k x k table of counts: rows are rater 1's categories, columns rater 2's, in category order.</summary>
    /// <param name="table">Square matrix of non-negative counts, k &gt;= 2, with at least one subject.</param>
    /// <param name="weighting">Agreement weights.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentNullException">No table.</exception>
    /// <exception cref="ArgumentException">Non-square, smaller than 2 x 2, a negative count, all counts 0, or counts whose
    /// total exceeds <see cref="long.MaxValue"/> (the number of subjects, <see cref="KappaResult.N"/>, must fit in a long);
    /// in that last case <see cref="Exception.InnerException"/> is the <see cref="OverflowException"/> of the sum.</exception>
    /// <exception cref="StatisticsException">Both raters used one and the same category; or, with more than 2^53 subjects,
    /// so few outside one category that p_e rounds to 1 in double (kappa's denominator 1 - p_e is lost; the result
    /// would be NaN).</exception>
    public static KappaResult FromTable(long[,] table, KappaWeighting weighting = KappaWeighting.Unweighted, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(table);
        int k = table.GetLength(0);
        if (table.GetLength(1) != k)
        {
            throw new ArgumentException($"The confusion matrix must be square (k x k); it is {k} x {table.GetLength(1)}.", nameof(table));
        }

        if (k < 2)
        {
            throw new ArgumentException($"The confusion matrix is {k} x {k}; kappa needs at least 2 categories.", nameof(table));
        }

        var counts = new long[k * k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                if (table[i, j] < 0)
                {
                    throw new ArgumentException($"table[{i}, {j}] = {table[i, j]}; counts cannot be negative.", nameof(table));
                }

                counts[(i * k) + j] = table[i, j];
            }
        }

        return Compute(counts, k, weighting, level, nameof(table));
    }

    /// <summary>The k x k agreement weight matrix, row-major.</summary>
    /// <param name="categories">k &gt;= 2.</param>
    /// <param name="weighting">Weighting scheme.</param>
    /// <exception cref="ArgumentOutOfRangeException">k &lt; 2 or unknown weighting.</exception>
    public static double[,] Weights(int categories, KappaWeighting weighting)
    {
        CheckCategories(categories);
        var w = new double[categories, categories];
        double km1 = categories - 1;
        for (int i = 0; i < categories; i++)
        {
            for (int j = 0; j < categories; j++)
            {
                double d = Math.Abs(i - j);
                w[i, j] = weighting switch
                {
                    KappaWeighting.Unweighted => i == j ? 1.0 : 0.0,
                    KappaWeighting.Linear => 1.0 - (d / km1),
                    KappaWeighting.Quadratic => 1.0 - ((d * d) / (km1 * km1)),
                    _ => throw new ArgumentOutOfRangeException(nameof(weighting), weighting, "Unknown kappa weighting."),
                };
            }
        }

        return w;
    }

    private static KappaResult Compute(long[] counts, int k, KappaWeighting weighting, double level, string inputName)
    {
        Guard.Level(level, nameof(level));
        double[,] w = Weights(k, weighting);
        long n = 0;
        try
        {
            foreach (long c in counts)
            {
                n = checked(n + c);
            }
        }
        catch (OverflowException e)
        {
            throw new ArgumentException(
                $"The counts add up to more than long.MaxValue ({long.MaxValue}) subjects: the total number of subjects exceeds what KappaResult.N can hold. Kappa, p_o and p_e depend only on the proportions, so dividing every count by a common factor keeps them (the standard errors then grow by the square root of that factor).",
                inputName,
                e);
        }

        if (n == 0)
        {
            throw new ArgumentException("There are no rated subjects (empty input or an all-zero table); kappa needs at least one.", inputName);
        }

        var p = new double[k, k];
        var row = new double[k];
        var col = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                p[i, j] = (double)counts[(i * k) + j] / n;
                row[i] += p[i, j];
                col[j] += p[i, j];
            }
        }

        double po = 0.0;
        double pe = 0.0;
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                po += w[i, j] * p[i, j];
                pe += w[i, j] * row[i] * col[j];
            }
        }

        bool rater1Constant = IsConstant(counts, k, n, byRow: true);
        bool rater2Constant = IsConstant(counts, k, n, byRow: false);
        if (rater1Constant && rater2Constant && pe >= 1.0 - 1e-12)
        {
            throw new StatisticsException("Kappa is undefined: both raters put every subject in the same single category, so chance agreement is 1 (0/0).");
        }

        if (!(pe < 1.0) && !rater1Constant && !rater2Constant)
        {
            // Kappa is defined, but 1 - p_e is below the rounding of p_e (over 2^53 subjects, all but a handful in one category).
            throw new StatisticsException(
                $"Kappa cannot be computed in double precision for this table: nearly all of its {n} subjects are in one category for both raters, so the chance agreement p_e rounds to 1 and 1 - p_e (the denominator of kappa) is lost. Tables of this kind need fewer subjects (at most about 2^53) or a less extreme split.");
        }

        double kappa = (po - pe) / (1.0 - pe);
        double q = Distributions.Qnorm((1.0 + level) / 2.0);
        if (rater1Constant || rater2Constant)
        {
            // p_o = p_e exactly in theory, and both variance formulas reduce to 0 - 0: report 0, not rounding noise.
            return new KappaResult(0.0, po, pe, 0.0, null, null, 0.0, 0.0, 0.0, level, n, k, weighting);
        }

        // w̄_i. = Σ_j w_ij p_.j and w̄_.j = Σ_i w_ij p_i.
        var wRow = new double[k];
        var wCol = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                wRow[i] += w[i, j] * col[j];
                wCol[j] += w[i, j] * row[i];
            }
        }

        double s0 = 0.0;
        double s1 = 0.0;
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double d0 = w[i, j] - (wRow[i] + wCol[j]);
                s0 += row[i] * col[j] * d0 * d0;
                double d1 = w[i, j] - ((wRow[i] + wCol[j]) * (1.0 - kappa));
                s1 += p[i, j] * d1 * d1;
            }
        }

        double denominator = (1.0 - pe) * (1.0 - pe) * n;
        double se0 = Math.Sqrt(Math.Max(0.0, (s0 - (pe * pe)) / denominator));
        double bias = kappa - (pe * (1.0 - kappa));
        double ase = Math.Sqrt(Math.Max(0.0, (s1 - (bias * bias)) / denominator));
        double? z = se0 > 0.0 ? kappa / se0 : null;
        double? pValue = z is { } zz ? 2.0 * Distributions.PnormUpper(Math.Abs(zz)) : null;
        return new KappaResult(
            kappa, po, pe, se0, z, pValue, ase,
            Math.Max(-1.0, kappa - (q * ase)),
            Math.Min(1.0, kappa + (q * ase)),
            level, n, k, weighting);
    }

    private static bool IsConstant(long[] counts, int k, long n, bool byRow)
    {
        for (int a = 0; a < k; a++)
        {
            long sum = 0;
            for (int b = 0; b < k; b++)
            {
                sum += byRow ? counts[(a * k) + b] : counts[(b * k) + a];
            }

            if (sum == n)
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckCategories(int categories)
    {
        if (categories < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(categories), categories, "Kappa needs at least 2 categories.");
        }
    }
}
