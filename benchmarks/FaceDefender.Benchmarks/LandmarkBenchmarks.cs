using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using FaceDefender.Abstractions;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Benchmarks;

/// <summary>
/// 478-point landmark detection (<see cref="MediaPipeLandmarkDetector"/>) on a 1024 x 1024 photo
/// (the public-domain Grace Hopper test portrait, resized and padded). Baseline: MediaPipe's plain
/// single pass (no refinement pass, no mirror averaging); then the default settings on one thread,
/// and two photos at once on two threads (throughput; one detector shared). The per-stage split
/// (pre/post-processing, detector, mesh, iris) of the default run is printed at cleanup.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class LandmarkBenchmarks
{
    private Image<Rgb24> _photo = null!;
    private MediaPipeLandmarkDetector _plain = null!;
    private MediaPipeLandmarkDetector _default = null!;
    private LandmarkTimings _timings = new();
    private int _calls;

    /// <summary>The benchmark photo: the Grace Hopper portrait resized to 1024 px high, centred on a white 1024 x 1024 canvas.</summary>
    internal static Image<Rgb24> CreatePhoto()
    {
        using Image<Rgb24> portrait = Image.Load<Rgb24>(FindPortrait());
        var photo = new Image<Rgb24>(1024, 1024, new Rgb24(255, 255, 255));
        using Image<Rgb24> resized = portrait.Clone(x => x.Resize(0, 1024));
        photo.Mutate(x => x.DrawImage(resized, new Point((1024 - resized.Width) / 2, 0), 1f));
        return photo;
    }

    [GlobalSetup]
    public void Setup()
    {
        _photo = CreatePhoto();
        _plain = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { RefinementPasses = 0, MirrorAveraging = false });
        _default = new MediaPipeLandmarkDetector();
        if (_default.Detect(_photo).Status != FaceDetectionStatus.Found)
        {
            throw new InvalidOperationException("The benchmark photo must contain a face.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_calls > 0)
        {
            Console.WriteLine(
                $"// Split per detection over {_calls} calls (ms): preprocessing {_timings.Preprocess / _calls:F2}, detector {_timings.Detector / _calls:F2}, " +
                $"mesh {_timings.Mesh / _calls:F2}, iris {_timings.Iris / _calls:F2}, postprocessing {_timings.Postprocess / _calls:F2}");
        }

        _photo.Dispose();
        _plain.Dispose();
        _default.Dispose();
    }

    [Benchmark(Baseline = true, Description = "single pass, no mirror averaging")]
    public FaceDetection Plain() => _plain.Detect(_photo);

    [Benchmark(Description = "default (refinement + mirror averaging)")]
    public FaceDetection Default()
    {
        _calls++;
        return _default.Detect(_photo, _timings);
    }

    [Benchmark(OperationsPerInvoke = 2, Description = "default, 2 photos on 2 threads")]
    public void TwoThreads()
    {
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ => _default.Detect(_photo));
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;

    private static string FindPortrait()
    {
        // BenchmarkDotNet runs the benchmark in a child process built elsewhere: look up from this
        // source file's build-time location, the working directory and the binaries.
        foreach (string start in new[] { Path.GetDirectoryName(SourceFile()) ?? ".", Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "tests", "FaceDefender.Tests", "Fixtures", "faces", "grace_hopper.jpg");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("Run the benchmarks from the repository root: tests/FaceDefender.Tests/Fixtures/faces/grace_hopper.jpg not found.");
    }
}
