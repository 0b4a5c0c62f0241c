using System.Numerics;
using BenchmarkDotNet.Attributes;
using FaceDefender.Benchmarks.Previous;
using FaceDefender.Imaging;

namespace FaceDefender.Benchmarks;

// The issue-2 speed targets at 1024 x 1024, one thread: for each kernel the current implementation, its scalar
// oracle and the previous vector implementation (frozen copies in Previous/, the baseline) in the same run.
// The OpenCV side is timed by benchmarks/peers/kernel_targets_opencv.py with the same sizes and transform.

/// <summary>Bilinear affine warp of a 1024 x 1024 Rgb24 image (rotation 0.12 rad, scale 1.07), constant border.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class WarpTargetBenchmarks
{
    private const int Size = 1024;
    private byte[] _src = [];
    private byte[] _dst = [];
    private Matrix3x2 _m;

    [GlobalSetup]
    public void Setup()
    {
        _src = BenchImages.Textured(Size, 1);
        _dst = new byte[_src.Length];
        _m = BenchImages.Rotation(Size);
    }

    [Benchmark(Description = "previous SSSE3 (1 px a step)")]
    public void Previous() => PreviousAffineWarp.WarpRgb24(_src, Size, Size, _dst, Size, Size, _m);

    [Benchmark(Baseline = true, Description = "previous AVX2 (8 px a step, session-3 start)")]
    public void PreviousAvx2() => PreviousAvx2AffineWarp.WarpRgb24(_src, Size, Size, _dst, Size, Size, _m);

    [Benchmark(Description = "scalar oracle")]
    public void Scalar() => AffineWarp.WarpRgb24Core(_src, Size, Size, _dst, Size, Size, _m, WarpBorderMode.Constant, default, null, 1, allowSimd: false);

    [Benchmark(Description = "current")]
    public void Current() => AffineWarp.WarpRgb24(_src, Size, Size, _dst, Size, Size, _m);

    [Benchmark(Description = "memory copy (3 MB)")]
    public void Copy() => _src.AsSpan().CopyTo(_dst);
}

/// <summary>
/// Gaussian blur k = 31 (σ from the size, OpenCV's rule) of a 1024 x 1024 Rgb24 image, reflect-101 border; the baseline
/// is the session-3 fixed-point kernel (frozen in Previous/).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class BlurTargetBenchmarks
{
    private const int Size = 1024;
    private byte[] _src = [];
    private byte[] _dst = [];
    private GaussianKernel _kernel = null!;

    [GlobalSetup]
    public void Setup()
    {
        _src = BenchImages.Textured(Size, 2);
        _dst = new byte[_src.Length];
        _kernel = GaussianKernel.FromSize(31);
    }

    [Benchmark(Description = "previous float AVX2 (session 1)")]
    public void Previous() => PreviousSeparableGaussianBlur.BlurRgb24(_src, _dst, Size, Size, _kernel);

    [Benchmark(Baseline = true, Description = "previous fixed point, row passes (session 3)")]
    public void PreviousFixedPoint() => PreviousFixedPointGaussianBlur.Run(_src, _dst, Size, Size, 3, _kernel, BlurBorderMode.Reflect101, new SixLabors.ImageSharp.Rectangle(0, 0, Size, Size), 1, allowSimd: true);

    [Benchmark(Description = "scalar oracle")]
    public void Scalar() => SeparableGaussianBlur.Run<byte, byte>(_src, _dst, Size, Size, 3, _kernel, BlurBorderMode.Reflect101, null, 1, allowSimd: false);

    [Benchmark(Description = "current")]
    public void Current() => SeparableGaussianBlur.BlurRgb24(_src, _dst, Size, Size, _kernel);
}

/// <summary>
/// Alpha blend of two 1024 x 1024 Rgb24 images against a plain 3 MB copy (the baseline): an eye-region mask (two
/// feathered eye polygons, mostly 0) and a worst-case mask that is fractional everywhere; current and previous.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class BlendTargetBenchmarks
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

    [Benchmark(Description = "current, eye mask")]
    public void EyeMask() => AlphaBlend.Blend(_a, _b, _eyeMask, _dst);

    [Benchmark(Description = "current, eye mask, in place")]
    public void EyeMaskInPlace() => AlphaBlend.Blend(_dst, _b, _eyeMask, _dst);

    [Benchmark(Description = "current, fractional everywhere")]
    public void Fractional() => AlphaBlend.Blend(_a, _b, _fullMask, _dst);

    [Benchmark(Description = "previous, eye mask")]
    public void PreviousEyeMask() => PreviousAlphaBlend.Blend(_a, _b, _eyeMask, _dst);

    [Benchmark(Description = "previous, fractional everywhere")]
    public void PreviousFractional() => PreviousAlphaBlend.Blend(_a, _b, _fullMask, _dst);

    [Benchmark(Description = "session 3, eye mask")]
    public void Session3EyeMask() => PreviousAvx2AlphaBlend.Blend(_a, _b, _eyeMask, _dst);

    [Benchmark(Description = "session 3, eye mask, in place")]
    public void Session3EyeMaskInPlace() => PreviousAvx2AlphaBlend.Blend(_dst, _b, _eyeMask, _dst);

    [Benchmark(Description = "session 3, fractional everywhere")]
    public void Session3Fractional() => PreviousAvx2AlphaBlend.Blend(_a, _b, _fullMask, _dst);

    [Benchmark(Description = "scalar oracle, fractional everywhere")]
    public void ScalarFractional() => AlphaBlend.BlendCore(_a, _b, _fullMask, _dst, allowSimd: false);
}

/// <summary>Bilinear warp of a 1024 x 1024 float plane (a mask), same transform as the Rgb24 warp, constant border.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PlaneWarpTargetBenchmarks
{
    private const int Size = 1024;
    private float[] _src = [];
    private float[] _dst = [];
    private Matrix3x2 _m;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        _src = new float[Size * Size];
        for (int i = 0; i < _src.Length; i++)
        {
            _src[i] = (float)rng.NextDouble();
        }

        _dst = new float[_src.Length];
        _m = BenchImages.Rotation(Size);
    }

    [Benchmark(Baseline = true, Description = "previous (scalar only)")]
    public void Previous() => PreviousAffineWarp.WarpPlane(_src, Size, Size, _dst, Size, Size, _m);

    [Benchmark(Description = "scalar oracle")]
    public void Scalar() => AffineWarp.WarpPlaneCore(_src, Size, Size, _dst, Size, Size, _m, WarpBorderMode.Constant, 0f, null, allowSimd: false);

    [Benchmark(Description = "current")]
    public void Current() => AffineWarp.WarpPlane(_src, Size, Size, _dst, Size, Size, _m);
}
