using System.Diagnostics;
using System.Runtime.InteropServices;
using FaceDefender.Benchmarks.Previous;
using FaceDefender.Imaging;
using SixLabors.ImageSharp;

namespace FaceDefender.Benchmarks;

/// <summary>
/// <c>blurcpu [runs] [rounds]</c>: the 8-bit Gaussian blur k = 31 of a 1024 x 1024 RGB image, one thread, the current
/// kernel, its row kernel and the frozen session-3 kernel (<see cref="PreviousFixedPointGaussianBlur"/>) alternating call
/// by call, timed per call by the wall clock and the thread's CPU time (min / median). Each round also places the source and the
/// destination at a different offset within a 4 KB page (native memory, 64-byte aligned plus the offset) so that an
/// effect of buffer placement shows up as a spread between rounds rather than between processes.
/// <c>blurcpu-offsets [runs]</c> times the current kernel over a grid of source / destination offsets, and
/// <c>blurcpu-strips [runs]</c> over strip widths.
/// </summary>
internal static unsafe class BlurCpuTimeHarness
{
    private const int Size = 1024;

    public static void Run(int runs, int rounds)
    {
        byte[] img = BenchImages.Textured(Size, 2);
        GaussianKernel k = GaussianKernel.FromSize(31);
        Rectangle roi = new(0, 0, Size, Size);
        int n = img.Length;
        Console.WriteLine($"FaceDefender {Environment.Version}, blur k=31 1024x1024 RGB, 1 thread, {runs} runs a round after 45 warm-up calls");
        int[] offsets = [0, 1024, 2048, 3072, 64, 2112];
        for (int round = 0; round < rounds; round++)
        {
            int so = offsets[round % offsets.Length], dof = offsets[(round * 5 / 2) % offsets.Length];
            using var src = new NativeBuffer(n, so);
            using var dst = new NativeBuffer(n, dof);
            using var dst2 = new NativeBuffer(n, dof);
            img.CopyTo(src.Span);
            // The three kernels call by call in turn, so that a change of the machine's state (other processes, the
            // host) falls on all three alike.
            (double, double, double, double)[] t = Interleaved(
                runs,
                () => SeparableGaussianBlur.BlurRgb24(src.Span, dst.Span, Size, Size, k),
                () =>
                {
                    FixedPointGaussianBlur.UseStrips = false;
                    SeparableGaussianBlur.BlurRgb24(src.Span, dst.Span, Size, Size, k);
                    FixedPointGaussianBlur.UseStrips = true;
                },
                () => PreviousFixedPointGaussianBlur.Run(src.Span, dst2.Span, Size, Size, 3, k, BlurBorderMode.Reflect101, roi, 1, true));
            (double, double, double, double) cur = t[0], rowk = t[1], prev = t[2];
            bool same = dst.Span.SequenceEqual(dst2.Span);
            Console.WriteLine(
                $"round {round} src+{so,4} dst+{dof,4}  current cpu min {cur.Item3,7:F3} med {cur.Item4,7:F3} (wall {cur.Item1,7:F3}/{cur.Item2,7:F3})" +
                $" | row kernel cpu min {rowk.Item3,7:F3} med {rowk.Item4,7:F3}" +
                $" | previous cpu min {prev.Item3,7:F3} med {prev.Item4,7:F3} (wall {prev.Item1,7:F3}/{prev.Item2,7:F3})  ratio of min {cur.Item3 / prev.Item3:F2} {(same ? "same bytes" : "DIFFERENT BYTES")}");
        }
    }

    public static void Strips(int runs)
    {
        byte[] img = BenchImages.Textured(Size, 2);
        byte[] dst = new byte[img.Length];
        GaussianKernel k = GaussianKernel.FromSize(31);
        int keep = FixedPointGaussianBlur.StripValues;
        for (int round = 0; round < 2; round++)
        {
            foreach (int s in new[] { 96, 192, 288, 384, 576, 768, 1536, 3072 })
            {
                FixedPointGaussianBlur.StripValues = s;
                (double, double, double, double) t = Time(runs, () => SeparableGaussianBlur.BlurRgb24(img, dst, Size, Size, k));
                Console.WriteLine($"strip {s,4} values  cpu min {t.Item3,7:F3} med {t.Item4,7:F3}");
            }
        }

        FixedPointGaussianBlur.StripValues = keep;
    }

    public static void Offsets(int runs)
    {
        byte[] img = BenchImages.Textured(Size, 2);
        GaussianKernel k = GaussianKernel.FromSize(31);
        int n = img.Length;
        int[] grid = [0, 16, 1040, 2064, 3088];
        foreach (int so in grid)
        {
            foreach (int dof in grid)
            {
                using var src = new NativeBuffer(n, so);
                using var dst = new NativeBuffer(n, dof);
                img.CopyTo(src.Span);
                (double, double, double, double) t = Time(runs, () => SeparableGaussianBlur.BlurRgb24(src.Span, dst.Span, Size, Size, k));
                Console.WriteLine($"src+{so,4} dst+{dof,4}  cpu min {t.Item3,7:F3} med {t.Item4,7:F3}");
            }
        }

        // And the GC heap's own placement (large-object heap arrays), as the cputime harness uses.
        for (int rep = 0; rep < 3; rep++)
        {
            byte[] s1 = (byte[])img.Clone();
            byte[] d1 = new byte[n];
            fixed (byte* ps = s1)
            fixed (byte* pd = d1)
            {
                (double, double, double, double) t = Time(runs, () => SeparableGaussianBlur.BlurRgb24(s1, d1, Size, Size, k));
                Console.WriteLine($"GC arrays src at {(nint)ps % 4096,4} dst at {(nint)pd % 4096,4} (mod 4096)  cpu min {t.Item3,7:F3} med {t.Item4,7:F3}");
            }
        }
    }

    private static (double WallMin, double WallMedian, double CpuMin, double CpuMedian)[] Interleaved(int runs, params Action[] acts)
    {
        for (int i = 0; i < 40; i++)
        {
            foreach (Action a in acts)
            {
                a();
            }
        }

        Thread.Sleep(200);
        var wall = new double[acts.Length][];
        var cpu = new double[acts.Length][];
        for (int j = 0; j < acts.Length; j++)
        {
            wall[j] = new double[runs];
            cpu[j] = new double[runs];
        }

        for (int i = 0; i < runs; i++)
        {
            for (int j = 0; j < acts.Length; j++)
            {
                long c0 = ThreadCpuClock.Nanoseconds();
                long t0 = Stopwatch.GetTimestamp();
                acts[j]();
                wall[j][i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                cpu[j][i] = (ThreadCpuClock.Nanoseconds() - c0) / 1e6;
            }
        }

        var result = new (double, double, double, double)[acts.Length];
        for (int j = 0; j < acts.Length; j++)
        {
            Array.Sort(wall[j]);
            Array.Sort(cpu[j]);
            result[j] = (wall[j][0], wall[j][runs / 2], cpu[j][0], cpu[j][runs / 2]);
        }

        return result;
    }

    private static (double WallMin, double WallMedian, double CpuMin, double CpuMedian) Time(int runs, Action act)
    {
        // Past tiered compilation: enough calls for the loops to be recompiled, and time for the background compiler.
        for (int i = 0; i < 40; i++)
        {
            act();
        }

        Thread.Sleep(200);
        for (int i = 0; i < 5; i++)
        {
            act();
        }

        return ThreadCpuClock.TimeRuns(runs, act);
    }

    /// <summary>Native memory at a chosen offset from a 4 KB boundary.</summary>
    private sealed class NativeBuffer : IDisposable
    {
        private readonly byte* _base;
        private readonly int _length;
        private readonly int _offset;

        public NativeBuffer(int length, int offset)
        {
            _base = (byte*)NativeMemory.AlignedAlloc((nuint)(length + offset + 4096), 4096);
            _length = length;
            _offset = offset;
        }

        public Span<byte> Span => new(_base + _offset, _length);

        public void Dispose() => NativeMemory.AlignedFree(_base);
    }
}
