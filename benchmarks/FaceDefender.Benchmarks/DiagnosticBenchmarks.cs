using System.Globalization;
using BenchmarkDotNet.Attributes;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using FaceDefender.Statistics;

namespace FaceDefender.Benchmarks;

/// <summary>
/// The diagnostic benchmark from landmarks (no image work): measurements only (baseline), a full
/// assessment with the detector's pose, and one that estimates the pose from the 468 mesh points.
/// Landmarks: a ground-truth render with a 2 mm esotropia and a 1.5 mm ptosis.
/// </summary>
[MemoryDiagnoser]
public class DiagnosticAssessmentBenchmarks
{
    private FaceLandmarks _landmarks = null!;
    private LandmarkDiagnosticBenchmark _benchmark = null!;
    private readonly HeadPose _pose = new(1, 2, 3);

    [GlobalSetup]
    public void Setup()
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene
        {
            ImageSize = 256,
            RightEye = new EyeControl { IrisNasalMm = 2 },
            LeftEye = new EyeControl { UpperLidUpMm = -1.5f },
        });
        _landmarks = r.Landmarks;
        _benchmark = new LandmarkDiagnosticBenchmark();
    }

    [Benchmark(Baseline = true, Description = "measurements only")]
    public OcularMeasurements Measure() => _benchmark.Measure(_landmarks, _pose);

    [Benchmark(Description = "assessment (measure + findings + flags)")]
    public OcularAssessment Assess() => _benchmark.Assess(_landmarks, _pose);

    [Benchmark(Description = "assessment, pose estimated from landmarks")]
    public OcularAssessment AssessEstimatingPose() => _benchmark.Assess(_landmarks);
}

/// <summary>
/// Building a reference standard from a 1,163-row cohort CSV (the paper's cohort size) with the
/// statistics package's reference-interval builder, B = 10,000: the 17 standard columns with the
/// method chosen by the normality test (baseline; three skewed columns go to the bootstrap), one
/// column forced to the bootstrap, and all 17 forced to the bootstrap.
/// </summary>
[MemoryDiagnoser]
public class DiagnosticStandardBenchmarks
{
    private string _csv = string.Empty;
    private CohortMeasureColumn[] _one = [];

    [GlobalSetup]
    public void Setup()
    {
        _csv = Path.Combine(Path.GetTempPath(), $"facedefender-cohort-{Environment.ProcessId}.csv");
        WriteCohort(_csv, 1163, seed: 11);
        _one = [CohortMeasureColumn.Conventional(DiagnosticMeasure.Mrd1, EyeSide.Right, MeasureUnit.Millimetres)];
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_csv);

    [Benchmark(Baseline = true, Description = "17 columns, method by normality test")]
    public ReferenceStandard BuildAuto() => ReferenceStandardBuilder.FromCohortCsv(_csv, null, "bench", "synthetic cohort").Standard;

    [Benchmark(Description = "1 column, bootstrap B = 10,000")]
    public ReferenceStandard BuildOneBootstrap() =>
        ReferenceStandardBuilder.FromCohortCsv(_csv, _one, "bench", "synthetic cohort", new ReferenceIntervalOptions { ForceMethod = ReferenceIntervalMethod.Bootstrap }).Standard;

    [Benchmark(Description = "17 columns, bootstrap B = 10,000")]
    public ReferenceStandard BuildAllBootstrap() =>
        ReferenceStandardBuilder.FromCohortCsv(_csv, null, "bench", "synthetic cohort", new ReferenceIntervalOptions { ForceMethod = ReferenceIntervalMethod.Bootstrap }).Standard;

    /// <summary>A synthetic healthy cohort in the conventional columns: normal values, three columns log-normal (skewed).</summary>
    internal static void WriteCohort(string path, int rows, int seed)
    {
        var rng = new Random(seed);
        IReadOnlyList<CohortMeasureColumn> columns = CohortMeasureColumn.Standard;
        using var w = new StreamWriter(path);
        w.WriteLine("id," + string.Join(",", columns.Select(c => c.Column)));
        for (int i = 0; i < rows; i++)
        {
            var cells = new List<string> { $"s{i}" };
            for (int c = 0; c < columns.Count; c++)
            {
                double z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                double v = c % 6 == 2 ? Math.Exp(1.4 + (0.2 * z)) : 3 + z;
                cells.Add(v.ToString("R", CultureInfo.InvariantCulture));
            }

            w.WriteLine(string.Join(",", cells));
        }
    }
}
