using System.Numerics;
using BenchmarkDotNet.Attributes;
using FaceDefender.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Benchmarks;

/// <summary>Bilinear affine warp of an RGB image: ImageSharp's Transform (baseline), our scalar path, our SSSE3 path.</summary>
[MemoryDiagnoser]
[MinColumn]
public class WarpBenchmarks
{
    private byte[] _src = [];
    private byte[] _dst = [];
    private Image<Rgb24> _image = null!;
    private Matrix3x2 _m;

    [Params(512, 1024, 2048)]
    public int Size { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _src = BenchImages.Textured(Size, 1);
        _dst = new byte[_src.Length];
        _image = BenchImages.ToImage(_src, Size);
        _m = BenchImages.Rotation(Size);
        Configuration.Default.MaxDegreeOfParallelism = Threads;
    }

    [GlobalCleanup]
    public void Cleanup() => _image.Dispose();

    [Benchmark(Baseline = true, Description = "ImageSharp Transform (bilinear)")]
    public void ImageSharpTransform()
    {
        using Image<Rgb24> r = _image.Clone(ctx => ctx.Transform(new Rectangle(0, 0, Size, Size), _m, new Size(Size, Size), KnownResamplers.Triangle));
    }

    [Benchmark(Description = "FaceDefender scalar")]
    public void Scalar() => AffineWarp.WarpRgb24Core(_src, Size, Size, _dst, Size, Size, _m, WarpBorderMode.Constant, default, null, Threads, allowSimd: false);

    [Benchmark(Description = "FaceDefender SIMD")]
    public void Simd() => AffineWarp.WarpRgb24(_src, Size, Size, _dst, Size, Size, _m, maxDegreeOfParallelism: Threads);
}
