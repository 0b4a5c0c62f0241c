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
        double[] x = data.ToArray();
        int n = x.Length;
        double t0 = statistic(x);
        if (!double.IsFinite(t0))
        {
            throw new StatisticsException($"The statistic is {t0} on the full data; jackknife influence values need a finite estimate.");
        }

        var l = new double[n];
        Parallel.For(
            0,
            n,
            () => new double[n - 1],
            (i, _, buffer) =>
            {
                x.AsSpan(0, i).CopyTo(buffer);
                x.AsSpan(i + 1).CopyTo(buffer.AsSpan(i));
                double ti = statistic(buffer);
                l[i] = (n - 1) * (t0 - ti);
                return buffer;
            },
            _ => { });

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
    /// rank-deficient; R then fails with "estimated adjustment 'a' is NA"; use <see cref="Jackknife"/>), or the solve did not converge.</exception>
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

        // Sparse (CSR) frequency matrix: for each kept replicate, the distinct indices and their counts.
        var rowStart = new int[m + 1];
        var rowCols = new int[m][];
        var rowCounts = new float[m][];
        Parallel.For(
            0,
            m,
            () => (Indices: new int[n], Counts: new int[n]),
            (r, _, buf) =>
            {
                result.FillIndices(rows[r], buf.Indices);
                int distinct = 0;
                foreach (int k in buf.Indices)
                {
                    if (buf.Counts[k]++ == 0)
                    {
                        distinct++;
                    }
                }

                var cols = new int[distinct];
                var counts = new float[distinct];
                int c = 0;
                foreach (int k in buf.Indices)
                {
                    if (buf.Counts[k] > 0)
                    {
                        cols[c] = k;
                        counts[c] = buf.Counts[k];
                        buf.Counts[k] = 0;
                        c++;
                    }
                }

                rowCols[r] = cols;
                rowCounts[r] = counts;
                return buf;
            },
            _ => { });

        // Column means of the proportions f/n (for centring) and centred responses.
        var colMean = new double[n];
        for (int r = 0; r < m; r++)
        {
            int[] cols = rowCols[r];
            float[] counts = rowCounts[r];
            for (int c = 0; c < cols.Length; c++)
            {
                colMean[cols[c]] += counts[c];
            }
        }

        for (int j = 0; j < n; j++)
        {
            colMean[j] /= (double)m * n;
        }

        var y = new double[m];
        double tMean = 0.0;
        for (int r = 0; r < m; r++)
        {
            tMean += result.Replicates[rows[r]];
        }

        tMean /= m;
        for (int r = 0; r < m; r++)
        {
            y[r] = result.Replicates[rows[r]] - tMean;
        }

        var design = new CentredFrequencyDesign(rowCols, rowCounts, colMean, n);
        double[] beta = Cgls(design, y, n, m);
        double centre = 0.0;
        foreach (double v in beta)
        {
            centre += v;
        }

        centre /= n;
        for (int j = 0; j < n; j++)
        {
            beta[j] -= centre;
        }

        return beta;
    }

    /// <summary>Conjugate gradients on the normal equations (CGLS), started from 0 so it converges to the minimum-norm solution.</summary>
    private static double[] Cgls(CentredFrequencyDesign a, double[] y, int n, int m)
    {
        var x = new double[n];
        var r = (double[])y.Clone();
        var s = new double[n];
        a.MultiplyTransposed(r, s);
        var p = (double[])s.Clone();
        var q = new double[m];
        double gamma = Dot(s, s);
        double gamma0 = gamma;
        if (gamma0 == 0.0)
        {
            return x; // The replicates do not vary with the frequencies: every influence value is 0.
        }

        double best = gamma;
        int sinceBest = 0;
        int maxIterations = (10 * n) + 100;
        for (int it = 0; it < maxIterations; it++)
        {
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
    private sealed class CentredFrequencyDesign(int[][] cols, float[][] counts, double[] colMean, int n)
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
            Parallel.For(0, cols.Length, b =>
            {
                int[] c = cols[b];
                float[] f = counts[b];
                double sum = 0.0;
                for (int k = 0; k < c.Length; k++)
                {
                    sum += f[k] * v[c[k]];
                }

                result[b] = (sum * invN) - shift;
            });
        }

        public void MultiplyTransposed(double[] u, double[] result)
        {
            int m = cols.Length;
            double invN = 1.0 / n;
            Parallel.For(0, Chunks, chunk =>
            {
                double[] acc = partials[chunk];
                Array.Clear(acc);
                int start = (int)((long)m * chunk / Chunks);
                int end = (int)((long)m * (chunk + 1) / Chunks);
                for (int b = start; b < end; b++)
                {
                    int[] c = cols[b];
                    float[] f = counts[b];
                    double ub = u[b] * invN;
                    for (int k = 0; k < c.Length; k++)
                    {
                        acc[c[k]] += f[k] * ub;
                    }
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
