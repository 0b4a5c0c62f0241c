using System.Diagnostics;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Benchmarks;

/// <summary>
/// <c>landmarkcpu [rounds]</c>: 478-point detection on the <see cref="LandmarkBenchmarks"/> photo (1024 x 1024), one
/// thread, MediaPipe's plain single pass and the default settings (refinement pass + mirror averaging) interleaved in
/// rounds of 10 calls, timed per call by the wall clock and by the calling thread's CPU time (Linux
/// CLOCK_THREAD_CPUTIME_ID; ONNX Runtime with one intra-op thread runs on the caller). On a shared, overloaded
/// machine the thread CPU time leaves out the time the thread waits for a core. Also prints the default run's
/// per-stage split (wall clock).
/// </summary>
internal static class LandmarkCpuTimeHarness
{
    public static void Run(int rounds)
    {
        using Image<Rgb24> photo = LandmarkBenchmarks.CreatePhoto();
        using var plain = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { RefinementPasses = 0, MirrorAveraging = false });
        using var standard = new MediaPipeLandmarkDetector();
        (string Name, MediaPipeLandmarkDetector Detector)[] configurations =
            [("single pass, no mirror averaging", plain), ("default (refinement + mirror averaging)", standard)];

        // Warm-up past tiered compilation's promotion of the hot methods.
        for (int i = 0; i < 40; i++)
        {
            plain.Detect(photo);
            standard.Detect(photo);
        }

        Thread.Sleep(300);
        var wall = configurations.Select(_ => new List<double>()).ToArray();
        var cpu = configurations.Select(_ => new List<double>()).ToArray();
        var timings = new LandmarkTimings();
        for (int round = 0; round < rounds; round++)
        {
            for (int c = 0; c < configurations.Length; c++)
            {
                for (int i = 0; i < 10; i++)
                {
                    long c0 = ThreadCpuClock.Nanoseconds();
                    long t0 = Stopwatch.GetTimestamp();
                    configurations[c].Detector.Detect(photo, c == 1 ? timings : null);
                    wall[c].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    cpu[c].Add((ThreadCpuClock.Nanoseconds() - c0) / 1e6);
                }
            }
        }

        Console.WriteLine($"FaceDefender landmarks {Environment.Version}, 1 thread, {rounds} x 10 calls each, interleaved");
        for (int c = 0; c < configurations.Length; c++)
        {
            wall[c].Sort();
            cpu[c].Sort();
            int n = wall[c].Count;
            Console.WriteLine($"{configurations[c].Name,-40} wall median {wall[c][n / 2],7:F2} ms  min {wall[c][0],7:F2} ms | thread CPU median {cpu[c][n / 2],7:F2} ms  min {cpu[c][0],7:F2} ms");
        }

        int calls = wall[1].Count;
        Console.WriteLine(
            $"default split per call (wall ms): preprocessing {timings.Preprocess / calls:F2}, detector {timings.Detector / calls:F2}, " +
            $"mesh {timings.Mesh / calls:F2}, iris {timings.Iris / calls:F2}, postprocessing {timings.Postprocess / calls:F2}");
    }
}
