using System.Globalization;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Fusion;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Pipeline;

/// <summary>
/// Faces turned beyond the frontal limits are put on an avatar drawn at their pose. The "patients" are procedural heads of
/// another sex, age and identity drawn at known poses (the kit's scenes stop at 30° of yaw).
/// </summary>
[Collection(DetectorCollection.Name)]
public sealed class TurnedFaceTests(DetectorFixture fixture, ITestOutputHelper output)
{
    private static readonly ProceduralAvatarProvider Heads = new();

    private static Avatar Patient(float yaw, float pitch) => Heads.Get(AvatarSex.Male, 50, SkinTone.Medium, 3, new HeadPose(0f, yaw, pitch));

    private FaceDeidentifier Pipeline(DeidentificationOptions? options = null, IAvatarProvider? avatars = null) =>
        new(fixture.Detector, avatars, options: options, diagnostics: FaceDeidentifier.NoDiagnostics);

    /// <summary>
    /// Turned 25-40° in yaw or 25° in pitch: de-identified on an avatar drawn at the detector's pose (whole degrees), and the
    /// eye and brow points fit that avatar clearly better than the frontal one. Measured residual ratios, turned / frontal
    /// avatar: 0.26 (yaw 25°), 0.52 (pitch 25°, read as 22°), 0.28 (yaw 30° with pitch 20°); bound 0.7 (a frontal avatar: 1).
    /// </summary>
    [Theory]
    [InlineData(25f, 0f)]
    [InlineData(40f, 0f)]
    [InlineData(-40f, 0f)]
    [InlineData(0f, 25f)]
    [InlineData(30f, 20f)]
    public void A_turned_face_is_put_on_an_avatar_drawn_at_its_pose(float yaw, float pitch)
    {
        using Avatar patient = Patient(yaw, pitch);
        using FaceDeidentifier pipeline = Pipeline();
        using DeidentificationResult r = pipeline.Deidentify(patient.Image, new PatientInfo(AvatarSex.Female, 40, SkinTone.Light));
        output.WriteLine($"{yaw}/{pitch}: {r.Status}: {r.Message}");
        r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        HeadPose read = r.Detection!.Face!.Pose;
        r.AvatarPose.Should().Be(new HeadPose(0f, MathF.Round(read.Yaw), MathF.Round(read.Pitch)));
        r.Message.Should().Contain(string.Create(CultureInfo.InvariantCulture, $"drawn at yaw {read.Yaw:0}° pitch {read.Pitch:0}°"));

        using Avatar frontal = new ProceduralAvatarProvider().Get(AvatarSex.Female, 40, SkinTone.Light);
        double turnedResidual = r.Fusion!.Transform.RmsError;
        double frontalResidual = TransformEstimation.EstimateSimilarity(
            r.Detection.Face.Landmarks.Select(FusionLandmarkSets.Alignment), frontal.Landmarks.Select(FusionLandmarkSets.Alignment)).RmsError;
        output.WriteLine($"alignment residual: turned avatar {turnedResidual:F2} px, frontal avatar {frontalResidual:F2} px");
        turnedResidual.Should().BeLessThan(0.7 * frontalResidual, "the kept eyes must meet a face turned like theirs");
    }

    /// <summary>Beyond the turned-avatar limits the face is refused, and the message names the limit that was exceeded.</summary>
    [Fact]
    public void Beyond_the_turned_limits_the_face_is_refused_naming_the_limit()
    {
        using Avatar patient = Patient(40f, 0f);
        using FaceDeidentifier pipeline = Pipeline(new DeidentificationOptions { MaxPosedYawDegrees = 30 });
        using DeidentificationResult r = pipeline.Deidentify(patient.Image);
        output.WriteLine(r.Message);
        r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
        r.Image.Should().BeNull();
        r.Message.Should().MatchRegex(@"yaw \+\d+\.\d° is beyond ±30\.0°").And.NotContain("pitch +");

        using FaceDeidentifier frontalOnly = Pipeline(new DeidentificationOptions { MaxPosedYawDegrees = 0, MaxPosedPitchDegrees = 0 });
        using DeidentificationResult refused = frontalOnly.Deidentify(patient.Image);
        refused.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
        refused.Message.Should().MatchRegex(@"yaw \+\d+\.\d° is beyond ±20\.0°");
    }

    /// <summary>An avatar provider that draws frontal avatars only: turned faces are refused (never fused onto the frontal
    /// avatar), faces within the frontal limits still succeed.</summary>
    [Fact]
    public void A_provider_without_turned_avatars_gets_turned_faces_refused()
    {
        var frontalOnly = new FrontalOnlyProvider();
        using FaceDeidentifier pipeline = Pipeline(avatars: frontalOnly);
        using Avatar turnedPatient = Patient(30f, 0f);
        using DeidentificationResult refused = pipeline.Deidentify(turnedPatient.Image);
        output.WriteLine(refused.Message);
        refused.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
        refused.Image.Should().BeNull();
        refused.Message.Should().Contain("draws no turned avatars").And.MatchRegex(@"yaw \+\d+\.\d° \(frontal limit ±20\.0°\)");
        frontalOnly.Asked.Should().ContainSingle().Which.Pose.Should().NotBeNull("the pipeline asked for a turned avatar first");

        using Avatar upright = Patient(8f, 0f);
        using DeidentificationResult accepted = pipeline.Deidentify(upright.Image);
        accepted.Status.Should().Be(DeidentificationStatus.Success, accepted.Message);
        accepted.AvatarPose.Should().BeNull();
        frontalOnly.Asked[^1].Pose.Should().BeNull("within the frontal limits no pose is asked for");
    }

    /// <summary>
    /// The turned avatar is drawn at the asked yaw and pitch (the detector reads it within 4° at 40° of yaw) and its far eye
    /// shows the eyeball: past about 30° the socket's skin behind the far eyeball once covered the opening (sclera-iris
    /// contrast near 0). Measured far-eye contrast at ±40°: 166 and 193 (luma levels), with the skin drawn over it 51 and 63; bound 100.
    /// </summary>
    [Theory]
    [InlineData(40f)]
    [InlineData(-40f)]
    public void A_turned_avatar_is_drawn_at_its_pose_with_both_eyes_open(float yaw)
    {
        using Avatar a = Heads.Get(AvatarSex.Female, 40, SkinTone.Light, 0, new HeadPose(0f, yaw, 0f));
        a.Pose.Should().Be(new HeadPose(0f, yaw, 0f));
        FaceDetection d = fixture.Detector.Detect(a.Image);
        d.Face.Should().NotBeNull(d.Status.ToString());
        d.Face!.Pose.Yaw.Should().BeApproximately(yaw, 4f);
        EyeLandmarks far = yaw > 0 ? a.Landmarks.LeftEye : a.Landmarks.RightEye, near = yaw > 0 ? a.Landmarks.RightEye : a.Landmarks.LeftEye;
        double farContrast = EyeOpeningEvidence.ScleraIrisContrast(a.Image, far), nearContrast = EyeOpeningEvidence.ScleraIrisContrast(a.Image, near);
        output.WriteLine($"yaw {yaw}: contrast far eye {farContrast:F1}, near eye {nearContrast:F1}");
        farContrast.Should().BeGreaterThan(100);

        using Avatar frontal = Heads.Get(AvatarSex.Female, 40, SkinTone.Light);
        frontal.Pose.Should().BeNull();
        using Avatar level = Heads.Get(AvatarSex.Female, 40, SkinTone.Light, 0, new HeadPose(0f, 0.4f, -0.3f));
        level.Pose.Should().Be(new HeadPose(0f, 0f, 0f), "angles are rounded to whole degrees");
        SameImage(level.Image, frontal.Image).Should().BeTrue("a pose of 0° is the frontal drawing");
    }

    /// <summary>
    /// An upright head whose far eye fails the eye check is refused for its eye, not called upside down: its own upside-down
    /// reading passes the checks but scores lower (found on the held-out turned-head table, seed 2027).
    /// </summary>
    [Fact]
    public void An_upright_head_with_a_failed_eye_check_is_not_called_upside_down()
    {
        using Avatar head = Heads.Get(AvatarSex.Female, 85, SkinTone.Light, 3, new HeadPose(0f, 30f, 0f));
        using FaceDeidentifier pipeline = Pipeline();
        using DeidentificationResult r = pipeline.Deidentify(head.Image, new PatientInfo(AvatarSex.Female, 40, SkinTone.Light));
        output.WriteLine($"{r.Status}: {r.Message}");
        r.Message.Should().NotContain("upside down");
        r.PhotoRotationDegrees.Should().Be(0f);
    }

    [Fact]
    public void Turned_avatar_requests_and_limits_are_checked()
    {
        FluentActions.Invoking(() => Heads.Get(AvatarSex.Female, 40, SkinTone.Light, 0, new HeadPose(0f, 46f, 0f)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*45°*");
        FluentActions.Invoking(() => Heads.Get(AvatarSex.Female, 40, SkinTone.Light, 0, new HeadPose(0f, 0f, -31f)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*30°*");
        FluentActions.Invoking(() => Heads.Get(AvatarSex.Female, 40, SkinTone.Light, 0, new HeadPose(0f, float.NaN, 0f)))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new AvatarQuery(AvatarSex.Male, 30, SkinTone.Dark) { Pose = new HeadPose(0f, 91f, 0f) })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Pose");
        FluentActions.Invoking(() => new AvatarQuery(AvatarSex.Male, 30, SkinTone.Dark) { Pose = new HeadPose(float.PositiveInfinity, 0f, 0f) })
            .Should().Throw<ArgumentOutOfRangeException>();
        new AvatarQuery(AvatarSex.Male, 30, SkinTone.Dark) { Pose = new HeadPose(170f, -90f, 90f) }.Pose.Should().NotBeNull("any roll, yaw and pitch to 90° are a pose");

        FluentActions.Invoking(() => new DeidentificationOptions { MaxPosedYawDegrees = 45.5f }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxPosedYawDegrees");
        FluentActions.Invoking(() => new DeidentificationOptions { MaxPosedYawDegrees = -1f }).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new DeidentificationOptions { MaxPosedPitchDegrees = 30.5f }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxPosedPitchDegrees");
        FluentActions.Invoking(() => new DeidentificationOptions { MaxPosedPitchDegrees = float.NaN }).Should().Throw<ArgumentOutOfRangeException>();
        new DeidentificationOptions { MaxPosedYawDegrees = 45f, MaxPosedPitchDegrees = 0f }.MaxPosedYawDegrees.Should().Be(45f);
    }

    private static bool SameImage(Image<Rgb24> a, Image<Rgb24> b)
    {
        var pa = new Rgb24[a.Width * a.Height];
        var pb = new Rgb24[b.Width * b.Height];
        a.CopyPixelDataTo(pa);
        b.CopyPixelDataTo(pb);
        return pa.AsSpan().SequenceEqual(pb);
    }

    /// <summary>Serves the procedural frontal avatars and ignores any pose, as a provider of photographs does.</summary>
    private sealed class FrontalOnlyProvider : IAvatarProvider
    {
        private readonly ProceduralAvatarProvider _inner = new();

        public List<AvatarQuery> Asked { get; } = [];

        public IReadOnlyList<AvatarMetadata> Catalog => _inner.Catalog;

        public Avatar Select(AvatarQuery query)
        {
            Asked.Add(query);
            return _inner.Select(new AvatarQuery(query.Sex, query.AgeYears, query.SkinTone, query.PseudonymKey));
        }
    }
}
