using System.Globalization;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using FaceDefender.Synthesis;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Synthesis;

/// <summary>
/// <see cref="RoiPreset.GeometryOnly"/>: no patient pixel in the output (by construction and by a provenance check),
/// the mapped geometry exact, and the diagnostic measurements of the re-detected output close to the original's.
/// </summary>
public sealed class GeometryOnlyTests(GeometryOnlyTests.Kit kit, ITestOutputHelper output) : IClassFixture<GeometryOnlyTests.Kit>
{
    /// <summary>Geometry-only without rounding (<see cref="GeometryPrecision.Exact"/>): these tests measure how faithfully the
    /// patient's geometry is drawn; GeometryPrecisionTests covers the default rounding.</summary>
    private static readonly FusionOptions Geometry = new() { Roi = RoiPreset.GeometryOnly, SyntheticEyes = new SyntheticEyeOptions { Precision = GeometryPrecision.Exact } };

    public sealed class Kit : IDisposable
    {
        public Kit()
        {
            Detector = new MediaPipeLandmarkDetector();
            Avatars = new ProceduralAvatarProvider();
            Portrait = Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", "grace_hopper.jpg"));
            PortraitFace = Detector.Detect(Portrait).Face ?? throw new InvalidOperationException("The fixture portrait must be detected.");
        }

        public MediaPipeLandmarkDetector Detector { get; }

        public ProceduralAvatarProvider Avatars { get; }

        public Image<Rgb24> Portrait { get; }

        public DetectedFace PortraitFace { get; }

        public void Dispose()
        {
            Detector.Dispose();
            Portrait.Dispose();
        }
    }

    [Fact]
    public void Output_does_not_depend_on_patient_pixels_except_through_the_reflex_geometry()
    {
        using Avatar avatar = kit.Avatars.Get(AvatarSex.Female, AvatarAgeBuckets.Map(42), SkinTone.Light, 1);
        var noReflex = new FusionOptions { Roi = RoiPreset.GeometryOnly, SyntheticEyes = new SyntheticEyeOptions { DrawReflex = false } };

        // The same landmarks on a different image: pure noise everywhere.
        using Image<Rgb24> noise = NoiseLike(kit.Portrait, 7);
        var fuser = new PeriocularFaceFuser();
        using FusionResult real = fuser.Fuse(kit.Portrait, kit.PortraitFace.Landmarks, avatar.Image, avatar.Landmarks, noReflex);
        using FusionResult fake = fuser.Fuse(noise, kit.PortraitFace.Landmarks, avatar.Image, avatar.Landmarks, noReflex);
        Bytes(real.Image).Should().Equal(Bytes(fake.Image), "without the reflex, the output is a function of the avatar and the landmarks only");

        // And the eye region did change: the output is not simply the avatar.
        Bytes(real.Image).Should().NotEqual(Bytes(avatar.Image));
    }

    [Fact]
    public void The_reflex_changes_only_pixels_around_its_mapped_position()
    {
        using GroundTruthRender patient = GroundTruthFaceRenderer.Render(new GroundTruthScene { Identity = 3, ImageSize = 1024 });
        using Avatar avatar = kit.Avatars.Get(AvatarSex.Male, AvatarAgeBuckets.Map(35), SkinTone.Medium, 2);
        var fuser = new PeriocularFaceFuser();
        using FusionResult with = fuser.Fuse(patient.Image, patient.Landmarks, avatar.Image, avatar.Landmarks, Geometry);
        using FusionResult without = fuser.Fuse(patient.Image, patient.Landmarks, avatar.Image, avatar.Landmarks,
            new FusionOptions { Roi = RoiPreset.GeometryOnly, SyntheticEyes = new SyntheticEyeOptions { DrawReflex = false, Precision = GeometryPrecision.Exact } });
        CornealReflex[] found = new[] { with.Reflexes.Right, with.Reflexes.Left }.OfType<CornealReflex>().ToArray();
        found.Should().NotBeEmpty("the rendered eyes carry a specular highlight inside the iris");

        byte[] a = Bytes(with.Image), b = Bytes(without.Image);
        int changed = 0;
        for (int i = 0; i < a.Length; i += 3)
        {
            if (a[i] == b[i] && a[i + 1] == b[i + 1] && a[i + 2] == b[i + 2])
            {
                continue;
            }

            changed++;
            var p = new Vector2(((i / 3) % 1024) + 0.5f, ((i / 3) / 1024) + 0.5f);
            float nearest = found.Min(r => Vector2.Distance(p, r.Position));
            float iris = with.PatientLandmarks.RightEye.IrisDiameter / 2;
            nearest.Should().BeLessThan(0.5f * iris, "only the reflex spot may differ");
        }

        changed.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Every_pixel_outside_the_mask_is_the_avatars_and_the_mask_is_local()
    {
        using Avatar avatar = kit.Avatars.Get(AvatarSex.Female, AvatarAgeBuckets.Map(21), SkinTone.Dark, 0);
        using FusionResult r = new PeriocularFaceFuser().Fuse(kit.Portrait, kit.PortraitFace.Landmarks, avatar.Image, avatar.Landmarks, Geometry);
        byte[] o = Bytes(r.Image), a = Bytes(avatar.Image);
        float[] mask = r.Mask.ToArray();
        int differ = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 0)
            {
                (o[3 * i], o[(3 * i) + 1], o[(3 * i) + 2]).Should().Be((a[3 * i], a[(3 * i) + 1], a[(3 * i) + 2]));
            }
            else if (o[3 * i] != a[3 * i] || o[(3 * i) + 1] != a[(3 * i) + 1] || o[(3 * i) + 2] != a[(3 * i) + 2])
            {
                differ++;
            }
        }

        differ.Should().BeGreaterThan(1000, "the eye region is re-rendered");
        float ipd = avatar.Landmarks.InterPupillaryDistance;
        r.MaskBounds.Width.Should().BeLessThan((int)(2.2f * ipd), "only the periocular region is touched");
        r.MaskBounds.Height.Should().BeLessThan((int)(0.9f * ipd));
    }

    [Fact]
    public void Mapped_landmarks_measure_exactly_what_the_ground_truth_measures()
    {
        var scene = new GroundTruthScene
        {
            Identity = 11,
            RightEye = new EyeControl { IrisNasalMm = 1.5f, UpperLidUpMm = -1.2f },
            LeftEye = new EyeControl { IrisUpMm = 0.8f, LowerLidDownMm = 0.7f },
        };
        using GroundTruthRender patient = GroundTruthFaceRenderer.Render(scene);
        using Avatar avatar = kit.Avatars.Get(AvatarSex.Male, AvatarAgeBuckets.Map(56), SkinTone.Light, 4);
        using FusionResult r = new PeriocularFaceFuser().Fuse(patient.Image, patient.Landmarks, avatar.Image, avatar.Landmarks, Geometry);
        var bench = new LandmarkDiagnosticBenchmark();
        OcularMeasurements before = bench.Measure(patient.Landmarks);
        OcularMeasurements after = bench.Measure(r.PatientLandmarks);
        output.WriteLine(F($"largest difference {new[] { EyeSide.Right, EyeSide.Left }.SelectMany(e => Measures.Select(m => Math.Abs(m.Get(after[e]).Millimetres - m.Get(before[e]).Millimetres))).Max():E2} mm"));
        foreach (EyeSide e in new[] { EyeSide.Right, EyeSide.Left })
        {
            foreach ((string name, Func<EyeMeasurements, MeasuredValue> get) in Measures)
            {
                // Measured: largest difference 3.05e-5 mm (float rounding); bound 2x (it was 0.01 mm, 330x).
                get(after[e]).Millimetres.Should().BeApproximately(get(before[e]).Millimetres, 6e-5, $"{name} ({e}) through the similarity");
            }
        }
    }

    /// <summary>
    /// Re-detection of geometry-only outputs, computed once per test run: per measure, the absolute differences (mm)
    /// between the measure on the detected original and on the re-detected output, over 10 eyes (four ground-truth
    /// renders with random lid and iris offsets and the Grace Hopper portrait), and one line per eye. docs/geometry-only.md
    /// publishes the means and maxima; Docs.PublishedFiguresTests checks them. Set FD_SAVE_DIR to a folder to keep each
    /// case's output, patient image and landmarks (mapped vs re-detected).
    /// </summary>
    internal static readonly Lazy<(IReadOnlyDictionary<string, List<double>> Errors, IReadOnlyList<string> Lines)> Redetection = new(MeasureRedetection);

    private static (IReadOnlyDictionary<string, List<double>> Errors, IReadOnlyList<string> Lines) MeasureRedetection()
    {
        using var kit = new Kit();
        var lines = new List<string>();
        // Patients: ground-truth renders with lid and iris offsets, plus a real public-domain portrait.
        var rng = new Random(9);
        var errors = Measures.ToDictionary(m => m.Name, _ => new List<double>());
        var fuser = new PeriocularFaceFuser();
        var bench = new LandmarkDiagnosticBenchmark();
        var cases = new List<(string Name, Image<Rgb24> Image, IDisposable? Owner)>();
        for (int i = 0; i < 4; i++)
        {
            GroundTruthRender g = GroundTruthFaceRenderer.Render(new GroundTruthScene
            {
                Identity = rng.Next(64),
                Sex = (AvatarSex)(i % 2),
                AgeYears = 25 + (10 * i),
                SkinTone = (SkinTone)(i % 3),
                RightEye = RandomEye(rng),
                LeftEye = RandomEye(rng),
            });
            cases.Add(($"render {i}", g.Image, g));
        }

        cases.Add(("grace_hopper.jpg", kit.Portrait, null));
        try
        {
            int k = 0;
            foreach ((string name, Image<Rgb24> image, _) in cases)
            {
                DetectedFace face = kit.Detector.Detect(image).Face ?? throw new InvalidOperationException($"{name}: no face");
                using Avatar avatar = kit.Avatars.Get((AvatarSex)(k % 2), AvatarAgeBuckets.Map(30 + (5 * k)), (SkinTone)(k % 3), k);
                k++;
                using FusionResult r = fuser.Fuse(image, face.Landmarks, avatar.Image, avatar.Landmarks, Geometry);
                if (Environment.GetEnvironmentVariable("FD_SAVE_DIR") is { Length: > 0 } dir)
                {
                    r.Image.SaveAsPng(Path.Combine(dir, $"geometry-only-{k}.png"));
                    image.SaveAsPng(Path.Combine(dir, $"geometry-only-{k}-patient.png"));
                }

                DetectedFace again = kit.Detector.Detect(r.Image).Face ?? throw new InvalidOperationException($"{name}: output not detected");
                if (Environment.GetEnvironmentVariable("FD_SAVE_DIR") is { Length: > 0 } dir2)
                {
                    File.WriteAllLines(Path.Combine(dir2, $"geometry-only-{k}.tsv"), Enumerable.Range(0, FaceLandmarks.Count).Select(i =>
                        F($"{r.PatientLandmarks[i].X}\t{r.PatientLandmarks[i].Y}\t{again.Landmarks[i].X}\t{again.Landmarks[i].Y}")));
                }

                OcularMeasurements before = bench.Measure(face.Landmarks, face.Pose);
                OcularMeasurements after = bench.Measure(again.Landmarks, again.Pose);
                foreach (EyeSide e in new[] { EyeSide.Right, EyeSide.Left })
                {
                    var line = new List<string>();
                    foreach ((string m, Func<EyeMeasurements, MeasuredValue> get) in Measures)
                    {
                        double d = get(after[e]).Millimetres - get(before[e]).Millimetres;
                        errors[m].Add(Math.Abs(d));
                        line.Add(F($"{m} {get(before[e]).Millimetres:F2}->{get(after[e]).Millimetres:F2}"));
                    }

                    lines.Add($"{name} {e}: {string.Join(", ", line)}");
                }
            }
        }
        finally
        {
            foreach ((_, _, IDisposable? owner) in cases)
            {
                owner?.Dispose();
            }
        }

        return (errors, lines);
    }

    [Fact]
    public void Re_detected_output_gives_the_originals_measurements()
    {
        (IReadOnlyDictionary<string, List<double>> errors, IReadOnlyList<string> lines) = Redetection.Value;
        foreach (string line in lines)
        {
            output.WriteLine(line);
        }

        output.WriteLine("| measure | mean abs difference, mm | max, mm |");
        foreach ((string m, List<double> e) in errors)
        {
            output.WriteLine(F($"| {m} | {e.Average():F3} | {e.Max():F3} |"));
        }

        // The target is 0.2 mm for every measure: NOT met (docs/geometry-only.md gives the measured means and maxima, which
        // Docs.PublishedFiguresTests checks). These bounds (about twice the measured means) guard against regressions; a
        // wrong eye or scale would give several mm.
        var bounds = new Dictionary<string, double>
        {
            ["MRD1"] = 0.5, ["MRD2"] = 0.6, ["fissure height"] = 0.55, ["fissure width"] = 1.7,
            ["iris to inner canthus"] = 0.7, ["decentration nasal"] = 1.1, ["decentration up"] = 0.6,
        };
        foreach ((string m, List<double> e) in errors)
        {
            e.Average().Should().BeLessThan(bounds[m], $"{m}: re-detected on the output vs detected on the original");
        }
    }

    [Fact]
    public void Reflex_detector_finds_a_spot_where_it_is_and_nothing_on_a_plain_iris()
    {
        using GroundTruthRender patient = GroundTruthFaceRenderer.Render(new GroundTruthScene { Identity = 5 });
        EyeLandmarks eye = patient.Landmarks.RightEye;
        Vector2 spot = eye.IrisCentre + new Vector2(0.3f * eye.IrisDiameter / 2, -0.2f * eye.IrisDiameter / 2);

        // A plain dark iris, with and without a 2-px bright spot.
        using Image<Rgb24> plain = patient.Image.Clone();
        PaintDisc(plain, eye.IrisCentre, eye.IrisDiameter / 2, new Rgb24(70, 50, 40), 0);
        CornealReflexDetector.Detect(plain, patient.Landmarks).Right.Should().BeNull("a flat iris has no reflex");
        using Image<Rgb24> lit = plain.Clone();
        PaintDisc(lit, spot, 2f, new Rgb24(255, 255, 255), 0);
        CornealReflex? found = CornealReflexDetector.Detect(lit, patient.Landmarks).Right;
        found.Should().NotBeNull();
        Vector2.Distance(found!.Position, spot).Should().BeLessThan(0.35f);
        found.Radius.Should().BeInRange(1f, 3f);

        // A washed-out eye (half the iris bright) is not a compact reflex.
        using Image<Rgb24> glare = plain.Clone();
        PaintDisc(glare, eye.IrisCentre, eye.IrisDiameter / 2, new Rgb24(250, 250, 250), eye.IrisCentre.Y);
        CornealReflexDetector.Detect(glare, patient.Landmarks).Right.Should().BeNull();
    }

    [Fact]
    public void A_thin_dark_line_lies_just_inside_the_drawn_upper_margin()
    {
        // The detector reads the upper lid at the dark line a photograph shows just inside the margin; without it the drawn
        // lid re-detected about 0.4 mm high. Beside the iris (over the sclera), the line's middle against the sclera
        // three line widths below it: measured 0.39 and 0.46 (0.77 without the line).
        using Avatar avatar = kit.Avatars.Get(AvatarSex.Female, AvatarAgeBuckets.Map(42), SkinTone.Light, 1);
        using SyntheticEyeResult r = SyntheticEyeRenderer.Render(avatar.Image, avatar.Landmarks, avatar.Landmarks, CornealReflexes.None);
        foreach (EyeLandmarks eye in new[] { avatar.Landmarks.RightEye, avatar.Landmarks.LeftEye })
        {
            float radius = eye.HorizontalIrisDiameter / 2, line = 0.05f * 2 * radius;
            double lineLuma = 0, scleraLuma = 0;
            int n = 0;
            foreach (float dx in new[] { -1.45f, -1.35f, 1.35f, 1.45f })
            {
                float x = eye.IrisCentre.X + (dx * radius);
                float top = UpperY(eye.UpperLid, x);
                lineLuma += Luma(r.Image, x, top + (0.5f * line));
                scleraLuma += Luma(r.Image, x, top + (3f * line));
                n++;
            }

            output.WriteLine(F($"line {lineLuma / n:F1} sclera {scleraLuma / n:F1} (line width {line:F2} px)"));
            (lineLuma / scleraLuma).Should().BeLessThan(0.6, "a dark line lies just inside the upper margin");
        }
    }

    private static float UpperY(IReadOnlyList<Vector2> lid, float x)
    {
        for (int i = 0; i < lid.Count - 1; i++)
        {
            Vector2 a = lid[i], b = lid[i + 1];
            if ((x >= a.X && x <= b.X) || (x <= a.X && x >= b.X))
            {
                return MathF.Abs(b.X - a.X) < 1e-6f ? a.Y : a.Y + ((x - a.X) / (b.X - a.X) * (b.Y - a.Y));
            }
        }

        throw new InvalidOperationException("The column lies outside the lid.");
    }

    private static double Luma(Image<Rgb24> image, float x, float y) => FaceDefender.Imaging.Luma.Of(image[(int)x, (int)y]);

    [Fact]
    public void Options_are_validated()
    {
        FluentActions.Invoking(() => new SyntheticEyeOptions { RigidRadiusFraction = -0.1f }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RigidRadiusFraction");
        var inside = new SyntheticEyeOptions { RigidRadiusFraction = 0.1f, FalloffRadiusFraction = 0.1f };
        FluentActions.Invoking(() => new FusionOptions { SyntheticEyes = inside }).Should().Throw<ArgumentException>().WithMessage("*FalloffRadiusFraction*must exceed*");
        FluentActions.Invoking(() => new SyntheticEyeOptions { FalloffRadiusFraction = 0.7f }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("FalloffRadiusFraction");
        FluentActions.Invoking(() => new SyntheticEyeOptions { IrisTextureAmplitude = 2f }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("IrisTextureAmplitude");
        using Avatar avatar = kit.Avatars.Get(AvatarSex.Female, AvatarAgeBuckets.Map(42), SkinTone.Light, 1);
        FluentActions.Invoking(() => SyntheticEyeRenderer.Render(avatar.Image, avatar.Landmarks, null!, CornealReflexes.None)).Should().Throw<ArgumentNullException>().WithParameterName("target");
        FluentActions.Invoking(() => SyntheticEyeRenderer.Render(avatar.Image, avatar.Landmarks, avatar.Landmarks, CornealReflexes.None, inside))
            .Should().Throw<ArgumentException>().WithMessage("*FalloffRadiusFraction*must exceed*");
    }

    private static readonly (string Name, Func<EyeMeasurements, MeasuredValue> Get)[] Measures =
    [
        ("MRD1", e => e.Mrd1),
        ("MRD2", e => e.Mrd2),
        ("fissure height", e => e.FissureHeight),
        ("fissure width", e => e.FissureWidth),
        ("iris to inner canthus", e => e.IrisToInnerCanthus),
        ("decentration nasal", e => e.DecentrationNasal),
        ("decentration up", e => e.DecentrationUp),
    ];

    private static EyeControl RandomEye(Random rng) => new()
    {
        IrisNasalMm = (float)((rng.NextDouble() * 4) - 2),
        IrisUpMm = (float)((rng.NextDouble() * 2) - 1),
        UpperLidUpMm = (float)((rng.NextDouble() * 2.4) - 1.2),
        LowerLidDownMm = (float)((rng.NextDouble() * 1.6) - 0.8),
    };

    private static Image<Rgb24> NoiseLike(Image<Rgb24> like, int seed)
    {
        var rng = new Random(seed);
        var img = new Image<Rgb24>(like.Width, like.Height);
        img.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                foreach (ref Rgb24 p in rows.GetRowSpan(y))
                {
                    p = new Rgb24((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
                }
            }
        });
        return img;
    }

    /// <summary>Paints a disc (pixel centres within radius), only below <paramref name="fromY"/> when it is positive.</summary>
    private static void PaintDisc(Image<Rgb24> img, Vector2 c, float radius, Rgb24 colour, float fromY)
    {
        img.ProcessPixelRows(rows =>
        {
            for (int y = Math.Max(0, (int)(c.Y - radius - 1)); y <= Math.Min(rows.Height - 1, (int)(c.Y + radius + 1)); y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = Math.Max(0, (int)(c.X - radius - 1)); x <= Math.Min(row.Length - 1, (int)(c.X + radius + 1)); x++)
                {
                    if (Vector2.Distance(new Vector2(x + 0.5f, y + 0.5f), c) <= radius && (fromY <= 0 || y + 0.5f >= fromY))
                    {
                        row[x] = colour;
                    }
                }
            }
        });
    }

    private static byte[] Bytes(Image<Rgb24> img)
    {
        var b = new byte[img.Width * img.Height * 3];
        img.CopyPixelDataTo(b);
        return b;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
