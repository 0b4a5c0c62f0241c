using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.Rendering;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Avatars;

/// <summary>
/// The renderer's vector paths (skin lighting, hair, output conversion) against their scalar fallbacks. The fixture
/// was rendered with AVX2 on; .ci/run repeats the Kernels category with DOTNET_EnableHWIntrinsic=0, where the same
/// render takes the scalar paths and must still match it. A deliberate change of the look needs a new fixture:
/// run this test once with FD_UPDATE_AVATAR_FIXTURE set to tests/FaceDefender.Tests/Fixtures/avatars (absolute path),
/// rebuild, and commit the PNGs.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class AvatarRenderPathTests
{
    private const int Size = 256;

    [Theory]
    [InlineData(AvatarSex.Female, 30, SkinTone.Light, "avatar-f30-light-256.png")]
    [InlineData(AvatarSex.Male, 70, SkinTone.Dark, "avatar-m70-dark-256.png")]
    public void Render_matches_the_recorded_one_on_every_code_path(AvatarSex sex, int age, SkinTone tone, string fixture)
    {
        AvatarLook look = AvatarLook.Create(sex, age, tone, ProceduralAvatarProvider.IdentitySeed(0));
        RasterOutput r = FaceRasterizer.Render(FaceModel.Build(look, default, default), look, default, Size, Size, 1f);
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "avatars", fixture);
        if (Environment.GetEnvironmentVariable("FD_UPDATE_AVATAR_FIXTURE") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            using var written = Image.LoadPixelData<Rgb24>(r.Rgb, Size, Size);
            written.SaveAsPng(Path.Combine(folder, fixture));
            return;
        }

        using Image<Rgb24> expected = Image.Load<Rgb24>(path);
        var want = new byte[Size * Size * 3];
        expected.CopyPixelDataTo(want);
        int over1 = 0, max = 0;
        for (int i = 0; i < want.Length; i++)
        {
            int d = Math.Abs(want[i] - r.Rgb[i]);
            max = Math.Max(max, d);
            over1 += d > 1 ? 1 : 0;
        }

        max.Should().BeLessThanOrEqualTo(12, "the scalar and vector paths share their definitions; isolated seam pixels may differ a little");
        ((double)over1 / want.Length).Should().BeLessThan(0.002, "at most 0.2 % of the channels may differ by more than one level");
    }
}
