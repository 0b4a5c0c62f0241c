using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Pipeline;

public sealed class ScaleAndContinuityTests : IClassFixture<FaceDeidentifierTests.Shared>
{
    private readonly FaceDeidentifierTests.Shared _s;
    private readonly ITestOutputHelper _output;

    public ScaleAndContinuityTests(FaceDeidentifierTests.Shared s, ITestOutputHelper output)
    {
        _s = s;
        _output = output;
    }

    private static Image<Rgb24> Portrait() => Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", "grace_hopper.jpg"));

    private static readonly int[] EyePoints = [468, 473, 33, 133, 263, 362, 159, 145, 386, 374];

    /// <summary>The names of <see cref="MeasurementArithmeticTests.Pairs"/>, in its order.</summary>
    private static readonly string[] MeasureNames =
    [
        .. new[] { "right", "left" }.SelectMany(e => new[] { "iris width", "MRD1", "MRD2", "fissure height", "fissure width", "iris to inner canthus", "decentration nasal", "decentration up" }.Select(m => $"{e} {m}")),
        "|L - R|", "horizontal vergence", "vertical difference", "inter-pupil distance",
    ];

    private static Image<Rgb24> Scaled(Image<Rgb24> photo, float scale) =>
        photo.Clone(ctx => ctx.Resize((int)MathF.Round(photo.Width * scale), (int)MathF.Round(photo.Height * scale), KnownResamplers.Bicubic));

    // Against the photo at 1x. Measured (eye points max, fraction of the IPD; transform scale error): 0.5x 0.679 %, 0.211 %;
    // 2x 0.106 %, 0.005 %; 4x 0.107 %, 0.062 %. Bounds 1.5-2x those (they were 3 % and 3 % for every scale, up to 600x).
    [Theory]
    [InlineData(0.5f, 0.01f, 0.0035)]
    [InlineData(2f, 0.002f, 0.0001)]
    [InlineData(4f, 0.002f, 0.001)]
    public void Scaled_copies_land_the_eyes_in_the_same_place(float scale, float pointBound, double scaleBound)
    {
        using Image<Rgb24> photo = Portrait();
        using DeidentificationResult reference = _s.Pipeline.Deidentify(photo, new PatientInfo(PseudonymKey: "scale"));
        using Image<Rgb24> scaled = Scaled(photo, scale);
        using DeidentificationResult r = _s.Pipeline.Deidentify(scaled, new PatientInfo(PseudonymKey: "scale"));
        r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        FaceLandmarks a = reference.Fusion!.PatientLandmarks, b = r.Fusion!.PatientLandmarks;
        float ipd = a.InterPupillaryDistance;
        float worst = EyePoints.Max(i => Vector2.Distance(a[i], b[i])) / ipd;
        double scaleError = Math.Abs((r.Fusion.Transform.Scale * scale) - reference.Fusion.Transform.Scale) / reference.Fusion.Transform.Scale;
        _output.WriteLine(FormattableString.Invariant($"scale {scale}: eye points max {worst:P3} of the IPD, transform scale {scaleError:P3}"));
        foreach (int i in EyePoints)
        {
            Vector2.Distance(a[i], b[i]).Should().BeLessThan(pointBound * ipd, $"landmark {i} at scale {scale}");
        }

        scaleError.Should().BeLessThan(scaleBound);
    }

    /// <summary>
    /// Continuity: the same photo at adjacent 5 % steps of size must give nearly the same output geometry and the same
    /// measurements. A step-like change in the pipeline between two sizes (a crop, a working-size or a size threshold
    /// that switches a method) shows up as a jump between neighbours larger than the bounds, which are set from the values
    /// measured on this portrait (see the comments).
    /// </summary>
    [Fact]
    public void Adjacent_five_percent_scales_give_continuous_landmarks_and_measurements()
    {
        float[] scales = [0.8f, 0.85f, 0.9f, 0.95f, 1f, 1.05f, 1.1f, 1.15f, 1.2f];
        using Image<Rgb24> photo = Portrait();
        var results = new List<DeidentificationResult>();
        try
        {
            foreach (float scale in scales)
            {
                using Image<Rgb24> scaled = Scaled(photo, scale);
                DeidentificationResult r = _s.Pipeline.Deidentify(scaled, new PatientInfo(PseudonymKey: "continuity-steps"));
                results.Add(r);
                r.Status.Should().Be(DeidentificationStatus.Success, $"scale {scale}: {r.Message}");
            }

            float worstPoint = 0;
            double worstMm = 0, worstScale = 0;
            for (int k = 1; k < scales.Length; k++)
            {
                DeidentificationResult a = results[k - 1], b = results[k];
                FaceLandmarks la = a.Fusion!.PatientLandmarks, lb = b.Fusion!.PatientLandmarks;
                float point = EyePoints.Max(i => Vector2.Distance(la[i], lb[i])) / la.InterPupillaryDistance;
                double[] changes = [.. MeasurementArithmeticTests.Pairs(a.Assessment!.Measurements, b.Assessment!.Measurements)
                    .Select(p => Math.Abs(p.Item2.Millimetres - p.Item1.Millimetres))];
                double mm = changes.Max();
                string which = MeasureNames[Array.IndexOf(changes, mm)];
                double sa = a.Fusion.Transform.Scale * scales[k - 1], sb = b.Fusion.Transform.Scale * scales[k];
                double scaleStep = Math.Abs(sb - sa) / sa;
                _output.WriteLine(FormattableString.Invariant(
                    $"{scales[k - 1]:F2} -> {scales[k]:F2}: eye points max {point:P3} of the IPD, largest measurement change {mm:F3} mm ({which}), transform scale {scaleStep:P3}"));
                worstPoint = Math.Max(worstPoint, point);
                worstMm = Math.Max(worstMm, mm);
                worstScale = Math.Max(worstScale, scaleStep);
            }

            _output.WriteLine(FormattableString.Invariant($"worst step: eye points {worstPoint:P3} of the IPD, measurements {worstMm:F3} mm, transform scale {worstScale:P3}"));
            // Measured now (0.80 .. 1.20): worst steps 0.562 % of the IPD for the eye points (1.05 -> 1.10), 0.688 mm for a
            // measurement (inter-pupil distance, 0.80 -> 0.85; |L - R| 0.586 mm, fissure widths 0.39-0.48 mm) and 0.488 % for the
            // fit's scale (1.00 -> 1.05), while 0.95 -> 1.00 moves the eye points 0.057 %: the steps are uneven, a known
            // problem to be fixed separately. The bounds sit just above these values (about 1.25x) so that any larger jump
            // fails; tighten them when the jumps are fixed.
            worstPoint.Should().BeLessThan(0.007f, "eye points between adjacent 5 % scales, fraction of the IPD (measured 0.562 %)");
            worstMm.Should().BeLessThan(0.85, "any measurement between adjacent 5 % scales, mm (measured 0.688 mm)");
            worstScale.Should().BeLessThan(0.006, "the fit's scale, corrected for the photo's, between adjacent 5 % scales (measured 0.488 %)");
        }
        finally
        {
            foreach (DeidentificationResult r in results)
            {
                r.Dispose();
            }
        }
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
