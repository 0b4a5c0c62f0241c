namespace FaceDefender.Statistics;

/// <summary>
/// Shapiro-Wilk W test of normality with Royston's (1992, 1995; Applied Statistics algorithm AS R94)
/// approximations for the coefficients and the p-value, for 3 &lt;= n &lt;= 5000, following the
/// behaviour of R's <c>shapiro.test</c>. Implemented from the published algorithm.
/// </summary>
public static class ShapiroWilk
{
    /// <summary>Smallest sample size the test is defined for.</summary>
    public const int MinimumSampleSize = 3;

    /// <summary>Largest sample size Royston's approximation covers (R's limit too).</summary>
    public const int MaximumSampleSize = 5000;

    // Royston (1995) polynomial coefficients (published constants).
    private static readonly double[] G = [-2.273, 0.459];
    private static readonly double[] C1 = [0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
    private static readonly double[] C2 = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
    private static readonly double[] C3 = [0.544, -0.39978, 0.025054, -6.714e-4];
    private static readonly double[] C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
    private static readonly double[] C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
    private static readonly double[] C6 = [-0.4803, -0.082676, 0.0030302];

    /// <summary>
    /// Tests <paramref name="data"/> for normality (R: <c>shapiro.test(x)</c>). The input need not be sorted.
    /// </summary>
    /// <param name="data">Between 3 and 5000 finite values, not all identical.</param>
    /// <exception cref="ArgumentException">Fewer than 3 or more than 5000 values, a NaN or infinite value,
    /// or all values identical (W is undefined).</exception>
    public static ShapiroWilkResult Test(ReadOnlySpan<double> data)
    {
        Guard.Finite(data, nameof(data), MinimumSampleSize);
        if (data.Length > MaximumSampleSize)
        {
            throw new ArgumentException(
                $"'data' has {data.Length} values; Royston's Shapiro-Wilk approximation is defined for 3 to 5000 (R has the same limit). Test a random subsample or use another normality check.",
                nameof(data));
        }

        double[] x = Guard.SortedCopy(data);
        int n = x.Length;
        double range = x[n - 1] - x[0];
        if (range == 0.0)
        {
            throw new ArgumentException("All values in 'data' are identical; the Shapiro-Wilk W is undefined for constant data.", nameof(data));
        }

        if (range < 1e-10)
        {
            // As R: rescale tiny ranges so the algorithm's range check does not trip.
            for (int i = 0; i < n; i++)
            {
                x[i] /= range;
            }
        }

        double[] a = Coefficients(n);
        double w = Statistic(x, a);
        double p = PValue(w, n);
        return new ShapiroWilkResult(w, p, n);
    }

    /// <summary>Royston's approximation to the half-vector of Shapiro-Wilk coefficients a[1..n/2] (index 0 unused).</summary>
    private static double[] Coefficients(int n)
    {
        int half = n / 2;
        var a = new double[half + 1];
        if (n == 3)
        {
            a[1] = Math.Sqrt(0.5);
            return a;
        }

        double an25 = n + 0.25;
        var m = new double[half + 1];
        double summ2 = 0.0;
        for (int i = 1; i <= half; i++)
        {
            m[i] = Distributions.Qnorm((i - 0.375) / an25);
            summ2 += m[i] * m[i];
        }

        summ2 *= 2.0;
        double ssumm2 = Math.Sqrt(summ2);
        double rsn = 1.0 / Math.Sqrt(n);
        double a1 = Poly(C1, rsn) - (m[1] / ssumm2);

        int first;
        double fac;
        if (n > 5)
        {
            first = 3;
            double a2 = (-m[2] / ssumm2) + Poly(C2, rsn);
            fac = Math.Sqrt((summ2 - (2.0 * m[1] * m[1]) - (2.0 * m[2] * m[2])) / (1.0 - (2.0 * a1 * a1) - (2.0 * a2 * a2)));
            a[2] = a2;
        }
        else
        {
            first = 2;
            fac = Math.Sqrt((summ2 - (2.0 * m[1] * m[1])) / (1.0 - (2.0 * a1 * a1)));
        }

        a[1] = a1;
        for (int i = first; i <= half; i++)
        {
            a[i] = -m[i] / fac;
        }

        return a;
    }

    /// <summary>
    /// W as the squared correlation between the ordered data and the antisymmetric coefficient vector,
    /// computed as 1 - (1 - r^2) in the cancellation-free form Royston uses.
    /// </summary>
    private static double Statistic(double[] x, double[] a)
    {
        int n = x.Length;

        // W does not depend on the scale. A range beyond the double range (values of both signs near 1e308) would make
        // every x / range 0 and W NaN, so then the data are halved first (exact: a power of two).
        double scale = double.IsFinite(x[n - 1] - x[0]) ? 1.0 : 0.5;
        double range = (x[n - 1] * scale) - (x[0] * scale);

        // Full antisymmetric coefficient: c_i = -a[i+1] for the lower half, +a[n-i] for the upper half, 0 in the middle.
        double Coef(int i)
        {
            int j = n - 1 - i;
            if (i == j)
            {
                return 0.0;
            }

            return i < j ? -a[i + 1] : a[j + 1];
        }

        double sa = 0.0;
        double sx = 0.0;
        for (int i = 0; i < n; i++)
        {
            sa += Coef(i);
            sx += x[i] * scale / range;
        }

        sa /= n;
        sx /= n;
        double ssa = 0.0;
        double ssx = 0.0;
        double sax = 0.0;
        for (int i = 0; i < n; i++)
        {
            double asa = Coef(i) - sa;
            double xsx = (x[i] * scale / range) - sx;
            ssa += asa * asa;
            ssx += xsx * xsx;
            sax += asa * xsx;
        }

        double ssassx = Math.Sqrt(ssa * ssx);
        double w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx);
        return 1.0 - w1;
    }

    /// <summary>Royston's p-value: exact for n = 3, normalising transformations of log(1 - W) otherwise.</summary>
    private static double PValue(double w, int n)
    {
        if (n == 3)
        {
            // Exact distribution for n = 3: P = (6/pi) * (asin(sqrt(W)) - pi/3), with the 15-digit constants
            // published in AS R94 (as R uses), so W = 3/4 gives exactly 0.
            const double sixOverPi = 1.90985931710274;
            const double piOverThree = 1.04719755119660;
            double p3 = sixOverPi * (Math.Asin(Math.Sqrt(w)) - piOverThree);
            return Math.Max(p3, 0.0);
        }

        double y = Math.Log(1.0 - w);
        double mean;
        double sd;
        if (n <= 11)
        {
            double gamma = Poly(G, n);
            if (y >= gamma)
            {
                // Beyond the range of the transformation: W is so small that P is effectively 0 (R reports 1e-99).
                return 1e-99;
            }

            y = -Math.Log(gamma - y);
            mean = Poly(C3, n);
            sd = Math.Exp(Poly(C4, n));
        }
        else
        {
            double logN = Math.Log(n);
            mean = Poly(C5, logN);
            sd = Math.Exp(Poly(C6, logN));
        }

        return Distributions.PnormUpper((y - mean) / sd);
    }

    /// <summary>c[0] + c[1] x + c[2] x^2 + ... by Horner's rule.</summary>
    private static double Poly(double[] c, double x)
    {
        double result = c[^1];
        for (int i = c.Length - 2; i >= 0; i--)
        {
            result = (result * x) + c[i];
        }

        return result;
    }
}
