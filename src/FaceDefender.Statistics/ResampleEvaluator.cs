namespace FaceDefender.Statistics;

/// <summary>Evaluates the user's statistic on a resample given by indices; one scratch object per thread.</summary>
internal abstract class ResampleEvaluator(int n)
{
    public int N { get; } = n;

    public abstract object? CreateScratch();

    public abstract double Evaluate(ReadOnlySpan<int> indices, object? scratch);
}

/// <summary>Statistic on values: gathers data[indices] into the thread's buffer first.</summary>
internal sealed class ValueEvaluator(double[] data, BootstrapStatistic statistic) : ResampleEvaluator(data.Length)
{
    public override object? CreateScratch() => new double[data.Length];

    public override double Evaluate(ReadOnlySpan<int> indices, object? scratch)
    {
        var buffer = ((double[])scratch!).AsSpan(0, indices.Length);
        for (int i = 0; i < indices.Length; i++)
        {
            buffer[i] = data[indices[i]];
        }

        return statistic(buffer);
    }
}

/// <summary>Statistic on indices: the caller holds the data.</summary>
internal sealed class IndexEvaluator(int n, BootstrapIndexStatistic statistic) : ResampleEvaluator(n)
{
    public override object? CreateScratch() => null;

    public override double Evaluate(ReadOnlySpan<int> indices, object? scratch) => statistic(indices);
}
