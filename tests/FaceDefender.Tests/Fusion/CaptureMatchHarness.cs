using System.Globalization;
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

namespace FaceDefender.Tests.Fusion;

/// <summary>White balance of a degraded test input.</summary>
public enum TestWhiteBalance
{
    Neutral,
    Warm,
    Cool,
}

/// <summary>
/// One degraded capture: portrait, inter-pupil distance, JPEG quality (0 = none), sensor noise sigma, white balance and
/// optical blur (Gaussian sigma in capture pixels, applied after the downscale and before the noise; 0 = none).
/// </summary>
public sealed record CaptureCase(string Portrait, float Ipd, int JpegQuality, float NoiseSigma, TestWhiteBalance WhiteBalance, float Blur = 0)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Path.GetFileNameWithoutExtension(Portrait)} ipd {Ipd:0} q{JpegQuality} noise {NoiseSigma:0.#} {WhiteBalance.ToString().ToLowerInvariant()}")
        + (Blur > 0 ? string.Create(CultureInfo.InvariantCulture, $" blur {Blur:0.0#}") : "");
}

/// <summary>The three seam measures of one output: inside a ring just inside the mask against a ring just outside it.</summary>
/// <param name="Sharpness">Mean luma gradient magnitude, inside / outside (geometric mean of both eyes); target 0.8-1.25.</param>
/// <param name="Noise">Robust high-pass level (MAD of a 3x3 Laplacian of luma), inside / outside (geometric mean of both eyes); target 0.7-1.4.</param>
/// <param name="DeltaE">CIEDE2000 between the rings' mean colours, the larger of the two eyes; target at most 3.</param>
/// <param name="EdgeBlur">
/// Blur of the rings' strongest edges (Gaussian sigma in output pixels, from how much their gradient loses when re-blurred
/// by 1 % of the inter-pupil distance), outside / inside (geometric mean of both eyes; NaN when a ring has no edge above four noise sigmas):
/// below 1 the kept patch is softer than the avatar around it. Unlike <paramref name="Sharpness"/> it does not count how
/// many edges a ring holds, only how sharp they are. Target 0.8-1.25.
/// </param>
/// <param name="EdgeSigmaInside">The inner ring's edge blur (Gaussian sigma in output pixels, geometric mean of both eyes).</param>
/// <param name="EdgeSigmaOutside">The outer ring's edge blur (Gaussian sigma in output pixels, geometric mean of both eyes).</param>
public sealed record SeamMeasures(double Sharpness, double Noise, double DeltaE, double EdgeBlur = double.NaN,
    double EdgeSigmaInside = double.NaN, double EdgeSigmaOutside = double.NaN)
{
    public bool EdgeBlurOnTarget => EdgeBlur is >= 0.8 and <= 1.25;

    public bool SharpnessOnTarget => Sharpness is >= 0.8 and <= 1.25;

    public bool NoiseOnTarget => Noise is >= 0.7 and <= 1.4;

    public bool ColorOnTarget => DeltaE <= 3;
}

/// <summary>
/// Builds degraded captures from the two public-domain portraits (downscaled to a given inter-pupil distance, white balance,
/// Gaussian sensor noise, JPEG) and measures how the kept eye patch meets the avatar in the fused output.
/// The landmarks are detected once on each original and scaled with it, so the measures see the fusion only.
/// </summary>
public sealed class CaptureMatchHarness : IDisposable
{
    public static readonly string[] Portraits = ["astronaut.png", "grace_hopper.jpg"];

    private readonly Dictionary<string, (Image<Rgb24> Image, FaceLandmarks Landmarks)> _originals = [];
    private readonly Dictionary<string, Avatar> _avatars = [];
    private readonly ProceduralAvatarProvider _provider = new(new ProceduralAvatarOptions { CacheCapacity = 8 });

    public CaptureMatchHarness()
    {
        using var detector = new MediaPipeLandmarkDetector();
        var provider = _provider;
        foreach (string name in Portraits)
        {
            var image = Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", name));
            FaceLandmarks lm = detector.Detect(image).Face?.Landmarks ?? throw new InvalidOperationException($"No face in {name}.");
            _originals[name] = (image, lm);
            _avatars[name] = provider.Select(new AvatarQuery(AvatarSex.Female, 40, FaceDeidentifier.EstimateSkinTone(image, lm), "capture-match-" + name));
        }
    }

    /// <summary>The environment variable that replaces the fixed set by one drawn from a seed (<see cref="SeededCases"/>).</summary>
    public const string SeedVariable = "FD_CAPTURE_SEED";

    /// <summary>
    /// The fixed set (<see cref="FixedCases"/>), or with <c>FD_CAPTURE_SEED=&lt;integer&gt;</c> the 96 captures drawn from that
    /// seed (<see cref="SeededCases"/>).
    /// </summary>
    public static IEnumerable<CaptureCase> AllCases()
        => Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } seed
            ? SeededCases(int.Parse(seed, NumberStyles.Integer, CultureInfo.InvariantCulture))
            : FixedCases();

    /// <summary>
    /// 48 captures of each portrait with their degradations drawn from <paramref name="seed"/>: inter-pupil distance
    /// log-uniform in 28-100 px, JPEG quality 50-95, sensor noise none (a third) or 1-8 grey levels, optical blur none (a
    /// third) or 0.3-1.5 capture pixels, white balance neutral, warm or cool. Values are rounded to what the rows print.
    /// </summary>
    public static IEnumerable<CaptureCase> SeededCases(int seed)
    {
        var rng = new Random(seed);
        foreach (string p in Portraits)
        {
            for (int k = 0; k < 48; k++)
            {
                float ipd = MathF.Round(28f * MathF.Pow(100f / 28f, (float)rng.NextDouble()));
                int q = 50 + rng.Next(46);
                float noise = rng.Next(3) == 0 ? 0f : MathF.Round(1f + (7f * (float)rng.NextDouble()), 1);
                float blur = rng.Next(3) == 0 ? 0f : MathF.Round(0.3f + (1.2f * (float)rng.NextDouble()), 2);
                var wb = (TestWhiteBalance)rng.Next(3);
                yield return new CaptureCase(p, ipd, q, noise, wb, blur);
            }
        }
    }

    /// <summary>Every combination: 2 portraits x IPD 30/45/60/90 x JPEG 60/90 x noise 0/6 x neutral/warm/cool white balance (96 cases).</summary>
    public static IEnumerable<CaptureCase> FixedCases()
    {
        foreach (string p in Portraits)
        {
            foreach (float ipd in new[] { 30f, 45f, 60f, 90f })
            {
                foreach (int q in new[] { 60, 90 })
                {
                    foreach (float noise in new[] { 0f, 6f })
                    {
                        foreach (TestWhiteBalance wb in Enum.GetValues<TestWhiteBalance>())
                        {
                            yield return new CaptureCase(p, ipd, q, noise, wb);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The avatar the captures of <paramref name="portrait"/> are fused onto (owned by the harness).</summary>
    public Avatar AvatarOf(string portrait) => _avatars[portrait];

    /// <summary>
    /// A capture of the avatar itself: the avatar of <paramref name="c"/>'s portrait degraded as <paramref name="c"/> says (its
    /// inter-pupil distance, blur, noise, white balance and JPEG), fused back onto the same avatar and measured. Both rings then
    /// hold the same content, so the ideal is known: <c>Ideal</c> measures the capture itself warped over the whole canvas (what
    /// a perfect capture matching would show outside the mask), with the same mask and rings.
    /// </summary>
    public (SeamMeasures Measures, SeamMeasures Ideal, FusionResult Result) RunSelfCapture(CaptureCase c, FusionOptions options)
    {
        Avatar avatar = _avatars[c.Portrait];
        (Image<Rgb24> photo, FaceLandmarks lm) = Degrade(avatar.Image, avatar.Landmarks, c);
        using (photo)
        {
            FusionResult r = new PeriocularFaceFuser().Fuse(photo, lm, avatar.Image, avatar.Landmarks, options);
            float ipd = avatar.Landmarks.InterPupillaryDistance;
            return (Measure(r.Image, r.Mask.Span, r.PatientLandmarks, ipd, options.FeatherSigmaFraction), MeasureCaptureEverywhere(photo, r, ipd, options.FeatherSigmaFraction), r);
        }
    }

    /// <summary>
    /// The photo of <paramref name="c"/> warped over the whole canvas with <paramref name="r"/>'s transform and measured with its
    /// mask and rings: the patient's own capture on both sides of the seam, the reference a capture matching could at best reach
    /// with the patient's content inside and the avatar's outside.
    /// </summary>
    public SeamMeasures MeasurePhotoOnBothSides(CaptureCase c, FusionResult r, float featherFraction)
    {
        (Image<Rgb24> photo, _) = Degrade(c);
        using (photo)
        {
            // The output avatar's inter-pupil distance: the canvas's, scaled as OutputAvatar scales it.
            float ipd = _avatars[c.Portrait].Landmarks.InterPupillaryDistance * r.Image.Width / _avatars[c.Portrait].Image.Width;
            return MeasureCaptureEverywhere(photo, r, ipd, featherFraction);
        }
    }

    /// <summary>
    /// The edge blur (output pixels) the capture matching aims the avatar at for <paramref name="c"/> fused as
    /// <paramref name="r"/>: the photo's estimated blur at the output scale (<see cref="CaptureMatcher.TargetBlur"/>).
    /// </summary>
    public double AimedBlur(CaptureCase c, FusionResult r)
    {
        (Image<Rgb24> photo, FaceLandmarks lm) = Degrade(c);
        using (photo)
        {
            var bytes = new byte[photo.Width * photo.Height * 3];
            photo.CopyPixelDataTo(bytes);
            (float blur, _) = CaptureMatcher.Estimate(bytes, photo.Width, photo.Height, lm);
            return CaptureMatcher.TargetBlur(blur, (float)r.Transform.Scale);
        }
    }

    private static SeamMeasures MeasureCaptureEverywhere(Image<Rgb24> photo, FusionResult r, float ipd, float featherFraction)
    {
        using Image<Rgb24> everywhere = WarpEverywhere(photo, r);
        return Measure(everywhere, r.Mask.Span, r.PatientLandmarks, ipd, featherFraction);
    }

    /// <summary><paramref name="photo"/> warped over the whole output of <paramref name="r"/> with its transform (edges replicated).</summary>
    public static Image<Rgb24> WarpEverywhere(Image<Rgb24> photo, FusionResult r)
    {
        int w = r.Image.Width, h = r.Image.Height;
        var warped = new byte[w * h * 3];
        var source = new byte[photo.Width * photo.Height * 3];
        photo.CopyPixelDataTo(source);
        AffineWarp.WarpRgb24(source, photo.Width, photo.Height, warped, w, h, AffineWarp.FromContinuousCoordinates(r.TransformMatrix),
            WarpBorderMode.Replicate, (0, 0, 0), new Rectangle(0, 0, w, h));
        return Image.LoadPixelData<Rgb24>(warped, w, h);
    }

    /// <summary>The degraded photo and its landmarks (the caller disposes the image).</summary>
    public (Image<Rgb24> Image, FaceLandmarks Landmarks) Degrade(CaptureCase c)
    {
        (Image<Rgb24> original, FaceLandmarks lm) = _originals[c.Portrait];
        return Degrade(original, lm, c);
    }

    /// <summary><paramref name="original"/> captured as <paramref name="c"/> says (its portrait name only seeds the noise).</summary>
    private static (Image<Rgb24> Image, FaceLandmarks Landmarks) Degrade(Image<Rgb24> original, FaceLandmarks lm, CaptureCase c)
    {
        float f = c.Ipd / lm.InterPupillaryDistance;
        int w = Math.Max(16, (int)MathF.Round(original.Width * f)), h = Math.Max(16, (int)MathF.Round(original.Height * f));
        Image<Rgb24> img = original.Clone(x => x.Resize(w, h, KnownResamplers.Bicubic));
        if (c.Blur > 0)
        {
            img.Mutate(x => x.GaussianBlur(c.Blur));
        }

        (float gr, float gg, float gb) = c.WhiteBalance switch
        {
            TestWhiteBalance.Warm => (1.12f, 1.0f, 0.84f),
            TestWhiteBalance.Cool => (0.88f, 0.98f, 1.14f),
            _ => (1f, 1f, 1f),
        };
        var rng = new Random((c.Portrait.Length * 1000003) + ((int)c.Ipd * 1009) + (c.JpegQuality * 7) + (int)c.WhiteBalance + (int)(c.Blur * 100)); // fixed per case (HashCode is per process)
        img.ProcessPixelRows(acc =>
        {
            for (int y = 0; y < acc.Height; y++)
            {
                Span<Rgb24> row = acc.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    float n = c.NoiseSigma > 0 ? c.NoiseSigma * Gaussian(rng) : 0f;
                    row[x] = new Rgb24(Clamp((row[x].R * gr) + n), Clamp((row[x].G * gg) + n), Clamp((row[x].B * gb) + n));
                }
            }
        });
        if (c.JpegQuality > 0)
        {
            Image<Rgb24> compressed = Captures.CaptureDegradations.Jpeg(img, c.JpegQuality);
            img.Dispose();
            img = compressed;
        }

        return (img, lm.Transform(Matrix3x2.CreateScale((float)w / original.Width, (float)h / original.Height), CoordinateSpace.Source));
    }

    /// <summary>
    /// The environment variable that emulates an output size following the photo: <c>FD_CAPTURE_OUTPUT=&lt;k&gt;</c> fuses onto the
    /// avatar downscaled (image and landmarks) so that the photo is enlarged at most k times (its inter-pupil distance times k,
    /// at most the avatar's 1024 canvas). Unset: the 1024 canvas.
    /// </summary>
    public const string OutputVariable = "FD_CAPTURE_OUTPUT";

    /// <summary>The largest enlargement of the photo <see cref="OutputVariable"/> allows, or null for the 1024 canvas.</summary>
    public static float? MaxEnlargement => Environment.GetEnvironmentVariable(OutputVariable) is { Length: > 0 } v
        ? float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)
        : null;

    /// <summary>
    /// <paramref name="avatar"/> as the output for a photo with inter-pupil distance <paramref name="photoIpd"/>: itself, or under
    /// <paramref name="maxEnlargement"/> downscaled (bicubic) with its landmarks so that its inter-pupil distance is at most
    /// <paramref name="maxEnlargement"/> times the photo's. The second item is null when the avatar is used as it is.
    /// </summary>
    public static (Image<Rgb24> Image, FaceLandmarks Landmarks, Image<Rgb24>? Owned) OutputAvatar(Avatar avatar, float photoIpd, float? maxEnlargement)
    {
        float s = maxEnlargement is float k ? MathF.Min(1f, k * photoIpd / avatar.Landmarks.InterPupillaryDistance) : 1f;
        if (s >= 1f)
        {
            return (avatar.Image, avatar.Landmarks, null);
        }

        int size = Math.Max(16, (int)MathF.Round(avatar.Image.Width * s));
        Image<Rgb24> small = avatar.Image.Clone(x => x.Resize(size, size, KnownResamplers.Bicubic));
        return (small, avatar.Landmarks.Transform(Matrix3x2.CreateScale((float)size / avatar.Image.Width, (float)size / avatar.Image.Height), CoordinateSpace.Source), small);
    }

    /// <summary>Degrades, fuses with <paramref name="options"/> and measures; with <paramref name="matchSkin"/> the avatar's skin
    /// is drawn in the colour the degraded photo shows below the eyes (<see cref="SkinColor"/>). The output is the avatar's
    /// canvas, or smaller under <see cref="OutputVariable"/>.</summary>
    public (SeamMeasures Measures, FusionResult Result) Run(CaptureCase c, FusionOptions options, bool matchSkin = false)
    {
        (Image<Rgb24> photo, FaceLandmarks lm) = Degrade(c);
        using (photo)
        {
            Avatar avatar = _avatars[c.Portrait];
            using Avatar? matched = matchSkin ? _provider.Select(new AvatarQuery(AvatarSex.Female, 40, avatar.Metadata.SkinTone, "capture-match-" + c.Portrait)
            {
                SkinColor = SkinColor.Measure(photo, lm),
            }) : null;
            avatar = matched ?? avatar;
            (Image<Rgb24> image, FaceLandmarks landmarks, Image<Rgb24>? owned) = OutputAvatar(avatar, c.Ipd, MaxEnlargement);
            using (owned)
            {
                FusionResult r = new PeriocularFaceFuser().Fuse(photo, lm, image, landmarks, options);
                return (Measure(r.Image, r.Mask.Span, r.PatientLandmarks, landmarks.InterPupillaryDistance, options.FeatherSigmaFraction), r);
            }
        }
    }

    /// <summary>
    /// The three measures. The rings are taken from the mask's 0.5 level: the blend zone (1.5 feather sigmas, where the mask is within 7 % of 0 or 1) is skipped on each
    /// side, then a ring 2.5 % of the inter-pupil distance wide is measured inside (without the eye openings grown by 4.5 %) and outside; each eye (left and right half of
    /// the mask's box) separately.
    /// </summary>
    public static SeamMeasures Measure(Image<Rgb24> output, ReadOnlySpan<float> mask, FaceLandmarks mapped, float ipd, float featherFraction)
    {
        int w = output.Width, h = output.Height;
        // The eye openings (lid contours grown by 4.5 % of the IPD: lashes, lid margin) are not skin: left out of the inner ring.
        var eyes = new float[w * h];
        foreach (bool left in new[] { true, false })
        {
            PolygonRasterizer.FillPolygon(ConvexHull.Dilate(ConvexHull.Compute(mapped.Select(FusionLandmarkSets.MaskGroup(RoiPreset.EyesOnly, left))), 0.045f * ipd), eyes, w, h);
        }

        Rectangle b = MaskOperations.NonZeroBounds(mask, w, h);
        int d0 = (int)MathF.Ceiling(1.5f * featherFraction * ipd), ring = (int)MathF.Ceiling(0.025f * ipd);
        int pad = d0 + ring + 4;
        Rectangle box = Rectangle.Intersect(Rectangle.FromLTRB(b.Left - pad, b.Top - pad, b.Right + pad, b.Bottom + pad), new Rectangle(0, 0, w, h));
        int bw = box.Width, bh = box.Height;
        var inside = new float[bw * bh];
        var outside = new float[bw * bh];
        var luma = new float[bw * bh];
        var smooth = new float[bw * bh];
        var rgb = new float[bw * bh * 3];
        for (int y = 0; y < bh; y++)
        {
            for (int x = 0; x < bw; x++)
            {
                bool m = mask[((y + box.Y) * w) + x + box.X] >= 0.5f;
                inside[(y * bw) + x] = m ? 1 : 0;
                outside[(y * bw) + x] = m ? 0 : 1;
                Rgb24 p = output[x + box.X, y + box.Y];
                rgb[(3 * ((y * bw) + x)) + 0] = p.R;
                rgb[(3 * ((y * bw) + x)) + 1] = p.G;
                rgb[(3 * ((y * bw) + x)) + 2] = p.B;
                luma[(y * bw) + x] = (0.299f * p.R) + (0.587f * p.G) + (0.114f * p.B);
            }
        }

        // Re-blurred by 1 % of the inter-pupil distance (at least 1 px): an edge much blurrier than the re-blur barely
        // changes, so the re-blur follows the output scale, where an enlarged patch's edges are several pixels wide.
        float reblur = MathF.Max(1f, 0.01f * ipd);
        SeparableGaussianBlur.BlurPlane(luma, smooth, bw, bh, 1, GaussianKernel.Create(reblur), BlurBorderMode.Reflect101);

        // Eroded masks: the complement of the dilated complement.
        float[] Grow(float[] src, int r)
        {
            var d = new float[src.Length];
            MaskOperations.Dilate(src, d, bw, bh, r);
            return d;
        }

        float[] outNear = Grow(inside, d0), outFar = Grow(inside, d0 + ring);
        float[] inNear = Grow(outside, d0), inFar = Grow(outside, d0 + ring);
        int mid = (b.Left + b.Right) / 2 - box.X;
        var sharp = new double[2];
        var noise = new double[2];
        var de = new double[2];
        var edge = new double[2];
        var sigmaIn = new double[2];
        var sigmaOut = new double[2];
        for (int eye = 0; eye < 2; eye++)
        {
            var grad = new List<double>[] { [], [] };
            var reblurred = new List<double>[] { [], [] };
            var hp = new List<double>[] { [], [] };
            var sum = new double[2, 3];
            for (int y = 1; y < bh - 1; y++)
            {
                for (int x = 1; x < bw - 1; x++)
                {
                    if ((x < mid) != (eye == 0))
                    {
                        continue;
                    }

                    int i = (y * bw) + x;
                    bool inEye = eyes[((y + box.Y) * w) + x + box.X] > 0;
                    int side = inNear[i] == 0 && inFar[i] > 0 && !inEye ? 0 : outNear[i] == 0 && outFar[i] > 0 ? 1 : -1;
                    if (side < 0)
                    {
                        continue;
                    }

                    float gx = (luma[i + 1] - luma[i - 1]) / 2, gy = (luma[i + bw] - luma[i - bw]) / 2;
                    grad[side].Add(Math.Sqrt((gx * gx) + (gy * gy)));
                    float sx = (smooth[i + 1] - smooth[i - 1]) / 2, sy = (smooth[i + bw] - smooth[i - bw]) / 2;
                    reblurred[side].Add(Math.Sqrt((sx * sx) + (sy * sy)));
                    float lap = (4 * luma[i]) - (2 * (luma[i - 1] + luma[i + 1] + luma[i - bw] + luma[i + bw]))
                        + luma[i - bw - 1] + luma[i - bw + 1] + luma[i + bw - 1] + luma[i + bw + 1];
                    hp[side].Add(Math.Abs(lap));
                    for (int c = 0; c < 3; c++)
                    {
                        sum[side, c] += rgb[(3 * i) + c];
                    }
                }
            }

            sharp[eye] = grad[0].Average() / Math.Max(1e-6, grad[1].Average());
            noise[eye] = Median(hp[0]) / Math.Max(1e-6, Median(hp[1]));
            double[] LabOf(int s) => ColorScience.SrgbToLab(sum[s, 0] / grad[s].Count, sum[s, 1] / grad[s].Count, sum[s, 2] / grad[s].Count);
            de[eye] = ColorScience.DeltaE2000(LabOf(0), LabOf(1));
            sigmaIn[eye] = EdgeSigma(grad[0], reblurred[0], Median([.. hp[0]]), reblur);
            sigmaOut[eye] = EdgeSigma(grad[1], reblurred[1], Median([.. hp[1]]), reblur);
            edge[eye] = sigmaOut[eye] / sigmaIn[eye];
        }

        return new SeamMeasures(Math.Sqrt(sharp[0] * sharp[1]), Math.Sqrt(noise[0] * noise[1]), Math.Max(de[0], de[1]), Math.Sqrt(edge[0] * edge[1]),
            Math.Sqrt(sigmaIn[0] * sigmaIn[1]), Math.Sqrt(sigmaOut[0] * sigmaOut[1]));
    }

    /// <summary>
    /// The blur of a ring's strongest edges: over its strongest tenth of gradients (at least four noise sigmas, the noise
    /// from the median absolute Laplacian), a Gaussian edge of sigma s loses R = √(s² + r²) / s of its gradient when
    /// re-blurred by sigma r, so s = r / √(R² − 1) (at most 10 r); the median. NaN without such edges.
    /// </summary>
    private static double EdgeSigma(List<double> g0, List<double> g1, double medianLaplacian, double r)
    {
        if (g0.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. g0.Order()];
        double strong = Math.Max(sorted[(int)(0.9 * (sorted.Length - 1))], 4 * medianLaplacian / (0.6745 * 6));
        var sigmas = new List<double>();
        for (int k = 0; k < g0.Count; k++)
        {
            if (g0[k] >= strong && g1[k] > 0)
            {
                double ratio = g0[k] / g1[k];
                sigmas.Add(ratio > 1.005 ? Math.Min(10 * r, r / Math.Sqrt((ratio * ratio) - 1)) : 10 * r);
            }
        }

        return sigmas.Count == 0 ? double.NaN : Median(sigmas);
    }

    public void Dispose()
    {
        foreach ((Image<Rgb24> img, _) in _originals.Values)
        {
            img.Dispose();
        }

        foreach (Avatar a in _avatars.Values)
        {
            a.Dispose();
        }
    }

    private static double Median(List<double> v)
    {
        if (v.Count == 0)
        {
            return 0;
        }

        v.Sort();
        return v.Count % 2 == 1 ? v[v.Count / 2] : 0.5 * (v[(v.Count / 2) - 1] + v[v.Count / 2]);
    }

    private static float Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private static byte Clamp(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
}

/// <summary>sRGB (D65) to CIELAB and the CIEDE2000 colour difference (Sharma, Wu and Dalal 2005).</summary>
public static class ColorScience
{
    public static double[] SrgbToLab(double r, double g, double b)
    {
        static double Lin(double c)
        {
            c /= 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        double rl = Lin(r), gl = Lin(g), bl = Lin(b);
        double x = ((0.4124564 * rl) + (0.3575761 * gl) + (0.1804375 * bl)) / 0.95047;
        double y = (0.2126729 * rl) + (0.7151522 * gl) + (0.0721750 * bl);
        double z = ((0.0193339 * rl) + (0.1191920 * gl) + (0.9503041 * bl)) / 1.08883;
        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;
        double fx = F(x), fy = F(y), fz = F(z);
        return [(116 * fy) - 16, 500 * (fx - fy), 200 * (fy - fz)];
    }

    public static double DeltaE2000(double[] lab1, double[] lab2)
    {
        double l1 = lab1[0], a1 = lab1[1], b1 = lab1[2], l2 = lab2[0], a2 = lab2[1], b2 = lab2[2];
        double c1 = Math.Sqrt((a1 * a1) + (b1 * b1)), c2 = Math.Sqrt((a2 * a2) + (b2 * b2));
        double cBar7 = Math.Pow((c1 + c2) / 2, 7);
        double g = 0.5 * (1 - Math.Sqrt(cBar7 / (cBar7 + Math.Pow(25, 7))));
        double a1p = (1 + g) * a1, a2p = (1 + g) * a2;
        double c1p = Math.Sqrt((a1p * a1p) + (b1 * b1)), c2p = Math.Sqrt((a2p * a2p) + (b2 * b2));
        static double Hue(double b, double a)
        {
            if (a == 0 && b == 0)
            {
                return 0;
            }

            double h = Math.Atan2(b, a) * 180 / Math.PI;
            return h < 0 ? h + 360 : h;
        }

        double h1p = Hue(b1, a1p), h2p = Hue(b2, a2p);
        double dLp = l2 - l1, dCp = c2p - c1p;
        double dhp = c1p * c2p == 0 ? 0 : Math.Abs(h2p - h1p) <= 180 ? h2p - h1p : h2p - h1p > 180 ? h2p - h1p - 360 : h2p - h1p + 360;
        double dHp = 2 * Math.Sqrt(c1p * c2p) * Math.Sin(dhp / 2 * Math.PI / 180);
        double lBarP = (l1 + l2) / 2, cBarP = (c1p + c2p) / 2;
        double hBarP = c1p * c2p == 0 ? h1p + h2p : Math.Abs(h1p - h2p) <= 180 ? (h1p + h2p) / 2 : h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
        double t = 1 - (0.17 * Math.Cos((hBarP - 30) * Math.PI / 180)) + (0.24 * Math.Cos(2 * hBarP * Math.PI / 180))
            + (0.32 * Math.Cos(((3 * hBarP) + 6) * Math.PI / 180)) - (0.20 * Math.Cos(((4 * hBarP) - 63) * Math.PI / 180));
        double dTheta = 30 * Math.Exp(-Math.Pow((hBarP - 275) / 25, 2));
        double cBarP7 = Math.Pow(cBarP, 7);
        double rc = 2 * Math.Sqrt(cBarP7 / (cBarP7 + Math.Pow(25, 7)));
        double lm50 = (lBarP - 50) * (lBarP - 50);
        double sl = 1 + (0.015 * lm50 / Math.Sqrt(20 + lm50)), sc = 1 + (0.045 * cBarP), sh = 1 + (0.015 * cBarP * t);
        double rt = -Math.Sin(2 * dTheta * Math.PI / 180) * rc;
        return Math.Sqrt(Math.Pow(dLp / sl, 2) + Math.Pow(dCp / sc, 2) + Math.Pow(dHp / sh, 2) + (rt * (dCp / sc) * (dHp / sh)));
    }
}
