using FaceDefender.Abstractions;
using FaceDefender.Landmarks;
using FaceDefender.Privacy;
using FaceDefender.Statistics;
using FaceDefender.Tests.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Privacy;

/// <summary>The audit's statistics against R, and its ranking logic on constructed embeddings.</summary>
public sealed class AuditStatisticsTests
{
    [Theory]
    // R: prop.test(7, 24, correct = FALSE)$conf.int  -> 0.149146481969609 0.491676936644966
    [InlineData(7, 24, 0.149146481969609, 0.491676936644966)]
    // R: prop.test(0, 24, correct = FALSE)$conf.int  -> 0 0.13797620467498
    [InlineData(0, 24, 0.0, 0.13797620467498)]
    // R: prop.test(24, 24, correct = FALSE)$conf.int -> 0.86202379532502 1
    [InlineData(24, 24, 0.86202379532502, 1.0)]
    public void Wilson_interval_matches_R(int k, int n, double low, double high)
    {
        ProportionEstimate p = ProportionEstimate.Wilson(k, n);
        p.Low.Should().BeApproximately(low, 1e-12);
        p.High.Should().BeApproximately(high, 1e-12);
        p.Value.Should().Be((double)k / n);
    }

    [Fact]
    public void Auc_matches_R_wilcox_statistic_with_ties()
    {
        // R: g <- c(0.9, 0.8, 0.7); i <- c(0.8, 0.5, 0.6, 0.95)
        //    wilcox.test(g, i, exact = FALSE)$statistic / (3 * 4)  -> 0.625
        PrivacyAudit.Auc([0.9, 0.8, 0.7], [0.8, 0.5, 0.6, 0.95]).Should().BeApproximately(0.625, 1e-15);
    }

    [Fact]
    public void Median_and_quantile_are_R_type_7()
    {
        // R: quantile(c(0.1, 0.4, 0.2, 0.9, 0.5), 0.99, type = 7) -> 0.884
        ScoreSummary.Quantile7([0.1, 0.2, 0.4, 0.5, 0.9], 0.99).Should().BeApproximately(0.884, 1e-12);
        ScoreSummary s = ScoreSummary.Of([0.1, 0.4, 0.2, 0.9, 0.5]);
        s.Median.Should().BeApproximately(0.4, 1e-12);
        s.Mean.Should().BeApproximately(0.42, 1e-12);
        s.MeanLow.Should().BeLessThan(s.Mean);
        s.MeanHigh.Should().BeGreaterThan(s.Mean);
        ScoreSummary.Of([0.1, 0.4, 0.2, 0.9, 0.5]).Should().Be(s, "the bootstrap has a fixed seed");
    }

    [Fact]
    public void The_interval_of_the_mean_is_the_statistics_packages_percentile_bootstrap_and_as_wide_as_theory_says()
    {
        // 400 scores spread like cosines; for a sample this size the 95 % percentile interval of the mean is close to
        // mean +- 1.96 sd / sqrt(n) (central limit theorem): width within 10 % of that (2,000 resamples scatter it by ~3 %).
        var rng = new Random(7);
        double[] scores = [.. Enumerable.Range(0, 400).Select(_ => 0.3 + (0.4 * rng.NextDouble() * rng.NextDouble()))];
        ScoreSummary s = ScoreSummary.Of(scores);
        double expectedHalfWidth = 1.959964 * s.StandardDeviation / Math.Sqrt(scores.Length);
        ((s.MeanHigh - s.MeanLow) / 2).Should().BeApproximately(expectedHalfWidth, 0.1 * expectedHalfWidth);
        ((s.MeanHigh + s.MeanLow) / 2).Should().BeApproximately(s.Mean, 0.2 * expectedHalfWidth, "the mean's bootstrap distribution is nearly symmetric");

        // The same resamples and interval as the statistics package gives for this seed (the audit resamples the sorted scores).
        BootstrapInterval ci = Bootstrap.Run([.. scores.Order()], x => x.ToArray().Average(), 2000, 20251127).Percentile();
        s.MeanLow.Should().BeApproximately(ci.Lower, 1e-12);
        s.MeanHigh.Should().BeApproximately(ci.Upper, 1e-12);

        // One value, or all equal: no spread to resample, the interval is the mean.
        ScoreSummary.Of([0.5]).Should().Match<ScoreSummary>(x => x.MeanLow == 0.5 && x.MeanHigh == 0.5 && x.StandardDeviation == 0);
        ScoreSummary.Of([0.25, 0.25, 0.25]).Should().Match<ScoreSummary>(x => x.MeanLow == 0.25 && x.MeanHigh == 0.25);
    }

    [Fact]
    public void Ranks_same_tool_attack_and_thresholds_follow_from_the_embeddings()
    {
        // 3 identities x 2 photos. Each image carries a code in its first pixel; the fake embedder maps
        // codes to vectors: raw photo i of identity k -> axis k (+ a small per-photo offset);
        // "leak" keeps the raw code; "swap" gives identity k the vector of identity k+1.
        FaceLandmarks landmarks = ConstructedFaces.Level();
        var samples = Enumerable.Range(0, 6).Select(i => new AuditSample($"id{i / 2}", Coded(i), landmarks, $"p{i}")).ToList();
        using var embedder = new CodeEmbedder();
        IProtectionMethod[] methods = [new CodeMethod("leak", i => i), new CodeMethod("swap", i => 100 + i)];

        PrivacyAuditReport r = PrivacyAudit.Run(samples, methods, embedder, new PrivacyAuditOptions { Periocular = false, MaxDegreeOfParallelism = 2 });

        r.Identities.Should().Be(3);
        r.Genuine!.Count.Should().Be(3);
        r.Impostor.Count.Should().Be(12);
        r.GenuineImpostorAuc.Should().Be(1.0);
        MethodAuditResult leak = r.Methods[0], swap = r.Methods[1];
        leak.RawGallery!.Rank1.Successes.Should().Be(6);
        leak.TrueAccept[0].AcceptRate.Successes.Should().Be(6);
        swap.RawGallery!.Rank1.Successes.Should().Be(0, "every probe looks like the next identity");
        swap.RawGallery.Rank5.Successes.Should().Be(6, "the gallery has only 3 identities");
        swap.RawGallery.GallerySize.Should().Be(3);
        swap.TrueAccept[0].AcceptRate.Successes.Should().Be(0);
        // Same-tool: the gallery is protected the same way, so the other photo of the same person
        // (also swapped) matches: the attack re-identifies everyone.
        swap.SameToolAttack!.Rank1.Successes.Should().Be(6);
        swap.SameToolSameImageProbes.Should().Be(0);
        swap.CosineToRaw!.Mean.Should().BeLessThan(0.1);
        for (int i = 0; i < samples.Count; i++)
        {
            samples[i].Image.Dispose();
        }
    }

    private static Image<Rgb24> Coded(int code)
    {
        var img = new Image<Rgb24>(4, 4);
        img[0, 0] = new Rgb24((byte)code, 0, 0);
        return img;
    }

    private sealed class CodeEmbedder : IFaceEmbedder
    {
        public string Name => "code";

        public int Dimension => 4;

        public float[] Embed(Image<Rgb24> image, FaceLandmarks landmarks)
        {
            int code = image[0, 0].R;
            int photo = code % 100;
            int identity = ((photo / 2) + (code >= 100 ? 1 : 0)) % 3;
            var v = new float[4];
            v[identity] = 1f;
            v[3] = code < 100 ? 0.05f * (photo % 2) : 0f; // protected vectors carry no per-photo detail
            float norm = MathF.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / norm).ToArray();
        }

        public void Dispose()
        {
        }
    }

    private sealed class CodeMethod(string name, Func<int, int> code) : IProtectionMethod
    {
        public string Name => name;

        public ProtectedImage? Protect(Image<Rgb24> photo, FaceLandmarks landmarks, string variantKey) =>
            new(Coded(code(photo[0, 0].R)), landmarks);
    }
}
