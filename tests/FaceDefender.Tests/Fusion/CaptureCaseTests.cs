using FaceDefender.Abstractions;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Fusion;

/// <summary>The capture harness's seeded (held-out) sets and its optical blur.</summary>
public sealed class CaptureCaseTests(CaptureMatchTests.Fixture fixture) : IClassFixture<CaptureMatchTests.Fixture>
{
    [Fact]
    public void A_seed_draws_its_own_96_captures_the_same_way_every_time()
    {
        CaptureCase[] a = [.. CaptureMatchHarness.SeededCases(11)], again = [.. CaptureMatchHarness.SeededCases(11)], b = [.. CaptureMatchHarness.SeededCases(12)];
        a.Should().HaveCount(96).And.Equal(again);
        a.Where((c, i) => c != b[i]).Should().HaveCountGreaterThan(90, "another seed draws other degradations");
        a.Count(c => c.Portrait == CaptureMatchHarness.Portraits[0]).Should().Be(48);
        a.Should().OnlyContain(c => c.Ipd >= 28 && c.Ipd <= 100 && c.JpegQuality >= 50 && c.JpegQuality <= 95
            && c.NoiseSigma >= 0 && c.NoiseSigma <= 8 && c.Blur >= 0 && c.Blur <= 1.5f);
        a.Select(c => c.Ipd).Distinct().Should().HaveCountGreaterThan(20, "inter-pupil distances between the fixed set's four");
        a.Count(c => c.Blur > 0).Should().BeInRange(48, 80);
        a.Count(c => c.NoiseSigma > 0).Should().BeInRange(48, 80);
    }

    [Fact]
    public void The_fixed_set_is_unchanged_without_a_seed()
    {
        CaptureCase[] cases = [.. CaptureMatchHarness.FixedCases()];
        cases.Should().HaveCount(96).And.OnlyContain(c => c.Blur == 0);
        cases.Select(c => c.Ipd).Distinct().Should().Equal(30f, 45f, 60f, 90f);
        cases[0].ToString().Should().Be("astronaut ipd 30 q60 noise 0 neutral");
    }

    [Fact]
    public void The_optical_blur_softens_the_capture()
    {
        var sharp = new CaptureCase("astronaut.png", 60, 0, 0, TestWhiteBalance.Neutral);
        (var a, _) = fixture.Harness.Degrade(sharp);
        (var b, _) = fixture.Harness.Degrade(sharp with { Blur = 1.2f });
        using (a)
        using (b)
        {
            (a.Width, a.Height).Should().Be((b.Width, b.Height));
            double ga = MeanGradient(a), gb = MeanGradient(b);
            (gb / ga).Should().BeLessThan(0.8, "a Gaussian blur of 1.2 capture pixels removes much of the gradient");
        }
    }

    [Fact]
    public void The_output_size_emulation_scales_the_avatar_and_its_landmarks_together()
    {
        Avatar avatar = fixture.Harness.AvatarOf("astronaut.png");
        float ipd = avatar.Landmarks.InterPupillaryDistance;
        (Image<Rgb24> same, FaceLandmarks sameLm, Image<Rgb24>? none) = CaptureMatchHarness.OutputAvatar(avatar, 30, null);
        same.Should().BeSameAs(avatar.Image);
        sameLm.Should().BeSameAs(avatar.Landmarks);
        none.Should().BeNull();
        CaptureMatchHarness.OutputAvatar(avatar, 30, 100).Owned.Should().BeNull("an enlargement cap above the canvas's keeps the canvas");

        (Image<Rgb24> small, FaceLandmarks lm, Image<Rgb24>? owned) = CaptureMatchHarness.OutputAvatar(avatar, 30, 2);
        using (owned)
        {
            owned.Should().BeSameAs(small);
            lm.InterPupillaryDistance.Should().BeApproximately(60, 0.5f, "the photo's 30 px enlarged at most twice");
            ((float)small.Width / avatar.Image.Width).Should().BeApproximately(lm.InterPupillaryDistance / ipd, 0.005f, "image and landmarks scaled alike");
            small.Height.Should().Be(small.Width);
        }
    }

    [Fact]
    public void The_photo_on_both_sides_is_the_photo_where_the_fusion_puts_it()
    {
        var c = new CaptureCase("grace_hopper.jpg", 45, 90, 0, TestWhiteBalance.Neutral);
        (SeamMeasures _, FusionResult r) = fixture.Harness.Run(c, new FusionOptions());
        (Image<Rgb24> photo, FaceLandmarks lm) = fixture.Harness.Degrade(c);
        using (r)
        using (photo)
        using (Image<Rgb24> everywhere = CaptureMatchHarness.WarpEverywhere(photo, r))
        {
            everywhere.Width.Should().Be(r.Image.Width);
            double sum = 0;
            int[] points = [33, 133, 263, 362, 468, 473, 1, 61, 291, 10, 152];
            foreach (int i in points)
            {
                System.Numerics.Vector2 p = lm[i], q = r.PatientLandmarks[i];
                Rgb24 a = photo[(int)p.X, (int)p.Y], b = everywhere[(int)q.X, (int)q.Y];
                sum += (Math.Abs(a.R - b.R) + Math.Abs(a.G - b.G) + Math.Abs(a.B - b.B)) / 3.0;
            }

            (sum / points.Length).Should().BeLessThan(12, "each landmark's pixel of the photo lands on the landmark's mapped position");
        }
    }

    private static double MeanGradient(SixLabors.ImageSharp.Image<Rgb24> img)
    {
        double sum = 0;
        int n = 0;
        for (int y = 1; y < img.Height - 1; y++)
        {
            for (int x = 1; x < img.Width - 1; x++)
            {
                sum += Math.Abs(img[x + 1, y].G - img[x - 1, y].G) + Math.Abs(img[x, y + 1].G - img[x, y - 1].G);
                n++;
            }
        }

        return sum / n;
    }
}
