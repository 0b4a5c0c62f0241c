using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Landmarks;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// Head pose against the ground-truth kit's known pose: the whole path (render, <see cref="MediaPipeLandmarkDetector"/>,
/// <see cref="DetectedFace.Pose"/>) and the same fit on the kit's exact landmarks. The estimator's depth weight was chosen
/// on identities 0, 5, .., 35 at fixed poses; the renders here are held out (identities 36..63, random poses, seed 7321).
/// </summary>
[Collection(DetectorCollection.Name)]
public sealed class HeadPoseAccuracyTests(DetectorFixture fixture, ITestOutputHelper output)
{
    /// <summary>The held-out scenes: yaw ±25°, pitch ±20°, roll ±12°, random identity 36..63, sex, age and skin tone.</summary>
    public static IEnumerable<GroundTruthScene> HeldOut()
    {
        var rng = new Random(7321);
        for (int i = 0; i < 16; i++)
        {
            yield return new GroundTruthScene
            {
                ImageSize = 640,
                Identity = 36 + rng.Next(28),
                Sex = rng.Next(2) == 0 ? AvatarSex.Female : AvatarSex.Male,
                AgeYears = 20 + rng.Next(60),
                SkinTone = (SkinTone)rng.Next(3),
                YawDegrees = KitScenes.U(rng, 25),
                PitchDegrees = KitScenes.U(rng, 20),
                RollDegrees = KitScenes.U(rng, 12),
            };
        }
    }

    [Fact]
    public void Detector_pose_on_held_out_kit_renders_is_within_a_few_degrees_without_overreading_the_turn()
    {
        var truth = new List<HeadPose>();
        var detector = new List<HeadPose>();
        var exact = new List<HeadPose>();
        foreach (GroundTruthScene scene in HeldOut())
        {
            using GroundTruthRender render = GroundTruthFaceRenderer.Render(scene);
            FaceDetection d = fixture.Detector.Detect(render.Image);
            d.Face.Should().NotBeNull(d.Status.ToString());
            var t = new HeadPose(render.Pose.RollDegrees, render.Pose.YawDegrees, render.Pose.PitchDegrees);
            truth.Add(t);
            detector.Add(d.Face!.Pose);
            exact.Add(HeadPoseEstimator.Estimate(render.Landmarks.Points));
            output.WriteLine(Inv($"id {scene.Identity}: truth {t.Roll:F1} / {t.Yaw:F1} / {t.Pitch:F1}; detector {d.Face.Pose.Roll:F1} / {d.Face.Pose.Yaw:F1} / {d.Face.Pose.Pitch:F1}; exact landmarks {exact[^1].Roll:F1} / {exact[^1].Yaw:F1} / {exact[^1].Pitch:F1}"));
        }

        (double roll, double yaw, double pitch) mae = Mae(truth, detector), maeExact = Mae(truth, exact);
        double yawGain = Gain(truth, detector, p => p.Yaw), pitchGain = Gain(truth, detector, p => p.Pitch);
        output.WriteLine(Inv($"detector MAE roll {mae.roll:F2}, yaw {mae.yaw:F2}, pitch {mae.pitch:F2} degrees; gain (least-squares slope of read on true) yaw {yawGain:F3}, pitch {pitchGain:F3}"));
        output.WriteLine(Inv($"exact landmarks MAE roll {maeExact.roll:F2}, yaw {maeExact.yaw:F2}, pitch {maeExact.pitch:F2} degrees"));

        // Measured (16 held-out renders): detector MAE roll 0.72, yaw 1.09, pitch 1.50; exact landmarks yaw 0.29, pitch 1.26;
        // bounds about 2x, never above the 3-degree target.
        mae.roll.Should().BeLessThan(1.5);
        mae.yaw.Should().BeLessThan(2.0);
        mae.pitch.Should().BeLessThan(3.0);
        maeExact.yaw.Should().BeLessThan(0.6);
        maeExact.pitch.Should().BeLessThan(2.5);

        // Measured gains yaw 1.051, pitch 0.933. With the depth as given the turn is over-read by about 15 %; a sign error
        // gives a negative gain.
        yawGain.Should().BeInRange(0.93, 1.07);
        pitchGain.Should().BeInRange(0.9, 1.1);
    }

    [Fact]
    public void The_kit_and_the_estimator_share_the_pitch_sign_chin_down_positive()
    {
        using GroundTruthRender level = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 384, Identity = 50 });
        using GroundTruthRender down = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 384, Identity = 50, PitchDegrees = 15 });
        down.Pose.PitchDegrees.Should().Be(15);

        // Looking down: the nose tip (1) drops towards the chin (152) in the image, and the forehead (10) comes down too.
        float NoseToChin(GroundTruthRender r) => r.Landmarks[152].Y - r.Landmarks[1].Y;
        NoseToChin(down).Should().BeLessThan(NoseToChin(level));
        HeadPoseEstimator.Estimate(down.Landmarks.Points).Pitch.Should().BeInRange(12, 18, "the estimator reads the kit's pitch with the same sign");
        fixture.Detector.Detect(down.Image).Face!.Pose.Pitch.Should().BeInRange(11, 19);
    }

    [Fact]
    public void The_pipeline_names_the_exceeded_pitch_to_a_tenth_of_a_degree_and_the_assessment_carries_the_pose()
    {
        using GroundTruthRender render = GroundTruthFaceRenderer.Render(new GroundTruthScene { ImageSize = 640, Identity = 44, PitchDegrees = 18, YawDegrees = -6 });
        using var pipeline = new FaceDeidentifier(fixture.Detector, options: new DeidentificationOptions { MaxPitchDegrees = 12, MaxPosedPitchDegrees = 0 });
        using DeidentificationResult r = pipeline.Deidentify(render.Image);
        output.WriteLine($"{r.Status}: {r.Message}");
        r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
        HeadPose pose = r.Detection!.Face!.Pose;
        r.Message.Should().Contain(Inv($"pitch {pose.Pitch:+0.0;-0.0}° is beyond ±12.0°")).And.NotContain("yaw " + Inv($"{pose.Yaw:+0.0;-0.0}° is beyond"));

        // The assessment made before the refusal carries the detector's pose, and its quality flag names it to 0.1°.
        r.Assessment.Should().NotBeNull();
        r.Assessment!.Measurements.Pose.Should().Be(pose);
        r.Assessment.Measurements.PoseFromDetector.Should().BeTrue();

        OcularAssessment strict = new LandmarkDiagnosticBenchmark(options: new DiagnosticOptions { MaxPitchDegrees = 12 }).Assess(r.Detection.Face.Landmarks, pose);
        CaptureQualityFlag flag = strict.QualityFlags.Single(f => f.Issue == CaptureQualityIssue.PoseBeyondLimits);
        flag.Value.Should().Be(pose.Pitch);
        flag.Description.Should().Contain(Inv($"Head pitch {pose.Pitch:F1}° (detector) exceeds ±12°"));
    }

    private static (double, double, double) Mae(List<HeadPose> truth, List<HeadPose> read)
    {
        double r = 0, y = 0, p = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            r += Math.Abs(read[i].Roll - truth[i].Roll);
            y += Math.Abs(read[i].Yaw - truth[i].Yaw);
            p += Math.Abs(read[i].Pitch - truth[i].Pitch);
        }

        return (r / truth.Count, y / truth.Count, p / truth.Count);
    }

    /// <summary>Least-squares slope through the origin of the read angle on the true one.</summary>
    private static double Gain(List<HeadPose> truth, List<HeadPose> read, Func<HeadPose, float> angle)
    {
        double xy = 0, xx = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            xy += angle(truth[i]) * (double)angle(read[i]);
            xx += angle(truth[i]) * (double)angle(truth[i]);
        }

        return xy / xx;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
