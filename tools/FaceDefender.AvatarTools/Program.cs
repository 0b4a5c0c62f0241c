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
///   strip OUT.png SEX TONE AGES [SIZE] [IDENTITY]   avatars of one sex and tone at the comma-separated AGES,
///                                   side by side, SIZE px each (default 384): for looking at faces closely.
///   identity-strip OUT.png SEX TONE AGE [SIZE] [COUNT]   identities 0 .. COUNT-1 (default 8) of one group side by side.
///   identities [IDENTITIES] [BUCKETS] [--groups]   dlib identity distances within each sex x bucket x tone
///                                   group (identities 0 .. IDENTITIES-1, default 8; BUCKETS comma-separated, default all).
///   dlib-pair A B                   the dlib distance between two avatars named SEX-BUCKET-TONE-IDENTITY.
///   apparent-age [IDENTITIES] [--model PATH] [--portrait FILE]...   how old and which sex every built-in avatar
///                                   (3 tones x IDENTITIES, default 4, per sex and bucket) looks to face-api's age and
///                                   gender network (tools/models/fetch-age-gender.sh puts it in the local model cache;
///                                   never shipped): mean apparent age and share read as the intended sex per sex and
///                                   bucket, Spearman's rank correlation with the intended age, share within one bucket;
///                                   each --portrait (a photo) is estimated first, to show how reliable the estimator is;
///                                   --faceres adds the same readout from FaceRes (tools/models/fetch-faceres.sh), a
///                                   second estimator kept out of the avatars' tuning.
///   geometry-figure PHOTO OUT.png   the eye region of PHOTO (normalised), then fused with EyesOnly, then with
///                                   GeometryOnly, onto the same avatar, stacked top to bottom (docs/images).
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

    /// <summary>The avatar style every command draws: <see cref="AvatarStyle.Aged"/> (the catalogue's default), or
    /// <see cref="AvatarStyle.Classic"/> with <c>--classic</c> anywhere on the command line.</summary>
    internal static AvatarStyle Style { get; private set; } = AvatarStyle.Aged;

    public static int Main(string[] args)
    {
        if (args.Contains("--classic"))
        {
            Style = AvatarStyle.Classic;
            args = [.. args.Where(a => a != "--classic")];
        }

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

        if (args.Length >= 5 && args[0] == "strip")
        {
            AvatarSex sex = Enum.Parse<AvatarSex>(args[2], ignoreCase: true);
            SkinTone tone = Enum.Parse<SkinTone>(args[3], ignoreCase: true);
            int[] ages = args[4].Split(',').Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
            int size = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 384;
            int identity = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 0;
            Strip(args[1], sex, tone, ages, size, identity);
            return 0;
        }

        if (args.Length >= 5 && args[0] == "identity-strip")
        {
            AvatarSex sex = Enum.Parse<AvatarSex>(args[2], ignoreCase: true);
            SkinTone tone = Enum.Parse<SkinTone>(args[3], ignoreCase: true);
            int age = int.Parse(args[4], CultureInfo.InvariantCulture);
            int size = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 256;
            int count = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 8;
            IdentityStrip(args[1], sex, tone, age, size, count);
            return 0;
        }

        if (args.Length >= 1 && args[0] == "apparent-age")
        {
            var portraits = new List<string>();
            string model = ApparentAgeReadout.DefaultModelPath();
            int identities = 4;
            bool faceRes = false;
            for (int i = 1; i < args.Length; i++)
            {
                if (args[i] == "--faceres")
                {
                    faceRes = true;
                }
                else if (args[i] == "--model" && i + 1 < args.Length)
                {
                    model = args[++i];
                }
                else if (args[i] == "--portrait" && i + 1 < args.Length)
                {
                    portraits.Add(args[++i]);
                }
                else
                {
                    identities = int.Parse(args[i], CultureInfo.InvariantCulture);
                }
            }

            return ApparentAgeReadout.Run(model, identities, portraits, faceRes ? Path.Combine(Path.GetDirectoryName(model)!, "faceres.onnx") : null);
        }

        if (args.Length >= 3 && args[0] == "dlib-pair")
        {
            return IdentityReadout.Pair(args[1], args[2]);
        }

        if (args.Length >= 1 && args[0] == "identities")
        {
            string[] rest = args.Skip(1).Where(a => a != "--groups").ToArray();
            int identities = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 8;
            int[] buckets = rest.Length > 1 ? rest[1].Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray() : [.. AvatarAgeBuckets.All];
            return IdentityReadout.Run(identities, buckets, args.Contains("--groups"));
        }

        if (args.Length >= 3 && args[0] == "geometry-figure")
        {
            return GeometryFigure(args[1], args[2]);
        }

        Console.Error.WriteLine("usage: contact-sheet OUT.png [THUMB] | quality [IDENTITIES] | strip OUT.png SEX TONE AGES [SIZE] [IDENTITY] | identity-strip OUT.png SEX TONE AGE [SIZE] [COUNT] | identities [IDENTITIES] [BUCKETS] [--groups] | apparent-age [IDENTITIES] [--model PATH] [--portrait FILE]... | geometry-figure PHOTO OUT.png");
        return 2;
    }

    private static void ContactSheet(string path, int thumb)
    {
        var provider = new ProceduralAvatarProvider(new ProceduralAvatarOptions { Style = Program.Style });
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

    private static void Strip(string path, AvatarSex sex, SkinTone tone, int[] ages, int size, int identity)
    {
        var provider = new ProceduralAvatarProvider(new ProceduralAvatarOptions { Style = Program.Style, CacheCapacity = 1 });
        using var sheet = new Image<Rgb24>(ages.Length * size, size, new Rgb24(255, 255, 255));
        for (int i = 0; i < ages.Length; i++)
        {
            using Avatar a = provider.Get(sex, AvatarAgeBuckets.Map(ages[i]), tone, identity);
            using Image<Rgb24> small = a.Image.Clone(x => x.Resize(size, size, KnownResamplers.Lanczos3));
            int col = i;
            sheet.Mutate(x => x.DrawImage(small, new Point(col * size, 0), 1f));
        }

        sheet.SaveAsPng(path);
        Console.WriteLine($"wrote {path} ({sheet.Width} x {sheet.Height})");
    }

    private static void IdentityStrip(string path, AvatarSex sex, SkinTone tone, int age, int size, int count)
    {
        var provider = new ProceduralAvatarProvider(new ProceduralAvatarOptions { Style = Program.Style, IdentitiesPerGroup = Math.Max(count, 8), CacheCapacity = 1 });
        using var sheet = new Image<Rgb24>(count * size, size, new Rgb24(255, 255, 255));
        for (int i = 0; i < count; i++)
        {
            using Avatar a = provider.Get(sex, AvatarAgeBuckets.Map(age), tone, i);
            using Image<Rgb24> small = a.Image.Clone(x => x.Resize(size, size, KnownResamplers.Lanczos3));
            int col = i;
            sheet.Mutate(x => x.DrawImage(small, new Point(col * size, 0), 1f));
        }

        sheet.SaveAsPng(path);
        Console.WriteLine($"wrote {path} ({sheet.Width} x {sheet.Height})");
    }

    private static int GeometryFigure(string photo, string path)
    {
        using var detector = new MediaPipeLandmarkDetector();
        using Image<Rgb24> image = Image.Load<Rgb24>(photo);
        if (detector.Detect(image).Face is not { } face)
        {
            Console.Error.WriteLine($"{photo}: no face");
            return 1;
        }

        var provider = new ProceduralAvatarProvider(new ProceduralAvatarOptions { Style = Program.Style });
        using Avatar avatar = provider.Get(AvatarSex.Female, AvatarAgeBuckets.Map(75), SkinTone.Light, 2);
        var fuser = new FaceDefender.Fusion.PeriocularFaceFuser();
        (Image<Rgb24> normalised, FaceLandmarks normLm, _) = FaceDefender.Fusion.FaceNormalizer.Normalize(image, face.Landmarks);
        using (normalised)
        using (var eyes = fuser.Fuse(image, face.Landmarks, avatar.Image, avatar.Landmarks, new FaceDefender.Fusion.FusionOptions { Roi = FaceDefender.Fusion.RoiPreset.EyesOnly }))
        using (var geometry = fuser.Fuse(image, face.Landmarks, avatar.Image, avatar.Landmarks, new FaceDefender.Fusion.FusionOptions { Roi = FaceDefender.Fusion.RoiPreset.GeometryOnly }))
        {
            Rectangle Strip(FaceLandmarks l)
            {
                Vector2 mid = (l[468] + l[473]) / 2;
                float ipd = l.InterPupillaryDistance;
                return new Rectangle((int)(mid.X - (1.1f * ipd)), (int)(mid.Y - (0.45f * ipd)), (int)(2.2f * ipd), (int)(0.8f * ipd));
            }

            Image<Rgb24>[] rows =
            [
                normalised.Clone(x => x.Crop(Rectangle.Intersect(Strip(normLm), normalised.Bounds())).Resize(880, 320)),
                eyes.Image.Clone(x => x.Crop(Strip(eyes.PatientLandmarks)).Resize(880, 320)),
                geometry.Image.Clone(x => x.Crop(Strip(geometry.PatientLandmarks)).Resize(880, 320)),
            ];
            using var sheet = new Image<Rgb24>(880, (3 * 320) + 8, new Rgb24(255, 255, 255));
            for (int i = 0; i < rows.Length; i++)
            {
                Image<Rgb24> r = rows[i];
                sheet.Mutate(x => x.DrawImage(r, new Point(0, i * 324), 1f));
                r.Dispose();
            }

            sheet.SaveAsPng(path);
            Console.WriteLine($"wrote {path}: patient (normalised) / EyesOnly / GeometryOnly onto avatar {avatar.Metadata.Id}");
            Console.WriteLine($"corneal reflexes (output pixels): right {geometry.Reflexes.Right?.ToString() ?? "none"}, left {geometry.Reflexes.Left?.ToString() ?? "none"}");
        }

        return 0;
    }

    private static int Quality(int identities)
    {
        using var detector = new MediaPipeLandmarkDetector();
        var provider = new ProceduralAvatarProvider(new ProceduralAvatarOptions { Style = Program.Style, CacheCapacity = 1 });
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
