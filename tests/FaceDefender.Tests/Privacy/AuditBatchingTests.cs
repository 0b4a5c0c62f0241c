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
        AuditSample[] samples = PrivacyTestData.Samples
            .Where(s => s.Identity is "astronaut" or "grace_hopper")
            .Where(s => s.Label.EndsWith("/original", StringComparison.Ordinal) || s.Label.EndsWith("/crop90-rotate+4", StringComparison.Ordinal))
            .ToArray();
        samples.Should().HaveCount(4);
        var avatars = new ProceduralAvatarProvider(new ProceduralAvatarOptions(identitiesPerGroup: 64, cacheCapacity: 32));
        IProtectionMethod[] methods = [new BaselineProtection(BaselineKind.Raw), new BaselineProtection(BaselineKind.GaussianBlur), new FusionProtection(avatars, RoiPreset.EyesOnly)];
        using var dlib = new DlibFaceEmbedder();

        PrivacyAuditReport serial = PrivacyAudit.Run(samples, methods, dlib, new PrivacyAuditOptions(maxDegreeOfParallelism: 1, variantPoolSize: 4));
        PrivacyAuditReport parallel = PrivacyAudit.Run(samples, methods, dlib, new PrivacyAuditOptions(maxDegreeOfParallelism: 2, variantPoolSize: 4));
        PrivacyAuditReport unbatched = PrivacyAudit.Run(samples, methods, new OneAtATime(dlib), new PrivacyAuditOptions(maxDegreeOfParallelism: 2, variantPoolSize: 4));

        parallel.ToJson().Should().Be(serial.ToJson(), "the report must not depend on scheduling");
        unbatched.Images.Should().Be(serial.Images);
        Math.Abs(unbatched.Impostor.Mean - serial.Impostor.Mean).Should().BeLessThan(1e-5);
        for (int m = 0; m < methods.Length; m++)
        {
            MethodAuditResult a = serial.Methods[m], b = unbatched.Methods[m];
            output.WriteLine($"{a.Method}: cosine to raw {a.CosineToRaw!.Mean:F6} batched vs {b.CosineToRaw!.Mean:F6} one at a time");
            a.Protected.Should().Be(b.Protected);
            Math.Abs(a.CosineToRaw.Mean - b.CosineToRaw.Mean).Should().BeLessThan(1e-5);
            Math.Abs(a.PeriocularCosineToRaw!.Mean - b.PeriocularCosineToRaw!.Mean).Should().BeLessThan(1e-5);
            a.RawGallery!.Rank1.Successes.Should().Be(b.RawGallery!.Rank1.Successes);
            a.SameToolAttack!.Rank1.Successes.Should().Be(b.SameToolAttack!.Rank1.Successes);
            a.PeriocularStripGallery!.Rank1.Successes.Should().Be(b.PeriocularStripGallery!.Rank1.Successes);
        }
    }
}
