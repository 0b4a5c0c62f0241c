using System.Globalization;
using System.Numerics.Tensors;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Privacy;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.AvatarTools;

/// <summary>
/// How different the identities of one avatar group look to the embedded dlib recogniser: for every sex x age bucket x
/// tone group, the pairwise Euclidean distances of the raw 128-D descriptors (dlib's own scale: the same person below
/// 0.6) and the cosines of the unit vectors, over identities 0 .. N-1.
/// </summary>
internal static class IdentityReadout
{
    /// <summary>dlib's same-person threshold on the raw descriptors (docs/privacy.md).</summary>
    public const double SamePersonDistance = 0.6;

    public static int Run(int identities, IReadOnlyList<int> buckets, bool perGroup)
    {
        using var embedder = new DlibFaceEmbedder();
        var provider = new ProceduralAvatarProvider(new ProceduralAvatarOptions { Style = Program.Style, IdentitiesPerGroup = Math.Max(identities, 8), CacheCapacity = 1 });
        var all = new List<double>();
        var allCos = new List<double>();
        int below = 0;
        Console.WriteLine($"dlib identity distances within each group, identities 0..{identities - 1} ({identities * (identities - 1) / 2} pairs per group); same person below {SamePersonDistance.ToString(CultureInfo.InvariantCulture)}");
        if (perGroup)
        {
            Console.WriteLine("| group | min distance | mean distance | max cosine | mean cosine | pairs below 0.6 |");
            Console.WriteLine("|---|---|---|---|---|---|");
        }

        var bySex = new Dictionary<AvatarSex, List<double>>();
        foreach (AvatarSex sex in Enum.GetValues<AvatarSex>())
        {
            bySex[sex] = [];
            foreach (int bucket in buckets)
            {
                foreach (SkinTone tone in Enum.GetValues<SkinTone>())
                {
                    var raw = new float[identities][];
                    var unit = new float[identities][];
                    for (int id = 0; id < identities; id++)
                    {
                        using Avatar a = provider.Get(sex, bucket, tone, id);
                        using Image<Rgb24> chip = embedder.Align(a.Image, a.Landmarks);
                        raw[id] = embedder.RawDescriptor(chip);
                        unit[id] = raw[id].ToArray();
                        TensorPrimitives.Divide(unit[id], TensorPrimitives.Norm(unit[id]), unit[id]);
                    }

                    var d = new List<double>();
                    var c = new List<double>();
                    for (int i = 0; i < identities; i++)
                    {
                        for (int j = i + 1; j < identities; j++)
                        {
                            d.Add(TensorPrimitives.Distance(raw[i], raw[j]));
                            c.Add(TensorPrimitives.Dot(unit[i], unit[j]));
                        }
                    }

                    int groupBelow = d.Count(x => x < SamePersonDistance);
                    below += groupBelow;
                    all.AddRange(d);
                    allCos.AddRange(c);
                    bySex[sex].AddRange(d);
                    if (perGroup)
                    {
                        Console.WriteLine(FormattableString.Invariant(
                            $"| {sex.ToString().ToLowerInvariant()}-{bucket}-{tone.ToString().ToLowerInvariant()} | {d.Min():F3} | {d.Average():F3} | {c.Max():F3} | {c.Average():F3} | {groupBelow}/{d.Count} |"));
                    }
                }
            }
        }

        Console.WriteLine();
        foreach ((AvatarSex sex, List<double> d) in bySex)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"{sex}: distance min {d.Min():F3}, mean {d.Average():F3}; pairs at or beyond 0.6: {d.Count(x => x >= SamePersonDistance)}/{d.Count}"));
        }

        Console.WriteLine(FormattableString.Invariant(
            $"all groups: distance min {all.Min():F3}, mean {all.Average():F3}, median {Median(all):F3}; cosine mean {allCos.Average():F3}, max {allCos.Max():F3}; pairs at or beyond 0.6: {all.Count - below}/{all.Count} ({100.0 * (all.Count - below) / all.Count:F1} %)"));
        return below == 0 ? 0 : 1;
    }

    private static double Median(List<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[(s.Length / 2) - 1] + s[s.Length / 2]);
    }

    /// <summary>The dlib distance between two avatars, each given as SEX-BUCKET-TONE-IDENTITY (e.g. female-30-light-0).</summary>
    public static int Pair(string a, string b)
    {
        using var embedder = new DlibFaceEmbedder();
        var provider = new ProceduralAvatarProvider(new ProceduralAvatarOptions { Style = Program.Style, IdentitiesPerGroup = 64, CacheCapacity = 1 });
        float[] Raw(string spec)
        {
            string[] p = spec.Split('-');
            using Avatar av = provider.Get(Enum.Parse<AvatarSex>(p[0], true), int.Parse(p[1], CultureInfo.InvariantCulture), Enum.Parse<SkinTone>(p[2], true), int.Parse(p[3], CultureInfo.InvariantCulture));
            using Image<Rgb24> chip = embedder.Align(av.Image, av.Landmarks);
            return embedder.RawDescriptor(chip);
        }

        Console.WriteLine(FormattableString.Invariant($"{a} vs {b}: dlib distance {TensorPrimitives.Distance(Raw(a), Raw(b)):F3}"));
        return 0;
    }
}
