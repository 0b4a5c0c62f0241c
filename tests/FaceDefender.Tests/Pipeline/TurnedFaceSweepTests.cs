using System.Globalization;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Fusion;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Captures;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Pipeline;

/// <summary>Runs the turned-face tables only when FD_TURN_SWEEP=1 (a few minutes).</summary>
public sealed class TurnSweepFactAttribute : FactAttribute
{
    public const string Variable = "FD_TURN_SWEEP";

    public TurnSweepFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"The turned-face tables run only when {Variable}=1.";
        }
    }
}

/// <summary>
/// How many turned faces the pipeline de-identifies, with turned avatars and upright turning against the frontal-only
/// pipeline. Heads: procedural heads of random sex, age, tone and identity 1-7 (FD_TURN_SEED, default 1; FD_TURN_N heads,
/// default 4) at yaw -40..40 and pitch -25..25, de-identified as a 40-year-old woman (avatar identity 0). Rolls: the two
/// portraits turned in the image plane every 15°. FD_TURN_DEGRADE=IPD degrades every photo as a casual capture before it
/// is de-identified: reduced so its inter-pupil distance (read on the head's exact landmarks, or on the upright
/// portrait) is about IPD px, Gaussian blur 0.6 px, sensor noise sigma 4 levels, JPEG quality 70.
/// </summary>
[Collection(DetectorCollection.Name)]
public sealed class TurnedFaceSweepTests(DetectorFixture fixture, ITestOutputHelper output)
{
    private static readonly float[] Yaws = [-40, -30, -20, -10, 0, 10, 20, 30, 40];
    private static readonly float[] Pitches = [-25, -15, 0, 15, 25];

    private static int Env(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : fallback;

    /// <summary>The photo as a casual capture (FD_TURN_DEGRADE=IPD), or a copy of it as given when that is not set.</summary>
    private static Image<Rgb24> Capture(Image<Rgb24> photo, float ipd, int seed)
    {
        int target = Env("FD_TURN_DEGRADE", 0);
        if (target <= 0)
        {
            return photo.Clone();
        }

        using Image<Rgb24> small = CaptureDegradations.Resize(photo, Math.Min(1f, target / ipd));
        using Image<Rgb24> blurred = CaptureDegradations.Blur(small, 0.6f);
        using Image<Rgb24> noisy = CaptureDegradations.Noise(blurred, 4f, seed);
        return CaptureDegradations.Jpeg(noisy, 70);
    }

    [TurnSweepFact]
    public void Turned_heads_table()
    {
        int seed = Env("FD_TURN_SEED", 1), n = Env("FD_TURN_N", 4);
        var rng = new Random(seed);
        var heads = new ProceduralAvatarProvider(new ProceduralAvatarOptions { CacheCapacity = 4 });
        using var frontalOnly = new FaceDeidentifier(fixture.Detector, options: new DeidentificationOptions { MaxPosedYawDegrees = 0, MaxPosedPitchDegrees = 0, TurnPhotosUpright = false },
            diagnostics: FaceDeidentifier.NoDiagnostics);
        using var turning = new FaceDeidentifier(fixture.Detector, diagnostics: FaceDeidentifier.NoDiagnostics);
        using Avatar frontalAvatar = new ProceduralAvatarProvider().Get(AvatarSex.Female, 40, SkinTone.Light);
        var patient = new PatientInfo(AvatarSex.Female, 40, SkinTone.Light);
        var before = new Dictionary<string, int>();
        var after = new Dictionary<string, int>();
        var total = new Dictionary<string, int>();
        var ratios = new List<double>();
        var statuses = new Dictionary<DeidentificationStatus, int>();
        for (int i = 0; i < n; i++)
        {
            AvatarSex sex = rng.Next(2) == 0 ? AvatarSex.Female : AvatarSex.Male;
            int bucket = AvatarAgeBuckets.All[rng.Next(AvatarAgeBuckets.All.Count)];
            var tone = (SkinTone)rng.Next(3);
            int identity = 1 + rng.Next(7);
            foreach (float yaw in Yaws)
            {
                foreach (float pitch in Pitches)
                {
                    using Avatar head = heads.Get(sex, bucket, tone, identity, new HeadPose(0f, yaw, pitch));
                    using Image<Rgb24> photo = Capture(head.Image, head.Landmarks.InterPupillaryDistance, (i * 1000) + (int)(yaw * 10) + (int)pitch);
                    using DeidentificationResult a = frontalOnly.Deidentify(photo, patient);
                    using DeidentificationResult b = turning.Deidentify(photo, patient);
                    string cell = Cell(yaw, pitch);
                    total[cell] = total.GetValueOrDefault(cell) + 1;
                    before[cell] = before.GetValueOrDefault(cell) + (a.Succeeded ? 1 : 0);
                    after[cell] = after.GetValueOrDefault(cell) + (b.Succeeded ? 1 : 0);
                    statuses[b.Status] = statuses.GetValueOrDefault(b.Status) + 1;
                    if (!b.Succeeded)
                    {
                        output.WriteLine(Inv($"{sex} {bucket} {tone} #{identity} yaw {yaw} pitch {pitch}: {b.Status}: {b.Message}"));
                    }

                    if (b.AvatarPose is not null)
                    {
                        double frontal = TransformEstimation.EstimateSimilarity(b.Detection!.Face!.Landmarks.Select(FusionLandmarkSets.Alignment),
                            frontalAvatar.Landmarks.Select(FusionLandmarkSets.Alignment)).RmsError;
                        ratios.Add(b.Fusion!.Transform.RmsError / frontal);
                    }
                }
            }
        }

        output.WriteLine(Inv($"seed {seed}, {n} heads{(Env("FD_TURN_DEGRADE", 0) > 0 ? Inv($", degraded to an IPD of about {Env("FD_TURN_DEGRADE", 0)} px") : "")}: de-identified, frontal-only pipeline / default pipeline, per |yaw| (columns) and |pitch| (rows):"));
        output.WriteLine("| pitch \\ yaw | 0 | 10 | 20 | 30 | 40 |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (int p in new[] { 0, 15, 25 })
        {
            string row = Inv($"| {p} |");
            foreach (int y in new[] { 0, 10, 20, 30, 40 })
            {
                string cell = Inv($"{y}/{p}");
                row += Inv($" {before.GetValueOrDefault(cell)} / {after.GetValueOrDefault(cell)} of {total.GetValueOrDefault(cell)} |");
            }

            output.WriteLine(row);
        }

        output.WriteLine(Inv($"all: {before.Values.Sum()} / {after.Values.Sum()} of {total.Values.Sum()}; statuses (default): {string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value}"))}"));
        ratios.Sort();
        if (ratios.Count > 0)
        {
            output.WriteLine(Inv($"alignment residual, turned avatar / frontal avatar, on {ratios.Count} turned outputs: median {ratios[ratios.Count / 2]:F2}, 90th percentile {ratios[(int)(0.9 * (ratios.Count - 1))]:F2}, max {ratios[^1]:F2}"));
        }
    }

    [TurnSweepFact]
    public void Rolled_portraits_table()
    {
        using var asGiven = new FaceDeidentifier(fixture.Detector, options: new DeidentificationOptions { TurnPhotosUpright = false }, diagnostics: FaceDeidentifier.NoDiagnostics);
        using var turning = new FaceDeidentifier(fixture.Detector, diagnostics: FaceDeidentifier.NoDiagnostics);
        int before = 0, after = 0, count = 0;
        double worst = 0, worstAsGiven = 0;
        foreach (string file in new[] { "grace_hopper.jpg", "astronaut.png" })
        {
            float ownRoll = fixture.Reference(file).Face!.Pose.Roll;
            float ownIpd = fixture.Reference(file).Face!.Landmarks.InterPupillaryDistance;
            for (int degrees = -165; degrees <= 180; degrees += 15)
            {
                using Image<Rgb24> given = TestImages.Portrait(file);
                given.Mutate(x => x.Rotate(degrees));
                using Image<Rgb24> photo = Capture(given, ownIpd, degrees + 1000);
                using DeidentificationResult a = asGiven.Deidentify(photo);
                using DeidentificationResult b = turning.Deidentify(photo);
                count++;
                before += a.Succeeded ? 1 : 0;
                after += b.Succeeded ? 1 : 0;
                string detail = "";
                if (b.Succeeded)
                {
                    float roll = b.Detection!.Face!.Pose.Roll;
                    double error = Math.Abs(((ownRoll - degrees - b.PhotoRotationDegrees - roll + 540f) % 360f) - 180f);
                    worst = Math.Max(worst, error);
                    detail = Inv($"turned {b.PhotoRotationDegrees}°, roll left {roll:F1}°");
                }

                output.WriteLine(Inv($"{file} {degrees}°: as given {a.Status}; default {b.Status} {detail}"));
                if (a.Succeeded)
                {
                    float roll = a.Detection!.Face!.Pose.Roll;
                    double error = Math.Abs(((ownRoll - degrees - roll + 540f) % 360f) - 180f);
                    worstAsGiven = Math.Max(worstAsGiven, error);
                }
            }
        }

        output.WriteLine(Inv($"{(Env("FD_TURN_DEGRADE", 0) > 0 ? Inv($"degraded to an IPD of about {Env("FD_TURN_DEGRADE", 0)} px: ") : "")}de-identified: as given {before} of {count}, turned upright {after} of {count}; largest difference between the roll read and the turns' prediction: turned {worst:F1}°, as given {worstAsGiven:F1}° (180: read upside down)"));
    }

    private static string Cell(float yaw, float pitch) => Inv($"{Math.Abs(yaw)}/{Math.Abs(pitch)}");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
