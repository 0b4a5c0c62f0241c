using System.Text.Json;
using FaceDefender.Privacy;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Privacy;

/// <summary>
/// FaceRes converted by our converter (tools/models/fetch-faceres.sh, into the local model cache) against the
/// original TensorFlow.js graph on the pure-JS CPU backend (fixtures by
/// tools/models/tfjs-reference/make-faceres-fixtures.js), and the cache lookup itself.
/// </summary>
public sealed class FaceResModelTests(ITestOutputHelper output)
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "privacy", name);

    private static readonly string[] Names = ["lcg", "astronaut", "grace_hopper"];

    private static float[] Values(JsonElement root, string property) =>
        root.GetProperty(property).EnumerateArray().Select(e => e.GetSingle()).ToArray();

    [FaceResTheory]
    [Trait("Requires", "FaceRes")]
    [InlineData("lcg")]
    [InlineData("astronaut")]
    [InlineData("grace_hopper")]
    public void Raw_descriptor_matches_the_tfjs_reference_within_1e_4(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture($"faceres.{name}.json")));
        float[] expected = Values(doc.RootElement, "descriptor");
        using Image<Rgb24> input = Image.Load<Rgb24>(Fixture($"faceres.{name}.png"));
        using OnnxFaceEmbedder embedder = FaceResModel.Load();

        float[] actual = embedder.RawDescriptor(input);

        actual.Should().HaveCount(1024);
        expected.Should().HaveCount(1024);
        double maxDiff = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        output.WriteLine($"FaceRes ONNX vs tfjs on {name}: max abs diff {maxDiff:E2} (max |value| {expected.Max(Math.Abs):F3})");
        maxDiff.Should().BeLessThanOrEqualTo(1e-4, $"the converted graph must reproduce TensorFlow.js on {name}");
    }

    [FaceResFact]
    [Trait("Requires", "FaceRes")]
    public void Batched_run_matches_the_tfjs_batched_reference_within_1e_4()
    {
        Image<Rgb24>[] inputs = Names.Select(n => Image.Load<Rgb24>(Fixture($"faceres.{n}.png"))).ToArray();
        try
        {
            using OnnxFaceEmbedder embedder = FaceResModel.Load();
            embedder.SupportsBatches.Should().BeTrue();

            float[][] actual = embedder.RawDescriptors(inputs, 0, inputs.Length);
            float[][] normalised = embedder.EmbedAlignedBatch(inputs);

            for (int k = 0; k < Names.Length; k++)
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Fixture($"faceres.{Names[k]}.json")));
                float[] expected = Values(doc.RootElement, "batchedDescriptor");
                double maxDiff = actual[k].Zip(expected, (a, e) => Math.Abs(a - e)).Max();
                output.WriteLine($"FaceRes batch of 3, item {Names[k]}: max abs diff {maxDiff:E2}");
                maxDiff.Should().BeLessThanOrEqualTo(1e-4);
                float[] single = embedder.EmbedAligned(inputs[k]);
                normalised[k].Zip(single, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(1e-5f, "a batch gives the same unit vector as one face alone");
            }
        }
        finally
        {
            foreach (Image<Rgb24> i in inputs)
            {
                i.Dispose();
            }
        }
    }

    [FaceResFact]
    [Trait("Requires", "FaceRes")]
    public void Two_portraits_score_as_different_people()
    {
        using Image<Rgb24> a = Image.Load<Rgb24>(Fixture("faceres.astronaut.png"));
        using Image<Rgb24> b = Image.Load<Rgb24>(Fixture("faceres.grace_hopper.png"));
        using OnnxFaceEmbedder embedder = FaceResModel.Load();

        double cross = PrivacyAudit.Cosine(embedder.EmbedAligned(a), embedder.EmbedAligned(b));
        output.WriteLine($"FaceRes cosine astronaut vs Grace Hopper: {cross:F3}");
        embedder.Dimension.Should().Be(1024);
        cross.Should().BeLessThan(0.7, "two different people (FaceRes impostor pairs score about 0.40 +- 0.075)");
    }

    [Fact]
    public void Cache_lookup_says_how_to_fetch_a_missing_model_and_rejects_a_wrong_file()
    {
        string dir = Directory.CreateTempSubdirectory("fd-faceres-cache").FullName;
        try
        {
            string path = Path.Combine(dir, FaceResModel.FileName);

            FaceResModel.IsAvailable(path, out string? missing).Should().BeFalse();
            missing.Should().Contain("fetch-faceres.sh").And.Contain(FaceResModel.CacheEnvironmentVariable);
            Action load = () => FaceResModel.Load(path);
            load.Should().Throw<FaceDefenderException>().WithMessage("*fetch-faceres.sh*");

            File.WriteAllBytes(path, [1, 2, 3]);
            FaceResModel.IsAvailable(path, out string? wrong).Should().BeFalse();
            wrong.Should().Contain("expected " + FaceResModel.Sha256);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Pinned_hash_agrees_with_the_fetch_script()
    {
        // tools/models/faceres.integrity is copied beside the tests; the script checks its output against it.
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "privacy", "faceres.integrity"));
        lines.Should().Contain("onnx_sha256=" + FaceResModel.Sha256);
    }

    [Fact]
    public void Cache_folder_follows_the_environment_variable_then_xdg()
    {
        string dir = Path.Combine(Path.GetTempPath(), "fd-cache-env-test");
        FaceResModel.ResolveCacheDirectory(v => v == FaceResModel.CacheEnvironmentVariable ? dir : null).Should().Be(dir);
        if (!OperatingSystem.IsWindows())
        {
            FaceResModel.ResolveCacheDirectory(v => v == "XDG_CACHE_HOME" ? dir : null)
                .Should().Be(Path.Combine(dir, "facedefender", "models"));
        }

        FaceResModel.ResolveCacheDirectory(_ => null).Should().EndWith(Path.Combine("facedefender", "models"));
    }
}

/// <summary>FaceRes on the audit's test set: it must tell genuine from impostor pairs.</summary>
[Trait("Category", "PrivacyAudit")]
public sealed class FaceResAuditTests(ITestOutputHelper output)
{
    [FaceResFact]
    [Trait("Requires", "FaceRes")]
    public void FaceRes_separates_genuine_from_impostor_pairs_on_the_test_set()
    {
        using OnnxFaceEmbedder embedder = FaceResModel.Load();
        PrivacyAuditReport report = PrivacyAudit.Run(PrivacyTestData.Samples, [new BaselineProtection(BaselineKind.Raw)], embedder,
            new PrivacyAuditOptions { Periocular = false, SameToolAttack = false });

        output.WriteLine(report.ToMarkdown());
        report.Images.Should().Be(PrivacyTestData.Samples.Count);
        report.Genuine!.Count.Should().Be(36);
        report.Impostor.Count.Should().Be(240);
        report.GenuineImpostorAuc.Should().BeGreaterThan(0.95);
        report.Methods[0].RawGallery!.Rank1.Successes.Should().Be(PrivacyTestData.Samples.Count);
    }
}
