using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace FaceDefender.Statistics;

/// <summary>
/// The distribution functions the package needs, as R names them. Normal functions use MathNet's
/// erfc-based implementations (relative accuracy near machine precision, also in the far tails);
/// the t quantile is MathNet's estimate polished by Newton steps on the exact t CDF.
/// </summary>
internal static class Distributions
{
    private const double Sqrt2 = 1.4142135623730950488;

    /// <summary>R: pnorm(x), lower tail.</summary>
    public static double Pnorm(double x) => 0.5 * SpecialFunctions.Erfc(-x / Sqrt2);

    /// <summary>R: pnorm(x, lower.tail = FALSE), accurate for large x.</summary>
    public static double PnormUpper(double x) => 0.5 * SpecialFunctions.Erfc(x / Sqrt2);

    /// <summary>R: qnorm(p).</summary>
    public static double Qnorm(double p)
    {
        if (p <= 0.0)
        {
            return double.NegativeInfinity;
        }

        if (p >= 1.0)
        {
            return double.PositiveInfinity;
        }

        return -Sqrt2 * SpecialFunctions.ErfcInv(2.0 * p);
    }

    /// <summary>R: qt(p, df) for 0 &lt; p &lt; 1 and df &gt;= 1.</summary>
    public static double Qt(double p, double df)
    {
        if (p == 0.5)
        {
            return 0.0;
        }

        // Work in the lower tail for accuracy, then mirror.
        bool upper = p > 0.5;
        double q = upper ? 1.0 - p : p;
        double x = StudentT.InvCDF(0.0, 1.0, df, q);
        if (!double.IsFinite(x))
        {
            x = Qnorm(q);
        }

        for (int i = 0; i < 8; i++)
        {
            double f = StudentTLowerTail(x, df) - q;
            double d = StudentT.PDF(0.0, 1.0, df, x);
            if (d <= 0.0 || !double.IsFinite(d))
            {
                break;
            }

            double step = f / d;
            x -= step;
            if (Math.Abs(step) <= 1e-15 * Math.Max(1.0, Math.Abs(x)))
            {
                break;
            }
        }

        return upper ? -x : x;
    }

    /// <summary>P(T &lt;= x) for x &lt;= 0 via the regularized incomplete beta function (no cancellation).</summary>
    private static double StudentTLowerTail(double x, double df)
    {
        double tail = 0.5 * SpecialFunctions.BetaRegularized(df / 2.0, 0.5, df / (df + (x * x)));
        return x <= 0 ? tail : 1.0 - tail;
    }
}
