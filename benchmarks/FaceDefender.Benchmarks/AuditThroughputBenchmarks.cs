using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Landmarks;
using FaceDefender.Privacy;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Benchmarks;

/// <summary>
/// Privacy-audit throughput, per photo: every standard method, periocular and same-tool measures on, embedded
/// dlib, on 12 photos (the two public-domain portraits and four rendered avatars, each original and rotated -3
/// degrees and darker; landmarks detected once in setup). The avatar provider is shared across invocations and
/// large enough to keep every avatar, so after the warm-up this is the steady state of a long audit, where the
/// pool's 64 avatars were rendered once (their cost is measured separately: see docs/privacy.md). One photo at a
/// time (baseline) vs two at once.
/// </summary>
/// <remarks>
/// Its own job (in-process, monitoring strategy: 1 warm-up and 3 measured invocations of 12 photos each) because an
/// invocation takes seconds; run it without --job/--inProcess.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(AuditJob))]
public class AuditThroughputBenchmarks
{
    private sealed class AuditJob : ManualConfig
    {
        public AuditJob() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1)
            .WithIterationCount(3).WithToolchain(InProcessEmitToolchain.Instance));
    }

    private const int Photos = 12;
    private readonly List<AuditSample> _samples = [];
    private DlibFaceEmbedder _embedder = null!;
    private IReadOnlyList<IProtectionMethod> _methods = [];

    /// <summary>Photos audited at once.</summary>
    [Params(1, 2)]
    public int Parallel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string faces = FacesFolder();
        var bases = new List<(string Id, Image<Rgb24> Image)>
        {
            ("astronaut", Image.Load<Rgb24>(Path.Combine(faces, "astronaut.png"))),
            ("hopper", Image.Load<Rgb24>(Path.Combine(faces, "grace_hopper.jpg"))),
        };
        var renderer = new ProceduralAvatarProvider();
        (AvatarSex Sex, int Age, SkinTone Tone)[] people =
            [(AvatarSex.Female, 35, SkinTone.Light), (AvatarSex.Male, 55, SkinTone.Medium), (AvatarSex.Female, 65, SkinTone.Dark), (AvatarSex.Male, 25, SkinTone.Light)];
        foreach (var (sex, age, tone) in people)
        {
            using Avatar a = renderer.Select(new AvatarQuery(sex, age, tone, $"bench-{sex}-{age}-{tone}"));
            bases.Add(($"avatar-{sex}-{age}", a.Image.Clone(c => c.Resize(512, 512))));
        }

        using var detector = new MediaPipeLandmarkDetector();
        foreach (var (id, image) in bases)
        {
            foreach (Image<Rgb24> copy in new[] { image.Clone(), image.Clone(c => c.Rotate(-3f).Brightness(0.8f)) })
            {
                FaceLandmarks landmarks = detector.Detect(copy).Face?.Landmarks ?? throw new InvalidOperationException($"no face in {id}");
                _samples.Add(new AuditSample(id, copy, landmarks, id));
            }

            image.Dispose();
        }

        if (_samples.Count != Photos)
        {
            throw new InvalidOperationException($"expected {Photos} photos");
        }

        _embedder = new DlibFaceEmbedder();
        _methods = PrivacyAudit.StandardMethods(new ProceduralAvatarProvider(new ProceduralAvatarOptions { IdentitiesPerGroup = 64, CacheCapacity = 256 }));
    }

    private readonly List<double> _cpuPerPhoto = [];
    private TimeSpan _cpuStart;

    /// <summary>Process CPU time is recorded around every invocation: on a shared machine it says more than wall time.</summary>
    [IterationSetup]
    public void StartCpu() => _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;

    [IterationCleanup]
    public void StopCpu() => _cpuPerPhoto.Add((Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalMilliseconds / Photos);

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// Parallel={Parallel}: process CPU per photo (ms), each invocation in order (the first renders the avatars): {string.Join(", ", _cpuPerPhoto.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))}"));
        foreach (AuditSample s in _samples)
        {
            s.Image.Dispose();
        }

        _embedder.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Photos, Description = "audit, per photo")]
    public PrivacyAuditReport Audit() => PrivacyAudit.Run(_samples, _methods, _embedder, new PrivacyAuditOptions { MaxDegreeOfParallelism = Parallel });

    private static string FacesFolder()
    {
        foreach (string start in new[] { Path.GetDirectoryName(SourceFile()) ?? ".", Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "tests", "FaceDefender.Tests", "Fixtures", "faces");
                if (File.Exists(Path.Combine(candidate, "astronaut.png")))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("tests/FaceDefender.Tests/Fixtures/faces not found.");
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
