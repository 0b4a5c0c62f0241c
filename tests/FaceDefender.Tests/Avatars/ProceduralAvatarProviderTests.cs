using System.Numerics;
using System.Security.Cryptography;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Avatars;

/// <summary>Renders one avatar once for the tests that only look at it.</summary>
public sealed class RenderedAvatarFixture : IDisposable
{
    public RenderedAvatarFixture()
    {
        Provider = new ProceduralAvatarProvider();
        Avatar = Provider.Select(new AvatarQuery(AvatarSex.Female, 34, SkinTone.Light));
    }

    public ProceduralAvatarProvider Provider { get; }

    public Avatar Avatar { get; }

    public void Dispose() => Avatar.Dispose();
}

public class ProceduralAvatarProviderTests : IClassFixture<RenderedAvatarFixture>
{
    private readonly RenderedAvatarFixture _fixture;

    public ProceduralAvatarProviderTests(RenderedAvatarFixture fixture) => _fixture = fixture;

    [Fact]
    public void Renders_nothing_until_first_use()
    {
        var provider = new ProceduralAvatarProvider();
        provider.Catalog.Should().HaveCount(2 * 11 * 3);
        provider.Catalog.Select(m => m.Id).Should().OnlyHaveUniqueItems();
        provider.Catalog.Should().OnlyContain(m => m.IsSynthetic && m.License == "Apache-2.0");
        provider.CachedCount.Should().Be(0);
    }

    [Fact]
    public void Avatar_carries_image_exact_landmarks_metadata_and_licence()
    {
        Avatar a = _fixture.Avatar;
        a.Image.Width.Should().Be(1024);
        a.Image.Height.Should().Be(1024);
        a.Landmarks.Space.Should().Be(CoordinateSpace.Normalized);
        a.Metadata.Sex.Should().Be(AvatarSex.Female);
        a.Metadata.AgeBucket.Should().Be(40);
        a.Metadata.SkinTone.Should().Be(SkinTone.Light);
        a.License.Should().Be("Apache-2.0");
        a.Landmarks.Points.ToArray().Should().OnlyContain(p => p.X > 0 && p.X < 1024 && p.Y > 0 && p.Y < 1024);
    }

    [Fact]
    public void Is_framed_exactly_like_the_normalised_patient_canvas()
    {
        // ALGORITHM.md section 1 step 3, applied to the avatar's own landmarks: the quad must be the canvas.
        FaceLandmarks l = _fixture.Avatar.Landmarks;
        Vector2 eyeR = Mean(l, 33, 159, 158, 133, 153, 144);
        Vector2 eyeL = Mean(l, 362, 385, 386, 263, 373, 380);
        Vector2 mouth = Mean(l, 61, 308);
        Vector2 eyeToEye = eyeL - eyeR, mid = (eyeL + eyeR) / 2, eyeToMouth = mouth - mid;
        Vector2 x = Vector2.Normalize(eyeToEye - new Vector2(-eyeToMouth.Y, eyeToMouth.X));
        float half = MathF.Max(2f * eyeToEye.Length(), 1.8f * eyeToMouth.Length());
        Vector2 c = mid + 0.1f * eyeToMouth;

        c.X.Should().BeApproximately(512f, 0.05f);
        c.Y.Should().BeApproximately(512f, 0.05f);
        half.Should().BeApproximately(512f, 0.05f);
        Vector2.Dot(x, Vector2.UnitX).Should().BeGreaterThan(0.999f);
        // 256 px exactly when 2|eye-to-eye| is the larger term; longer lower faces make it a little less.
        eyeToEye.Length().Should().BeInRange(225f, 256.1f, "about 256 px between the eye centres");
    }

    [Fact]
    public void Painted_eye_matches_the_projected_iris()
    {
        Avatar a = _fixture.Avatar;
        Image<Rgb24> img = a.Image;
        foreach ((int centre, int nasal, int temporal, int outerCanthus) in new[] { (468, 469, 471, 33), (473, 474, 476, 263) })
        {
            Vector2 c = a.Landmarks[centre];
            float radius = Vector2.Distance(a.Landmarks[nasal], a.Landmarks[temporal]) / 2f;
            radius.Should().BeGreaterThan(20f);

            Rgb24 pupil = img[(int)c.X, (int)c.Y];
            Luma(pupil).Should().BeLessThan(40, "the pixel under the iris centre landmark is the pupil");

            // Iris stroma between pupil and limbus, on the nasal side (away from the key-light catchlight).
            Vector2 dirNasal = Vector2.Normalize(a.Landmarks[nasal] - c);
            Vector2 irisPt = c + 0.7f * radius * dirNasal;
            Rgb24 iris = img[(int)irisPt.X, (int)irisPt.Y];

            // Sclera: halfway from the temporal limbus to the outer canthus.
            Vector2 scleraPt = (a.Landmarks[temporal] + a.Landmarks[outerCanthus]) / 2f;
            scleraPt.Y = c.Y;
            Rgb24 sclera = img[(int)scleraPt.X, (int)scleraPt.Y];

            Luma(sclera).Should().BeGreaterThan(Luma(iris) + 40, "the sclera is much lighter than the iris");
            Luma(iris).Should().BeGreaterThan(Luma(pupil), "the iris is lighter than the pupil");
        }
    }

    [Fact]
    public void Same_query_gives_the_same_pixels_in_a_fresh_provider()
    {
        using Avatar again = new ProceduralAvatarProvider().Select(new AvatarQuery(AvatarSex.Female, 38, SkinTone.Light));
        PixelHash(again.Image).Should().Be(PixelHash(_fixture.Avatar.Image));
        again.Landmarks.Points.ToArray().Should().Equal(_fixture.Avatar.Landmarks.Points.ToArray());
    }

    [Fact]
    public void Pseudonym_always_gets_the_same_identity_across_ages()
    {
        var provider = new ProceduralAvatarProvider(new ProceduralAvatarOptions { CacheCapacity = 2 });
        using Avatar first = provider.Select(new AvatarQuery(AvatarSex.Male, 52, SkinTone.Dark, "patient-001"));
        using Avatar second = provider.Select(new AvatarQuery(AvatarSex.Male, 58, SkinTone.Dark, "patient-001"));
        first.Metadata.Id.Should().Be("procedural-aged-male-60-dark-2", "HMAC of 'patient-001' modulo 8 is 2 (see AvatarPseudonymTests)");
        second.Metadata.Id.Should().Be(first.Metadata.Id);
        PixelHash(second.Image).Should().Be(PixelHash(first.Image));

        using Avatar older = provider.Select(new AvatarQuery(AvatarSex.Male, 75, SkinTone.Dark, "patient-001"));
        older.Metadata.Id.Should().Be("procedural-aged-male-80-dark-2", "the identity stays when the age bucket changes");
        provider.CachedCount.Should().Be(2, "the cache keeps at most its capacity");
    }

    [Fact]
    public void Disposing_a_returned_avatar_does_not_affect_the_cache()
    {
        var provider = new ProceduralAvatarProvider();
        Avatar a = provider.Get(AvatarSex.Female, 5, SkinTone.Dark);
        string hash = PixelHash(a.Image);
        a.Dispose();
        var act = () => a.Image;
        act.Should().Throw<ObjectDisposedException>();
        using Avatar b = provider.Get(AvatarSex.Female, 5, SkinTone.Dark);
        PixelHash(b.Image).Should().Be(hash);
        provider.CachedCount.Should().Be(1);
    }

    [Fact]
    public void Get_validates_its_arguments()
    {
        var provider = new ProceduralAvatarProvider();
        var notBucket = () => provider.Get(AvatarSex.Male, 33, SkinTone.Light);
        notBucket.Should().Throw<ArgumentException>().WithParameterName("ageBucket");
        var identity = () => provider.Get(AvatarSex.Male, 30, SkinTone.Light, 8);
        identity.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("identity");
        var options = () => new ProceduralAvatarOptions { PseudonymHmacKey = [] };
        options.Should().Throw<ArgumentException>().WithParameterName("PseudonymHmacKey");
    }

    internal static Vector2 Mean(FaceLandmarks l, params int[] idx) => idx.Aggregate(Vector2.Zero, (s, i) => s + l[i]) / idx.Length;

    internal static int Luma(Rgb24 p) => (299 * p.R + 587 * p.G + 114 * p.B) / 1000;

    internal static string PixelHash(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return Convert.ToHexString(SHA256.HashData(bytes));
    }
}
