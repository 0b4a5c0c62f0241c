using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Pipeline;
using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Decisions;

/// <summary>
/// The rest of the pipeline's decisions with scripted parts (no model, no renderer): the record reaching the avatar query,
/// the skin-tone estimate at its class boundaries, the geometric and image eye checks at their limits, the timings and
/// messages of a result, logging, argument checks, and who disposes the detector.
/// </summary>
public sealed class GateDecisionTests
{
    private static Image<Rgb24> Flat(byte level) => new(Avatar.CanvasSize, Avatar.CanvasSize, new Rgb24(level, level, level));

    private static FaceDeidentifier Pipeline(FixedDetector detector, QuerySpy spy, DeidentificationOptions? options = null, ILogger<FaceDeidentifier>? logger = null) =>
        new(detector, spy, new NullFuser(), options ?? new DeidentificationOptions { MinEyeContrast = 0 }, FaceDeidentifier.NoDiagnostics, logger);

    [Fact]
    public void The_record_reaches_the_avatar_query_and_the_defaults_fill_what_it_lacks()
    {
        var spy = new QuerySpy();
        using Image<Rgb24> photo = Flat(200);
        using (FaceDeidentifier pipeline = Pipeline(new FixedDetector(ScriptedParts.Mesh), spy))
        using (DeidentificationResult r = pipeline.Deidentify(photo, new PatientInfo(AvatarSex.Male, 71, SkinTone.Dark, "p-17")))
        {
            r.Status.Should().Be(DeidentificationStatus.Success);
        }

        spy.Last!.Sex.Should().Be(AvatarSex.Male);
        spy.Last.AgeYears.Should().Be(71);
        spy.Last.SkinTone.Should().Be(SkinTone.Dark);
        spy.Last.PseudonymKey.Should().Be("p-17");

        var options = new DeidentificationOptions { MinEyeContrast = 0, DefaultSex = AvatarSex.Male, DefaultAgeYears = 9 };
        using (FaceDeidentifier pipeline = Pipeline(new FixedDetector(ScriptedParts.Mesh), spy, options))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success);
        }

        spy.Last.Sex.Should().Be(AvatarSex.Male);
        spy.Last.AgeYears.Should().Be(9);
        spy.Last.SkinTone.Should().Be(SkinTone.Light, "the flat photo's luma 200 is light skin");
        spy.Last.PseudonymKey.Should().BeNull();
    }

    /// <summary>The classes split at a mean luma of 165 and 105 (exclusive) in the two cheek squares; with no pixel inside the
    /// photo the estimate is Medium.</summary>
    [Theory]
    [InlineData(255, SkinTone.Light)]
    [InlineData(166, SkinTone.Light)]
    [InlineData(165, SkinTone.Medium)]
    [InlineData(106, SkinTone.Medium)]
    [InlineData(105, SkinTone.Dark)]
    [InlineData(0, SkinTone.Dark)]
    public void The_skin_tone_classes_split_at_their_boundaries(byte level, SkinTone expected)
    {
        using Image<Rgb24> photo = Flat(level);
        FaceDeidentifier.EstimateSkinTone(photo, ScriptedParts.Mesh).Should().Be(expected);
    }

    [Fact]
    public void The_skin_tone_reads_the_cheeks_only_and_weighs_green_most()
    {
        FaceLandmarks mesh = ScriptedParts.Mesh;
        using Image<Rgb24> photo = Flat(40);
        int radius = Math.Max(2, (int)(0.05f * mesh.InterPupillaryDistance));
        foreach (Vector2 c in new[] { mesh[50], mesh[280] })
        {
            for (int y = (int)c.Y - radius; y <= (int)c.Y + radius; y++)
            {
                for (int x = (int)c.X - radius; x <= (int)c.X + radius; x++)
                {
                    photo[x, y] = new Rgb24(100, 200, 100); // luma 158.7
                }
            }
        }

        FaceDeidentifier.EstimateSkinTone(photo, mesh).Should().Be(SkinTone.Medium, "the squares around the cheek points, all of them, luma 158.7");
        photo[(int)mesh[50].X + radius, (int)mesh[50].Y + radius] = new Rgb24(255, 255, 255);
        photo[(int)mesh[280].X - radius, (int)mesh[280].Y - radius] = new Rgb24(255, 255, 255);
        FaceDeidentifier.EstimateSkinTone(photo, mesh).Should().Be(SkinTone.Medium);

        var outside = new FaceLandmarks(mesh.Points.ToArray().Select(p => p + new Vector3(5000, 5000, 0)).ToArray());
        FaceDeidentifier.EstimateSkinTone(photo, outside).Should().Be(SkinTone.Medium, "no pixel to read: the middle class");
        FluentActions.Invoking(() => FaceDeidentifier.EstimateSkinTone(null!, mesh)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => FaceDeidentifier.EstimateSkinTone(photo, null!)).Should().Throw<ArgumentNullException>();
    }

    /// <summary>The geometric eye check: lid opening over fissure width at least <see cref="DeidentificationOptions.MinEyeOpening"/>,
    /// either eye, the boundary itself passing (the limit set to exactly the ratio the gate computes).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_eye_below_the_minimum_opening_is_refused_and_one_at_it_passes(bool rightEye)
    {
        FaceLandmarks mesh = ScriptedParts.Mesh;
        EyeLandmarks eye = rightEye ? mesh.RightEye : mesh.LeftEye;
        float ratio = Vector2.Distance(eye.UpperLidMidpoint, eye.LowerLidMidpoint) / Vector2.Distance(eye.OuterCanthus, eye.InnerCanthus);
        using Image<Rgb24> photo = Flat(200);
        var spy = new QuerySpy();
        float other = rightEye
            ? Vector2.Distance(mesh.LeftEye.UpperLidMidpoint, mesh.LeftEye.LowerLidMidpoint) / Vector2.Distance(mesh.LeftEye.OuterCanthus, mesh.LeftEye.InnerCanthus)
            : Vector2.Distance(mesh.RightEye.UpperLidMidpoint, mesh.RightEye.LowerLidMidpoint) / Vector2.Distance(mesh.RightEye.OuterCanthus, mesh.RightEye.InnerCanthus);

        // The limit at exactly the narrower eye's ratio passes.
        using (FaceDeidentifier atLimit = Pipeline(new FixedDetector(mesh), spy, new DeidentificationOptions { MinEyeContrast = 0, MinEyeOpening = MathF.Min(ratio, other) }))
        using (DeidentificationResult r = atLimit.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        }

        // Both eyes of the mesh are alike: raise the limit just above this eye's ratio and refuse unless the other eye is wider.
        if (other > ratio * 1.002f)
        {
            using FaceDeidentifier above = Pipeline(new FixedDetector(mesh), spy, new DeidentificationOptions { MinEyeContrast = 0, MinEyeOpening = ratio * 1.001f });
            using DeidentificationResult r = above.Deidentify(photo);
            r.Status.Should().Be(DeidentificationStatus.EyesClosed);
            r.Message.Should().Contain($"The {(rightEye ? "right" : "left")} eye looks closed");
        }

        // Close this eye: its upper lid on its lower lid.
        Vector3[] points = mesh.Points.ToArray();
        int upper = rightEye ? EyeIndices.Right.UpperLidMidpoint : EyeIndices.Left.UpperLidMidpoint;
        int lower = rightEye ? EyeIndices.Right.LowerLidMidpoint : EyeIndices.Left.LowerLidMidpoint;
        points[upper] = points[lower];
        using (FaceDeidentifier pipeline = Pipeline(new FixedDetector(new FaceLandmarks(points)), spy))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.EyesClosed);
            r.Message.Should().Contain($"The {(rightEye ? "right" : "left")} eye looks closed (opening 0.00 of its width, minimum 0.12)");
            r.Image.Should().BeNull();
        }

        // A degenerate eye (its corners on one point) is closed too.
        points = mesh.Points.ToArray();
        int outer = rightEye ? EyeIndices.Right.OuterCanthus : EyeIndices.Left.OuterCanthus;
        int inner = rightEye ? EyeIndices.Right.InnerCanthus : EyeIndices.Left.InnerCanthus;
        points[outer] = points[inner];
        using (FaceDeidentifier pipeline = Pipeline(new FixedDetector(new FaceLandmarks(points)), spy, new DeidentificationOptions { MinEyeContrast = 0, MinEyeOpening = 0 }))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.EyesClosed);
        }
    }

    /// <summary>A wide eye opened to a tenth of its width is refused against the default 0.12: the check is the ratio of
    /// opening to width, not their product, and the message gives that ratio.</summary>
    [Fact]
    public void A_narrow_opening_of_a_wide_eye_is_refused_by_its_ratio()
    {
        Vector3[] points = ScriptedParts.Mesh.Points.ToArray();
        EyeLandmarks eye = ScriptedParts.Mesh.RightEye;
        float width = Vector2.Distance(eye.OuterCanthus, eye.InnerCanthus);
        width.Should().BeGreaterThan(20f, "a wide eye on the 1024 canvas");
        Vector3 lower = points[EyeIndices.Right.LowerLidMidpoint];
        Vector2 up = Vector2.Normalize(eye.UpperLidMidpoint - eye.LowerLidMidpoint);
        points[EyeIndices.Right.UpperLidMidpoint] = new Vector3(lower.X + (up.X * 0.1f * width), lower.Y + (up.Y * 0.1f * width), lower.Z);
        using Image<Rgb24> photo = Flat(150);
        using FaceDeidentifier pipeline = Pipeline(new FixedDetector(new FaceLandmarks(points)), new QuerySpy(), new DeidentificationOptions { MinEyeContrast = 0 });
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().Be(DeidentificationStatus.EyesClosed);
        r.Message.Should().Contain("The right eye looks closed (opening 0.10 of its width, minimum 0.12)");
    }

    /// <summary>The parts passed in are the ones used: the fuser's image is the result's, and without a diagnostics
    /// argument the default eye assessment runs.</summary>
    [Fact]
    public void The_parts_passed_in_are_used_and_the_default_assessment_runs()
    {
        using Image<Rgb24> photo = Flat(150);
        using (var pipeline = new FaceDeidentifier(new FixedDetector(ScriptedParts.Mesh), new QuerySpy(), new NullFuser(), new DeidentificationOptions { MinEyeContrast = 0 }, FaceDeidentifier.NoDiagnostics))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success);
            r.Image!.Width.Should().Be(8, "the null fuser's 8 x 8 image");
            r.Assessment.Should().BeNull();
        }

        using (var pipeline = new FaceDeidentifier(new FixedDetector(ScriptedParts.Mesh), new QuerySpy(), new NullFuser(), new DeidentificationOptions { MinEyeContrast = 0 }))
        using (DeidentificationResult r = pipeline.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success);
            r.Assessment.Should().NotBeNull("the default diagnostics assess the eyes");
        }
    }

    /// <summary>The image check: a flat photo has no sclera-iris contrast, so any positive minimum refuses it; 0 switches the
    /// check off.</summary>
    [Fact]
    public void The_image_eye_check_refuses_a_flat_eye_and_is_off_at_zero()
    {
        using Image<Rgb24> photo = Flat(150);
        var spy = new QuerySpy();
        using (FaceDeidentifier on = Pipeline(new FixedDetector(ScriptedParts.Mesh), spy, new DeidentificationOptions { MinEyeContrast = 0.5f }))
        using (DeidentificationResult r = on.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.EyesClosed);
            r.Message.Should().Contain("shows no open eye in the image").And.Contain("minimum 0.5");
        }

        using (FaceDeidentifier off = Pipeline(new FixedDetector(ScriptedParts.Mesh), spy, new DeidentificationOptions { MinEyeContrast = 0 }))
        using (DeidentificationResult r = off.Deidentify(photo))
        {
            r.Status.Should().Be(DeidentificationStatus.Success);
        }
    }

    [Fact]
    public void A_result_reports_its_turn_and_avatar_pose_in_range_and_its_stage_times_within_the_total()
    {
        using Image<Rgb24> photo = Flat(200);
        var spy = new QuerySpy();
        using FaceDeidentifier pipeline = Pipeline(new FixedDetector(ScriptedParts.Mesh, yaw: 25f), spy);
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().Be(DeidentificationStatus.Success);
        r.Message.Should().Be("De-identified onto avatar scripted (EyesOnly, drawn at yaw 25° pitch 0°).");
        r.PhotoRotationDegrees.Should().Be(0f);
        r.Timings.AvatarMs.Should().BeInRange(0, r.Timings.TotalMs);
        r.Timings.FuseMs.Should().BeInRange(0, r.Timings.TotalMs);
        r.Timings.DetectMs.Should().BeInRange(0, r.Timings.TotalMs);

        using FaceDeidentifier frontal = Pipeline(new FixedDetector(ScriptedParts.Mesh), spy);
        using DeidentificationResult f = frontal.Deidentify(photo);
        f.Message.Should().Be("De-identified onto avatar scripted (EyesOnly).");
        f.AvatarPose.Should().BeNull();
    }

    [Fact]
    public void Logging_says_debug_on_success_and_information_on_a_refusal()
    {
        using Image<Rgb24> photo = Flat(150);
        var spy = new QuerySpy();
        var log = new RecordingLogger<FaceDeidentifier>();
        using (FaceDeidentifier pipeline = Pipeline(new FixedDetector(ScriptedParts.Mesh), spy, logger: log))
        using (pipeline.Deidentify(photo))
        {
        }

        log.Entries.Should().ContainSingle().Which.Level.Should().Be(LogLevel.Debug);
        using (FaceDeidentifier pipeline = Pipeline(new FixedDetector(ScriptedParts.Mesh, yaw: 60f), spy, logger: log))
        using (pipeline.Deidentify(photo))
        {
        }

        log.Entries.Should().HaveCount(2);
        log.Entries[1].Level.Should().Be(LogLevel.Information);
        log.Entries[1].Message.Should().Contain("PoseOutOfRange");
    }

    [Fact]
    public void Arguments_are_checked_and_a_detector_passed_in_stays_the_callers()
    {
        var detector = new FixedDetector(ScriptedParts.Mesh);
        var spy = new QuerySpy();
        FaceDeidentifier pipeline = Pipeline(detector, spy);
        FluentActions.Invoking(() => pipeline.Deidentify((Image<Rgb24>)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => pipeline.Deidentify((string)null!)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => pipeline.Deidentify(" ")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => pipeline.Deidentify((Stream)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Awaiting(() => pipeline.DeidentifyAsync(null!)).Should().ThrowAsync<ArgumentNullException>();
        using (Image<Rgb24> photo = Flat(200))
        using (DeidentificationResult r = pipeline.Deidentify(photo, null))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, "no record: the defaults");
        }

        pipeline.Dispose();
        detector.Disposed.Should().BeFalse();
    }

    /// <summary>Always finds one face: the scripted mesh with the given pose and good scores.</summary>
    private sealed class FixedDetector(FaceLandmarks mesh, float yaw = 0f) : ILandmarkDetector
    {
        public bool Disposed { get; private set; }

        public FaceDetection Detect(Image<Rgb24> image) => new(FaceDetectionStatus.Found,
            [new DetectedFace(new RectangleF(0, 0, image.Width, image.Height), 0.9f, 1f, mesh, new HeadPose(0f, yaw, 0f))], image.Width, image.Height);

        public void Dispose() => Disposed = true;
    }
}
