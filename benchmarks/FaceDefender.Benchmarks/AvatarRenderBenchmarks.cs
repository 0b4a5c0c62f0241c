using BenchmarkDotNet.Attributes;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.Rendering;
using FaceDefender.Benchmarks.AvatarRenderBaseline;

namespace FaceDefender.Benchmarks;

/// <summary>
/// Rendering one procedural avatar (<see cref="ProceduralAvatarProvider"/>'s renderer) on one thread,
/// at the avatar size (1024 x 1024, the budget is 100 ms) and at 512 x 512. Baseline: the
/// session-1 renderer (a frozen copy in AvatarRenderBaseline.cs) rendering the same avatar in the
/// same run, so the Ratio column is the speed-up whatever the machine's load. Also shown: a cache
/// hit of the provider (copying the cached pixels into a new image), the cost every later request
/// for the same avatar pays.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class AvatarRenderBenchmarks
{
    private ProceduralAvatarProvider _provider = null!;
    private AvatarLook _look = null!;

    [Params(512, 1024)]
    public int Size { get; set; }

    /// <summary>Female 30 light (long hair: the costliest kind), male 70 dark (short hair, wrinkles, stubble), female 5
    /// medium (a child: larger head, more hair; the slowest in the session-3 CPU-time harness), or female 5 light (the
    /// slowest of the 66 catalogue avatars in the session-4 <c>avatarsweep</c>).</summary>
    [Params("female-30-light-0", "male-70-dark-0", "female-5-medium-0", "female-5-light-0")]
    public string Avatar { get; set; } = "female-30-light-0";

    [GlobalSetup]
    public void Setup()
    {
        string[] p = Avatar.Split('-');
        AvatarSex sex = p[0] == "female" ? AvatarSex.Female : AvatarSex.Male;
        int age = int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture);
        SkinTone tone = Enum.Parse<SkinTone>(p[2], ignoreCase: true);
        int identity = int.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture);
        _provider = new ProceduralAvatarProvider();
        _provider.Get(sex, age, tone, identity).Dispose(); // warm the cache for the cached-copy case
        _look = AvatarLook.Create(sex, age, tone, ProceduralAvatarProvider.IdentitySeed(identity));
        _cached = (sex, age, tone, identity);
    }

    private (AvatarSex Sex, int Age, SkinTone Tone, int Identity) _cached;

    [Benchmark(Baseline = true, Description = "render, session-1 renderer")]
    public int RenderBaseline()
    {
        FaceModel model = FaceModel.Build(_look, default, default);
        return BaselineFaceRasterizer.Render(model, _look, default, Size, Size, 1f).Rgb.Length;
    }

    [Benchmark(Description = "render, current renderer")]
    public int Render()
    {
        FaceModel model = FaceModel.Build(_look, default, default);
        return FaceRasterizer.Render(model, _look, default, Size, Size, 1f).Rgb.Length;
    }

    [Benchmark(Description = "cached avatar (copy, 1024)")]
    public int CachedSelect()
    {
        using Avatar a = _provider.Get(_cached.Sex, _cached.Age, _cached.Tone, _cached.Identity);
        return a.Image.Width;
    }
}
