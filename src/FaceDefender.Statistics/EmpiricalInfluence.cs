namespace FaceDefender.Statistics;

/// <summary>
/// Empirical influence values l_1..l_n of a statistic, which set the BCa acceleration
/// (R: <c>boot::empinf</c>). The values are centred to sum to zero.
/// </summary>
public static class EmpiricalInfluence
{
    /// <summary>Relative residual (of the normal equations) at which the regression solve stops.</summary>
    private const double TargetTolerance = 1e-13;

    /// <summary>Worst relative residual accepted when the solve stagnates before <see cref="TargetTolerance"/>.</summary>
    private const double AcceptTolerance = 1e-9;

    /// <summary>Largest frequency matrix (replicates x n) the regression will build: 1e9 entries, 2 GB.</summary>
    private const long MaxDesignEntries = 1_000_000_000;

    /// <summary>
    /// Ordinary jackknife influence values l_i = (n - 1)(t - t_(-i)) (R: <c>empinf(b, type = "jack")</c>).
    /// </summary>
    /// <param name="data">At least 2 finite values.</param>
    /// <param name="statistic">Pure statistic; evaluated on the n leave-one-out samples, in parallel.</param>
    /// <exception cref="ArgumentNullException">No statistic.</exception>
    /// <exception cref="ArgumentException">Fewer than 2 values, NaN or infinite values.</exception>
    /// <exception cref="StatisticsException">The statistic is not finite on the full data or a leave-one-out sample.</exception>
    public static double[] Jackknife(ReadOnlySpan<double> data, BootstrapStatistic statistic)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        Guard.Finite(data, nameof(data), 2);
        return Jackknife(new ValueEvaluator(data.ToArray(), statistic));
    }

    /// <summary>
    /// Jackknife influence values of an index statistic over n rows (R: <c>empinf(b, type = "jack")</c>).
    /// </summary>
    /// <param name="n">Number of rows, at least 2.</param>
    /// <param name="statistic">Pure statistic of row indices.</param>
    /// <exception cref="ArgumentNullException">No statistic.</exception>
    /// <exception cref="ArgumentOutOfRangeException">n &lt; 2.</exception>
    /// <exception cref="StatisticsException">The statistic is not finite on the full data or a leave-one-out sample.</exception>
    public static double[] Jackknife(int n, BootstrapIndexStatistic statistic)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        if (n < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "Jackknife influence values need at least 2 observations.");
        }

        return Jackknife(new IndexEvaluator(n, statistic));
    }

    internal static double[] Jackknife(ResampleEvaluator evaluator)
    {
        int n = evaluator.N;
        var all = new int[n];
        for (int i = 0; i < n; i++)
        {
            all[i] = i;
        }

        double t0 = evaluator.Evaluate(all, evaluator.CreateScratch());
        if (!double.IsFinite(t0))
        {
            throw new StatisticsException($"The statistic is {t0} on the full data; jackknife influence values need a finite estimate.");
        }

        var l = new double[n];
        try
        {
            Parallel.For(
                0,
                n,
                () => (Indices: new int[n - 1], Scratch: evaluator.CreateScratch()),
                (i, _, state) =>
                {
                    all.AsSpan(0, i).CopyTo(state.Indices);
                    all.AsSpan(i + 1).CopyTo(state.Indices.AsSpan(i));
                    double ti = evaluator.Evaluate(state.Indices, state.Scratch);
                    l[i] = (n - 1) * (t0 - ti);
                    return state;
                },
                _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }

        foreach (double v in l)
        {
            if (!double.IsFinite(v))
            {
                throw new StatisticsException("The statistic is not finite on a leave-one-out sample; jackknife influence values are undefined.");
            }
        }

        return l;
    }

    /// <summary>
    /// Regression estimate of the influence values (R: <c>empinf(b, type = "reg")</c>, which <c>boot.ci</c> uses for
    /// BCa by default): the least-squares coefficients of the finite replicates t*_b on the resampling proportions
    /// f_bj / n, with intercept, centred to sum to zero. Solved by conjugate gradients on the centred design
    /// (minimum-norm solution, which equals R's drop-first-column-then-centre coefficients), to a relative
    /// normal-equation residual of 1e-13 (at worst 1e-9, else it throws).
    /// </summary>
    /// <param name="result">A bootstrap result (seeded or from explicit indices).</param>
    /// <exception cref="ArgumentNullException">No result.</exception>
    /// <exception cref="StatisticsException">Fewer finite replicates than data points (the regression is
    /// rank-deficient; R then fails with "estimated adjustment 'a' is NA"; use <see cref="InfluenceMethod.Jackknife"/>), or the solve did not converge.</exception>
    /// <exception cref="OverflowException">An influence value exceeds the double range (replicates near ±1.8e308).</exception>
    public static double[] Regression(BootstrapResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int n = result.SampleSize;
        var rows = new List<int>(result.Replicates.Length);
        for (int b = 0; b < result.Replicates.Length; b++)
        {
            if (double.IsFinite(result.Replicates[b]))
            {
                rows.Add(b);
            }
        }

        int m = rows.Count;
        if (m < n)
        {
            throw new StatisticsException(
                $"Regression influence values need at least as many finite replicates as data points ({m} < {n}); use InfluenceMethod.Jackknife or more replicates.");
        }

        if ((long)m * n > MaxDesignEntries)
        {
            throw new StatisticsException(
                $"Regression influence values would need a {m} x {n} frequency matrix (over {MaxDesignEntries:N0} entries); use InfluenceMethod.Jackknife.");
        }

        // Dense frequency matrix (counts f_bj, row-major, 2 bytes each: a count never exceeds n <= 65535 here).
        var counts = new ushort[(long)m * n];
        var colSum = new long[n];
        Parallel.For(
            0,
            m,
            () => new int[n],
            (r, _, indices) =>
            {
                result.FillIndices(rows[r], indices);
                Span<ushort> row = counts.AsSpan(r * n, n);
                foreach (int k in indices)
                {
                    row[k]++;
                }

                return indices;
            },
            _ => { });

        for (int r = 0; r < m; r++)
        {
            ReadOnlySpan<ushort> row = counts.AsSpan(r * n, n);
            for (int j = 0; j < n; j++)
            {
                colSum[j] += row[j];
            }
        }

        // Column means of the proportions f/n, for centring.
        var colMean = new double[n];
        for (int j = 0; j < n; j++)
        {
            colMean[j] = colSum[j] / ((double)m * n);
        }

        var y = new double[m];
        double tMean = 0.0;
        double largest = 0.0;
        for (int r = 0; r < m; r++)
        {
            double t = result.Replicates[rows[r]];
            tMean += t;
            largest = Math.Max(largest, Math.Abs(t));
        }

        tMean /= m;
        if (!double.IsFinite(tMean))
        {
            // The plain sum overflowed (replicates near 1e308): the overflow-safe mean.
            double[] values = new double[m];
            for (int r = 0; r < m; r++)
            {
                values[r] = result.Replicates[rows[r]];
            }

            tMean = Descriptive.MeanUnchecked(values);
        }

        // The solution is linear in y, so the solve runs on y (and the warm start) times a power of two that brings the
        // largest replicate to [1, 2) (at most 2^1023, for subnormal replicates), and the influence values are scaled
        // back at the end. A power of two scales exactly: every rounding is the same as without it, but the solver's
        // sums of squares can neither overflow (replicates beyond about 1e150) nor underflow to 0 (below about 1e-150).
        double scale = largest == 0.0 ? 1.0 : Math.ScaleB(1.0, Math.Min(1023, -Math.ILogB(largest)));
        double scaledMean = tMean * scale;
        for (int r = 0; r < m; r++)
        {
            y[r] = (result.Replicates[rows[r]] * scale) - scaledMean;
        }

        // Warm start: the jackknife values approximate the regression solution (exactly, for linear statistics
        // such as the mean), which cuts the iterations; centred, so the iterates stay orthogonal to the null
        // vector (1, ..., 1) and still converge to the minimum-norm solution.
        double[]? start = null;
        try
        {
            start = result.InfluenceValues(InfluenceMethod.Jackknife);
            for (int j = 0; j < n; j++)
            {
                start[j] *= scale;
            }

            double centreStart = start.Average();
            for (int j = 0; j < n; j++)
            {
                start[j] -= centreStart;
            }
        }
        catch (StatisticsException)
        {
            start = null; // statistic undefined on a leave-one-out sample: start from 0 instead.
        }

        var design = new CentredFrequencyDesign(counts, m, colMean, n);
        double[] beta = Cgls(design, y, n, m, start);
        double centre = 0.0;
        foreach (double v in beta)
        {
            centre += v;
        }

        centre /= n;
        for (int j = 0; j < n; j++)
        {
            beta[j] = (beta[j] - centre) / scale;
            if (!double.IsFinite(beta[j]))
            {
                throw new OverflowException("The regression influence values exceed the double range (replicates near ±1.8e308); rescale the statistic first.");
            }
        }

        return beta;
    }

    /// <summary>Conjugate gradients on the normal equations (CGLS), started from 0 so it converges to the minimum-norm solution.</summary>
    /// <summary>Iterations used by the most recent regression solve on this thread (for tests and diagnostics).</summary>
    [ThreadStatic]
    internal static int LastIterations;

    private static double[] Cgls(CentredFrequencyDesign a, double[] y, int n, int m, double[]? start)
    {
        var x = new double[n];
        var s = new double[n];
        a.MultiplyTransposed(y, s);
        double gamma0 = Dot(s, s); // convergence is judged relative to the residual at x = 0
        if (gamma0 == 0.0)
        {
            return x; // The replicates do not vary with the frequencies: every influence value is 0.
        }

        var r = (double[])y.Clone();
        var q = new double[m];
        if (start is not null)
        {
            start.CopyTo(x, 0);
            a.Multiply(x, q);
            for (int i = 0; i < m; i++)
            {
                r[i] -= q[i];
            }

            a.MultiplyTransposed(r, s);
        }

        var p = (double[])s.Clone();
        double gamma = Dot(s, s);
        LastIterations = 0;
        if (gamma <= TargetTolerance * TargetTolerance * gamma0)
        {
            return x;
        }

        double best = gamma;
        int sinceBest = 0;
        int maxIterations = (10 * n) + 100;
        for (int it = 0; it < maxIterations; it++)
        {
            LastIterations = it + 1;
            a.Multiply(p, q);
            double qq = Dot(q, q);
            if (qq == 0.0)
            {
                break;
            }

            double alpha = gamma / qq;
            for (int j = 0; j < n; j++)
            {
                x[j] += alpha * p[j];
            }

            for (int i = 0; i < m; i++)
            {
                r[i] -= alpha * q[i];
            }

            a.MultiplyTransposed(r, s);
            double gammaNew = Dot(s, s);
            if (gammaNew <= TargetTolerance * TargetTolerance * gamma0)
            {
                return x;
            }

            if (gammaNew < best)
            {
                best = gammaNew;
                sinceBest = 0;
            }
            else if (++sinceBest > 20)
            {
                break;
            }

            double beta = gammaNew / gamma;
            gamma = gammaNew;
            for (int j = 0; j < n; j++)
            {
                p[j] = s[j] + (beta * p[j]);
            }
        }

        a.MultiplyTransposed(r, s);
        if (Dot(s, s) <= AcceptTolerance * AcceptTolerance * gamma0)
        {
            return x;
        }

        throw new StatisticsException("The regression for the influence values did not converge (the frequency design is nearly singular); use InfluenceMethod.Jackknife.");
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0.0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>The m x n matrix of resampling proportions f_bj / n with its column means removed, applied matrix-free.</summary>
    private sealed class CentredFrequencyDesign(ushort[] counts, int m, double[] colMean, int n)
    {
        private const int Chunks = 64; // fixed, so summation order does not depend on the thread count
        private readonly double[][] partials = CreatePartials(n);

        private static double[][] CreatePartials(int n)
        {
            var parts = new double[Chunks][];
            for (int c = 0; c < Chunks; c++)
            {
                parts[c] = new double[n];
            }

            return parts;
        }

        public void Multiply(double[] v, double[] result)
        {
            double shift = 0.0;
            for (int j = 0; j < n; j++)
            {
                shift += colMean[j] * v[j];
            }

            double invN = 1.0 / n;
            Parallel.For(0, Chunks, chunk =>
            {
                int start = (int)((long)m * chunk / Chunks);
                int end = (int)((long)m * (chunk + 1) / Chunks);
                for (int b = start; b < end; b++)
                {
                    result[b] = (FrequencyKernels.Dot(counts.AsSpan(b * n, n), v) * invN) - shift;
                }
            });
        }

        public void MultiplyTransposed(double[] u, double[] result)
        {
            double invN = 1.0 / n;
            Parallel.For(0, Chunks, chunk =>
            {
                double[] acc = partials[chunk];
                Array.Clear(acc);
                int start = (int)((long)m * chunk / Chunks);
                int end = (int)((long)m * (chunk + 1) / Chunks);
                for (int b = start; b < end; b++)
                {
                    FrequencyKernels.AddScaled(counts.AsSpan(b * n, n), u[b] * invN, acc);
                }
            });

            double uSum = 0.0;
            foreach (double v in u)
            {
                uSum += v;
            }

            for (int j = 0; j < n; j++)
            {
                double s = 0.0;
                for (int chunk = 0; chunk < Chunks; chunk++)
                {
                    s += partials[chunk][j];
                }

                result[j] = s - (colMean[j] * uSum);
            }
        }
    }
}
