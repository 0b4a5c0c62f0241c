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

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
