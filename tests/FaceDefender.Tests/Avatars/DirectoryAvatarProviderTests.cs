using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Tests.Avatars;

public sealed class DirectoryAvatarProviderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fd-avatars-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void WriteImage(string name, int size = 1024, byte shade = 128)
    {
        using var img = new Image<Rgb24>(size, size, new Rgb24(shade, shade, shade));
        img.SaveAsPng(Path.Combine(_dir, name));
    }

    private void WriteManifest(string json) => File.WriteAllText(Path.Combine(_dir, AvatarManifest.DefaultFileName), json);

    private static string Entry(string file, string sex = "female", string age = "30", string tone = "light", string licence = "\"CC0-1.0\"", string? id = null) =>
        $"{{\"file\":\"{file}\",\"sex\":\"{sex}\",\"age\":{age},\"skinTone\":\"{tone}\",\"licence\":{licence}{(id is null ? "" : $",\"id\":\"{id}\"")}}}";

    private AvatarSetException OpenFails(string json)
    {
        WriteManifest(json);
        var act = () => DirectoryAvatarProvider.Open(_dir, new FakeDetector());
        return act.Should().Throw<AvatarSetException>().Which;
    }

    [Fact]
    public void Malformed_manifests_fail_with_a_message_naming_the_problem()
    {
        WriteImage("a.png");
        WriteImage("b.png");
        OpenFails("{ not json").Message.Should().Contain("not valid JSON");
        OpenFails("[]").Message.Should().Contain("\"avatars\" array");
        OpenFails("{\"avatars\":[]}").Message.Should().Contain("no avatars");
        OpenFails($"{{\"avatars\":[{Entry("missing.png")}]}}").Message.Should().Contain("avatars[0]").And.Contain("does not exist");
        OpenFails($"{{\"avatars\":[{Entry("a.png")},{Entry("a.png")}]}}").Message.Should().Contain("avatars[1]").And.Contain("already listed at avatars[0]");
        OpenFails($"{{\"avatars\":[{Entry("a.png", id: "x")},{Entry("b.png", id: "x")}]}}").Message.Should().Contain("id \"x\"");
        OpenFails($"{{\"avatars\":[{Entry("a.png", sex: "other")}]}}").Message.Should().Contain("sex \"other\"");
        OpenFails($"{{\"avatars\":[{Entry("a.png", age: "-3")}]}}").Message.Should().Contain("\"age\"");
        OpenFails($"{{\"avatars\":[{Entry("a.png", age: "\"thirty\"")}]}}").Message.Should().Contain("\"age\"");
        OpenFails($"{{\"avatars\":[{Entry("a.png", tone: "olive")}]}}").Message.Should().Contain("skinTone \"olive\"");
        OpenFails($"{{\"avatars\":[{Entry("a.png", licence: "\"\"")}]}}").Message.Should().Contain("licence");
        OpenFails("{\"avatars\":[{\"file\":\"a.png\",\"sex\":\"male\",\"age\":3,\"skinTone\":\"dark\"}]}").Message.Should().Contain("\"licence\" is missing");
        OpenFails($"{{\"avatars\":[{Entry("../outside.png")}]}}").Message.Should().Contain("outside the avatar folder");
    }

    [Fact]
    public void Missing_folder_or_manifest_is_reported()
    {
        var noFolder = () => DirectoryAvatarProvider.Open(Path.Combine(_dir, "nope"), new FakeDetector());
        noFolder.Should().Throw<AvatarSetException>().WithMessage("*does not exist*");
        var noManifest = () => DirectoryAvatarProvider.Open(_dir, new FakeDetector());
        noManifest.Should().Throw<AvatarSetException>().WithMessage("*no manifest*");
    }

    [Fact]
    public void Images_without_exactly_one_face_are_rejected()
    {
        WriteImage("none.png");
        WriteImage("two.png", shade: 100);
        WriteManifest($"{{\"avatars\":[{Entry("none.png")},{Entry("two.png", sex: "male")}]}}");
        var detector = new FakeDetector { Faces = 0 };
        DirectoryAvatarProvider provider = DirectoryAvatarProvider.Open(_dir, detector);
        var none = () => provider.Select(new AvatarQuery(AvatarSex.Female, 30, SkinTone.Light));
        none.Should().Throw<AvatarSetException>().WithMessage("*no face*none.png*");
        detector.Faces = 2;
        var two = () => provider.Select(new AvatarQuery(AvatarSex.Male, 30, SkinTone.Light));
        two.Should().Throw<AvatarSetException>().WithMessage("*2 faces*");
    }

    [Fact]
    public void Landmarks_are_detected_once_and_cached_in_a_sidecar_keyed_by_image_and_model()
    {
        WriteImage("f.png");
        WriteManifest($"{{\"avatars\":[{Entry("f.png")}]}}");
        var detector = new FakeDetector();
        DirectoryAvatarProvider.Open(_dir, detector, "model-A").Prepare();
        detector.Calls.Should().Be(1);
        File.Exists(Path.Combine(_dir, "f.png.landmarks.json")).Should().BeTrue();

        using (Avatar a = DirectoryAvatarProvider.Open(_dir, detector, "model-A").Select(new AvatarQuery(AvatarSex.Female, 30, SkinTone.Light)))
        {
            detector.Calls.Should().Be(1, "the sidecar matched image and model");
            a.Landmarks.Points[0].Should().Be(FakeDetector.AlignedPoint(0), "the fake landmarks are not on the FFHQ canvas: they are aligned onto it");
            a.Metadata.License.Should().Be("CC0-1.0");
            a.Metadata.IsSynthetic.Should().BeFalse();
        }

        DirectoryAvatarProvider.Open(_dir, detector, "model-B").Prepare();
        detector.Calls.Should().Be(2, "another model invalidates the sidecar");
        WriteImage("f.png", shade: 90);
        DirectoryAvatarProvider.Open(_dir, detector, "model-B").Prepare();
        detector.Calls.Should().Be(3, "a changed image invalidates the sidecar");
    }

    [Fact]
    public void The_sidecar_keeps_the_fine_eye_contours_when_the_detector_gives_them()
    {
        WriteImage("f.png");
        WriteManifest($"{{\"avatars\":[{Entry("f.png")}]}}");
        var detector = new FakeDetector { WithContours = true };
        using (Avatar first = DirectoryAvatarProvider.Open(_dir, detector).Select(new AvatarQuery(AvatarSex.Female, 30, SkinTone.Light)))
        {
            first.Landmarks.RightEyeContour!.Points[5].Should().Be(FakeDetector.AlignedContourPoint(5, 0));
        }

        using (Avatar cached = DirectoryAvatarProvider.Open(_dir, detector).Select(new AvatarQuery(AvatarSex.Female, 30, SkinTone.Light)))
        {
            detector.Calls.Should().Be(1, "the second provider reads the sidecar");
            cached.Landmarks.RightEyeContour!.Points.ToArray().Should().Equal(Enumerable.Range(0, EyeContour.Count).Select(i => FakeDetector.AlignedContourPoint(i, 0)));
            cached.Landmarks.LeftEyeContour!.Points[70].Should().Be(FakeDetector.AlignedContourPoint(70, 200));
        }

        // A sidecar without contours (written from landmarks that had none) reads back without them.
        WriteImage("f.png", shade: 90);
        var plain = new FakeDetector();
        DirectoryAvatarProvider.Open(_dir, plain).Prepare();
        using Avatar none = DirectoryAvatarProvider.Open(_dir, plain).Select(new AvatarQuery(AvatarSex.Female, 30, SkinTone.Light));
        plain.Calls.Should().Be(1);
        none.Landmarks.RightEyeContour.Should().BeNull();
    }

    [Fact]
    public void Chooses_the_nearest_group_and_spreads_pseudonyms_over_candidates()
    {
        WriteImage("a.png");
        WriteImage("b.png", shade: 120);
        WriteImage("c.png", shade: 110);
        WriteManifest($"{{\"avatars\":[{Entry("a.png", age: "25", id: "a")},{Entry("b.png", age: "28", id: "b")},{Entry("c.png", sex: "male", age: "70", tone: "dark", id: "c")}]}}");
        DirectoryAvatarProvider provider = DirectoryAvatarProvider.Open(_dir, new FakeDetector());
        provider.Catalog.Select(m => m.AgeBucket).Should().Equal(30, 30, 70);

        using (Avatar plain = provider.Select(new AvatarQuery(AvatarSex.Female, 30, SkinTone.Light)))
        {
            plain.Metadata.Id.Should().Be("a", "without a pseudonym the first candidate in manifest order");
        }

        using (Avatar nearest = provider.Select(new AvatarQuery(AvatarSex.Male, 40, SkinTone.Light)))
        {
            nearest.Metadata.Id.Should().Be("c", "the only male entry");
        }

        var picks = Enumerable.Range(0, 40).Select(i =>
        {
            using Avatar a = provider.Select(new AvatarQuery(AvatarSex.Female, 60, SkinTone.Light, $"p{i}"));
            return a.Metadata.Id;
        }).ToList();
        picks.Should().Contain("a").And.Contain("b").And.NotContain("c");
        using Avatar repeat = provider.Select(new AvatarQuery(AvatarSex.Female, 60, SkinTone.Light, "p7"));
        repeat.Metadata.Id.Should().Be(picks[7]);
    }

    [Fact]
    public void Real_detector_finds_the_procedural_avatar_landmarks()
    {
        using (Avatar source = new ProceduralAvatarProvider().Get(AvatarSex.Male, 40, SkinTone.Medium))
        {
            source.Image.SaveAsPng(Path.Combine(_dir, "m40.png"));
            WriteManifest($"{{\"avatars\":[{Entry("m40.png", sex: "male", age: "40", tone: "medium", licence: "\"Apache-2.0\"")}]}}");
            using var detector = new MediaPipeLandmarkDetector();
            using Avatar loaded = DirectoryAvatarProvider.Open(_dir, detector).Select(new AvatarQuery(AvatarSex.Male, 40, SkinTone.Medium));
            float ipd = Vector2.Distance(source.Landmarks[468], source.Landmarks[473]);
            foreach (int i in new[] { 468, 473, 33, 133, 263, 362, 159, 386, 1 })
            {
                Vector2.Distance(loaded.Landmarks[i], source.Landmarks[i]).Should().BeLessThan(0.07f * ipd, $"landmark {i}");
            }

            // The face oval carries a known inward bias on the canonical shape (issue 5): looser.
            Vector2.Distance(loaded.Landmarks[152], source.Landmarks[152]).Should().BeLessThan(0.15f * ipd);

            // Already on the canvas: used as it is (no resampling), and the sidecar records no alignment.
            PixelsOf(loaded.Image).Should().Equal(PixelsOf(source.Image));
            File.ReadAllText(Path.Combine(_dir, "m40.png.landmarks.json")).Should().NotContain("sourceToCanvas");
        }
    }

    private static byte[] PixelsOf(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }

    private static string Portrait(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", name);

    // The public-domain test portraits stand in for a user's own avatar images here (in a temporary
    // folder only): they are real people and never ship as avatars.
    [Fact]
    public void Photos_of_any_size_and_framing_are_aligned_onto_the_canvas_and_the_alignment_is_cached()
    {
        File.Copy(Portrait("astronaut.png"), Path.Combine(_dir, "a.png"));      // 512 x 512, face not FFHQ-framed
        File.Copy(Portrait("grace_hopper.jpg"), Path.Combine(_dir, "g.jpg"));   // 512 x 600
        using (Image<Rgb24> wide = Image.Load<Rgb24>(Portrait("astronaut.png")))  // small face, off-centre, on a wide canvas
        using (var canvas = new Image<Rgb24>(1400, 900, new Rgb24(40, 60, 80)))
        {
            wide.Mutate(c => c.Resize(480, 480));
            canvas.Mutate(c => c.DrawImage(wide, new Point(860, 400), 1f));
            canvas.SaveAsPng(Path.Combine(_dir, "w.png"));
        }

        WriteManifest($"{{\"avatars\":[{Entry("a.png", id: "a")},{Entry("g.jpg", age: "70", id: "g")},{Entry("w.png", tone: "dark", id: "w")}]}}");
        using var mediaPipe = new MediaPipeLandmarkDetector();
        var counting = new CountingDetector(mediaPipe);
        DirectoryAvatarProvider provider = DirectoryAvatarProvider.Open(_dir, counting);
        var first = new Dictionary<string, (byte[] Pixels, Vector3[] Points)>();
        foreach (var (sex, age, tone, id) in new[] { (AvatarSex.Female, 30, SkinTone.Light, "a"), (AvatarSex.Female, 70, SkinTone.Light, "g"), (AvatarSex.Female, 30, SkinTone.Dark, "w") })
        {
            using Avatar avatar = provider.Select(new AvatarQuery(sex, age, tone));
            avatar.Metadata.Id.Should().Be(id);
            avatar.Image.Width.Should().Be(1024);
            avatar.Image.Height.Should().Be(1024);
            avatar.Landmarks.Space.Should().Be(CoordinateSpace.Normalized);

            // The cached landmarks are on the canvas: the alignment computed from them is the identity.
            var m = FaceDefender.Fusion.FaceNormalizer.ComputeTransform(avatar.Landmarks);
            foreach (Vector2 corner in new[] { Vector2.Zero, new Vector2(1024, 0), new Vector2(0, 1024), new Vector2(1024, 1024) })
            {
                Vector2.Distance(Vector2.Transform(corner, m), corner).Should().BeLessThan(0.5f, $"avatar {id}");
            }

            float eyes = Vector2.Distance(avatar.Landmarks[468], avatar.Landmarks[473]);
            eyes.Should().BeInRange(200f, 265f, $"avatar {id}: FFHQ framing puts about a quarter of the canvas between the eyes");

            // And they belong to the aligned pixels: detecting again on the aligned image agrees.
            FaceDetection again = mediaPipe.Detect(avatar.Image);
            again.Faces.Should().HaveCount(1);
            foreach (int i in new[] { 468, 473, 33, 133, 263, 362, 1, 13 })
            {
                Vector2.Distance(again.Faces[0].Landmarks[i], avatar.Landmarks[i]).Should().BeLessThan(0.05f * eyes, $"avatar {id}, landmark {i}");
            }

            first[id] = (PixelsOf(avatar.Image), avatar.Landmarks.Points.ToArray());
        }

        counting.Calls.Should().Be(3);
        File.ReadAllText(Path.Combine(_dir, "w.png.landmarks.json")).Should().Contain("sourceToCanvas");

        // A new provider reads the sidecars: no detection, the same landmarks and pixels.
        DirectoryAvatarProvider reopened = DirectoryAvatarProvider.Open(_dir, counting);
        using (Avatar w = reopened.Select(new AvatarQuery(AvatarSex.Female, 30, SkinTone.Dark)))
        {
            counting.Calls.Should().Be(3);
            w.Landmarks.Points.ToArray().Should().Equal(first["w"].Points);
            PixelsOf(w.Image).Should().Equal(first["w"].Pixels);
        }
    }

    [Fact]
    public void Real_photos_with_no_face_several_faces_or_a_tiny_face_fail_clearly()
    {
        using (var grey = new Image<Rgb24>(700, 500, new Rgb24(128, 128, 128)))
        {
            grey.SaveAsPng(Path.Combine(_dir, "none.png"));
        }

        using (Image<Rgb24> a = Image.Load<Rgb24>(Portrait("astronaut.png")))
        using (Image<Rgb24> g = Image.Load<Rgb24>(Portrait("grace_hopper.jpg")))
        using (var twoFaces = new Image<Rgb24>(1024, 600, new Rgb24(255, 255, 255)))
        {
            twoFaces.Mutate(c => c.DrawImage(a, new Point(0, 44), 1f).DrawImage(g, new Point(512, 0), 1f));
            twoFaces.SaveAsPng(Path.Combine(_dir, "pair.png"));
            using Image<Rgb24> tiny = a.Clone(c => c.Resize(200, 200));
            using var tinyCanvas = new Image<Rgb24>(640, 640, new Rgb24(200, 200, 200));
            tinyCanvas.Mutate(c => c.DrawImage(tiny, new Point(240, 240), 1f));
            tinyCanvas.SaveAsPng(Path.Combine(_dir, "tiny.png"));
        }

        WriteManifest($"{{\"avatars\":[{Entry("none.png", id: "none")},{Entry("pair.png", sex: "male", id: "pair")},{Entry("tiny.png", tone: "dark", id: "tiny")}]}}");
        // Strict about several faces (the detector's default uses the largest face).
        using var mediaPipe = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });
        DirectoryAvatarProvider provider = DirectoryAvatarProvider.Open(_dir, mediaPipe);
        var none = () => provider.Select(new AvatarQuery(AvatarSex.Female, 30, SkinTone.Light));
        none.Should().Throw<AvatarSetException>().WithMessage("*\"none\"*no face*none.png*");
        var pair = () => provider.Select(new AvatarQuery(AvatarSex.Male, 30, SkinTone.Light));
        pair.Should().Throw<AvatarSetException>().WithMessage("*\"pair\"*2 faces*exactly one*");
        var tinyFace = () => provider.Select(new AvatarQuery(AvatarSex.Female, 30, SkinTone.Dark));
        tinyFace.Should().Throw<AvatarSetException>().WithMessage("*\"tiny\"*too small*at least 30 px between the eyes*");
    }

    /// <summary>Counts the calls to a real detector.</summary>
    private sealed class CountingDetector(ILandmarkDetector inner) : ILandmarkDetector
    {
        public int Calls { get; private set; }

        public FaceDetection Detect(Image<Rgb24> image)
        {
            Calls++;
            return inner.Detect(image);
        }

        public void Dispose() { }
    }

    /// <summary>A detector that returns a fixed set of landmarks (or none, or two faces) and counts its calls.</summary>
    private sealed class FakeDetector : ILandmarkDetector
    {
        public int Calls { get; private set; }

        public int Faces { get; set; } = 1;

        public bool WithContours { get; set; }

        public static Vector3 ContourPoint(int i, float shift) => new(400 + i + shift, 350 + (i % 7) + shift, i / 10f);

        public static Vector3 Point(int i) => new(300 + i % 20 * 20, 300 + i / 20 * 10, 0);

        private static FaceLandmarks Raw(bool contours) => new(
            Enumerable.Range(0, FaceLandmarks.Count).Select(Point).ToArray(), CoordinateSpace.Source,
            contours ? new EyeContour(Enumerable.Range(0, EyeContour.Count).Select(i => ContourPoint(i, 0)).ToArray()) : null,
            contours ? new EyeContour(Enumerable.Range(0, EyeContour.Count).Select(i => ContourPoint(i, 200)).ToArray()) : null);

        private static FaceLandmarks Aligned(bool contours) =>
            Raw(contours).Transform(FaceDefender.Fusion.FaceNormalizer.ComputeTransform(Raw(contours)), CoordinateSpace.Normalized);

        /// <summary>Point i after the FFHQ alignment the provider applies (the fake points are not on the canvas).</summary>
        public static Vector3 AlignedPoint(int i) => Aligned(false).Points[i];

        public static Vector3 AlignedContourPoint(int i, float shift) => (shift == 0 ? Aligned(true).RightEyeContour! : Aligned(true).LeftEyeContour!).Points[i];

        public FaceDetection Detect(Image<Rgb24> image)
        {
            Calls++;
            EyeContour? Contour(float shift) => WithContours
                ? new EyeContour(Enumerable.Range(0, EyeContour.Count).Select(i => ContourPoint(i, shift)).ToArray())
                : null;
            var lm = new FaceLandmarks(Enumerable.Range(0, FaceLandmarks.Count).Select(Point).ToArray(), CoordinateSpace.Source, Contour(0), Contour(200));
            var faces = Enumerable.Range(0, Faces).Select(_ => new DetectedFace(new RectangleF(200, 200, 600, 600), 0.9f, 1f, lm, default)).ToArray();
            FaceDetectionStatus status = Faces switch { 0 => FaceDetectionStatus.NoFace, 1 => FaceDetectionStatus.Found, _ => FaceDetectionStatus.SeveralFaces };
            return new FaceDetection(status, faces, image.Width, image.Height);
        }

        public void Dispose() { }
    }
}
