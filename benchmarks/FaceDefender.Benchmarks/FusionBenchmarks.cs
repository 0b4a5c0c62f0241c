using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Benchmarks;

/// <summary>
/// Fusion at 1024 x 1024 on one thread, landmarks given (the 15 ms target), beside the whole pipeline
/// (landmarks + fusion; 60 ms target). The patient is a public-domain portrait upscaled to 1024 x 1024.
/// Setup also writes the inputs (patient.png, avatar.png, landmarks.json) to a temp folder so that
/// benchmarks/peers/fusion_opencv.py can time the prototype's OpenCV + numpy steps on the same data.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class FusionBenchmarks
{
    private Image<Rgb24> _patient = null!;
    private FaceLandmarks _patientLandmarks = null!;
    private Avatar _avatar = null!;
    private FaceDeidentifier _pipeline = null!;
    private readonly PeriocularFaceFuser _fuser = new();
    private FusionOptions _options = FusionOptions.Default;

    [Params(RoiPreset.EyesOnly, RoiPreset.Paper, RoiPreset.GeometryOnly)]
    public RoiPreset Roi { get; set; }

    public static string InputFolder => Path.Combine(Path.GetTempPath(), "facedefender-fusion-inputs");

    [GlobalSetup]
    public void Setup()
    {
        string portrait = Path.Combine(AppContext.BaseDirectory, "astronaut.png");
        using (Image<Rgb24> small = Image.Load<Rgb24>(portrait))
        {
            _patient = small.Clone(ctx => ctx.Resize(1024, 1024, KnownResamplers.Bicubic));
        }

        using (var detector = new MediaPipeLandmarkDetector())
        {
            _patientLandmarks = detector.Detect(_patient).Face?.Landmarks
                ?? throw new InvalidOperationException("The benchmark portrait must contain one face.");
        }

        _avatar = new ProceduralAvatarProvider().Select(new AvatarQuery(AvatarSex.Female, 40, SkinTone.Light));
        _options = new FusionOptions { Roi = Roi };
        _pipeline = new FaceDeidentifier(options: new DeidentificationOptions { Fusion = _options });
        WriteInputs();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _patient.Dispose();
        _avatar.Dispose();
        _pipeline.Dispose();
    }

    [Benchmark(Baseline = true, Description = "fusion, landmarks given")]
    public void Fuse()
    {
        using FusionResult r = _fuser.Fuse(_patient, _patientLandmarks, _avatar.Image, _avatar.Landmarks, _options);
    }

    [Benchmark(Description = "pipeline: landmarks + avatar (cached) + fusion")]
    public void Pipeline()
    {
        using DeidentificationResult r = _pipeline.Deidentify(_patient);
    }

    private void WriteInputs()
    {
        Directory.CreateDirectory(InputFolder);
        _patient.SaveAsPng(Path.Combine(InputFolder, "patient.png"));
        _avatar.Image.SaveAsPng(Path.Combine(InputFolder, "avatar.png"));
        static float[][] Points(FaceLandmarks l) => Enumerable.Range(0, FaceLandmarks.Count).Select(i => new[] { l[i].X, l[i].Y }).ToArray();
        File.WriteAllText(Path.Combine(InputFolder, "landmarks.json"), JsonSerializer.Serialize(new
        {
            patient = Points(_patientLandmarks),
            avatar = Points(_avatar.Landmarks),
            note = string.Create(CultureInfo.InvariantCulture, $"written by FusionBenchmarks, ROI {Roi}"),
        }));
    }
}
