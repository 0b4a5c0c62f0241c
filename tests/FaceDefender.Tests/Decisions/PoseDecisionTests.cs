using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Fusion;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Tests.Decisions;

/// <summary>
/// The pipeline's pose decisions at their boundaries, with a scripted detector, avatar provider and fuser (no model, no
/// renderer: milliseconds per test, so mutation testing can run them): frontal, turned or refused by yaw and pitch; the
/// provider that cannot turn heads; roll and upside-down readings and turning the photo upright; how many detections a
/// photo costs; the skin colour reaching the avatar query.
/// </summary>
public sealed class PoseDecisionTests
{
    /// <summary>A photo carrying its own "up": a red square left of a blue one on the same row. Turning the photo turns the
    /// line between them, which the scripted detector reads back.</summary>
    private static Image<Rgb24> Photo(int size = 400)
    {
        var photo = new Image<Rgb24>(size, size, new Rgb24(128, 128, 128));
        for (int y = 190; y < 210; y++)
        {
            for (int x = 0; x < 20; x++)
            {
                photo[90 + x, y] = new Rgb24(255, 0, 0);
                photo[290 + x, y] = new Rgb24(0, 0, 255);
            }
        }

        return photo;
    }

    private static FaceDeidentifier Pipeline(ScriptedDetector detector, DeidentificationOptions? options = null, bool canTurn = true, QuerySpy? spy = null) =>
        new(detector, spy ?? new QuerySpy(canTurn), new NullFuser(), (options ?? new DeidentificationOptions()) with { MinEyeContrast = 0 }, FaceDeidentifier.NoDiagnostics);

    [Theory]
    [InlineData(20f, 0f, false)]
    [InlineData(-20f, 0f, false)]
    [InlineData(20.05f, 0f, true)]
    [InlineData(-20.05f, 0f, true)]
    [InlineData(0f, 20f, false)]
    [InlineData(0f, -20.05f, true)]
    [InlineData(43f, 0f, true)]
    [InlineData(-43f, 28f, true)]
    public void Within_the_frontal_limits_the_avatar_is_frontal_beyond_them_turned(float yaw, float pitch, bool turned)
    {
        var spy = new QuerySpy(canTurn: true);
        using Image<Rgb24> photo = Photo();
        using FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, yaw, pitch), spy: spy);
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        if (turned)
        {
            spy.Last!.Pose.Should().Be(new HeadPose(0f, yaw, pitch));
            r.AvatarPose.Should().Be(new HeadPose(0f, MathF.Round(yaw), MathF.Round(pitch)));
        }
        else
        {
            spy.Last!.Pose.Should().BeNull();
            r.AvatarPose.Should().BeNull();
        }
    }

    [Theory]
    [InlineData(43.05f, 0f, "yaw +43.1° is beyond ±43.0°")]
    [InlineData(-43.05f, 0f, "yaw -43.1° is beyond ±43.0°")]
    [InlineData(0f, 28.05f, "pitch +28.1° is beyond ±28.0°")]
    [InlineData(0f, -28.05f, "pitch -28.1° is beyond ±28.0°")]
    public void Beyond_the_turned_limits_the_face_is_refused(float yaw, float pitch, string named)
    {
        var spy = new QuerySpy(canTurn: true);
        using Image<Rgb24> photo = Photo();
        using FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, yaw, pitch), spy: spy);
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
        r.Message.Should().Contain(named);
        r.Image.Should().BeNull();
        spy.Last.Should().BeNull("no avatar is chosen for a refused face");
    }

    [Fact]
    public void Turned_limits_below_the_frontal_ones_turn_nothing()
    {
        var spy = new QuerySpy(canTurn: true);
        var options = new DeidentificationOptions { MaxYawDegrees = 20, MaxPosedYawDegrees = 10, MaxPitchDegrees = 20, MaxPosedPitchDegrees = 5 };
        using Image<Rgb24> photo = Photo();
        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 15f, 15f), options, spy: spy))
        using (DeidentificationResult ok = pipeline.Deidentify(photo))
        {
            ok.Status.Should().Be(DeidentificationStatus.Success);
            spy.Last!.Pose.Should().BeNull();
        }

        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 20.5f, 0f), options, spy: spy))
        using (DeidentificationResult refused = pipeline.Deidentify(photo))
        {
            refused.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
            refused.Message.Should().Contain("yaw +20.5° is beyond ±20.0°");
        }

        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 0f, -20.5f), options, spy: spy))
        using (DeidentificationResult refused = pipeline.Deidentify(photo))
        {
            refused.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
            refused.Message.Should().Contain("pitch -20.5° is beyond ±20.0°");
        }
    }

    [Fact]
    public void A_provider_that_cannot_turn_heads_gets_turned_faces_refused_and_frontal_ones_served()
    {
        using Image<Rgb24> photo = Photo();
        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 25f, 0f), canTurn: false))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
            r.Message.Should().Contain("draws no turned avatars").And.Contain("yaw +25.0° (frontal limit ±20.0°)").And.Contain("pitch 0.0° (±20.0°)");
            r.Image.Should().BeNull();
        }

        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 0f, -24f), canTurn: false))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
            r.Message.Should().Contain("pitch -24.0° (±20.0°)");
        }

        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 19f, -19f), canTurn: false))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success);
            r.AvatarPose.Should().BeNull();
        }
    }

    /// <summary>An upright face scoring at the threshold costs one detection; one scoring below it is compared with the
    /// half-turned photo (more detections) and still used as given when it is the better reading.</summary>
    [Fact]
    public void A_plain_upright_photo_costs_one_detection()
    {
        using Image<Rgb24> photo = Photo();
        var plain = new ScriptedDetector(2f, 0f, 0f) { UprightScore = (0.8f, 1f) };
        using (FaceDeidentifier pipeline = Pipeline(plain))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success);
            r.PhotoRotationDegrees.Should().Be(0f);
        }

        plain.Calls.Should().Be(1);

        var suspect = new ScriptedDetector(2f, 0f, 0f) { UprightScore = (0.79f, 1f) };
        using (FaceDeidentifier pipeline = Pipeline(suspect))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
            r.PhotoRotationDegrees.Should().Be(0f);
        }

        suspect.Calls.Should().BeGreaterThan(1);
    }

    /// <summary>A face rolled counter-clockwise by some angle is made upright by turning the photo clockwise by as much.</summary>
    [Theory]
    [InlineData(90f)]
    [InlineData(-90f)]
    [InlineData(180f)]
    [InlineData(45f)]
    [InlineData(-135f)]
    [InlineData(31f)]
    public void A_rolled_photo_is_turned_upright(float rolled)
    {
        float expected = rolled;
        using Image<Rgb24> photo = Photo();
        var detector = new ScriptedDetector(rolled, 0f, 0f);
        using (FaceDeidentifier pipeline = Pipeline(detector))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
            r.PhotoRotationDegrees.Should().BeGreaterThan(-180f).And.BeLessThanOrEqualTo(180f);
            float error = Math.Abs(((r.PhotoRotationDegrees - expected + 540f) % 360f) - 180f);
            error.Should().BeLessThanOrEqualTo(1f, $"turned {r.PhotoRotationDegrees}°");
            Math.Abs(r.Detection!.Face!.Pose.Roll).Should().BeLessThanOrEqualTo(30f);
            r.Message.Should().Contain("clockwise to bring the face upright");
        }

        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(rolled, 0f, 0f), new DeidentificationOptions { TurnPhotosUpright = false }))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().BeOneOf(DeidentificationStatus.PoseOutOfRange, DeidentificationStatus.NoFace);
            r.PhotoRotationDegrees.Should().Be(0f);
        }
    }

    [Fact]
    public void Within_the_roll_limit_the_photo_is_used_as_given()
    {
        using Image<Rgb24> photo = Photo();
        var detector = new ScriptedDetector(30f, 0f, 0f);
        using FaceDeidentifier pipeline = Pipeline(detector);
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().Be(DeidentificationStatus.Success);
        r.PhotoRotationDegrees.Should().Be(0f);
        detector.Calls.Should().Be(1);
    }

    /// <summary>The turning decisions on a large photo are read on copies reduced to 2048 px on their longer side (memory
    /// stays within the photo's own lease), with the photo's proportions; the photo itself is turned whole and de-identified
    /// at full size. A small photo is read as it is.</summary>
    [Fact]
    public void A_large_photos_turning_is_read_on_copies_of_2048_px()
    {
        using Image<Rgb24> large = Photo(400);
        large.Mutate(x => x.Pad(3000, 2200, Color.FromRgb(128, 128, 128))); // squares stay in the middle, photo 3000 x 2200
        var detector = new ScriptedDetector(90f, 0f, 0f);
        using (FaceDeidentifier pipeline = Pipeline(detector))
        using (DeidentificationResult r = pipeline.Deidentify(large))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
            Math.Abs(r.PhotoRotationDegrees - 90f).Should().BeLessThanOrEqualTo(1f);
        }

        var full = detector.Sizes.Where(s => s.Width * s.Height == 3000 * 2200).ToList();
        var reduced = detector.Sizes.Where(s => s.Width * s.Height != 3000 * 2200).ToList();
        full.Should().HaveCount(2, "the photo as given and turned upright, each at full size");
        reduced.Should().HaveCountGreaterThanOrEqualTo(3, "three quarter-turn readings at least");
        foreach (Size s in reduced)
        {
            Math.Max(s.Width, s.Height).Should().Be(2048, $"reading {s}");
            Math.Min(s.Width, s.Height).Should().BeInRange(1500, 1502, $"reading {s} keeps the proportions of 3000 x 2200"); // 2200 x 2048 / 3000 = 1501.9
        }

        var small = new ScriptedDetector(90f, 0f, 0f);
        using Image<Rgb24> photo = Photo();
        using (FaceDeidentifier pipeline = Pipeline(small))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        }

        small.Sizes.Should().HaveCountGreaterThan(3).And.OnlyContain(s => s.Width == 400 && s.Height == 400);
    }

    /// <summary>An upside-down reading that passes every check: refused as upside down when turning is off, turned half a
    /// turn when it is on.</summary>
    [Fact]
    public void An_upside_down_reading_that_passes_the_checks_is_never_used()
    {
        using Image<Rgb24> photo = Photo();
        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(175f, 0f, 0f), new DeidentificationOptions { TurnPhotosUpright = false }))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
            r.Message.Should().Contain("upside down");
            r.Image.Should().BeNull();
        }

        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(175f, 0f, 0f)))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
            Math.Abs(Math.Abs(r.PhotoRotationDegrees) - 180f).Should().BeLessThanOrEqualTo(1f);
        }
    }

    /// <summary>The scripted mesh with both eyes shut (each upper-lid midpoint on its lower one).</summary>
    private static FaceLandmarks ShutEyes()
    {
        Vector3[] points = ScriptedParts.Mesh.Points.ToArray();
        points[EyeIndices.Right.UpperLidMidpoint] = points[EyeIndices.Right.LowerLidMidpoint];
        points[EyeIndices.Left.UpperLidMidpoint] = points[EyeIndices.Left.LowerLidMidpoint];
        return new FaceLandmarks(points);
    }

    /// <summary>An upside-down photo read as a shut-eyed face is refused as upside down when the half-turned photo shows a
    /// face that scores higher and passes the checks; when that face is shut-eyed too, the refusal stays "eyes closed".
    /// Turning is off, so the refusal is the only outcome.</summary>
    [Fact]
    public void A_shut_eyed_reading_is_called_upside_down_only_when_the_half_turn_shows_open_eyes()
    {
        using Image<Rgb24> photo = Photo();
        var noTurning = new DeidentificationOptions { TurnPhotosUpright = false };
        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(180f, 0f, 0f) { UpsideDownMesh = ShutEyes() }, noTurning))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
            r.Message.Should().Contain("upside down").And.Contain("shows an upright face with open eyes");
        }

        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(180f, 0f, 0f) { UpsideDownMesh = ShutEyes(), UprightMesh = ShutEyes() }, noTurning))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.EyesClosed);
            r.Message.Should().Contain("looks closed").And.NotContain("upside down");
        }

        // Upright and shut-eyed, the half turn scoring lower: eyes closed, not upside down.
        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 0f, 0f) { UprightMesh = ShutEyes() }, noTurning))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.EyesClosed);
            r.Message.Should().NotContain("upside down");
        }
    }

    /// <summary>A face refused for its pose keeps that reason even when it scores low and its half turn scores higher; and
    /// a pose refusal of an upright photo costs one detection (only a shut-eyed, rolled or doubtful reading is worth
    /// turning the photo for).</summary>
    [Fact]
    public void A_pose_refusal_stays_a_pose_refusal_and_costs_one_detection()
    {
        using Image<Rgb24> photo = Photo();
        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 60f, 0f) { UprightScore = (0.7f, 0.7f) }, new DeidentificationOptions { TurnPhotosUpright = false }))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
            r.Message.Should().Contain("yaw +60.0° is beyond ±43.0°").And.NotContain("upside down");
        }

        var detector = new ScriptedDetector(0f, 60f, 0f);
        using (FaceDeidentifier pipeline = Pipeline(detector))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
        }

        detector.Calls.Should().Be(1);

        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(40f, 0f, 0f), new DeidentificationOptions { TurnPhotosUpright = false }))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
            r.Message.Should().Contain("roll +40.0° is beyond ±30.0°");
        }
    }

    /// <summary>Every limit a pose exceeds is named, separated by semicolons.</summary>
    [Fact]
    public void A_pose_beyond_two_limits_names_both()
    {
        using Image<Rgb24> photo = Photo();
        using FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 50f, -35f));
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
        r.Message.Should().Contain("yaw +50.0° is beyond ±43.0°; pitch -35.0° is beyond ±28.0°");
    }

    /// <summary>A doubtful upright reading (scoring below the suspect score) whose half turn scores higher is refused as
    /// upside down on the score alone, even when the half-turned face would not pass the eye checks: the score is what tells
    /// an upright face from an upside-down one, the checks can pass or fail either way.</summary>
    [Fact]
    public void A_doubtful_reading_whose_half_turn_scores_higher_is_upside_down_whatever_that_face_looks_like()
    {
        using Image<Rgb24> photo = Photo();
        using FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 0f, 0f) { UprightScore = (0.7f, 0.7f), UpsideDownMesh = ShutEyes() },
            new DeidentificationOptions { TurnPhotosUpright = false });
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().Be(DeidentificationStatus.PoseOutOfRange);
        r.Message.Should().Contain("the photo turned half a turn shows a face the detector scores higher");
        r.Image.Should().BeNull();
    }

    /// <summary>A turn that brings a doubtful face upright is not taken when the turned photo's half turn scores higher, even
    /// if that half-turned face fails the eye checks: the photo is then left as given and refused.</summary>
    [Fact]
    public void A_turn_whose_half_turn_scores_higher_is_not_taken()
    {
        using Image<Rgb24> photo = Photo();
        using FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(90f, 0f, 0f) { UprightScore = (0.5f, 0.5f), UpsideDownMesh = ShutEyes() });
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().NotBe(DeidentificationStatus.Success);
        r.Image.Should().BeNull();
        r.PhotoRotationDegrees.Should().Be(0f);
    }

    /// <summary>A doubtful upright reading whose half turn scores exactly as much is not called upside down: only a higher
    /// score is.</summary>
    [Fact]
    public void A_half_turn_scoring_the_same_does_not_make_a_face_upside_down()
    {
        using Image<Rgb24> photo = Photo();
        using FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 0f, 0f) { UprightScore = (0.7f, 0.8f) }, new DeidentificationOptions { TurnPhotosUpright = false });
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        r.PhotoRotationDegrees.Should().Be(0f);
    }

    [Fact]
    public void The_photos_skin_colour_reaches_the_query_only_when_asked()
    {
        var spy = new QuerySpy(canTurn: true);
        using Image<Rgb24> photo = Photo(Avatar.CanvasSize); // the scripted mesh's cheeks lie inside it
        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 0f, 0f), spy: spy))
        using (pipeline.Deidentify(photo))
        {
            spy.Last!.SkinColor.Should().BeNull();
        }

        using (FaceDeidentifier pipeline = Pipeline(new ScriptedDetector(0f, 0f, 0f), new DeidentificationOptions { MatchSkinColor = true }, spy: spy))
        using (pipeline.Deidentify(photo))
        {
            spy.Last!.SkinColor.Should().Be(new Rgb24(128, 128, 128));
        }
    }

    /// <summary>
    /// Reads the photo's turn from its red and blue squares and answers as the face detector does: a face rolled by less
    /// than 60° is found with its roll and a good score; one rolled by more than 150° is read upside down as nearly upright
    /// with a lower score (face confidence 0.7 x mesh confidence 0.8); anything between is not found.
    /// </summary>
    private sealed class ScriptedDetector(float roll, float yaw, float pitch) : ILandmarkDetector
    {
        public int Calls { get; private set; }

        /// <summary>The size of every image the pipeline asked about, in order.</summary>
        public List<Size> Sizes { get; } = [];

        public (float Face, float Mesh) UprightScore { get; init; } = (0.9f, 1f);

        /// <summary>The mesh of an upright reading.</summary>
        public FaceLandmarks UprightMesh { get; init; } = ScriptedParts.Mesh;

        /// <summary>The mesh of an upside-down reading.</summary>
        public FaceLandmarks UpsideDownMesh { get; init; } = ScriptedParts.Mesh;

        public FaceDetection Detect(Image<Rgb24> image)
        {
            Calls++;
            Sizes.Add(image.Size());
            Vector2 red = Centroid(image, p => p.R > 200 && p.G < 80 && p.B < 80), blue = Centroid(image, p => p.B > 200 && p.R < 80 && p.G < 80);
            float turned = MathF.Atan2(blue.Y - red.Y, blue.X - red.X) * 180f / MathF.PI; // clockwise turn of the photo
            float r = Wrap(roll - turned);
            if (Math.Abs(r) < 60f)
            {
                return Found(image, r, UprightScore.Face, UprightScore.Mesh, UprightMesh);
            }

            return Math.Abs(r) > 150f ? Found(image, Wrap(r + 180f), 0.7f, 0.8f, UpsideDownMesh) : new FaceDetection(FaceDetectionStatus.NoFace, [], image.Width, image.Height);
        }

        private FaceDetection Found(Image<Rgb24> image, float readRoll, float confidence, float mesh, FaceLandmarks landmarks) => new(FaceDetectionStatus.Found,
            [new DetectedFace(new RectangleF(0, 0, image.Width, image.Height), confidence, mesh, landmarks, new HeadPose(readRoll, yaw, pitch))], image.Width, image.Height);

        private static float Wrap(float a) => ((a % 360f) + 540f) % 360f - 180f;

        private static Vector2 Centroid(Image<Rgb24> image, Func<Rgb24, bool> pick)
        {
            Vector2 sum = Vector2.Zero;
            int n = 0;
            for (int y = 0; y < image.Height; y++)
            {
                for (int x = 0; x < image.Width; x++)
                {
                    if (pick(image[x, y]))
                    {
                        sum += new Vector2(x, y);
                        n++;
                    }
                }
            }

            return n == 0 ? Vector2.Zero : sum / n;
        }

        public void Dispose()
        {
        }
    }
}
