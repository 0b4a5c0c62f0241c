using System.Globalization;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.AvatarTools;

/// <summary>
/// Usage:
///   contact-sheet OUT.png [THUMB]   all 66 built-in avatars (identity 0): rows female light/medium/dark,
///                                   male light/medium/dark; columns age buckets 5 .. 85. THUMB px each (default 128).
///   quality [IDENTITIES]            runs MediaPipeLandmarkDetector on every built-in avatar (identities
///                                   0 .. IDENTITIES-1, default 1) and prints the detector score and the
///                                   landmark agreement with the exact landmarks, in % of the inter-pupil distance.
/// </summary>
public static class Program
{
    // The paper's eye + brow alignment landmarks (ALGORITHM.md section 1) and both irises.
    private static readonly int[] EyeRegion =
    [
        362, 256, 253, 339, 359, 387, 385, 384, 398, 336, 296, 334, 293, 300, 353,
        130, 110, 23, 26, 133, 157, 158, 159, 160, 113, 70, 63, 105, 66, 107,
        468, 469, 470, 471, 472, 473, 474, 475, 476, 477,
    ];

    public static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "contact-sheet")
        {
            int thumb = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 128;
            ContactSheet(args[1], thumb);
            return 0;
        }

        if (args.Length >= 1 && args[0] == "quality")
        {
            int identities = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
            return Quality(identities);
        }

        Console.Error.WriteLine("usage: contact-sheet OUT.png [THUMB] | quality [IDENTITIES]");
        return 2;
    }

    private static void ContactSheet(string path, int thumb)
    {
        var provider = new ProceduralAvatarProvider();
        IReadOnlyList<int> buckets = AvatarAgeBuckets.All;
        using var sheet = new Image<Rgb24>(buckets.Count * thumb, 6 * thumb, new Rgb24(255, 255, 255));
        int row = 0;
        foreach (AvatarSex sex in Enum.GetValues<AvatarSex>())
        {
            foreach (SkinTone tone in Enum.GetValues<SkinTone>())
            {
                for (int col = 0; col < buckets.Count; col++)
                {
                    using Avatar a = provider.Get(sex, buckets[col], tone);
                    using Image<Rgb24> small = a.Image.Clone(x => x.Resize(thumb, thumb, KnownResamplers.Lanczos3));
                    sheet.Mutate(x => x.DrawImage(small, new Point(col * thumb, row * thumb), 1f));
                }

                row++;
            }
        }

        sheet.SaveAsPng(path);
        Console.WriteLine($"wrote {path} ({sheet.Width} x {sheet.Height})");
    }

    private static int Quality(int identities)
    {
        using var detector = new MediaPipeLandmarkDetector();
        var provider = new ProceduralAvatarProvider(new ProceduralAvatarOptions(cacheCapacity: 1));
        double minScore = 1, maxEyeMean = 0, maxEyeMax = 0, maxAll = 0;
        int failures = 0, count = 0;
        Console.WriteLine("| avatar | faces | score | eye-region mean | eye-region max (landmark) | all 468 mean |");
        Console.WriteLine("|---|---|---|---|---|---|");
        for (int id = 0; id < identities; id++)
        {
            foreach (AvatarSex sex in Enum.GetValues<AvatarSex>())
            {
                foreach (int bucket in AvatarAgeBuckets.All)
                {
                    foreach (SkinTone tone in Enum.GetValues<SkinTone>())
                    {
                        using Avatar a = provider.Get(sex, bucket, tone, id);
                        FaceDetection d = detector.Detect(a.Image);
                        count++;
                        if (d.Status != FaceDetectionStatus.Found || d.Faces.Count != 1)
                        {
                            failures++;
                            Console.WriteLine($"| {a.Metadata.Id} | {d.Status} ({d.Faces.Count}) | - | - | - | - |");
                            continue;
                        }

                        DetectedFace f = d.Faces[0];
                        FaceLandmarks truth = a.Landmarks, found = f.Landmarks;
                        float ipd = Vector2.Distance(truth[468], truth[473]);
                        double all = Enumerable.Range(0, 468).Average(i => Vector2.Distance(truth[i], found[i])) / ipd;
                        double eyeMean = EyeRegion.Average(i => Vector2.Distance(truth[i], found[i])) / ipd;
                        int worst = EyeRegion.MaxBy(i => Vector2.Distance(truth[i], found[i]));
                        double eyeMax = Vector2.Distance(truth[worst], found[worst]) / ipd;
                        Console.WriteLine(FormattableString.Invariant($"| {a.Metadata.Id} | 1 | {f.Confidence:F3} | {eyeMean * 100:F2} % | {eyeMax * 100:F2} % ({worst}) | {all * 100:F2} % |"));
                        minScore = Math.Min(minScore, f.Confidence);
                        maxEyeMean = Math.Max(maxEyeMean, eyeMean);
                        maxEyeMax = Math.Max(maxEyeMax, eyeMax);
                        maxAll = Math.Max(maxAll, all);
                    }
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant(
            $"{count} avatars, {failures} without exactly one face; worst: score {minScore:F3} (bar >= 0.7), eye-region mean {maxEyeMean * 100:F2} % (bar <= 3.5 %), eye-region max {maxEyeMax * 100:F2} % (bar <= 7 %), all-468 mean {maxAll * 100:F2} % (bar <= 6 %)"));
        bool pass = failures == 0 && minScore >= 0.7 && maxEyeMean <= 0.035 && maxEyeMax <= 0.07 && maxAll <= 0.06;
        Console.WriteLine(pass ? "quality bar: met" : "quality bar: NOT met");
        return pass ? 0 : 1;
    }
}
