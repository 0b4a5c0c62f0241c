using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using FaceDefender.Benchmarks.Previous;
using FaceDefender.Imaging;

namespace FaceDefender.Benchmarks;

/// <summary>
/// <c>blendcpu [runs] [rounds]</c>: alpha blend of two 1024 x 1024 RGB images against a plain 3 MB copy, one thread,
/// alternating call by call the copy, a traffic floor, the current blend and the frozen session-3 blend (<see cref="PreviousAvx2AlphaBlend"/>)
/// with the eye mask (out of place and in place) and a mask fractional everywhere; per call the thread's CPU time
/// (min / median) and each blend's ratio of minima to the copy of the same round.
/// </summary>
internal static class BlendCpuTimeHarness
{
    private const int Size = 1024;

    public static void Run(int runs, int rounds)
    {
        byte[] a = BenchImages.Textured(Size, 5);
        byte[] b = BenchImages.Textured(Size, 6);
        byte[] dst = new byte[a.Length];
        byte[] dst2 = new byte[a.Length];
        float[] eye = BenchImages.EyeMask(Size);
        float[] full = new float[Size * Size];
        var rng = new Random(7);
        for (int i = 0; i < full.Length; i++)
        {
            full[i] = 0.01f + (0.98f * (float)rng.NextDouble());
        }

        AlphaBlend.Blend(a, b, full, dst);
        PreviousAvx2AlphaBlend.Blend(a, b, full, dst2);
        bool same = dst.AsSpan().SequenceEqual(dst2);
        AlphaBlend.Blend(a, b, eye, dst);
        PreviousAvx2AlphaBlend.Blend(a, b, eye, dst2);
        same &= dst.AsSpan().SequenceEqual(dst2);
        Console.WriteLine($"FaceDefender {Environment.Version}, blend 1024x1024 RGB, 1 thread, {runs} runs a case a round; current and previous give {(same ? "the same bytes" : "DIFFERENT BYTES")}");
        (string Name, Action Act)[] ops =
        [
            ("copy 3 MB", () => a.AsSpan().CopyTo(dst)),
            ("traffic floor (read 2 images + mask, write 1)", () => TrafficFloor(a, b, full, dst)),
            ("current eye mask", () => AlphaBlend.Blend(a, b, eye, dst)),
            ("previous eye mask", () => PreviousAvx2AlphaBlend.Blend(a, b, eye, dst)),
            ("current eye mask in place", () => AlphaBlend.Blend(dst2, b, eye, dst2)),
            ("previous eye mask in place", () => PreviousAvx2AlphaBlend.Blend(dst2, b, eye, dst2)),
            ("current fractional", () => AlphaBlend.Blend(a, b, full, dst)),
            ("previous fractional", () => PreviousAvx2AlphaBlend.Blend(a, b, full, dst)),
        ];
        for (int round = 0; round < rounds; round++)
        {
            // Every case call by call in turn, so that a change of the machine's state falls on all of them alike.
            for (int i = 0; i < 60; i++)
            {
                foreach ((string _, Action act) in ops)
                {
                    act();
                }
            }

            Thread.Sleep(200);
            var cpu = new double[ops.Length][];
            for (int j = 0; j < ops.Length; j++)
            {
                cpu[j] = new double[runs];
            }

            for (int i = 0; i < runs; i++)
            {
                for (int j = 0; j < ops.Length; j++)
                {
                    long c0 = ThreadCpuClock.Nanoseconds();
                    ops[j].Act();
                    cpu[j][i] = (ThreadCpuClock.Nanoseconds() - c0) / 1e6;
                }
            }

            var line = new System.Text.StringBuilder($"round {round}:");
            double copy = 0;
            for (int j = 0; j < ops.Length; j++)
            {
                Array.Sort(cpu[j]);
                double min = cpu[j][0], med = cpu[j][runs / 2];
                copy = j == 0 ? min : copy;
                line.Append($"  {ops[j].Name} {min:F3}/{med:F3} ms ({min / copy:F2}x)");
            }

            Console.WriteLine(line);
        }
    }

    /// <summary>
    /// The memory traffic of a blend with almost no arithmetic: dst = a | b in one pass that also reads the float mask
    /// (13 MB read, 3 MB written at 1024 x 1024), the floor a blend cannot go below.
    /// </summary>
    private static void TrafficFloor(byte[] a, byte[] b, float[] mask, byte[] dst)
    {
        var acc = Vector256<uint>.Zero;
        ref byte a0 = ref a[0];
        ref byte b0 = ref b[0];
        ref byte d0 = ref dst[0];
        ref float m0 = ref mask[0];
        int n = mask.Length;
        for (int i = 0; i <= n - 32; i += 32)
        {
            ref float m = ref Unsafe.Add(ref m0, i);
            acc |= Vector256.LoadUnsafe(ref m).AsUInt32() | Vector256.LoadUnsafe(ref m, 8).AsUInt32()
                | Vector256.LoadUnsafe(ref m, 16).AsUInt32() | Vector256.LoadUnsafe(ref m, 24).AsUInt32();
            nuint o = (nuint)(i * 3);
            for (nuint k = 0; k < 96; k += 32)
            {
                (Vector256.LoadUnsafe(ref a0, o + k) | Vector256.LoadUnsafe(ref b0, o + k)).StoreUnsafe(ref d0, o + k);
            }
        }

        dst[0] |= (byte)(acc.ToScalar() & 1);
    }

}
