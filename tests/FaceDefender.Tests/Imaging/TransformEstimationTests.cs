using System.Numerics;
using FaceDefender.Imaging;

namespace FaceDefender.Tests.Imaging;

[Trait("Category", "Kernels")]
public class TransformEstimationTests
{
    private static Vector2[] Points(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => new Vector2((float)(rng.NextDouble() * 800), (float)(rng.NextDouble() * 600))).ToArray();
    }

    [Theory]
    [InlineData(0.3, 1.7, 12.5, -40.25)]
    [InlineData(-2.9, 0.25, 300, 7)]
    [InlineData(0, 1, 0, 0)]
    public void Umeyama_recovers_a_known_similarity(double theta, double scale, float tx, float ty)
    {
        var truth = new SimilarityTransform(scale, theta, new Vector2(tx, ty), 0);
        Vector2[] src = Points(52, 1);
        Vector2[] dst = src.Select(truth.Apply).ToArray();
        foreach (SimilarityScale mode in Enum.GetValues<SimilarityScale>())
        {
            SimilarityTransform t = TransformEstimation.EstimateSimilarity(src, dst, mode);
            t.Scale.Should().BeApproximately(scale, 1e-6 * scale);
            Math.IEEERemainder(t.Rotation - theta, 2 * Math.PI).Should().BeApproximately(0, 1e-6);
            t.Translation.X.Should().BeApproximately(tx, 1e-3f);
            t.RmsError.Should().BeLessThan(1e-3);
        }
    }

    [Fact]
    public void Mirrored_points_never_yield_a_reflection()
    {
        Vector2[] src = Points(10, 2);
        Vector2[] dst = src.Select(p => new Vector2(-p.X, p.Y)).ToArray();
        Matrix3x2 m = TransformEstimation.EstimateSimilarity(src, dst).ToMatrix();
        m.GetDeterminant().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Least_squares_scale_is_not_larger_than_ratio_of_spreads_under_noise()
    {
        var rng = new Random(3);
        Vector2[] src = Points(40, 4);
        Vector2[] dst = src.Select(p => (p * 0.5f) + new Vector2((float)rng.NextDouble() * 20, (float)rng.NextDouble() * 20)).ToArray();
        double ls = TransformEstimation.EstimateSimilarity(src, dst, SimilarityScale.LeastSquares).Scale;
        double ratio = TransformEstimation.EstimateSimilarity(src, dst, SimilarityScale.RatioOfSpreads).Scale;
        ls.Should().BeLessThanOrEqualTo(ratio);
        ls.Should().BeApproximately(0.5, 0.05);
    }

    [Fact]
    public void Affine_recovers_a_known_transform()
    {
        var truth = new Matrix3x2(1.2f, -0.3f, 0.45f, 0.9f, 17, -5);
        Vector2[] src = Points(20, 5);
        Vector2[] dst = src.Select(p => Vector2.Transform(p, truth)).ToArray();
        Matrix3x2 m = TransformEstimation.EstimateAffine(src, dst);
        m.M11.Should().BeApproximately(truth.M11, 1e-5f);
        m.M12.Should().BeApproximately(truth.M12, 1e-5f);
        m.M21.Should().BeApproximately(truth.M21, 1e-5f);
        m.M22.Should().BeApproximately(truth.M22, 1e-5f);
        m.M31.Should().BeApproximately(truth.M31, 1e-2f);
        m.M32.Should().BeApproximately(truth.M32, 1e-2f);
    }

    [Fact]
    public void Degenerate_input_fails_with_a_clear_error()
    {
        FluentActions.Invoking(() => TransformEstimation.EstimateSimilarity([new(1, 1)], [new(2, 2)]))
            .Should().Throw<ArgumentException>().WithMessage("*At least 2*");
        FluentActions.Invoking(() => TransformEstimation.EstimateSimilarity([new(1, 1), new(1, 1)], [new(2, 2), new(3, 3)]))
            .Should().Throw<ArgumentException>().WithMessage("*coincide*");
        FluentActions.Invoking(() => TransformEstimation.EstimateSimilarity([new(1, 1), new(2, 1)], [new(2, 2)]))
            .Should().Throw<ArgumentException>().WithMessage("*differ in size*");
        FluentActions.Invoking(() => TransformEstimation.EstimateAffine([new(0, 0), new(1, 1), new(2, 2)], [new(0, 0), new(1, 0), new(0, 1)]))
            .Should().Throw<ArgumentException>().WithMessage("*collinear*");
        FluentActions.Invoking(() => TransformEstimation.EstimateAffine([new(0, 0), new(1, 1), new(float.NaN, 2)], [new(0, 0), new(1, 0), new(0, 1)]))
            .Should().Throw<ArgumentException>().WithMessage("*not finite*");
    }
}
