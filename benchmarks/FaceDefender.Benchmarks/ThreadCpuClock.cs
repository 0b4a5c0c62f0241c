using System.Runtime.InteropServices;

namespace FaceDefender.Benchmarks;

/// <summary>
/// The calling thread's CPU time (Linux CLOCK_THREAD_CPUTIME_ID), for the <c>cputime</c>, <c>avatarcpu</c> and
/// <c>landmarkcpu</c> harnesses: on a shared machine it leaves out the time the thread waits for a core.
/// </summary>
internal static class ThreadCpuClock
{
    /// <summary>Nanoseconds of CPU time used by the calling thread so far; 0 where the clock is unavailable.</summary>
    public static long Nanoseconds()
    {
        const int ClockThreadCpuTimeId = 3;
        return ClockGetTime(ClockThreadCpuTimeId, out TimeSpec t) == 0 ? (t.Seconds * 1_000_000_000) + t.Nanoseconds : 0;
    }

    /// <summary>Times <paramref name="runs"/> calls of <paramref name="act"/> (warm it up first): wall and thread-CPU minimum and median, ms.</summary>
    public static (double WallMin, double WallMedian, double CpuMin, double CpuMedian) TimeRuns(int runs, Action act)
    {
        var wall = new double[runs];
        var cpu = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long c0 = Nanoseconds();
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            act();
            wall[i] = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            cpu[i] = (Nanoseconds() - c0) / 1e6;
        }

        Array.Sort(wall);
        Array.Sort(cpu);
        return (wall[0], wall[runs / 2], cpu[0], cpu[runs / 2]);
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
