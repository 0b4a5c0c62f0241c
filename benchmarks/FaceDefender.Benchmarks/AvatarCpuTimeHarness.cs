using System.Diagnostics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.Rendering;
using FaceDefender.Benchmarks.AvatarRenderBaseline;

namespace FaceDefender.Benchmarks;

/// <summary>
/// <c>avatarcpu [runs] [size]</c>: one procedural avatar render on one thread (5 frontal avatars, including the two slowest
/// children, and 2 turned heads as drawn for turned faces), the current renderer and the frozen
/// session-1 renderer (<see cref="BaselineFaceRasterizer"/>) interleaved call by call, timed by the calling thread's
/// CPU time (Linux CLOCK_THREAD_CPUTIME_ID) and the wall clock. Interleaving and thread CPU time make the
/// current / baseline ratio usable on a loaded machine, where BenchmarkDotNet's wall-clock figures are too noisy.
/// </summary>
internal static class AvatarCpuTimeHarness
{
    private static readonly (AvatarSex Sex, int Age, SkinTone Tone, float Yaw, float Pitch)[] Avatars =
    [
        (AvatarSex.Female, 30, SkinTone.Light, 0, 0),
        (AvatarSex.Male, 70, SkinTone.Dark, 0, 0),
        (AvatarSex.Female, 5, SkinTone.Medium, 0, 0),
        (AvatarSex.Male, 40, SkinTone.Light, 0, 0),
        (AvatarSex.Female, 5, SkinTone.Light, 0, 0),
        (AvatarSex.Female, 40, SkinTone.Light, 40, 0),
        (AvatarSex.Male, 60, SkinTone.Medium, -30, 25),
    ];

    public static void Run(int runs, int size)
    {
        Console.WriteLine($"FaceDefender {Environment.Version}, 1 thread, {size} x {size}, {runs} interleaved runs after 2 warm-up calls each");
        Console.WriteLine($"{"avatar",-20} {"baseline CPU min/med ms",24} {"current CPU min/med ms",24} {"ratio min",10} {"ratio med",10} {"wall med ms (b/c)",18}");
        foreach ((AvatarSex sex, int age, SkinTone tone, float yaw, float pitch) in Avatars)
        {
            AvatarLook look = AvatarLook.Create(sex, age, tone, ProceduralAvatarProvider.IdentitySeed(0));
            var pose = new PoseDegrees(0f, yaw, pitch);
            int Baseline() => BaselineFaceRasterizer.Render(FaceModel.Build(look, default, default), look, pose, size, size, 1f).Rgb.Length;
            int Current() => FaceRasterizer.Render(FaceModel.Build(look, default, default), look, pose, size, size, 1f).Rgb.Length;
            for (int i = 0; i < 2; i++)
            {
                Baseline();
                Current();
            }

            var cpuB = new double[runs];
            var cpuC = new double[runs];
            var wallB = new double[runs];
            var wallC = new double[runs];
            for (int i = 0; i < runs; i++)
            {
                (cpuB[i], wallB[i]) = Time(Baseline);
                (cpuC[i], wallC[i]) = Time(Current);
            }

            Array.Sort(cpuB);
            Array.Sort(cpuC);
            Array.Sort(wallB);
            Array.Sort(wallC);
            string name = $"{sex.ToString().ToLowerInvariant()}-{age}-{tone.ToString().ToLowerInvariant()}{(yaw != 0 || pitch != 0 ? $" y{yaw:0}p{pitch:0}" : "")}";
            double medB = cpuB[runs / 2], medC = cpuC[runs / 2];
            Console.WriteLine(
                $"{name,-20} {cpuB[0],11:F1} / {medB,10:F1} {cpuC[0],11:F1} / {medC,10:F1} {cpuC[0] / cpuB[0],10:F3} {medC / medB,10:F3} {wallB[runs / 2],8:F1} / {wallC[runs / 2],7:F1}");
        }
    }

    private static (double CpuMs, double WallMs) Time(Func<int> act)
    {
        long c0 = ThreadCpuClock.Nanoseconds();
        long t0 = Stopwatch.GetTimestamp();
        act();
        double wall = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        return ((ThreadCpuClock.Nanoseconds() - c0) / 1e6, wall);
    }
}
