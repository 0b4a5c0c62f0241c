using System.Diagnostics;
using System.Numerics;
using FaceDefender.Imaging;

namespace FaceDefender.Benchmarks;

/// <summary>
/// <c>cputime [runs]</c>: the issue-2 target kernels at 1024 x 1024, one thread, timed per call both by the wall
/// clock and by the calling thread's CPU time (Linux CLOCK_THREAD_CPUTIME_ID). On a shared, overloaded machine the
/// thread CPU time leaves out the time the thread waits for a core, so it compares better with
/// benchmarks/peers/kernel_targets_opencv.py, which reports the same two clocks for OpenCV. Same inputs and
/// transform as <see cref="WarpTargetBenchmarks"/> and the other target benchmarks.
/// </summary>
internal static class CpuTimeHarness
{
    private const int Size = 1024;

    public static void Run(int runs)
    {
        byte[] img = BenchImages.Textured(Size, 1);
        byte[] img2 = BenchImages.Textured(Size, 6);
        byte[] dst = new byte[img.Length];
        float[] plane = new float[Size * Size];
        var rng = new Random(3);
        for (int i = 0; i < plane.Length; i++)
        {
            plane[i] = (float)rng.NextDouble();
        }

        float[] planeOut = new float[plane.Length];
        float[] eye = BenchImages.EyeMask(Size);
        float[] full = new float[Size * Size];
        for (int i = 0; i < full.Length; i++)
        {
            full[i] = 0.01f + (0.98f * (float)rng.NextDouble());
        }

        Matrix3x2 m = BenchImages.Rotation(Size);
        GaussianKernel k = GaussianKernel.FromSize(31);
        (string Name, Action Act)[] ops =
        [
            ("warpAffine u8 RGB", () => AffineWarp.WarpRgb24(img, Size, Size, dst, Size, Size, m)),
            ("warpAffine f32 plane", () => AffineWarp.WarpPlane(plane, Size, Size, planeOut, Size, Size, m)),
            ("GaussianBlur k=31 u8 RGB", () => SeparableGaussianBlur.BlurRgb24(img, dst, Size, Size, k)),
            ("copy 3 MB", () => img.AsSpan().CopyTo(dst)),
            ("blend, eye mask", () => AlphaBlend.Blend(img, img2, eye, dst)),
            ("blend, fractional mask", () => AlphaBlend.Blend(img, img2, full, dst)),
        ];
        Console.WriteLine($"FaceDefender {Environment.Version}, 1 thread, {runs} runs after 3 warm-up calls");
        foreach ((string name, Action act) in ops)
        {
            for (int i = 0; i < 3; i++)
            {
                act();
            }

            (double wallMin, double wallMedian, double cpuMin, double cpuMedian) = ThreadCpuClock.TimeRuns(runs, act);
            Console.WriteLine($"{name,-26} wall median {wallMedian,8:F3} ms  min {wallMin,8:F3} ms | thread CPU median {cpuMedian,8:F3} ms  min {cpuMin,8:F3} ms");
        }
    }
}
