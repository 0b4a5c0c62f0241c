using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Captures;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Pipeline;

/// <summary>
/// The quality gate's decisions, each both ways: eyes closed, painted over or covered are refused and open eyes under the
/// degradations of real captures pass; the pose limits hold for either sign and name what was exceeded; an upside-down face
/// is a pose problem. The evidence threshold (7) was chosen on the two portraits' variants listed here; the kit renders in
/// <see cref="Open_eyes_on_kit_renders_pass_the_evidence_check"/> were not looked at before it was fixed.
/// </summary>
[Collection(DetectorCollection.Name)]
public sealed class QualityGateTests(DetectorFixture fixture, ITestOutputHelper output)
{
    private FaceDeidentifier Pipeline(DeidentificationOptions? options = null) => new(fixture.Detector, options: options, diagnostics: FaceDeidentifier.NoDiagnostics);

    public static TheoryData<string, string> OpenVariants()
    {
        var data = new TheoryData<string, string>();
        foreach (string file in new[] { "astronaut.png", "grace_hopper.jpg" })
        {
            foreach (string v in new[] { "clean", "upscaled", "blur2", "blur4", "noise12", "jpeg40", "dark cast", "combined" })
            {
                data.Add(file, v);
            }
        }

        return data;
    }

    private static Image<Rgb24> Variant(Image<Rgb24> photo, string name) => name switch
    {
        "clean" => photo.Clone(),
        "upscaled" => CaptureDegradations.Resize(CaptureDegradations.Resize(photo, 0.6f), 1 / 0.6f),
        "blur2" => CaptureDegradations.Blur(photo, 2),
        "blur4" => CaptureDegradations.Blur(photo, 4),
        "noise12" => CaptureDegradations.Noise(photo, 12, 1),
        "jpeg40" => CaptureDegradations.Jpeg(photo, 40),
        "dark cast" => CaptureDegradations.Light(photo, new Vector3(0.55f, 0.5f, 0.6f), 0.3f),
        _ => CaptureDegradations.Jpeg(CaptureDegradations.Noise(CaptureDegradations.Blur(CaptureDegradations.Light(photo, new Vector3(1.1f, 0.95f, 0.8f), 0.2f), 1.5f), 8, 2), 60),
    };

    [Theory]
    [MemberData(nameof(OpenVariants))]
    public void Open_eyes_pass_the_gate_under_capture_degradations(string file, string variant)
    {
        using Image<Rgb24> photo = TestImages.Portrait(file);
        using Image<Rgb24> degraded = Variant(photo, variant);
        using FaceDeidentifier pipeline = Pipeline();
        using DeidentificationResult r = pipeline.Deidentify(degraded);
        r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        FaceLandmarks lm = r.Detection!.Face!.Landmarks;
        double right = EyeOpeningEvidence.ScleraIrisContrast(degraded, lm.RightEye), left = EyeOpeningEvidence.ScleraIrisContrast(degraded, lm.LeftEye);
        output.WriteLine($"{file} {variant}: contrast right {right:F1}, left {left:F1}");

        // Lower bound at about half the smallest value measured on these variants (14.0, Grace Hopper under the dark cast).
        Math.Min(right, left).Should().BeGreaterThan(7);
    }

    public static TheoryData<string, string> ClosedVariants() => new()
    {
        { "astronaut.png", "both painted" }, { "astronaut.png", "left painted" }, { "astronaut.png", "right painted" }, { "astronaut.png", "black bar" },
        { "grace_hopper.jpg", "both painted" }, { "grace_hopper.jpg", "left painted" }, { "grace_hopper.jpg", "right painted" }, { "grace_hopper.jpg", "black bar" },
    };

    [Theory]
    [MemberData(nameof(ClosedVariants))]
    public void Eyes_painted_closed_or_covered_are_refused_as_closed(string file, string variant)
    {
        using Image<Rgb24> photo = TestImages.Portrait(file);
        FaceLandmarks lm = fixture.Reference(file).Face!.Landmarks;
        if (variant == "black bar")
        {
            CaptureDegradations.BlackBar(photo, lm);
        }
        else
        {
            if (variant is "both painted" or "right painted")
            {
                CaptureDegradations.PaintEyeClosed(photo, lm.RightEye);
            }

            if (variant is "both painted" or "left painted")
            {
                CaptureDegradations.PaintEyeClosed(photo, lm.LeftEye);
            }
        }

        using FaceDeidentifier pipeline = Pipeline();
        using DeidentificationResult r = pipeline.Deidentify(photo);
        output.WriteLine($"{file} {variant}: {r.Status}: {r.Message}");
        r.Status.Should().BeOneOf([DeidentificationStatus.EyesClosed, DeidentificationStatus.NoFace, DeidentificationStatus.LowConfidence],
            "a covered or closed eye must never be de-identified as if open");
        r.Image.Should().BeNull();
        if (variant != "black bar")
        {
            r.Status.Should().Be(DeidentificationStatus.EyesClosed);
            string side = variant.StartsWith("left", StringComparison.Ordinal) ? "left" : "right";
            r.Message.Should().Contain($"The {side} eye");
        }

        // The same photo with the check off passes: the refusal above is the image evidence, not the geometric opening.
        using FaceDeidentifier lenient = Pipeline(new DeidentificationOptions { MinEyeContrast = 0 });
        using DeidentificationResult again = lenient.Deidentify(photo);
        if (variant != "black bar")
        {
            again.Status.Should().Be(DeidentificationStatus.Success, again.Message);
        }
    }

    /// <summary>
    /// A portrait turned by any angle: refused as given when turning is off (a pose problem, or no face found), and
    /// de-identified from the photo turned back upright when it is on (the default), with the turn reported. Measured: the
    /// roll read afterwards is what the turns predict within 0.2° at every angle here (bound 1.5°). At -165° Grace Hopper was
    /// once de-identified as given, upside down: her upside-down reading passes the eye checks, and only its lower score
    /// against the half-turned photo gives it away.
    /// </summary>
    [Theory]
    [InlineData("grace_hopper.jpg", 180)]
    [InlineData("astronaut.png", 180)]
    [InlineData("grace_hopper.jpg", 90)]
    [InlineData("grace_hopper.jpg", -90)]
    [InlineData("grace_hopper.jpg", 45)]
    [InlineData("astronaut.png", -60)]
    [InlineData("grace_hopper.jpg", 135)]
    [InlineData("astronaut.png", -150)]
    [InlineData("grace_hopper.jpg", -165)]
    public void A_face_turned_on_its_side_or_upside_down_is_turned_upright_or_refused(string file, int degrees)
    {
        using Image<Rgb24> photo = TestImages.Portrait(file);
        photo.Mutate(x => x.Rotate(degrees));
        using FaceDeidentifier asGiven = Pipeline(new DeidentificationOptions { TurnPhotosUpright = false });
        using DeidentificationResult r = asGiven.Deidentify(photo);
        output.WriteLine($"{degrees}, as given: {r.Status}: {r.Message} pose {r.Detection?.Face?.Pose}");
        r.Status.Should().BeOneOf(DeidentificationStatus.PoseOutOfRange, DeidentificationStatus.NoFace, DeidentificationStatus.LowConfidence, DeidentificationStatus.EyesClosed);
        r.Image.Should().BeNull();
        r.PhotoRotationDegrees.Should().Be(0f);

        using FaceDeidentifier pipeline = Pipeline();
        using DeidentificationResult turned = pipeline.Deidentify(photo);
        output.WriteLine($"{degrees}, turned: {turned.Status}: {turned.Message} pose {turned.Detection?.Face?.Pose}");
        turned.Status.Should().Be(DeidentificationStatus.Success, turned.Message);
        // Turning clockwise lowers the roll: the face left upright has the portrait's own roll (Grace Hopper about +2.5°, the
        // astronaut -2.6°) less both turns.
        float ownRoll = fixture.Reference(file).Face!.Pose.Roll;
        float finalRoll = turned.Detection!.Face!.Pose.Roll;
        float error = Math.Abs(((ownRoll - degrees - turned.PhotoRotationDegrees - finalRoll + 540f) % 360f) - 180f);
        error.Should().BeLessThan(1.5f, $"the photo turned by {degrees}° clockwise and back by {turned.PhotoRotationDegrees}° leaves the portrait's own roll {ownRoll:F1}°");
        Math.Abs(finalRoll).Should().BeLessThanOrEqualTo(30f, "within the roll limit: a lossless quarter turn leaves the rest of the roll to the alignment");
        turned.Message.Should().Contain("clockwise to bring the face upright");
    }

    /// <summary>A large photo on its side (its turning decisions are read on copies reduced to 2048 px) is de-identified from
    /// the photo turned at full size.</summary>
    [Fact]
    public void A_large_photo_on_its_side_is_turned_upright_at_full_size()
    {
        using Image<Rgb24> photo = TestImages.Portrait("grace_hopper.jpg");
        photo.Mutate(x => x.Resize(photo.Width * 5, photo.Height * 5, KnownResamplers.Bicubic).Rotate(RotateMode.Rotate90));
        photo.Height.Should().BeGreaterThan(2048);
        using FaceDeidentifier pipeline = Pipeline();
        using DeidentificationResult r = pipeline.Deidentify(photo);
        output.WriteLine($"{r.Status}: {r.Message}");
        r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        r.PhotoRotationDegrees.Should().Be(-90f);
        r.Detection!.ImageWidth.Should().Be(photo.Height, "the face was found on the photo turned at full size");
    }

    [Fact]
    public void An_upright_photo_is_used_as_given()
    {
        using Image<Rgb24> photo = TestImages.Portrait("grace_hopper.jpg");
        using FaceDeidentifier pipeline = Pipeline();
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        r.PhotoRotationDegrees.Should().Be(0f);
        r.Message.Should().NotContain("turned");
    }

    /// <summary>Kit renders with known yaw and pitch of either sign: refused beyond the limit, accepted within it, and the message names the angle.</summary>
    [Theory]
    [InlineData(14f, 0f, "yaw")]
    [InlineData(-14f, 0f, "yaw")]
    [InlineData(0f, 14f, "pitch")]
    [InlineData(0f, -14f, "pitch")]
    public void Pose_limits_hold_for_either_sign_and_name_the_angle(float yaw, float pitch, string angle)
    {
        using GroundTruthRender render = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 640, Identity = 3, YawDegrees = yaw, PitchDegrees = pitch });
        using FaceDeidentifier strict = Pipeline(new DeidentificationOptions { MaxYawDegrees = 7, MaxPitchDegrees = 7, MaxPosedYawDegrees = 0, MaxPosedPitchDegrees = 0 });
        using DeidentificationResult refused = strict.Deidentify(render.Image);
        output.WriteLine($"yaw {yaw} pitch {pitch}: {refused.Status}: {refused.Message}");
        refused.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
        refused.Message.Should().MatchRegex($@"{angle} [+-]\d+\.\d° is beyond ±7\.0°");
        System.Text.RegularExpressions.Regex.Count(refused.Message, "is beyond").Should().Be(1, "only the exceeded limit is named as exceeded");

        using FaceDeidentifier lenient = Pipeline(new DeidentificationOptions { MaxYawDegrees = 25, MaxPitchDegrees = 25 });
        using DeidentificationResult accepted = lenient.Deidentify(render.Image);
        accepted.Status.Should().Be(DeidentificationStatus.Success, accepted.Message);
        accepted.AvatarPose.Should().BeNull("within the frontal limits the frontal avatar is used");

        // With the default turned-avatar limits, the strict frontal limits turn the avatar instead of refusing.
        using FaceDeidentifier turning = Pipeline(new DeidentificationOptions { MaxYawDegrees = 7, MaxPitchDegrees = 7 });
        using DeidentificationResult turned = turning.Deidentify(render.Image);
        turned.Status.Should().Be(DeidentificationStatus.Success, turned.Message);
        HeadPose read = turned.Detection!.Face!.Pose;
        turned.AvatarPose.Should().Be(new HeadPose(0f, MathF.Round(read.Yaw), MathF.Round(read.Pitch)));
    }

    /// <summary>
    /// Held out from the choice of the threshold: open-eyed kit renders (random identity, skin tone, age, lids and gaze, seed
    /// 5150), clean and degraded, all pass the evidence check; the same renders with both eyes painted shut are all refused.
    /// </summary>
    [Fact]
    public void Open_eyes_on_kit_renders_pass_the_evidence_check_and_painted_ones_do_not()
    {
        var rng = new Random(5150);
        int open = 0, refusedOpen = 0, painted = 0, acceptedPainted = 0;
        double minOpen = double.MaxValue, maxPainted = double.MinValue;
        using FaceDeidentifier pipeline = Pipeline();
        for (int i = 0; i < 8; i++)
        {
            GroundTruthScene scene = FaceDefender.Tests.Diagnostics.KitScenes.Random(rng, 640, () => FaceDefender.Tests.Diagnostics.KitScenes.RandomEye(rng));
            using GroundTruthRender render = GroundTruthFaceRenderer.Render(scene);
            using Image<Rgb24> degraded = i % 2 == 0 ? render.Image.Clone()
                : CaptureDegradations.Jpeg(CaptureDegradations.Noise(CaptureDegradations.Blur(CaptureDegradations.Resize(render.Image, 0.5f), 1f), 6, i), 70);
            using DeidentificationResult r = pipeline.Deidentify(degraded);
            if (r.Detection?.Face is not { } face)
            {
                continue;
            }

            open++;
            double c = Math.Min(EyeOpeningEvidence.ScleraIrisContrast(degraded, face.Landmarks.RightEye), EyeOpeningEvidence.ScleraIrisContrast(degraded, face.Landmarks.LeftEye));
            minOpen = Math.Min(minOpen, c);
            if (r.Status == DeidentificationStatus.EyesClosed)
            {
                refusedOpen++;
                output.WriteLine($"open render {i} refused: {r.Message}");
            }

            CaptureDegradations.PaintEyeClosed(degraded, face.Landmarks.RightEye);
            CaptureDegradations.PaintEyeClosed(degraded, face.Landmarks.LeftEye);
            using DeidentificationResult p = pipeline.Deidentify(degraded);
            if (p.Detection?.Face is { } pf)
            {
                painted++;
                maxPainted = Math.Max(maxPainted, Math.Max(EyeOpeningEvidence.ScleraIrisContrast(degraded, pf.Landmarks.RightEye), EyeOpeningEvidence.ScleraIrisContrast(degraded, pf.Landmarks.LeftEye)));
                if (p.Succeeded)
                {
                    acceptedPainted++;
                }
            }
        }

        output.WriteLine($"open renders: {open}, refused {refusedOpen}, smallest contrast {minOpen:F1}; painted: {painted}, accepted {acceptedPainted}, largest contrast {maxPainted:F1}");
        open.Should().BeGreaterThanOrEqualTo(6);
        painted.Should().BeGreaterThanOrEqualTo(6);
        refusedOpen.Should().Be(0);
        acceptedPainted.Should().Be(0);
    }
}
