using BenchmarkDotNet.Attributes;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.Rendering;

namespace FaceDefender.Benchmarks;

/// <summary>
/// Rendering one procedural avatar (<see cref="ProceduralAvatarProvider"/>'s renderer) on one thread,
/// at the avatar size (1024 x 1024, the budget is 100 ms) and at 512 x 512. Baseline: a
/// cache hit of the provider (copying the cached pixels into a new image), the cost every later
/// request for the same avatar pays.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class AvatarRenderBenchmarks
{
    private ProceduralAvatarProvider _provider = null!;
    private AvatarLook _look = null!;

    [Params(512, 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _provider = new ProceduralAvatarProvider();
        _provider.Get(AvatarSex.Female, 30, SkinTone.Light).Dispose(); // warm the cache for the baseline
        _look = AvatarLook.Create(AvatarSex.Female, 30, SkinTone.Light, ProceduralAvatarProvider.IdentitySeed(0));
    }

    [Benchmark(Baseline = true, Description = "cached avatar (copy, 1024)")]
    public int CachedSelect()
    {
        using Avatar a = _provider.Get(AvatarSex.Female, 30, SkinTone.Light);
        return a.Image.Width;
    }

    [Benchmark(Description = "render avatar (mesh + shading + hair)")]
    public int Render()
    {
        FaceModel model = FaceModel.Build(_look, default, default);
        return FaceRasterizer.Render(model, _look, default, Size, Size, 1f).Rgb.Length;
    }
}
