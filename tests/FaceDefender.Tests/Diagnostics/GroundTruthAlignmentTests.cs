using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// The ground-truth kit's alignment features (camera light and corneal reflex, conjugate gaze, deviations, lid closure,
/// degradations): the truth agrees with the pixels and with the schematic eye's own geometry.
/// </summary>
public sealed class GroundTruthAlignmentTests(ITestOutputHelper output)
{
    private static readonly CameraLight Light = CameraLight.Default;

    public static TheoryData<string, GroundTruthScene> ReflexScenes => new()
    {
        { "fixating the camera", new GroundTruthScene { ImageSize = 768, CameraLight = Light, Fixation = EyeFixation.Camera } },
        { "gaze 15 right, 10 up", new GroundTruthScene { ImageSize = 768, Identity = 4, Sex = AvatarSex.Male, CameraLight = Light, Fixation = EyeFixation.Camera, GazeHorizontalDegrees = 15, GazeUpDegrees = 8 } },
        { "eso 25 R, hypo 10 L", new GroundTruthScene { ImageSize = 768, Identity = 9, SkinTone = SkinTone.Dark, CameraLight = Light, Fixation = EyeFixation.Camera, RightEye = new EyeControl { HorizontalDeviationPrismDioptres = 25 }, LeftEye = new EyeControl { VerticalDeviationPrismDioptres = -10 } } },
        { "posed, gaze ahead", new GroundTruthScene { ImageSize = 768, Identity = 13, SkinTone = SkinTone.Light, CameraLight = Light, YawDegrees = 10, PitchDegrees = 5, RollDegrees = 8, GazeHorizontalDegrees = -12 } },
        { "8 cm light, iris 10.5 mm, exo 30 L", new GroundTruthScene { ImageSize = 768, Identity = 21, AgeYears = 65, IrisDiameterMm = 10.5f, CameraLight = new CameraLight { DiameterCm = 8 }, Fixation = EyeFixation.Camera, LeftEye = new EyeControl { HorizontalDeviationPrismDioptres = -30 } } },
    };

    // Measured (largest distance of the located blob from the truth over both eyes, px): see the test output. Bound 0.5 px.
    [Theory]
    [MemberData(nameof(ReflexScenes))]
    public void The_brightest_blob_inside_each_iris_is_the_reflex_where_the_truth_puts_it(string name, GroundTruthScene scene)
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(scene);
        foreach ((string side, EyeTruth eye) in new[] { ("right", r.Truth.Right), ("left", r.Truth.Left) })
        {
            EyeAlignmentTruth a = eye.Alignment!;
            a.ReflexDrawn.Should().BeTrue();
            a.ReflexVisible.Should().BeTrue($"{name}: the {side} eye is open");
            a.ReflexOnCornea.Should().BeTrue();
            Vector2 found = Blobs.Brightest(r.Image, a.LimbusCentre, 0.9f * (float)eye.IrisWidth.Pixels / 2f);
            float error = Vector2.Distance(found, a.CornealReflex);
            output.WriteLine(FormattableString.Invariant($"{name}, {side}: reflex truth {a.CornealReflex}, found {found}, {error:F3} px; radius {a.ReflexRadiusPixels:F2} px"));
            error.Should().BeLessThan(0.5f);
        }
    }

    public static TheoryData<float, float, float> Gazes => new()
    {
        { 0, 0, 0 }, { 20, 0, 0 }, { -20, 0, 0 }, { 0, 15, 0 }, { 0, -15, 0 }, { 20, 15, 0 }, { -20, -15, 0 }, { 12, -8, 10 }, { -15, 10, -12 },
    };

    [Theory]
    [MemberData(nameof(Gazes))]
    public void Conjugate_gaze_gives_equal_Hirschberg_displacements_in_both_eyes(float right, float up, float yaw)
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene
        {
            ImageSize = 256, Identity = 2, CameraLight = Light, Fixation = EyeFixation.Camera, GazeHorizontalDegrees = right, GazeUpDegrees = up, YawDegrees = yaw,
        });
        AlignmentTruth t = r.Truth.Alignment!;
        Vector2 dr = r.Truth.Right.Alignment!.ReflexMinusLimbusMillimetres, dl = r.Truth.Left.Alignment!.ReflexMinusLimbusMillimetres;
        output.WriteLine(FormattableString.Invariant($"gaze {right}/{up}, yaw {yaw}: right {dr}, left {dl} mm, difference {Vector2.Distance(dr, dl):F4} mm"));
        Vector2.Distance(dr, dl).Should().BeLessThan(0.05f);
        t.HorizontalDeviationPrismDioptres.Should().Be(0);
        t.VerticalDeviationPrismDioptres.Should().Be(0);

        // Each eye is rotated by the gaze from the camera direction, so its reflex leaves the limbus centre by the limbus's
        // distance from the corneal centre times the sine of that angle, against the gaze.
        double expected = t.LimbusToCorneaCentreMm * Math.Sin(Math.Acos(Math.Cos(right * Math.PI / 180) * Math.Cos(up * Math.PI / 180)));
        dr.Length().Should().BeApproximately((float)expected, 0.03f + (0.03f * (float)expected));
        if (right != 0)
        {
            Math.Sign(dr.X).Should().Be(-Math.Sign(right), "the limbus moves further than the corneal centre");
        }
    }

    [Fact]
    public void Eyes_looking_ahead_show_the_camera_parallax_as_a_divergence()
    {
        // Parallel visual axes while the light is at 60 cm: each eye is turned away from the camera by the angle at which
        // it sees the camera, so the reflexes lie nasally, as in an exodeviation of that vergence.
        using GroundTruthRender camera = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 256, CameraLight = Light, Fixation = EyeFixation.Camera });
        using GroundTruthRender ahead = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 256, CameraLight = Light });
        double toCamera = camera.Truth.Right.Alignment!.HorizontalRotationDegrees * Math.PI / 180;
        AlignmentTruth t = ahead.Truth.Alignment!;
        output.WriteLine(FormattableString.Invariant($"camera {toCamera * 180 / Math.PI:F2} deg from ahead; Hirschberg difference {t.HirschbergHorizontalMillimetres:F3} mm"));
        t.HorizontalDeviationPrismDioptres.Should().Be(0);
        t.HirschbergHorizontalMillimetres.Should().BeApproximately(-2 * t.LimbusToCorneaCentreMm * Math.Sin(toCamera), 0.02);
        camera.Truth.Alignment!.HirschbergHorizontalMillimetres.Should().BeApproximately(0, 1e-3);
    }

    public static TheoryData<string, EyeControl, EyeControl, float, float, double, double> Deviations => new()
    {
        // name, right, left, gaze right, gaze up, expected horizontal PD (+ eso), expected vertical PD (+ right higher)
        { "eso 5 R", new EyeControl { HorizontalDeviationPrismDioptres = 5 }, EyeControl.Neutral, 0, 0, 5, 0 },
        { "eso 10 R", new EyeControl { HorizontalDeviationPrismDioptres = 10 }, EyeControl.Neutral, 0, 0, 10, 0 },
        { "eso 20 L", EyeControl.Neutral, new EyeControl { HorizontalDeviationPrismDioptres = 20 }, 0, 0, 20, 0 },
        { "eso 40 R", new EyeControl { HorizontalDeviationPrismDioptres = 40 }, EyeControl.Neutral, 0, 0, 40, 0 },
        { "exo 15 L", EyeControl.Neutral, new EyeControl { HorizontalDeviationPrismDioptres = -15 }, 0, 0, -15, 0 },
        { "exo 30 R", new EyeControl { HorizontalDeviationPrismDioptres = -30 }, EyeControl.Neutral, 0, 0, -30, 0 },
        { "hyper 10 R", new EyeControl { VerticalDeviationPrismDioptres = 10 }, EyeControl.Neutral, 0, 0, 0, 10 },
        { "hyper 25 L", EyeControl.Neutral, new EyeControl { VerticalDeviationPrismDioptres = 25 }, 0, 0, 0, -25 },
        { "eso 20 R, gaze 10 right 5 up", new EyeControl { HorizontalDeviationPrismDioptres = 20 }, EyeControl.Neutral, 10, 5, 20, 0 },
        { "exo 25 L, gaze 15 left", EyeControl.Neutral, new EyeControl { HorizontalDeviationPrismDioptres = -25 }, -15, 0, -25, 0 },
        { "hyper 15 R, gaze 10 down", new EyeControl { VerticalDeviationPrismDioptres = 15 }, EyeControl.Neutral, 0, -10, 0, 15 },
    };

    [Theory]
    [MemberData(nameof(Deviations))]
    public void A_deviation_gives_the_schematic_eyes_Hirschberg_difference(string name, EyeControl right, EyeControl left, float gazeRight, float gazeUp, double horizontal, double vertical)
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene
        {
            ImageSize = 256, Identity = 6, CameraLight = Light, Fixation = EyeFixation.Camera, RightEye = right, LeftEye = left, GazeHorizontalDegrees = gazeRight, GazeUpDegrees = gazeUp,
        });
        AlignmentTruth t = r.Truth.Alignment!;
        t.HorizontalDeviationPrismDioptres.Should().BeApproximately(horizontal, 1e-9);
        t.VerticalDeviationPrismDioptres.Should().BeApproximately(vertical, 1e-9);

        // The schematic eye: a rotation a from the camera direction moves the reflex by d sin(a) against the limbus centre
        // (d = LimbusToCorneaCentreMm); the deviating eye is at gaze + deviation, the fixing eye at gaze.
        bool horizontalCase = horizontal != 0;
        bool rightDeviates = horizontalCase ? right.HorizontalDeviationPrismDioptres != 0 : right.VerticalDeviationPrismDioptres != 0;
        EyeControl deviating = rightDeviates ? right : left;
        double g = (horizontalCase ? gazeRight : gazeUp) * Math.PI / 180, other = (horizontalCase ? gazeUp : gazeRight) * Math.PI / 180;
        double delta = Math.Atan((horizontalCase ? deviating.HorizontalDeviationPrismDioptres : deviating.VerticalDeviationPrismDioptres) / 100);
        delta *= horizontalCase && !rightDeviates ? -1 : 1; // the left eye's nasal side is image left
        double change = t.LimbusToCorneaCentreMm * Math.Cos(other) * (Math.Sin(g + delta) - Math.Sin(g));
        double exact = rightDeviates ? change : -change;
        double linear = (horizontal + vertical) * t.MillimetresPerPrismDioptre;
        double measured = horizontal != 0 ? t.HirschbergHorizontalMillimetres : t.HirschbergVerticalMillimetres;
        output.WriteLine(FormattableString.Invariant(
            $"{name}: Hirschberg difference {measured:F4} mm; schematic eye {exact:F4} mm; linear {linear:F4} mm ({t.PrismDioptresPerMillimetre:F2} PD/mm; clinical D/22 = {(horizontal + vertical) / 22:F4} mm); pupil-based {(horizontal != 0 ? t.PupilHirschbergHorizontalMillimetres : t.PupilHirschbergVerticalMillimetres):F4} mm"));
        measured.Should().BeApproximately(exact, 0.02 + (0.02 * Math.Abs(exact)));
        if (gazeRight == 0 && gazeUp == 0)
        {
            // In primary position the linear ratio holds to the sine-tangent difference (7 % at 40 PD).
            measured.Should().BeApproximately(linear, 0.02 + (0.08 * Math.Abs(linear)));
            double pupil = horizontal != 0 ? t.PupilHirschbergHorizontalMillimetres : t.PupilHirschbergVerticalMillimetres;
            pupil.Should().BeApproximately((horizontal + vertical) * t.PupilMillimetresPerPrismDioptre, 0.02 + (0.08 * Math.Abs(linear)));
        }

        // The other direction stays aligned.
        (horizontal != 0 ? t.HirschbergVerticalMillimetres : t.HirschbergHorizontalMillimetres).Should().BeApproximately(0, 0.05);
    }

    [Fact]
    public void The_model_states_its_Hirschberg_ratio()
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 128, Fixation = EyeFixation.Camera });
        AlignmentTruth t = r.Truth.Alignment!;
        t.LimbusToCorneaCentreMm.Should().BeApproximately(Math.Sqrt((7.8 * 7.8) - (5.85 * 5.85)), 1e-5);
        t.PupilToCorneaCentreMm.Should().BeApproximately(7.8 - 3.05, 1e-5);
        t.PrismDioptresPerMillimetre.Should().BeInRange(19, 20, "5.16 mm between the limbus plane and the corneal centre");
        (1 / t.PupilMillimetresPerPrismDioptre).Should().BeInRange(20.5, 21.5);
        r.Truth.Right.Alignment!.ReflexDrawn.Should().BeFalse("no light was set");
    }

    [Fact]
    public void The_pupil_is_drawn_at_the_entrance_pupil_and_the_iris_centre_at_the_limbus()
    {
        // No light, so the reflex does not cut into the pupil; a strongly rotated eye separates the entrance pupil
        // (0.41 mm deeper) from the limbus centre.
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene
        {
            ImageSize = 1024, Identity = 1, SkinTone = SkinTone.Light, Fixation = EyeFixation.Camera, GazeHorizontalDegrees = 15, GazeUpDegrees = -4,
            RightEye = new EyeControl { HorizontalDeviationPrismDioptres = 20 },
        });
        foreach (EyeTruth eye in new[] { r.Truth.Right, r.Truth.Left })
        {
            EyeAlignmentTruth a = eye.Alignment!;
            a.LimbusCentre.Should().Be(eye.IrisCentre);
            Vector2 dark = Blobs.Darkest(r.Image, a.PupilCentre, 0.75f * (float)eye.IrisWidth.Pixels / 2f);
            output.WriteLine(FormattableString.Invariant($"pupil truth {a.PupilCentre}, drawn {dark}, {Vector2.Distance(dark, a.PupilCentre):F3} px; limbus centre {a.LimbusCentre} ({Vector2.Distance(a.LimbusCentre, a.PupilCentre):F2} px away)"));
            Vector2.Distance(dark, a.PupilCentre).Should().BeLessThan(0.35f);
        }
    }

    public static TheoryData<float, float> Fissures => new() { { 0f, 0f }, { 2f, 0f }, { 3.5f, 0f }, { 5f, 0f }, { 5f, -1.5f }, { 4f, 1f } };

    [Theory]
    [MemberData(nameof(Fissures))]
    public void The_fissure_control_gives_the_drawn_opening_and_consistent_MRDs(float fissure, float lowerLidDown)
    {
        var eye = new EyeControl { FissureHeightMm = fissure, LowerLidDownMm = lowerLidDown };
        var scene = new GroundTruthScene { ImageSize = 768, Identity = 3, CameraLight = Light, Fixation = EyeFixation.Camera, RightEye = eye, LeftEye = eye };
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(scene);
        foreach ((EyeTruth image, EyeTruth head) in new[] { (r.Truth.Right, r.HeadFrameTruth.Right), (r.Truth.Left, r.HeadFrameTruth.Left) })
        {
            EyeAlignmentTruth a = image.Alignment!;
            output.WriteLine(FormattableString.Invariant(
                $"fissure {fissure} (lower lid {lowerLidDown}): head frame {head.FissureHeight.Pixels:F4} mm, image {image.FissureHeight.Pixels:F2} px / {image.FissureHeight.Millimetres:F3} mm; MRD1/2 from the reflex {a.Mrd1FromReflex.Millimetres:F2} / {a.Mrd2FromReflex.Millimetres:F2}, from the limbus {a.Mrd1FromLimbus.Millimetres:F2} / {a.Mrd2FromLimbus.Millimetres:F2} mm; reflex visible {a.ReflexVisible}"));
            head.FissureHeight.Pixels.Should().BeApproximately(fissure, 1e-3, "the head frame's fissure is the control");
            image.FissureHeight.Millimetres.Should().BeApproximately(fissure, 0.05 + (0.03 * fissure));
            (a.Mrd1FromReflex.Pixels + a.Mrd2FromReflex.Pixels).Should().BeApproximately(image.FissureHeight.Pixels, 0.5, "the reflex lies near the lid middle");
            if (fissure == 0f)
            {
                image.FissureHeight.Pixels.Should().Be(0, "the upper margin lies on the lower one");
                a.ReflexVisible.Should().BeFalse();
            }

            if (a.Mrd1FromReflex.Pixels > 1 && a.Mrd2FromReflex.Pixels > 1)
            {
                a.ReflexVisible.Should().BeTrue();
                Vector2 found = Blobs.Brightest(r.Image, a.LimbusCentre, 0.9f * (float)image.IrisWidth.Pixels / 2f);
                Vector2.Distance(found, a.CornealReflex).Should().BeLessThan(0.5f);
            }
            else if (a.Mrd1FromReflex.Pixels < -1 || a.Mrd2FromReflex.Pixels < -1)
            {
                a.ReflexVisible.Should().BeFalse();
                Blobs.MaxLuminance(r.Image, a.CornealReflex, 3f).Should().BeLessThan(235f, "a lid covers the reflex");
            }
        }
    }

    [Fact]
    public void Rendering_with_every_feature_is_deterministic()
    {
        var scene = new GroundTruthScene
        {
            ImageSize = 384, Identity = 30, CameraLight = Light, Fixation = EyeFixation.Camera, GazeHorizontalDegrees = -7, GazeUpDegrees = 4, YawDegrees = 5,
            RightEye = new EyeControl { VerticalDeviationPrismDioptres = 12, FissureHeightMm = 6 }, LeftEye = new EyeControl { HorizontalDeviationPrismDioptres = -18 },
        };
        using GroundTruthRender a = GroundTruthFaceRenderer.Render(scene);
        using GroundTruthRender b = GroundTruthFaceRenderer.Render(scene);
        Pixels(a.Image).Should().Equal(Pixels(b.Image));
        a.Truth.Right.Alignment!.CornealReflex.Should().Be(b.Truth.Right.Alignment!.CornealReflex);
        var degradation = new GroundTruthDegradation { TargetIrisDiameterPixels = 14, BlurSigmaPixels = 0.8f, NoiseSigmaLevels = 4, JpegQuality = 70, DownUpFactor = 0.7f, Seed = 5 };
        using DegradedGroundTruth da = GroundTruthDegrader.Degrade(a, degradation);
        using DegradedGroundTruth db = GroundTruthDegrader.Degrade(b, degradation);
        using DegradedGroundTruth dc = GroundTruthDegrader.Degrade(a, degradation with { Seed = 6 });
        Pixels(da.Image).Should().Equal(Pixels(db.Image));
        Pixels(da.Image).Should().NotEqual(Pixels(dc.Image), "another seed draws other noise");
    }

    [Fact]
    public void Scenes_mixing_the_original_iris_offsets_with_the_schematic_eye_are_refused()
    {
        var offsets = new EyeControl { IrisNasalMm = 1 };
        FluentActions.Invoking(() => GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 128, RightEye = offsets, CameraLight = Light })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 128, GazeHorizontalDegrees = 21 })).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 128, LeftEye = new EyeControl { VerticalDeviationPrismDioptres = 41 } })).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 128, LeftEye = new EyeControl { FissureHeightMm = -1 } })).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 128, CameraLight = new CameraLight { DiameterCm = 0.1f } })).Should().Throw<ArgumentOutOfRangeException>();
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 128 });
        FluentActions.Invoking(() => GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { JpegQuality = 40 })).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { TargetIrisDiameterPixels = 50 })).Should().Throw<ArgumentOutOfRangeException>();
        r.Truth.Alignment.Should().BeNull("a scene without the alignment features has the original eyes");
    }

    [Theory]
    [InlineData(40f)]
    [InlineData(24f)]
    [InlineData(12f)]
    public void Resampling_to_an_iris_size_scales_the_truth_to_the_new_pixels(float iris)
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene
        {
            ImageSize = 1024, Identity = 8, CameraLight = Light, Fixation = EyeFixation.Camera, GazeHorizontalDegrees = 10, RightEye = new EyeControl { HorizontalDeviationPrismDioptres = 15 },
        });
        using DegradedGroundTruth d = GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { TargetIrisDiameterPixels = iris });
        FaceMeasurementTruth t = d.Truth;
        d.Image.Width.Should().Be((int)Math.Round(1024 * iris / ((r.Truth.Right.IrisWidth.Pixels + r.Truth.Left.IrisWidth.Pixels) / 2)));
        d.Scale.Should().Be(d.Image.Width / 1024f);
        ((t.Right.IrisWidth.Pixels + t.Left.IrisWidth.Pixels) / 2).Should().BeApproximately(iris, 0.02 * iris, "the size is rounded to whole pixels");
        d.Landmarks[468].Should().Be(d.Map(r.Landmarks[468]));
        t.Right.Mrd1.Millimetres.Should().BeApproximately(r.Truth.Right.Mrd1.Millimetres, 1e-4, "mm values do not change");
        t.Alignment!.HirschbergHorizontalMillimetres.Should().BeApproximately(r.Truth.Alignment!.HirschbergHorizontalMillimetres, 1e-4);
        foreach ((EyeTruth eye, EyeTruth original) in new[] { (t.Right, r.Truth.Right), (t.Left, r.Truth.Left) })
        {
            EyeAlignmentTruth a = eye.Alignment!;
            Vector2.Distance(a.CornealReflex, original.Alignment!.CornealReflex * d.Scale).Should().BeLessThan(1e-3f);
            a.PixelsPerMillimetre.Should().BeApproximately(original.Alignment.PixelsPerMillimetre * d.Scale, 1e-4);
            a.Mrd1FromReflex.Pixels.Should().BeApproximately(original.Alignment.Mrd1FromReflex.Pixels * d.Scale, 1e-3);
            if (iris >= 24f)
            {
                // Area averaging keeps the reflex's centroid.
                Vector2 found = Blobs.Brightest(d.Image, a.LimbusCentre, 0.9f * (float)eye.IrisWidth.Pixels / 2f);
                output.WriteLine(FormattableString.Invariant($"iris {iris} px: reflex truth {a.CornealReflex}, found {found}, {Vector2.Distance(found, a.CornealReflex):F3} px"));
                Vector2.Distance(found, a.CornealReflex).Should().BeLessThan(0.5f);
            }
        }
    }

    [Fact]
    public void Blur_noise_JPEG_and_down_up_sampling_degrade_as_asked()
    {
        using GroundTruthRender r = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 512, Identity = 12, CameraLight = Light, Fixation = EyeFixation.Camera });
        byte[] clean = Pixels(r.Image);
        Vector2 reflex = r.Truth.Right.Alignment!.CornealReflex;
        float peak = Blobs.MaxLuminance(r.Image, reflex, 2f);

        using (DegradedGroundTruth d = GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { DownUpFactor = 0.5f }))
        {
            d.Scale.Should().Be(1f);
            d.Image.Width.Should().Be(512);
            d.Truth.Right.Alignment!.CornealReflex.Should().Be(reflex);
            MeanAbsDifference(Pixels(d.Image), clean).Should().BeGreaterThan(0.1);
        }

        using (DegradedGroundTruth d = GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { BlurSigmaPixels = 1.5f }))
        {
            Blobs.MaxLuminance(d.Image, reflex, 2f).Should().BeLessThan(peak - 20, "blur spreads the reflex");
        }

        using (DegradedGroundTruth d = GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { NoiseSigmaLevels = 6, Seed = 1 }))
        {
            byte[] noisy = Pixels(d.Image);
            double sum = 0, sum2 = 0;
            int n = 0;
            for (int i = 0; i < clean.Length; i++)
            {
                if (clean[i] is > 30 and < 225)
                {
                    double e = noisy[i] - clean[i];
                    sum += e;
                    sum2 += e * e;
                    n++;
                }
            }

            double mean = sum / n, sd = Math.Sqrt((sum2 / n) - (mean * mean));
            output.WriteLine(FormattableString.Invariant($"noise: mean {mean:F3}, sd {sd:F3} levels over {n} channels"));
            sd.Should().BeApproximately(6, 0.3);
            mean.Should().BeApproximately(0, 0.05);
        }

        using DegradedGroundTruth q50 = GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { JpegQuality = 50 });
        using DegradedGroundTruth q95 = GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { JpegQuality = 95 });
        double e50 = MeanAbsDifference(Pixels(q50.Image), clean), e95 = MeanAbsDifference(Pixels(q95.Image), clean);
        output.WriteLine(FormattableString.Invariant($"JPEG mean absolute error: quality 50 {e50:F3}, quality 95 {e95:F3} levels"));
        e95.Should().BeGreaterThan(0);
        e50.Should().BeGreaterThan(1.5 * e95);
    }

    private static double MeanAbsDifference(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();

    private static byte[] Pixels(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }
}

/// <summary>Finds bright and dark blobs in renders, for checking the kit's truth against its pixels.</summary>
internal static class Blobs
{
    /// <summary>Luminance (Rec. 601 weights on the 8-bit values).</summary>
    public static float Luminance(Rgb24 p) => (0.299f * p.R) + (0.587f * p.G) + (0.114f * p.B);

    /// <summary>
    /// The centre of the brightest blob within <paramref name="radius"/> of <paramref name="centre"/>: the brightest pixel,
    /// then the centroid of the luminance above half-way between the disc's median and that maximum, within 3 px of it.
    /// </summary>
    public static Vector2 Brightest(Image<Rgb24> image, Vector2 centre, float radius) => Centroid(image, centre, radius, bright: true, 3, 0.5f);

    /// <summary>
    /// The centre of the darkest blob (the pupil) within the disc: the centroid of the pixels darker than 30 % of the way
    /// from the minimum to the median (the lid's shadow darkens the iris above the pupil).
    /// </summary>
    public static Vector2 Darkest(Image<Rgb24> image, Vector2 centre, float radius) => Centroid(image, centre, radius, bright: false, (int)MathF.Ceiling(radius), 0.3f);

    /// <summary>The largest luminance within <paramref name="radius"/> of <paramref name="centre"/>.</summary>
    public static float MaxLuminance(Image<Rgb24> image, Vector2 centre, float radius) => Disc(image, centre, radius).Max(p => p.L);

    private static List<(int X, int Y, float L)> Disc(Image<Rgb24> image, Vector2 centre, float radius)
    {
        var list = new List<(int, int, float)>();
        for (int y = (int)MathF.Floor(centre.Y - radius); y <= (int)MathF.Ceiling(centre.Y + radius); y++)
        {
            for (int x = (int)MathF.Floor(centre.X - radius); x <= (int)MathF.Ceiling(centre.X + radius); x++)
            {
                if (x >= 0 && y >= 0 && x < image.Width && y < image.Height && Vector2.Distance(new Vector2(x + 0.5f, y + 0.5f), centre) <= radius)
                {
                    list.Add((x, y, Luminance(image[x, y])));
                }
            }
        }

        return list;
    }

    private static Vector2 Centroid(Image<Rgb24> image, Vector2 centre, float radius, bool bright, int window, float fraction)
    {
        List<(int X, int Y, float L)> disc = Disc(image, centre, radius);
        float sign = bright ? 1f : -1f;
        (int X, int Y, float L) peak = disc.MaxBy(p => sign * p.L);
        float median = disc.Select(p => p.L).Order().ElementAt(disc.Count / 2);
        float threshold = peak.L + (fraction * (median - peak.L));
        double sx = 0, sy = 0, sw = 0;
        foreach ((int x, int y, float l) in disc)
        {
            // Bright: weighted by the excess (the saturated reflex is symmetric); dark: the thresholded area alone, since the
            // lid's shadow shades the pupil from top to bottom.
            float w = bright ? l - threshold : (l < threshold ? 1f : 0f);
            if (w > 0 && Math.Abs(x - peak.X) <= window && Math.Abs(y - peak.Y) <= window)
            {
                sx += w * (x + 0.5);
                sy += w * (y + 0.5);
                sw += w;
            }
        }

        return new Vector2((float)(sx / sw), (float)(sy / sw));
    }
}
