using System.Text.Json;
using FaceDefender.Privacy;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Privacy;

/// <summary>
/// The embedded dlib ONNX graph against face-api's own JavaScript network on pure-JS TensorFlow.js
/// (fixtures by tools/models/dlib-reference/make-dlib-fixtures.js).
/// </summary>
public sealed class DlibModelReferenceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "privacy", name);

    [Theory]
    [InlineData("lcg")]
    [InlineData("astronaut")]
    [InlineData("grace_hopper")]
    public void Raw_descriptor_matches_the_tfjs_reference_within_1e_4(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture($"dlib.{name}.json")));
        float[] expected = doc.RootElement.GetProperty("descriptor").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        using Image<Rgb24> input = Image.Load<Rgb24>(Fixture($"dlib.{name}.png"));
        using var embedder = new DlibFaceEmbedder();

        float[] actual = embedder.RawDescriptor(input);

        actual.Should().HaveCount(128);
        expected.Should().HaveCount(128);
        double maxDiff = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        output.WriteLine($"dlib ONNX vs face-api tfjs on {name}: max abs diff {maxDiff:E2}");
        maxDiff.Should().BeLessThanOrEqualTo(1e-4, $"the ONNX graph must reproduce face-api's network on {name}");
    }

    [Fact]
    public void Embedding_is_unit_length_and_distinguishes_the_two_portrait_crops()
    {
        using Image<Rgb24> a = Image.Load<Rgb24>(Fixture("dlib.astronaut.png"));
        using Image<Rgb24> b = Image.Load<Rgb24>(Fixture("dlib.grace_hopper.png"));
        using var embedder = new DlibFaceEmbedder();

        float[] ea = embedder.EmbedAligned(a);
        float[] eb = embedder.EmbedAligned(b);

        Math.Sqrt(ea.Sum(v => (double)v * v)).Should().BeApproximately(1.0, 1e-5);
        embedder.Dimension.Should().Be(128);
        double cos = ea.Zip(eb, (x, y) => (double)x * y).Sum();
        // dlib descriptors are compared by Euclidean distance (< 0.6 same person): cosines sit high.
        cos.Should().BeLessThan(0.99, "two different people");
        double euclid = Math.Sqrt(embedder.RawDescriptor(a).Zip(embedder.RawDescriptor(b), (x, y) => (double)(x - y) * (x - y)).Sum());
        euclid.Should().BeGreaterThan(0.6, "dlib's published same-person threshold is 0.6");
    }
}
