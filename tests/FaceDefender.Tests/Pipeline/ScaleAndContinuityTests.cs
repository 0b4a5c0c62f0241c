using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Tests.Pipeline;

public sealed class ScaleAndContinuityTests : IClassFixture<FaceDeidentifierTests.Shared>
{
    private readonly FaceDeidentifierTests.Shared _s;

    public ScaleAndContinuityTests(FaceDeidentifierTests.Shared s) => _s = s;

    private static Image<Rgb24> Portrait() => Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", "grace_hopper.jpg"));

    [Theory]
    [InlineData(0.5f)]
    [InlineData(1f)]
    [InlineData(2f)]
    [InlineData(4f)]
    public void Scaled_copies_land_the_eyes_in_the_same_place(float scale)
    {
        using Image<Rgb24> photo = Portrait();
        using DeidentificationResult reference = _s.Pipeline.Deidentify(photo, new PatientInfo(PseudonymKey: "scale"));
        using Image<Rgb24> scaled = photo.Clone(ctx => ctx.Resize((int)(photo.Width * scale), (int)(photo.Height * scale), KnownResamplers.Bicubic));
        using DeidentificationResult r = _s.Pipeline.Deidentify(scaled, new PatientInfo(PseudonymKey: "scale"));
        r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        FaceLandmarks a = reference.Fusion!.PatientLandmarks, b = r.Fusion!.PatientLandmarks;
        float ipd = a.InterPupillaryDistance;
        foreach (int i in new[] { 468, 473, 33, 133, 263, 362, 159, 145, 386, 374 })
        {
            Vector2.Distance(a[i], b[i]).Should().BeLessThan(0.03f * ipd, $"landmark {i} at scale {scale}");
        }

        (r.Fusion.Transform.Scale * scale).Should().BeApproximately(reference.Fusion.Transform.Scale, 0.03 * reference.Fusion.Transform.Scale);
    }

    [Fact]
    public void A_quarter_scale_photo_is_either_deidentified_or_reported_too_small()
    {
        using Image<Rgb24> photo = Portrait();
        using Image<Rgb24> tiny = photo.Clone(ctx => ctx.Resize(photo.Width / 4, photo.Height / 4));
        using DeidentificationResult r = _s.Pipeline.Deidentify(tiny);
        r.Status.Should().BeOneOf(DeidentificationStatus.Success, DeidentificationStatus.FaceTooSmall);
        (r.Image is null).Should().Be(r.Status != DeidentificationStatus.Success);
    }

    /// <summary>
    /// Colour continuity. Seam step: at every pixel on the mask's half-value line, the colour a distance δ inside the
    /// mask (along the mask gradient) minus the colour δ outside, each averaged over a 5 x 5 patch, divided by 2δ
    /// (δ = 3 feather sigmas, so the two samples sit on the patient's and the avatar's pixels): a gradient in grey
    /// levels per pixel. It must not exceed the avatar's own mean local gradient (forward differences, averaged over
    /// RGB) over its face (inside the face oval, outside the mask).
    /// </summary>
    [Fact]
    public void The_colour_step_across_the_seam_is_no_larger_than_the_avatars_own_gradient()
    {
        foreach (string file in new[] { "grace_hopper.jpg", "astronaut.png" })
        {
            using Image<Rgb24> photo = Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", file));
            using DeidentificationResult r = _s.Pipeline.Deidentify(photo, new PatientInfo(PseudonymKey: "continuity"));
            r.Status.Should().Be(DeidentificationStatus.Success);
            float[] mask = r.Fusion!.Mask.ToArray();
            Image<Rgb24> output = r.Image!;
            float delta = 3 * r.Fusion.Options.FeatherSigmaFraction * r.Fusion.PatientLandmarks.InterPupillaryDistance + 2;

            double stepSum = 0;
            int steps = 0;
            for (int y = 8; y < 1016; y++)
            {
                for (int x = 8; x < 1016; x++)
                {
                    float m = mask[(y * 1024) + x];
                    if (m < 0.45f || m > 0.55f)
                    {
                        continue;
                    }

                    var g = new Vector2(mask[(y * 1024) + x + 1] - mask[(y * 1024) + x - 1], mask[((y + 1) * 1024) + x] - mask[((y - 1) * 1024) + x]);
                    if (g.Length() < 1e-3f)
                    {
                        continue;
                    }

                    Vector2 n = Vector2.Normalize(g);
                    Vector3 inside = Patch(output, new Vector2(x, y) + (n * delta));
                    Vector3 outside = Patch(output, new Vector2(x, y) - (n * delta));
                    Vector3 d = Vector3.Abs(inside - outside);
                    stepSum += (d.X + d.Y + d.Z) / 3 / (2 * delta);
                    steps++;
                }
            }

            steps.Should().BeGreaterThan(200);
            double seam = stepSum / steps;

            var oval = new List<Vector2>(r.Fusion.PatientLandmarks.FaceContour);
            Vector2 centre = oval.Aggregate(Vector2.Zero, (a, b) => a + b) / oval.Count;
            float radius = oval.Min(p => Vector2.Distance(p, centre));
            double skin = MeanGradient(output, (x, y) => mask[(y * 1024) + x] == 0 && Vector2.Distance(new Vector2(x, y), centre) < radius, out int count);
            count.Should().BeGreaterThan(10_000);
            seam.Should().BeLessThanOrEqualTo(skin, $"{file}: seam step {seam:F2} vs avatar face gradient {skin:F2} grey levels per pixel");
        }
    }

    private static Vector3 Patch(Image<Rgb24> img, Vector2 c)
    {
        Vector3 s = Vector3.Zero;
        for (int dy = -2; dy <= 2; dy++)
        {
            for (int dx = -2; dx <= 2; dx++)
            {
                Rgb24 p = img[Math.Clamp((int)MathF.Round(c.X) + dx, 0, img.Width - 1), Math.Clamp((int)MathF.Round(c.Y) + dy, 0, img.Height - 1)];
                s += new Vector3(p.R, p.G, p.B);
            }
        }

        return s / 25;
    }

    private static double MeanGradient(Image<Rgb24> img, Func<int, int, bool> where, out int count)
    {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < img.Height - 1; y++)
        {
            for (int x = 0; x < img.Width - 1; x++)
            {
                if (!where(x, y))
                {
                    continue;
                }

                Rgb24 p = img[x, y], px = img[x + 1, y], py = img[x, y + 1];
                sum += (Math.Abs(p.R - px.R) + Math.Abs(p.G - px.G) + Math.Abs(p.B - px.B) +
                        Math.Abs(p.R - py.R) + Math.Abs(p.G - py.G) + Math.Abs(p.B - py.B)) / 3.0;
                n++;
            }
        }

        count = n;
        return n == 0 ? 0 : sum / n;
    }
}
