using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Decisions;

/// <summary>
/// Decisions the pipeline makes that a plausible bug would flip without any numeric test noticing: what reaches the avatar
/// query (the patient's record and pseudonym, the estimated skin tone), the skin-tone classes at their boundaries, the
/// geometric eye-opening limit at its boundary, and the feather's width (a hard seam).
/// </summary>
[Collection(DetectorCollection.Name)]
public sealed class PipelineDecisionTests(DetectorFixture fixture, ITestOutputHelper output)
{
    private static string Face(string name) => ModelFixture.FixturePath("faces", name);

    [Fact]
    public void The_record_and_the_pseudonym_reach_the_avatar_query()
    {
        var spy = new QuerySpy(new ProceduralAvatarProvider());
        using var pipeline = new FaceDeidentifier(fixture.Detector, spy, diagnostics: FaceDeidentifier.NoDiagnostics);
        using (DeidentificationResult r = pipeline.Deidentify(Face("astronaut.png"), new PatientInfo(AvatarSex.Male, 71, SkinTone.Dark, "study-9/p-17")))
        {
            r.Status.Should().Be(DeidentificationStatus.Success);
        }

        spy.Last!.Sex.Should().Be(AvatarSex.Male);
        spy.Last.AgeYears.Should().Be(71);
        spy.Last.SkinTone.Should().Be(SkinTone.Dark);
        spy.Last.PseudonymKey.Should().Be("study-9/p-17");

        // Defaults fill what the record lacks; the skin tone comes from the photo.
        var options = new DeidentificationOptions { DefaultSex = AvatarSex.Male, DefaultAgeYears = 33 };
        using var withDefaults = new FaceDeidentifier(fixture.Detector, spy, options: options, diagnostics: FaceDeidentifier.NoDiagnostics);
        using (DeidentificationResult r = withDefaults.Deidentify(Face("astronaut.png")))
        {
            r.Status.Should().Be(DeidentificationStatus.Success);
        }

        spy.Last.Sex.Should().Be(AvatarSex.Male);
        spy.Last.AgeYears.Should().Be(33);
        spy.Last.PseudonymKey.Should().BeNull();
        using Image<Rgb24> photo = TestImages.Portrait("astronaut.png");
        spy.Last.SkinTone.Should().Be(FaceDeidentifier.EstimateSkinTone(photo, fixture.Reference("astronaut.png").Face!.Landmarks));
    }

    [Fact]
    public void Different_pseudonyms_reach_different_avatars_and_the_same_one_the_same()
    {
        using var pipeline = new FaceDeidentifier(fixture.Detector, diagnostics: FaceDeidentifier.NoDiagnostics);
        var ids = new HashSet<string>();
        string? first = null;
        foreach (string p in new[] { "p-1", "p-2", "p-3", "p-4", "p-5", "p-1" })
        {
            using DeidentificationResult r = pipeline.Deidentify(Face("astronaut.png"), new PatientInfo(AvatarSex.Female, 50, SkinTone.Light, p));
            ids.Add(r.Avatar!.Id);
            first ??= r.Avatar.Id;
            if (p == "p-1")
            {
                r.Avatar.Id.Should().Be(first);
            }
        }

        ids.Count.Should().BeGreaterThan(1, "five pseudonyms over 8 identities all landing on one has probability 8^-4");
    }

    [Theory]
    [InlineData(230, SkinTone.Light)]
    [InlineData(166, SkinTone.Light)]
    [InlineData(165, SkinTone.Medium)]
    [InlineData(106, SkinTone.Medium)]
    [InlineData(105, SkinTone.Dark)]
    [InlineData(40, SkinTone.Dark)]
    public void Skin_tone_classes_hold_at_their_boundaries(byte grey, SkinTone expected)
    {
        // A flat grey photo: luma equals the grey level, so the class boundaries (luma above 165 light, above 105 medium) are exact.
        using var photo = new Image<Rgb24>(512, 512, new Rgb24(grey, grey, grey));
        FaceDeidentifier.EstimateSkinTone(photo, fixture.Reference("astronaut.png").Face!.Landmarks).Should().Be(expected);
    }

    [Fact]
    public void The_skin_tone_is_read_on_the_cheeks_not_elsewhere()
    {
        FaceLandmarks lm = fixture.Reference("astronaut.png").Face!.Landmarks;
        using var photo = new Image<Rgb24>(512, 512, new Rgb24(30, 30, 30));
        int r = Math.Max(2, (int)(0.05f * lm.InterPupillaryDistance));
        foreach (Vector2 c in new[] { lm[50], lm[280] })
        {
            for (int y = (int)c.Y - r; y <= (int)c.Y + r; y++)
            {
                for (int x = (int)c.X - r; x <= (int)c.X + r; x++)
                {
                    photo[x, y] = new Rgb24(220, 220, 220);
                }
            }
        }

        FaceDeidentifier.EstimateSkinTone(photo, lm).Should().Be(SkinTone.Light);
    }

    [Fact]
    public void The_geometric_eye_opening_limit_holds_at_its_boundary()
    {
        FaceLandmarks lm = fixture.Reference("grace_hopper.jpg").Face!.Landmarks;
        float Ratio(EyeLandmarks e) => Vector2.Distance(e.UpperLidMidpoint, e.LowerLidMidpoint) / Vector2.Distance(e.OuterCanthus, e.InnerCanthus);
        float smallest = Math.Min(Ratio(lm.RightEye), Ratio(lm.LeftEye));
        output.WriteLine($"smallest opening ratio {smallest:F4}");
        using (var below = new FaceDeidentifier(fixture.Detector, options: new DeidentificationOptions { MinEyeOpening = smallest - 0.01f }, diagnostics: FaceDeidentifier.NoDiagnostics))
        using (DeidentificationResult r = below.Deidentify(Face("grace_hopper.jpg")))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        }

        using (var above = new FaceDeidentifier(fixture.Detector, options: new DeidentificationOptions { MinEyeOpening = smallest + 0.01f }, diagnostics: FaceDeidentifier.NoDiagnostics))
        using (DeidentificationResult r = above.Deidentify(Face("grace_hopper.jpg")))
        {
            r.Status.Should().Be(DeidentificationStatus.EyesClosed);
            r.Message.Should().Contain("looks closed");
        }
    }

    [Theory]
    [InlineData(RoiPreset.EyesOnly)]
    [InlineData(RoiPreset.Paper)]
    public void The_mask_is_feathered_with_no_hard_seam(RoiPreset roi)
    {
        using var pipeline = new FaceDeidentifier(fixture.Detector, options: new DeidentificationOptions { Fusion = new FusionOptions { Roi = roi } }, diagnostics: FaceDeidentifier.NoDiagnostics);
        using DeidentificationResult r = pipeline.Deidentify(Face("astronaut.png"));
        r.Status.Should().Be(DeidentificationStatus.Success);
        float[] mask = r.Fusion!.Mask.ToArray();
        int size = r.Image!.Width;
        float ipd = r.Fusion.PatientLandmarks.InterPupillaryDistance;
        float sigma = r.Fusion.Options.FeatherSigmaFraction * ipd;

        // Along rays out of each iris centre, the mask falls from 1 to 0. A Gaussian-feathered edge falls by at most
        // 1 / (sigma * sqrt(2 pi)) per pixel, and takes about 4 sigma to go from 0.98 to 0.02; a cut feather jumps.
        double maxStep = 0;
        var widths = new List<int>();
        foreach (Vector2 centre in new[] { r.Fusion.PatientLandmarks[468], r.Fusion.PatientLandmarks[473] })
        {
            for (int k = 0; k < 16; k++)
            {
                Vector2 dir = new(MathF.Cos(k * MathF.PI / 8), MathF.Sin(k * MathF.PI / 8));
                float previous = Sample(mask, size, centre);
                int inTransition = 0;
                for (int t = 1; t < size; t++)
                {
                    Vector2 p = centre + (t * dir);
                    if (p.X < 0 || p.Y < 0 || p.X >= size - 1 || p.Y >= size - 1)
                    {
                        break;
                    }

                    float m = Sample(mask, size, p);
                    maxStep = Math.Max(maxStep, Math.Abs(m - previous));
                    inTransition += m is > 0.02f and < 0.98f ? 1 : 0;
                    previous = m;
                    if (m == 0)
                    {
                        break;
                    }
                }

                widths.Add(inTransition);
            }
        }

        double gaussianSlope = 1 / (sigma * Math.Sqrt(2 * Math.PI));
        output.WriteLine($"{roi}: sigma {sigma:F2} px, steepest step {maxStep:F3} per px (Gaussian edge {gaussianSlope:F3}), transition widths {widths.Min()}-{widths.Max()} px");

        // Bounds: steepest step at most 1.5x the Gaussian edge's slope (measured: 1.0-1.1x); every ray's transition at least
        // 2.5 sigma wide (measured: 3.9 sigma and more).
        maxStep.Should().BeLessThan(1.5 * gaussianSlope);
        widths.Min().Should().BeGreaterThanOrEqualTo((int)(2.5 * sigma));
    }

    private static float Sample(float[] mask, int size, Vector2 p)
    {
        // Bilinear, so the steps along a slanted ray are the mask's, not the pixel grid's.
        int x = (int)p.X, y = (int)p.Y;
        float fx = p.X - x, fy = p.Y - y;
        float top = (mask[(y * size) + x] * (1 - fx)) + (mask[(y * size) + x + 1] * fx);
        float bottom = (mask[((y + 1) * size) + x] * (1 - fx)) + (mask[((y + 1) * size) + x + 1] * fx);
        return (top * (1 - fy)) + (bottom * fy);
    }

    private sealed class QuerySpy(IAvatarProvider inner) : IAvatarProvider
    {
        public AvatarQuery? Last { get; private set; }

        public IReadOnlyList<AvatarMetadata> Catalog => inner.Catalog;

        public Avatar Select(AvatarQuery query)
        {
            Last = query;
            return inner.Select(query);
        }
    }
}
