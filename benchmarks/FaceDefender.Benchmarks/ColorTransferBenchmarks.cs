using BenchmarkDotNet.Attributes;
using FaceDefender.Imaging;

namespace FaceDefender.Benchmarks;

/// <summary>
/// Colour correction (warped · G(avatar) / G(warped)) at 1024 x 1024, one thread: exact Gaussian (baseline)
/// vs the sigma-independent fast blur, over the whole image and limited to an eye-region mask.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class ColorTransferBenchmarks
{
    private const int Size = 1024;
    private byte[] _warped = [];
    private byte[] _avatar = [];
    private byte[] _dst = [];
    private float[] _mask = [];

    [Params(23f, 30f)]
    public float Sigma { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _warped = BenchImages.Textured(Size, 3);
        _avatar = BenchImages.Textured(Size, 4);
        _dst = new byte[_warped.Length];
        _mask = BenchImages.EyeMask(Size);
    }

    [Benchmark(Baseline = true, Description = "exact blur, whole image")]
    public void ExactWhole() => ColorTransfer.Apply(_warped, _avatar, default, _dst, Size, Size, Sigma, ColorTransferBlur.Exact);

    [Benchmark(Description = "fast blur, whole image")]
    public void FastWhole() => ColorTransfer.Apply(_warped, _avatar, default, _dst, Size, Size, Sigma, ColorTransferBlur.Fast);

    [Benchmark(Description = "fast blur, eye mask")]
    public void FastMasked() => ColorTransfer.Apply(_warped, _avatar, _mask, _dst, Size, Size, Sigma, ColorTransferBlur.Fast);
}
