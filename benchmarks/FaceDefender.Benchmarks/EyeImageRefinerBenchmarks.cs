using System.Numerics;
using BenchmarkDotNet.Attributes;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Benchmarks;

/// <summary>
/// The cost of <see cref="EyeImageRefiner"/> per face, on top of landmark detection: four ground-truth renders at
/// 768 px (iris radius about 17 px) detected once without refinement; each benchmark refines copies of their points.
/// Baseline: the copies alone. Run: <c>dotnet run -c Release --project benchmarks/FaceDefender.Benchmarks -- --filter '*EyeImageRefiner*' --job short --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
public class EyeImageRefinerBenchmarks
{
    private const int Faces = 4;
    private readonly List<(Rgb24[] Pixels, int Width, int Height, Vector3[] Points, Vector3[][] Contours)> _faces = [];

    [GlobalSetup]
    public void Setup()
    {
        using var detector = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { EyeImageRefinement = EyeImageRefinement.None });
        var rng = new Random(11);
        for (int i = 0; i < Faces; i++)
        {
            var scene = new GroundTruthScene
            {
                ImageSize = 768,
                Identity = rng.Next(64),
                Sex = i % 2 == 0 ? AvatarSex.Female : AvatarSex.Male,
                AgeYears = 30 + (10 * i),
                RightEye = new EyeControl { IrisNasalMm = 1, IrisUpMm = 1 },
                LeftEye = new EyeControl { IrisNasalMm = -1, UpperLidUpMm = 1 },
            };
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(scene);
            FaceLandmarks lm = detector.Detect(r.Image).Face!.Landmarks;
            var pixels = new Rgb24[r.Image.Width * r.Image.Height];
            r.Image.CopyPixelDataTo(pixels);
            _faces.Add((pixels, r.Image.Width, r.Image.Height, lm.Points.ToArray(), [lm.RightEyeContour!.Points.ToArray(), lm.LeftEyeContour!.Points.ToArray()]));
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Faces, Description = "copies only (baseline)")]
    public int CopiesOnly() => Run(EyeImageRefinement.None);

    [Benchmark(OperationsPerInvoke = Faces, Description = "Lids (default)")]
    public int Lids() => Run(EyeImageRefinement.Lids);

    [Benchmark(OperationsPerInvoke = Faces, Description = "Iris")]
    public int Iris() => Run(EyeImageRefinement.Iris);

    [Benchmark(OperationsPerInvoke = Faces, Description = "IrisAndLids")]
    public int IrisAndLids() => Run(EyeImageRefinement.IrisAndLids);

    private int Run(EyeImageRefinement mode)
    {
        int sum = 0;
        foreach ((Rgb24[] pixels, int width, int height, Vector3[] points, Vector3[][] contours) in _faces)
        {
            Vector3[] p = (Vector3[])points.Clone();
            Vector3[][] c = [(Vector3[])contours[0].Clone(), (Vector3[])contours[1].Clone()];
            EyeImageRefiner.Refine(pixels, width, height, p, c, mode);
            sum += (int)p[468].X;
        }

        return sum;
    }
}
