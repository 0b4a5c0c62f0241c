namespace FaceDefender.Statistics.Tests;

[Trait("Category", "Kernels")]
public class FrequencyKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1163)]
    public void Vector_paths_equal_the_scalar_reference(int n)
    {
        var rng = new Random(n);
        ushort[] counts = Enumerable.Range(0, n).Select(_ => (ushort)rng.Next(0, 700)).ToArray();
        double[] v = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();

        double reference = 0;
        for (int j = 0; j < n; j++)
        {
            reference += counts[j] * v[j];
        }

        FrequencyKernels.Dot(counts, v).Should().BeApproximately(reference, 1e-12 * counts.Sum(c => (double)c));

        double[] acc = v.ToArray();
        FrequencyKernels.AddScaled(counts, 0.37, acc);
        for (int j = 0; j < n; j++)
        {
            acc[j].Should().Be(v[j] + (counts[j] * 0.37), "each element is one multiply-add in either path");
        }
    }
}
