using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using FaceDefender.Abstractions;
using FaceDefender.Landmarks;
using FaceDefender.Privacy;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Benchmarks;

/// <summary>
/// Face embedding for the privacy audit, on one thread (ONNX Runtime intra-op threads = 1), per face:
/// the embedded dlib ResNet (baseline: align + one-face model run, the 30 ms target), alignment alone, the model
/// alone, and the model run on a batch of 8 and of 23 aligned faces (23 = one photo's embeddings in an audit of
/// 7 methods with periocular and same-tool measures). FaceRes from the local model cache when it is there
/// (tools/models/fetch-faceres.sh); its benchmarks throw when it is not.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class EmbedderBenchmarks
{
    private Image<Rgb24> _photo = null!;
    private FaceLandmarks _landmarks = null!;
    private DlibFaceEmbedder _dlib = null!;
    private OnnxFaceEmbedder? _faceRes;
    private Image<Rgb24>[] _dlibChips = [];
    private Image<Rgb24>[] _faceResChips = [];

    [GlobalSetup]
    public void Setup()
    {
        _photo = Image.Load<Rgb24>(FindPortrait());
        using (var detector = new MediaPipeLandmarkDetector())
        {
            _landmarks = detector.Detect(_photo).Face?.Landmarks ?? throw new InvalidOperationException("The benchmark photo must contain a face.");
        }

        _dlib = new DlibFaceEmbedder();
        _dlibChips = Enumerable.Range(0, 23).Select(_ => _dlib.Align(_photo, _landmarks)).ToArray();
        if (FaceResModel.IsAvailable(null, out _))
        {
            _faceRes = FaceResModel.Load();
            _faceResChips = Enumerable.Range(0, 23).Select(_ => _faceRes.Align(_photo, _landmarks)).ToArray();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (Image<Rgb24> chip in _dlibChips.Concat(_faceResChips))
        {
            chip.Dispose();
        }

        _dlib.Dispose();
        _faceRes?.Dispose();
        _photo.Dispose();
    }

    [Benchmark(Baseline = true, Description = "dlib: align + model, 1 face")]
    public float[] DlibEmbed() => _dlib.Embed(_photo, _landmarks);

    [Benchmark(Description = "dlib: align only")]
    public int DlibAlign()
    {
        using Image<Rgb24> chip = _dlib.Align(_photo, _landmarks);
        return chip.Width;
    }

    [Benchmark(Description = "dlib: model only, 1 face")]
    public float[] DlibModel() => _dlib.EmbedAligned(_dlibChips[0]);

    [Benchmark(OperationsPerInvoke = 8, Description = "dlib: model, batch of 8 (per face)")]
    public float[][] DlibBatch8() => _dlib.EmbedAlignedBatch(_dlibChips[..8]);

    [Benchmark(OperationsPerInvoke = 23, Description = "dlib: model, batch of 23 (per face)")]
    public float[][] DlibBatch23() => _dlib.EmbedAlignedBatch(_dlibChips);

    [Benchmark(Description = "FaceRes: align + model, 1 face")]
    public float[] FaceResEmbed() => Need(_faceRes).Embed(_photo, _landmarks);

    [Benchmark(Description = "FaceRes: model only, 1 face")]
    public float[] FaceResModel1() => Need(_faceRes).EmbedAligned(_faceResChips[0]);

    [Benchmark(OperationsPerInvoke = 4, Description = "FaceRes: model, batch of 4 (per face)")]
    public float[][] FaceResBatch4() => Need(_faceRes).EmbedAlignedBatch(_faceResChips[..4]);

    [Benchmark(OperationsPerInvoke = 23, Description = "FaceRes: model, batch of 23 (per face)")]
    public float[][] FaceResBatch23() => Need(_faceRes).EmbedAlignedBatch(_faceResChips);

    private static OnnxFaceEmbedder Need(OnnxFaceEmbedder? e) =>
        e ?? throw new InvalidOperationException("FaceRes is not in the model cache: run tools/models/fetch-faceres.sh.");

    private static string FindPortrait()
    {
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

        throw new FileNotFoundException("tests/FaceDefender.Tests/Fixtures/faces/grace_hopper.jpg not found.");
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
