using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using FluentAssertions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>The corneal reflex search on kit renders with a light at the camera, and on the same renders spoiled the ways real photos are.</summary>
public sealed class CornealReflexDetectorTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static GroundTruthRender Render(CameraLight? light = null, EyeControl? right = null) => GroundTruthFaceRenderer.Render(new GroundTruthScene
    {
        ImageSize = 640,
        Identity = 4,
        CameraLight = light ?? CameraLight.Default,
        Fixation = EyeFixation.Camera,
        RightEye = right ?? EyeControl.Neutral,
    });

    /// <summary>The render degraded like a small real capture (an iris of <paramref name="iris"/> px, blur 0.5 px, noise 3, JPEG 80), or null for 0.</summary>
    private static DegradedGroundTruth? Degrade(GroundTruthRender r, float iris, ulong seed) => iris > 0
        ? GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { TargetIrisDiameterPixels = iris, BlurSigmaPixels = 0.5f, NoiseSigmaLevels = 3, JpegQuality = 80, Seed = seed })
        : null;

    private static void Spot(Image<Rgb24> image, Vector2 centre, float radius, byte level = 255)
    {
        for (int y = (int)(centre.Y - radius - 1); y <= (int)(centre.Y + radius + 1); y++)
        {
            for (int x = (int)(centre.X - radius - 1); x <= (int)(centre.X + radius + 1); x++)
            {
                if (Vector2.Distance(new Vector2(x + 0.5f, y + 0.5f), centre) <= radius)
                {
                    image[x, y] = new Rgb24(level, level, level);
                }
            }
        }
    }

    private static void AssertNoAlignment(FaceLandmarks withReflexes, EyeSide spoiled)
    {
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(withReflexes);
        a.Measurements.Hirschberg.IsAvailable.Should().BeFalse();
        a.Findings.Should().NotContain(f => f.Kind == FindingKind.Esotropia || f.Kind == FindingKind.Exotropia
            || f.Kind == FindingKind.Hypertropia || f.Kind == FindingKind.Hypotropia);
        a.QualityFlags.Should().Contain(f => f.Issue == CaptureQualityIssue.NoCornealReflex && f.Eye == spoiled);
    }

    [Fact]
    public void A_light_at_the_camera_gives_one_reflex_per_eye_near_the_true_place()
    {
        using GroundTruthRender r = Render();
        CornealReflexes found = CornealReflexDetector.Detect(r.Image, r.Landmarks);
        found.RightStatus.Should().Be(CornealReflexStatus.Found);
        found.LeftStatus.Should().Be(CornealReflexStatus.Found);

        // Measured: within 0.3 px of the kit's reflex (the projection of the corneal centre); bound 0.6 px.
        Vector2.Distance(found.Right!.Position, r.Truth.Right.Alignment!.CornealReflex).Should().BeLessThan(0.6f);
        Vector2.Distance(found.Left!.Position, r.Truth.Left.Alignment!.CornealReflex).Should().BeLessThan(0.6f);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(30f)]
    public void The_limbus_centre_is_measured_on_the_image_where_the_landmarks_put_it_off(float iris)
    {
        // A right eye turned 30 PD out, on the clean render and degraded like a small real capture (30 px iris, blur, noise, JPEG).
        using GroundTruthRender r = Render(right: new EyeControl { HorizontalDeviationPrismDioptres = -30 });
        using DegradedGroundTruth? d = Degrade(r, iris, seed: 3);
        Image<Rgb24> image = d?.Image ?? r.Image;
        FaceLandmarks landmarks = d?.Landmarks ?? r.Landmarks;
        Vector2 truth = (d?.Truth ?? r.Truth).Right.Alignment!.LimbusCentre;
        EyeLandmarks eye = landmarks.RightEye;
        float radius = eye.IrisDiameter / 2;
        CornealReflex reflex = CornealReflexDetector.Detect(image, landmarks).Right!;
        reflex.LimbusCentre.Should().NotBeNull("the reflex carries the limbus centre measured beside it");

        // Landmarks that put the iris centre 0.12 radii towards the middle of the opening and 0.08 radii up, as the models
        // do on small or turned eyes: the chords still find the true horizontal centre (measured: within 0.04 px clean,
        // 0.05 px degraded; bound 0.1 px); the vertical one stays the landmarks'.
        byte[] rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        Vector2 off = truth + new Vector2(0.12f * radius, -0.08f * radius);
        Vector2? found = CornealReflexDetector.LimbusChordCentre(rgb, image.Width, image.Height, off, radius, [.. eye.Contour], reflex.Position, reflex.Radius);
        found.Should().NotBeNull();
        output.WriteLine(FormattableString.Invariant($"iris {2 * radius:F1} px: truth {truth}, landmarks {off}, chords {found}"));
        MathF.Abs(found!.Value.X - truth.X).Should().BeLessThan(0.1f);
        found.Value.Y.Should().Be(off.Y, "the chords give the horizontal centre only");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(40f)]
    public void The_limbus_centre_of_an_eye_turned_far_to_one_side_is_found_where_the_landmarks_put_it_a_third_of_a_radius_off(float iris)
    {
        // A right eye turned about 26 degrees out (a shared gaze 14 degrees to the image's left, looking slightly down, and
        // a 20 PD exotropia), clean and degraded like a 40 px capture. Its reflex lies 0.43 radii from the limbus centre,
        // and the landmark models put such an eye's iris centre about a third of a radius towards the middle of the
        // opening and read its radius about 10 % short (seen on the kit: 4.9 px of a 15 px radius, which read a 20 PD exo
        // as 14 PD eso). Searched only from there, one chord window holds the pupil's edge: no chord centre. Rows through
        // the reflex skipped instead of bridged leave the centre 0.4-0.5 px off.
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene
        {
            ImageSize = 768, Identity = 14, CameraLight = CameraLight.Default, Fixation = EyeFixation.Camera,
            GazeHorizontalDegrees = -14, GazeUpDegrees = -9, RightEye = new EyeControl { HorizontalDeviationPrismDioptres = -20 },
        });
        using DegradedGroundTruth? d = Degrade(r, iris, seed: 5);
        Image<Rgb24> image = d?.Image ?? r.Image;
        FaceLandmarks landmarks = d?.Landmarks ?? r.Landmarks;
        EyeAlignmentTruth truth = (d?.Truth ?? r.Truth).Right.Alignment!;
        EyeLandmarks eye = landmarks.RightEye;
        float radius = eye.IrisDiameter / 2;
        CornealReflex reflex = CornealReflexDetector.Detect(image, landmarks).Right!;
        Vector2.Distance(reflex.Position, truth.LimbusCentre).Should().BeGreaterThan(0.4f * radius, "the reflex lies well off the limbus centre on this eye");

        byte[] rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        Vector2 off = truth.LimbusCentre + new Vector2(0.3f * radius, -0.2f * radius);
        Vector2? found = CornealReflexDetector.LimbusChordCentre(rgb, image.Width, image.Height, off, 0.9f * radius, [.. eye.Contour], reflex.Position, reflex.Radius);
        output.WriteLine(FormattableString.Invariant($"iris {2 * radius:F1} px: truth {truth.LimbusCentre}, reflex {reflex.Position}, landmarks {off}, chords {found}"));
        found.Should().NotBeNull();

        // Measured: 0.14 px off clean, 0.19 px degraded; bound 0.3 px.
        MathF.Abs(found!.Value.X - truth.LimbusCentre.X).Should().BeLessThan(0.3f);
    }

    [Theory]
    [InlineData(0f, -30f, 0f)]
    [InlineData(30f, -30f, 0f)]
    [InlineData(0f, 20f, 15f)]
    [InlineData(30f, 20f, 15f)]
    public void The_vertical_limbus_centre_comes_from_the_image_where_the_landmarks_put_it_off(float iris, float horizontalPd, float verticalPd)
    {
        // A right eye turned out (or in and up), clean and degraded like a small real capture; the landmarks given to the
        // detector put its iris 0.12 radii towards the middle of the opening and 0.08 radii up (about 1.3 px at a 34 px
        // iris), as the models do on small or turned eyes. The reflex's limbus centre must come back to the truth in both
        // axes: the chords horizontally, the ellipse fitted to the visible limbus vertically.
        using GroundTruthRender r = Render(right: new EyeControl { HorizontalDeviationPrismDioptres = horizontalPd, VerticalDeviationPrismDioptres = verticalPd });
        using DegradedGroundTruth? d = Degrade(r, iris, seed: 3);
        Image<Rgb24> image = d?.Image ?? r.Image;
        FaceLandmarks landmarks = d?.Landmarks ?? r.Landmarks;
        Vector2 truth = (d?.Truth ?? r.Truth).Right.Alignment!.LimbusCentre;
        float radius = landmarks.RightEye.IrisDiameter / 2;
        var shift = new Vector3(0.12f * radius, -0.08f * radius, 0);
        Vector3[] points = landmarks.Points.ToArray();
        for (int i = EyeIndices.Right.IrisCentre; i < EyeIndices.Right.IrisCentre + 5; i++)
        {
            points[i] += shift;
        }

        var shifted = new FaceLandmarks(points, landmarks.Space, landmarks.RightEyeContour, landmarks.LeftEyeContour);
        CornealReflex reflex = CornealReflexDetector.Detect(image, shifted).Right!;
        reflex.LimbusCentre.Should().NotBeNull();
        Vector2 found = reflex.LimbusCentre!.Value;
        output.WriteLine(FormattableString.Invariant(
            $"iris {2 * radius:F1} px, {horizontalPd} / {verticalPd} PD: truth {truth}, landmarks {shifted.RightEye.IrisCentre}, found {found} (off {found.X - truth.X:F3}, {found.Y - truth.Y:F3} px)"));

        // Measured: vertically within 0.06 px (the landmarks' 1.2 px off), horizontally within 0.05 px; bounds 0.2 px
        // (about 1.3 PD of Hirschberg displacement at these sizes) and 0.1 px as above.
        MathF.Abs(found.Y - truth.Y).Should().BeLessThan(0.2f);
        MathF.Abs(found.X - truth.X).Should().BeLessThan(0.1f);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(35f)]
    public void The_vertical_limbus_centre_of_a_turned_eye_is_the_ellipses(float turnDegrees)
    {
        // A drawn eye: neutral sclera, a dark limbus turned horizontally by turnDegrees (an ellipse 15 px high and
        // 15 cos(turn) px wide, anti-aliased), the upper lid over the top 6 px of it and the lower lid clear of it
        // (reddish skin outside the opening), the reflex where a light at the camera puts it. The landmarks' centre is
        // 1.2 px too high. A circle cannot follow a turned eye's limbus, which is narrower than tall: fitted to the arcs the
        // lids leave, it misplaces the centre vertically.
        const int size = 100;
        var truth = new Vector2(50.3f, 50.7f);
        const float r = 15;
        float turn = turnDegrees * MathF.PI / 180, a = r * MathF.Cos(turn);
        Vector2 reflex = truth + new Vector2(CornealReflexDetector.CorneaToLimbusRadii * r * MathF.Sin(turn), 0);
        var opening = new List<Vector2>();
        for (int i = 0; i <= 20; i++)
        {
            float t = (i / 10f) - 1; // -1 .. 1, left to right along the upper lid
            opening.Add(truth + new Vector2(32 * t, 2 - (11 * (1 - (t * t)))));
        }

        for (int i = 19; i >= 1; i--)
        {
            float t = (i / 10f) - 1; // back along the lower lid
            opening.Add(truth + new Vector2(32 * t, 2 + (14 * (1 - (t * t)))));
        }

        Vector2[] polygon = [.. opening];
        byte[] rgb = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                float red = 0, green = 0, blue = 0;
                for (int sy = 0; sy < 4; sy++)
                {
                    for (int sx = 0; sx < 4; sx++)
                    {
                        var p = new Vector2(x + ((sx + 0.5f) / 4), y + ((sy + 0.5f) / 4));
                        Vector2 q = p - truth;
                        (float R, float G, float B) c = !FaceDefender.Synthesis.PolygonMath.Contains(polygon, p) ? (205, 150, 120)
                            : Vector2.Distance(p, reflex) < 1.2f ? (255, 255, 255)
                            : ((q.X / a) * (q.X / a)) + ((q.Y / r) * (q.Y / r)) <= 1 ? (90, 60, 40)
                            : (215, 212, 208);
                        red += c.R / 16;
                        green += c.G / 16;
                        blue += c.B / 16;
                    }
                }

                int o = ((y * size) + x) * 3;
                (rgb[o], rgb[o + 1], rgb[o + 2]) = ((byte)MathF.Round(red), (byte)MathF.Round(green), (byte)MathF.Round(blue));
            }
        }

        var landmarks = new Vector2(truth.X, truth.Y - 1.2f);
        (float y0, float weight) = CornealReflexDetector.LimbusEllipseVertical(rgb, size, size, landmarks, truth.X, r, polygon, reflex, 1.2f);
        float found = landmarks.Y + (weight * (y0 - landmarks.Y));
        output.WriteLine(FormattableString.Invariant($"turn {turnDegrees} deg: truth y {truth.Y}, fitted {y0:F3}, weight {weight:F3}, centre {found:F3}"));

        // Measured: within 0.04 px (0 degrees) and 0.01 px (35 degrees); a circle instead of the ellipse put the turned
        // eye's centre 1.09 px too low. Bound 0.1 px.
        MathF.Abs(found - truth.Y).Should().BeLessThan(0.1f);
    }

    [Fact]
    public void No_light_no_reflex()
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 640, Identity = 4, Fixation = EyeFixation.Camera, RightEye = new EyeControl { AngleKappaDegrees = 3 } });
        CornealReflexes found = CornealReflexDetector.Detect(r.Image, r.Landmarks);
        found.Right.Should().BeNull();
        found.RightStatus.Should().BeOneOf(CornealReflexStatus.NoReflex, CornealReflexStatus.AtIrisEdge);
        AssertNoAlignment(r.Landmarks.WithReflexes(found), EyeSide.Right);
    }

    [Fact]
    public void A_second_spot_of_similar_brightness_makes_the_eye_ambiguous()
    {
        using GroundTruthRender r = Render();
        EyeLandmarks eye = r.Landmarks.RightEye;
        CornealReflex first = CornealReflexDetector.Detect(r.Image, r.Landmarks).Right!;
        Spot(r.Image, first.Position + new Vector2(0.5f * eye.IrisDiameter / 2, 0), first.Radius + 0.5f);
        CornealReflexes found = CornealReflexDetector.Detect(r.Image, r.Landmarks);
        found.RightStatus.Should().Be(CornealReflexStatus.Multiple, "a second spot like the first: a ring light or a window beside the flash");
        found.LeftStatus.Should().Be(CornealReflexStatus.Found);
        AssertNoAlignment(r.Landmarks.WithReflexes(found), EyeSide.Right);
    }

    [Fact]
    public void Glare_over_the_iris_is_not_a_reflex()
    {
        using GroundTruthRender r = Render();
        EyeLandmarks eye = r.Landmarks.RightEye;
        Spot(r.Image, eye.IrisCentre + new Vector2(1, -1), 0.45f * eye.IrisDiameter / 2);
        CornealReflexes found = CornealReflexDetector.Detect(r.Image, r.Landmarks);
        found.RightStatus.Should().Be(CornealReflexStatus.NotCompact, "glasses glare or a washed-out eye");
        AssertNoAlignment(r.Landmarks.WithReflexes(found), EyeSide.Right);
    }

    [Fact]
    public void A_highlight_far_from_the_iris_centre_is_another_lights()
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 640, Identity = 4 });
        EyeLandmarks eye = r.Landmarks.LeftEye;
        Spot(r.Image, eye.IrisCentre + new Vector2(-0.7f * eye.IrisDiameter / 2, 0), 1.2f);
        CornealReflexes found = CornealReflexDetector.Detect(r.Image, r.Landmarks);
        found.LeftStatus.Should().Be(CornealReflexStatus.AtIrisEdge);
        found.Left.Should().BeNull();
    }

    [Fact]
    public void A_closed_eye_is_searched_for_no_reflex()
    {
        using GroundTruthRender r = Render(right: new EyeControl { FissureHeightMm = 0 });
        CornealReflexes found = CornealReflexDetector.Detect(r.Image, r.Landmarks);
        found.Right.Should().BeNull();
        found.RightStatus.Should().BeOneOf(CornealReflexStatus.Occluded, CornealReflexStatus.IrisTooSmall);
    }

    [Fact]
    public void The_search_outcome_must_agree_with_the_reflex()
    {
        var spot = new CornealReflex(new Vector2(10, 10), 1, 100);
        FluentActions.Invoking(() => new CornealReflexes(spot, null, CornealReflexStatus.NoReflex, CornealReflexStatus.NoReflex))
            .Should().Throw<ArgumentException>().WithParameterName("rightStatus");
        FluentActions.Invoking(() => new CornealReflexes(null, null, CornealReflexStatus.NoReflex, CornealReflexStatus.Found))
            .Should().Throw<ArgumentException>().WithParameterName("leftStatus");
        FluentActions.Invoking(() => new CornealReflexes(null, null, (CornealReflexStatus)99, CornealReflexStatus.NoReflex))
            .Should().Throw<ArgumentException>().WithParameterName("rightStatus");
        default(CornealReflexes).RightStatus.Should().Be(CornealReflexStatus.NotSearched);
        new CornealReflexes(spot, null).LeftStatus.Should().Be(CornealReflexStatus.NoReflex);
    }

    [Fact]
    public void Reflexes_travel_with_the_landmarks_through_a_transform()
    {
        using GroundTruthRender r = Render();
        FaceLandmarks lm = r.Landmarks.WithReflexes(r.Image);
        Matrix3x2 m = Matrix3x2.CreateScale(0.5f) * Matrix3x2.CreateRotation(0.2f) * Matrix3x2.CreateTranslation(30, 40);
        FaceLandmarks moved = lm.Transform(m, CoordinateSpace.Output);
        Vector2.Distance(moved.Reflexes.Right!.Position, Vector2.Transform(lm.Reflexes.Right!.Position, m)).Should().BeLessThan(1e-3f);
        moved.Reflexes.LeftStatus.Should().Be(CornealReflexStatus.Found);

        // The same alignment from the original and from the moved landmarks (a similarity changes no mm value).
        var bench = new LandmarkDiagnosticBenchmark();
        bench.Measure(moved).Hirschberg.HorizontalPrism.Dioptres.Should().BeApproximately(bench.Measure(lm).Hirschberg.HorizontalPrism.Dioptres, 1e-3);
    }
}
