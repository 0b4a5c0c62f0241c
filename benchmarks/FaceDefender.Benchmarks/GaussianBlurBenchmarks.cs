using BenchmarkDotNet.Attributes;
using FaceDefender.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Benchmarks;

/// <summary>Gaussian blur k = 31 (σ = 5, OpenCV's rule) of an RGB image: ImageSharp (baseline), our scalar and vector paths.</summary>
[MemoryDiagnoser]
[MinColumn]
public class GaussianBlurBenchmarks
{
    private byte[] _src = [];
    private byte[] _dst = [];
    private Image<Rgb24> _image = null!;
    private GaussianKernel _kernel = null!;

    [Params(512, 1024, 2048)]
    public int Size { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _src = BenchImages.Textured(Size, 2);
        _dst = new byte[_src.Length];
        _image = BenchImages.ToImage(_src, Size);
        _kernel = GaussianKernel.FromSize(31);
        Configuration.Default.MaxDegreeOfParallelism = Threads;
    }

    [GlobalCleanup]
    public void Cleanup() => _image.Dispose();

    [Benchmark(Baseline = true, Description = "ImageSharp GaussianBlur(5)")]
    public void ImageSharpBlur()
    {
        using Image<Rgb24> r = _image.Clone(ctx => ctx.GaussianBlur(_kernel.Sigma));
    }

    [Benchmark(Description = "FaceDefender scalar k=31")]
    public void Scalar() => SeparableGaussianBlur.Run<byte, byte>(_src, _dst, Size, Size, 3, _kernel, BlurBorderMode.Reflect101, null, Threads, allowSimd: false);

    [Benchmark(Description = "FaceDefender SIMD k=31")]
    public void Simd() => SeparableGaussianBlur.BlurRgb24(_src, _dst, Size, Size, _kernel, maxDegreeOfParallelism: Threads);
}
