using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using FaceDefender.Privacy;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Privacy;

/// <summary>
/// The audit embeds each photo's images in one batched model run and processes photos in parallel: the report must
/// not depend on the degree of parallelism, and must equal (up to float rounding) an audit that embeds one image at
/// a time through the plain <see cref="IFaceEmbedder"/> interface.
/// </summary>
[Trait("Category", "PrivacyAudit")]
public sealed class AuditBatchingTests(ITestOutputHelper output)
{
    /// <summary>Hides the ONNX type so the audit takes its one-image-at-a-time path.</summary>
    private sealed class OneAtATime(IFaceEmbedder inner) : IFaceEmbedder
    {
        public string Name => inner.Name;

        public int Dimension => inner.Dimension;

        public float[] Embed(Image<Rgb24> image, FaceLandmarks landmarks) => inner.Embed(image, landmarks);

        public void Dispose()
        {
        }
    }

    [Fact]
    public void Report_is_identical_for_any_parallelism_and_matches_unbatched_embedding()
    {
        // Two people (the shared portraits), two photos each (original; crop + rotation): small, to stay fast.
        AuditSample[] samples = PrivacyTestData.TwoPeopleTwoPhotos();
        var avatars = new ProceduralAvatarProvider(new ProceduralAvatarOptions { IdentitiesPerGroup = 64, CacheCapacity = 32 });
        IProtectionMethod[] methods = [new BaselineProtection(BaselineKind.Raw), new BaselineProtection(BaselineKind.GaussianBlur), new FusionProtection(avatars, RoiPreset.EyesOnly)];
        using var dlib = new DlibFaceEmbedder();

        PrivacyAuditReport serial = PrivacyAudit.Run(samples, methods, dlib, new PrivacyAuditOptions { MaxDegreeOfParallelism = 1, VariantPoolSize = 4 });
        PrivacyAuditReport parallel = PrivacyAudit.Run(samples, methods, dlib, new PrivacyAuditOptions { MaxDegreeOfParallelism = 2, VariantPoolSize = 4 });
        PrivacyAuditReport unbatched = PrivacyAudit.Run(samples, methods, new OneAtATime(dlib), new PrivacyAuditOptions { MaxDegreeOfParallelism = 2, VariantPoolSize = 4 });

        parallel.ToJson().Should().Be(serial.ToJson(), "the report must not depend on scheduling");
        unbatched.Images.Should().Be(serial.Images);
        // Measured: batched and one-at-a-time embeddings give identical means (differences 0 for every method and the impostor
        // mean); bounds 1e-9, room for a summation order only (they were 1e-5).
        Math.Abs(unbatched.Impostor.Mean - serial.Impostor.Mean).Should().BeLessThan(1e-9);
        for (int m = 0; m < methods.Length; m++)
        {
            MethodAuditResult a = serial.Methods[m], b = unbatched.Methods[m];
            output.WriteLine($"{a.Method}: cosine to raw {a.CosineToRaw!.Mean:F6} batched vs {b.CosineToRaw!.Mean:F6} one at a time; differences {Math.Abs(a.CosineToRaw.Mean - b.CosineToRaw.Mean):E2} (whole face), {Math.Abs(a.PeriocularCosineToRaw!.Mean - b.PeriocularCosineToRaw!.Mean):E2} (periocular), impostor mean {Math.Abs(unbatched.Impostor.Mean - serial.Impostor.Mean):E2}");
            a.Protected.Should().Be(b.Protected);
            Math.Abs(a.CosineToRaw.Mean - b.CosineToRaw.Mean).Should().BeLessThan(1e-9);
            Math.Abs(a.PeriocularCosineToRaw!.Mean - b.PeriocularCosineToRaw!.Mean).Should().BeLessThan(1e-9);
            a.RawGallery!.Rank1.Successes.Should().Be(b.RawGallery!.Rank1.Successes);
            a.SameToolAttack!.Rank1.Successes.Should().Be(b.SameToolAttack!.Rank1.Successes);
            a.PeriocularStripGallery!.Rank1.Successes.Should().Be(b.PeriocularStripGallery!.Rank1.Successes);
        }
    }
}

/// <summary>
/// <see cref="AuditPhoto"/>: photos kept as files and decoded when the audit reaches them (what the CLI does, so memory
/// does not grow with the folder) give the same report as the decoded images, and a file that has gone missing fails
/// its photo only.
/// </summary>
[Trait("Category", "PrivacyAudit")]
public sealed class FileBackedAuditTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("facedefender-audit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Files_give_the_same_report_as_decoded_images_and_a_missing_file_fails_its_photo_only()
    {
        AuditSample[] samples = PrivacyTestData.TwoPeopleTwoPhotos();
        var photos = new List<AuditPhoto>();
        for (int i = 0; i < samples.Length; i++)
        {
            string file = Path.Combine(_dir, $"{i}.png"); // lossless: the decoded pixels equal the sample's
            samples[i].Image.SaveAsPng(file);
            photos.Add(new AuditPhoto(samples[i].Identity, file, samples[i].Landmarks, samples[i].Label));
        }

        IProtectionMethod[] methods = [new BaselineProtection(BaselineKind.Raw), new BaselineProtection(BaselineKind.GaussianBlur)];
        using var dlib = new DlibFaceEmbedder();
        var options = new PrivacyAuditOptions { MaxDegreeOfParallelism = 2, VariantPoolSize = 4 };
        PrivacyAuditReport fromImages = PrivacyAudit.Run(samples, methods, dlib, options);
        PrivacyAuditReport fromFiles = PrivacyAudit.Run(photos, methods, dlib, options);
        fromFiles.ToJson().Should().Be(fromImages.ToJson(), "the same pixels, decoded when needed");

        photos.Add(new AuditPhoto("grace_hopper", Path.Combine(_dir, "deleted-meanwhile.png"), samples[3].Landmarks, "grace_hopper/missing"));
        PrivacyAuditReport withMissing = PrivacyAudit.Run(photos, methods, dlib, options);
        withMissing.Images.Should().Be(fromImages.Images);
        withMissing.FailedImages.Should().Be(fromImages.FailedImages + 1);
        withMissing.Methods[1].RawGallery!.Rank1.Successes.Should().Be(fromImages.Methods[1].RawGallery!.Rank1.Successes);
    }

    [Fact]
    public void Null_photos_and_empty_file_names_are_rejected()
    {
        AuditSample s = PrivacyTestData.Samples[0];
        using var dlib = new DlibFaceEmbedder();
        IProtectionMethod[] methods = [new BaselineProtection(BaselineKind.Raw)];
        FluentActions.Invoking(() => PrivacyAudit.Run(new AuditPhoto[] { new("a", " ", s.Landmarks, "a"), new("b", "b.png", s.Landmarks, "b") }, methods, dlib))
            .Should().Throw<ArgumentException>().WithParameterName("photos");
        FluentActions.Invoking(() => PrivacyAudit.Run(new AuditPhoto[] { null!, new("b", "b.png", s.Landmarks, "b") }, methods, dlib))
            .Should().Throw<ArgumentException>().WithParameterName("photos");
    }
}
