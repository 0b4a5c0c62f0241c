using BenchmarkDotNet.Attributes;
using FaceDefender.Imaging;

namespace FaceDefender.Benchmarks;

/// <summary>
/// Alpha blend at 1024 x 1024 RGB against a plain copy of the output-sized image (baseline), with an
/// eye-region mask (mostly 0, feathered edges) and a worst-case mask that is fractional everywhere.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class BlendBenchmarks
{
    private const int Size = 1024;
    private byte[] _a = [];
    private byte[] _b = [];
    private byte[] _dst = [];
    private float[] _eyeMask = [];
    private float[] _fullMask = [];

    [GlobalSetup]
    public void Setup()
    {
        _a = BenchImages.Textured(Size, 5);
        _b = BenchImages.Textured(Size, 6);
        _dst = new byte[_a.Length];
        _eyeMask = BenchImages.EyeMask(Size);
        _fullMask = new float[Size * Size];
        var rng = new Random(7);
        for (int i = 0; i < _fullMask.Length; i++)
        {
            _fullMask[i] = 0.01f + (0.98f * (float)rng.NextDouble());
        }
    }

    [Benchmark(Baseline = true, Description = "memory copy (3 MB)")]
    public void Copy() => _a.AsSpan().CopyTo(_dst);

    [Benchmark(Description = "blend, eye mask")]
    public void BlendEyes() => AlphaBlend.Blend(_a, _b, _eyeMask, _dst);

    [Benchmark(Description = "blend, fractional everywhere")]
    public void BlendFull() => AlphaBlend.Blend(_a, _b, _fullMask, _dst);

    [Benchmark(Description = "blend scalar, fractional everywhere")]
    public void BlendFullScalar() => AlphaBlend.BlendCore(_a, _b, _fullMask, _dst, allowSimd: false);
}
