using System.Globalization;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Fusion;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Tests.Fusion;

/// <summary>What was painted over a pixel of a source photo.</summary>
public enum PaintLabel : byte
{
    None = 0,
    Hair = 1,
    Frame = 2,
    Background = 3,
}

/// <summary>How a painted photo is degraded before fusion: inter-pupil distance (0 = as painted), Gaussian blur sigma (photo
/// pixels after downscaling), sensor noise sigma, JPEG quality (0 = none).</summary>
public sealed record SkinDegradation(float Ipd, float Blur, float Noise, int JpegQuality)
{
    public static readonly SkinDegradation[] All =
    [
        new(0, 0, 0, 0),
        new(60, 0, 0, 90),
        new(45, 1.0f, 3, 75),
        new(30, 0.6f, 6, 60),
    ];

    public override string ToString() => Ipd == 0
        ? "as painted"
        : string.Create(CultureInfo.InvariantCulture, $"ipd {Ipd:0} blur {Blur:0.0} noise {Noise:0} q{JpegQuality}");
}

/// <summary>One painted capture: a source face, the seed of its painting, its degradation.</summary>
public sealed record SkinCase(string Source, int Seed, SkinDegradation Degradation)
{
    public override string ToString() => $"{Source} seed {Seed} {Degradation}";
}

/// <summary>The measures of one fused output against the known painting (output frame, pixels the hull mask keeps at least half of).</summary>
/// <param name="Ghost">Mean mask value over painted pixels outside the protected core: the share of hair, frame and background carried.</param>
/// <param name="GhostHair">The same over hair only.</param>
/// <param name="GhostFrame">The same over the glasses frame only.</param>
/// <param name="GhostBackground">The same over the background only.</param>
/// <param name="FalseRemoval">Share of true skin pixels (unpainted, outside the core, at least 2 % of the IPD from any paint) whose mask falls below 0.5.</param>
/// <param name="Seam">The capture harness's seam measures on the output.</param>
public sealed record SkinMeasures(double Ghost, double GhostHair, double GhostFrame, double GhostBackground, double FalseRemoval, SeamMeasures Seam);

/// <summary>
/// Paints hair strands, a dark glasses frame and background over faces whose landmarks are known (ground-truth renders and
/// the two public-domain portraits with landmarks detected once on the original), degrades them like casual captures,
/// fuses them with the paper's region and measures, since the painting is known, how much of it the kept region carries
/// and how much true skin it drops.
/// </summary>
public sealed class SkinMaskHarness : IDisposable
{
    private readonly Dictionary<string, (Image<Rgb24> Image, FaceLandmarks Landmarks)> _sources = [];
    private readonly Dictionary<string, Avatar> _avatars = [];
    private readonly ProceduralAvatarProvider _provider = new(new ProceduralAvatarOptions { CacheCapacity = 8 });

    /// <summary>Loads the two portraits and three ground-truth renders chosen by <paramref name="seed"/>.</summary>
    public SkinMaskHarness(int seed)
    {
        using (var detector = new MediaPipeLandmarkDetector())
        {
            foreach (string name in CaptureMatchHarness.Portraits)
            {
                var image = Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", name));
                FaceLandmarks lm = detector.Detect(image).Face?.Landmarks ?? throw new InvalidOperationException($"No face in {name}.");
                _sources[Path.GetFileNameWithoutExtension(name)] = (image, lm);
            }
        }

        var rng = new Random(seed);
        SkinTone[] tones = Enum.GetValues<SkinTone>();
        for (int k = 0; k < 3; k++)
        {
            var scene = new GroundTruthScene
            {
                ImageSize = 512,
                Sex = rng.Next(2) == 0 ? AvatarSex.Female : AvatarSex.Male,
                AgeYears = 25 + rng.Next(45),
                SkinTone = tones[rng.Next(tones.Length)],
                Identity = rng.Next(1, 8),
            };
            using GroundTruthRender render = GroundTruthFaceRenderer.Render(scene);
            string name = string.Create(CultureInfo.InvariantCulture, $"render-{scene.Sex.ToString().ToLowerInvariant()}-{scene.AgeYears}-{scene.SkinTone.ToString().ToLowerInvariant()}-{scene.Identity}");
            _sources[name] = (render.Image.Clone(), render.Landmarks);
        }

        foreach ((string name, (Image<Rgb24> image, FaceLandmarks lm)) in _sources)
        {
            _avatars[name] = _provider.Select(new AvatarQuery(AvatarSex.Female, 40, FaceDeidentifier.EstimateSkinTone(image, lm), "skin-mask-" + name));
        }

        Seed = seed;
    }

    public int Seed { get; }

    /// <summary>The avatar a source is fused onto (owned by the harness).</summary>
    public Avatar AvatarFor(string source) => _avatars[source];

    public IEnumerable<string> Sources => _sources.Keys;

    /// <summary>Every source with every degradation, each painted with its own seed derived from the harness seed.</summary>
    public IEnumerable<SkinCase> AllCases()
    {
        int k = 0;
        foreach (string s in _sources.Keys)
        {
            foreach (SkinDegradation d in SkinDegradation.All)
            {
                yield return new SkinCase(s, (Seed * 31) + (k++ * 7919), d);
            }
        }
    }

    /// <summary>The painted (not degraded) photo, its landmarks and the per-pixel paint labels (the caller disposes the image).</summary>
    public (Image<Rgb24> Image, FaceLandmarks Landmarks, PaintLabel[] Labels) Paint(string source, int seed, bool paint = true)
    {
        (Image<Rgb24> original, FaceLandmarks lm) = _sources[source];
        Image<Rgb24> img = original.Clone();
        var labels = new PaintLabel[img.Width * img.Height];
        if (paint)
        {
            Painter.PaintAll(img, lm, labels, new Random(seed));
        }

        return (img, lm, labels);
    }

    /// <summary>Paints (unless <paramref name="paint"/> is false), degrades, fuses with <paramref name="options"/> (the paper's region)
    /// and with the same options but the skin mask off (the hull mask, which selects the measured pixels), and measures against the painting.</summary>
    public (SkinMeasures Measures, FusionResult Result) Run(SkinCase c, FusionOptions options, bool paint = true)
    {
        (SkinMeasures m, FusionResult r, _) = RunWithHull(c, options, paint);
        return (m, r);
    }

    /// <summary><see cref="Run"/>, also returning a copy of the hull mask (the same fusion with the skin mask off).</summary>
    public (SkinMeasures Measures, FusionResult Result, float[] HullMask) RunWithHull(SkinCase c, FusionOptions options, bool paint = true)
    {
        (Image<Rgb24> painted, FaceLandmarks lm, PaintLabel[] labels) = Paint(c.Source, c.Seed, paint);
        using (painted)
        {
            (Image<Rgb24> photo, FaceLandmarks plm, float scale) = Degrade(painted, lm, c.Degradation, c.Seed);
            using (photo)
            {
                Avatar avatar = _avatars[c.Source];
                var fuser = new PeriocularFaceFuser();
                FusionResult r = fuser.Fuse(photo, plm, avatar.Image, avatar.Landmarks, options);
                using FusionResult hull = fuser.Fuse(photo, plm, avatar.Image, avatar.Landmarks, options with { SkinFollowingMask = false });
                SkinMeasures m = Measure(r, hull.Mask.Span, labels, painted.Width, painted.Height, plm, avatar.Landmarks, scale, options);
                return (m, r, hull.Mask.ToArray());
            }
        }
    }

    /// <summary>Downscales to the case's inter-pupil distance, blurs, adds noise and JPEG-compresses; returns the photo, its
    /// landmarks and the scale from painted to degraded pixels.</summary>
    public static (Image<Rgb24> Image, FaceLandmarks Landmarks, float Scale) Degrade(Image<Rgb24> painted, FaceLandmarks lm, SkinDegradation d, int seed)
    {
        float f = d.Ipd > 0 ? d.Ipd / lm.InterPupillaryDistance : 1f;
        int w = Math.Max(16, (int)MathF.Round(painted.Width * f)), h = Math.Max(16, (int)MathF.Round(painted.Height * f));
        Image<Rgb24> img = d.Ipd > 0 ? painted.Clone(x => x.Resize(w, h, KnownResamplers.Bicubic)) : painted.Clone();
        if (d.Blur > 0)
        {
            img.Mutate(x => x.GaussianBlur(d.Blur));
        }

        if (d.Noise > 0)
        {
            var rng = new Random(seed ^ 0x5bd1e995);
            img.ProcessPixelRows(acc =>
            {
                for (int y = 0; y < acc.Height; y++)
                {
                    Span<Rgb24> row = acc.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++)
                    {
                        float n = d.Noise * Painter.Gaussian(rng);
                        row[x] = new Rgb24(Painter.Clamp(row[x].R + n), Painter.Clamp(row[x].G + n), Painter.Clamp(row[x].B + n));
                    }
                }
            });
        }

        if (d.JpegQuality > 0)
        {
            Image<Rgb24> compressed = Captures.CaptureDegradations.Jpeg(img, d.JpegQuality);
            img.Dispose();
            img = compressed;
        }

        float sx = (float)img.Width / painted.Width, sy = (float)img.Height / painted.Height;
        return (img, lm.Transform(Matrix3x2.CreateScale(sx, sy), CoordinateSpace.Source), sx);
    }

    /// <summary>
    /// The measures of <paramref name="r"/>: every output pixel the hull mask (<paramref name="hullMask"/>) keeps at least half
    /// of is mapped back to the painted photo (nearest pixel) to read its label.
    /// </summary>
    public static SkinMeasures Measure(FusionResult r, ReadOnlySpan<float> hullMask, PaintLabel[] labels, int pw, int ph, FaceLandmarks photoLandmarks,
        FaceLandmarks avatarLandmarks, float scale, FusionOptions options)
    {
        int w = r.Image.Width, h = r.Image.Height;
        float ipd = avatarLandmarks.InterPupillaryDistance;
        Matrix3x2 m = r.TransformMatrix;
        Matrix3x2.Invert(m, out Matrix3x2 inv);
        var core = new float[w * h];
        PeriocularSkinMask.FillCore(core, photoLandmarks, avatarLandmarks, m, w, h, RoiPreset.Paper, ipd, PeriocularFaceFuser.SkinCoreEyeGrowFraction * ipd);
        Rectangle b = MaskOperations.NonZeroBounds(hullMask, w, h);
        var label = new byte[w * h];
        var paint = new float[w * h];
        for (int y = b.Top; y < b.Bottom; y++)
        {
            for (int x = b.Left; x < b.Right; x++)
            {
                Vector2 p = Vector2.Transform(new Vector2(x + 0.5f, y + 0.5f), inv) / scale;
                int sx = (int)MathF.Floor(p.X), sy = (int)MathF.Floor(p.Y);
                byte l = sx >= 0 && sy >= 0 && sx < pw && sy < ph ? (byte)labels[(sy * pw) + sx] : (byte)PaintLabel.Background;
                label[(y * w) + x] = l;
                paint[(y * w) + x] = l != 0 ? 1f : 0f;
            }
        }

        var nearPaint = new float[w * h];
        MaskOperations.Dilate(paint, nearPaint, w, h, Math.Max(1, (int)MathF.Ceiling(0.02f * ipd)));
        ReadOnlySpan<float> mask = r.Mask.Span;
        var sum = new double[4];
        var count = new int[4];
        int skin = 0, dropped = 0;
        for (int y = b.Top; y < b.Bottom; y++)
        {
            for (int x = b.Left; x < b.Right; x++)
            {
                int i = (y * w) + x;
                if (hullMask[i] < 0.5f || core[i] > 0f)
                {
                    continue;
                }

                if (label[i] != 0)
                {
                    sum[label[i]] += mask[i];
                    count[label[i]]++;
                    sum[0] += mask[i];
                    count[0]++;
                }
                else if (nearPaint[i] == 0f)
                {
                    skin++;
                    dropped += mask[i] < 0.5f ? 1 : 0;
                }
            }
        }

        double Share(int k) => count[k] == 0 ? double.NaN : sum[k] / count[k];
        SeamMeasures seam = CaptureMatchHarness.Measure(r.Image, mask, r.PatientLandmarks, ipd, options.FeatherSigmaFraction);
        return new SkinMeasures(Share(0), Share(1), Share(2), Share(3), skin == 0 ? double.NaN : (double)dropped / skin, seam);
    }

    public void Dispose()
    {
        foreach ((Image<Rgb24> img, _) in _sources.Values)
        {
            img.Dispose();
        }

        foreach (Avatar a in _avatars.Values)
        {
            a.Dispose();
        }
    }

    /// <summary>The painting, in photo pixels, every size a fraction of the inter-pupil distance d.</summary>
    internal static class Painter
    {
        public static void PaintAll(Image<Rgb24> img, FaceLandmarks lm, PaintLabel[] labels, Random rng)
        {
            float d = lm.InterPupillaryDistance;
            Vector2 rightIris = lm[468], leftIris = lm[473];
            bool subjectRightOnImageLeft = rightIris.X < leftIris.X;

            // Background at the temple side of one or both eyes: beyond a slanted line 0.08-0.22 d outside the outer canthus.
            (byte, byte, byte)[] walls = [(120, 130, 150), (225, 224, 218), (70, 110, 80), (40, 40, 46), (205, 190, 170), (160, 90, 60)];
            (byte r, byte g, byte b) wall = walls[rng.Next(walls.Length)];
            int sides = rng.Next(3); // 0: image-left side, 1: image-right side, 2: both
            float offL = (0.08f + (0.14f * rng.NextSingle())) * d, offR = (0.08f + (0.14f * rng.NextSingle())) * d;
            float slant = (rng.NextSingle() - 0.5f) * 0.4f;
            float leftOuter = Math.Min(lm[33].X, lm[263].X), rightOuter = Math.Max(lm[33].X, lm[263].X);
            float eyeY = (rightIris.Y + leftIris.Y) / 2;
            Fill(img, labels, PaintLabel.Background, (x, y) =>
            {
                float shift = slant * (y - eyeY);
                bool left = sides != 1 && x < leftOuter - offL + shift;
                bool right = sides != 0 && x > rightOuter + offR + shift;
                return left || right ? 1f : 0f;
            }, (x, y) => Shade(wall, 1f + (0.08f * MathF.Sin(y * 0.05f)) + (0.04f * MathF.Sin((x + (2 * y)) * 0.31f))));

            // Glasses: an elliptical ring around each iris, a bridge, and the arms towards the temples.
            (byte, byte, byte)[] frames = [(22, 20, 20), (45, 30, 22), (60, 60, 66), (90, 55, 30)];
            (byte r, byte g, byte b) frame = frames[rng.Next(frames.Length)];
            float a = (0.40f + (0.06f * rng.NextSingle())) * d, bb = (0.25f + (0.05f * rng.NextSingle())) * d, t = (0.03f + (0.03f * rng.NextSingle())) * d;
            float dy = (rng.NextSingle() - 0.3f) * 0.06f * d;
            foreach (Vector2 c0 in new[] { rightIris, leftIris })
            {
                Vector2 c = c0 + new Vector2(0, dy);
                Fill(img, labels, PaintLabel.Frame, (x, y) =>
                {
                    float u = (x - c.X) / a, v = (y - c.Y) / bb;
                    float r = MathF.Sqrt((u * u) + (v * v));
                    float dist = MathF.Abs(r - 1f) * MathF.Min(a, bb); // approximate distance to the ellipse
                    return Coverage(dist, t / 2);
                }, (_, _) => frame);
            }

            Vector2 bridgeA = (subjectRightOnImageLeft ? rightIris : leftIris) + new Vector2(a * 0.95f, dy - (0.05f * d));
            Vector2 bridgeB = (subjectRightOnImageLeft ? leftIris : rightIris) + new Vector2(-a * 0.95f, dy - (0.05f * d));
            Stroke(img, labels, PaintLabel.Frame, [bridgeA, (bridgeA + bridgeB) / 2 - new Vector2(0, 0.04f * d), bridgeB], t * 0.8f, (_, _) => frame);
            float armY = Math.Min(rightIris.Y, leftIris.Y) + dy - (0.1f * d);
            Stroke(img, labels, PaintLabel.Frame, [new(leftOuter - (0.45f * d) + a, armY), new(leftOuter - d, armY - (0.02f * d))], t, (_, _) => frame);
            Stroke(img, labels, PaintLabel.Frame, [new(rightOuter + (0.45f * d) - a, armY), new(rightOuter + d, armY - (0.02f * d))], t, (_, _) => frame);

            // Hair: strands from above the brows down across the brow-to-eye skin (some to the lower lid's level at the temples).
            (byte, byte, byte)[] hairs = [(28, 24, 22), (62, 42, 30), (112, 62, 36), (176, 146, 100), (128, 124, 120)];
            (byte r, byte g, byte b) hair = hairs[rng.Next(hairs.Length)];
            int strands = 6 + rng.Next(12);
            float browTop = Math.Min(lm[105].Y, lm[334].Y) - (0.35f * d);
            for (int k = 0; k < strands; k++)
            {
                float x0 = leftOuter - (0.2f * d) + (rng.NextSingle() * (rightOuter - leftOuter + (0.4f * d)));
                float x1 = x0 + ((rng.NextSingle() - 0.5f) * 0.6f * d);
                float y1 = eyeY - ((0.02f + (0.25f * rng.NextSingle())) * d);
                float width = (0.010f + (0.022f * rng.NextSingle())) * d;
                float tone = 0.85f + (0.3f * rng.NextSingle());
                Vector2 p0 = new(x0, browTop), p2 = new(x1, y1), p1 = ((p0 + p2) / 2) + new Vector2((rng.NextSingle() - 0.5f) * 0.3f * d, 0);
                var pts = new Vector2[16];
                for (int s = 0; s < pts.Length; s++)
                {
                    float u = s / (float)(pts.Length - 1);
                    pts[s] = ((1 - u) * (1 - u) * p0) + (2 * u * (1 - u) * p1) + (u * u * p2);
                }

                Stroke(img, labels, PaintLabel.Hair, pts, width, (x, y) => Shade(hair, tone * (1f + (0.12f * MathF.Sin((x * 0.9f) + (y * 0.2f))))));
            }
        }

        private static (byte, byte, byte) Shade((byte r, byte g, byte b) c, float f) => (Clamp(c.r * f), Clamp(c.g * f), Clamp(c.b * f));

        private static float Coverage(float distance, float halfWidth) => Math.Clamp(halfWidth + 0.5f - distance, 0f, 1f);

        /// <summary>Alpha-paints <paramref name="colour"/> where <paramref name="alpha"/> is positive; a pixel at least half covered is labelled.</summary>
        private static void Fill(Image<Rgb24> img, PaintLabel[] labels, PaintLabel label, Func<float, float, float> alpha, Func<float, float, (byte, byte, byte)> colour,
            Rectangle? box = null)
        {
            Rectangle r = box is { } bx ? Rectangle.Intersect(bx, new Rectangle(0, 0, img.Width, img.Height)) : new Rectangle(0, 0, img.Width, img.Height);
            int w = img.Width;
            img.ProcessPixelRows(acc =>
            {
                for (int y = r.Top; y < r.Bottom; y++)
                {
                    Span<Rgb24> row = acc.GetRowSpan(y);
                    for (int x = r.Left; x < r.Right; x++)
                    {
                        float al = alpha(x + 0.5f, y + 0.5f);
                        if (al <= 0f)
                        {
                            continue;
                        }

                        (byte cr, byte cg, byte cb) = colour(x + 0.5f, y + 0.5f);
                        Rgb24 p = row[x];
                        row[x] = new Rgb24(Clamp(p.R + (al * (cr - p.R))), Clamp(p.G + (al * (cg - p.G))), Clamp(p.B + (al * (cb - p.B))));
                        if (al >= 0.5f)
                        {
                            labels[(y * w) + x] = label;
                        }
                    }
                }
            });
        }

        /// <summary>Paints a polyline of the given width, anti-aliased.</summary>
        private static void Stroke(Image<Rgb24> img, PaintLabel[] labels, PaintLabel label, Vector2[] pts, float width, Func<float, float, (byte, byte, byte)> colour)
        {
            float minX = pts.Min(p => p.X) - width, maxX = pts.Max(p => p.X) + width, minY = pts.Min(p => p.Y) - width, maxY = pts.Max(p => p.Y) + width;
            var box = Rectangle.FromLTRB((int)MathF.Floor(minX), (int)MathF.Floor(minY), (int)MathF.Ceiling(maxX) + 1, (int)MathF.Ceiling(maxY) + 1);
            Fill(img, labels, label, (x, y) =>
            {
                float best = float.MaxValue;
                var q = new Vector2(x, y);
                for (int i = 0; i + 1 < pts.Length; i++)
                {
                    Vector2 ab = pts[i + 1] - pts[i];
                    float u = Math.Clamp(Vector2.Dot(q - pts[i], ab) / MathF.Max(1e-6f, ab.LengthSquared()), 0f, 1f);
                    best = MathF.Min(best, Vector2.Distance(q, pts[i] + (u * ab)));
                }

                return Coverage(best, width / 2);
            }, colour, box);
        }

        public static float Gaussian(Random rng)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        public static byte Clamp(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
    }
}
