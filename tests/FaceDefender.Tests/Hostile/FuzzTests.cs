using System.Diagnostics;
using FaceDefender.Decoding;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Landmarks;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Hostile;

/// <summary>
/// Seeded mutation fuzzing of the library's real entry points with JPEG and PNG seeds (<see cref="MutationFuzzer"/>): no
/// exception other than <see cref="ImageDecodingException"/> may leave the decoder, and no exception at all may leave
/// <see cref="FaceDeidentifier.Deidentify(Stream, PatientInfo?, CancellationToken)"/>, which returns a status for every mutant.
/// CI runs a bounded slice (FD_FUZZ_N mutants per seed, default 1,000, so 2,000 in all); the long run is the same test with
/// FD_FUZZ_N=50000 (docs/hostile-input.md has the command and its figures). A failing mutant is reproduced from its seed file,
/// index and FD_FUZZ_SEED with <see cref="MutationFuzzer.MutantAt"/>.
/// </summary>
[Collection(DetectorCollection.Name)]
public sealed class FuzzTests(DetectorFixture fixture, ITestOutputHelper output)
{
    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("FD_FUZZ_N"), out int n) && n > 0 ? n : 1000;

    private static int RngSeed => int.TryParse(Environment.GetEnvironmentVariable("FD_FUZZ_SEED"), out int s) ? s : 20261207;

    [Theory]
    [InlineData("grace_hopper.jpg")]
    [InlineData("astronaut.png")]
    public void No_mutant_makes_anything_but_an_ImageDecodingException_escape_the_decoder(string seedFile)
    {
        byte[] seed = File.ReadAllBytes(ModelFixture.FixturePath("faces", seedFile));
        var options = ImageDecodingOptions.Default with { Timeout = TimeSpan.FromSeconds(10) };
        var escaped = new List<string>();
        var failures = new Dictionary<ImageDecodingFailure, int>();
        int decoded = 0, truncated = 0;
        double slowest = 0;
        var clock = Stopwatch.StartNew();
        foreach (Mutant m in MutationFuzzer.Mutants(seed, Count, RngSeed))
        {
            long t0 = Stopwatch.GetTimestamp();
            try
            {
                using DecodedImage d = FaceImageDecoder.Decode(new MemoryStream(m.Data), options);
                decoded++;
                truncated += d.Truncated ? 1 : 0;
            }
            catch (ImageDecodingException e)
            {
                failures[e.Failure] = failures.GetValueOrDefault(e.Failure) + 1;
            }
            catch (Exception e)
            {
                escaped.Add($"#{m.Index} {m.Operation}: {e.GetType().Name}: {e.Message}");
            }

            slowest = Math.Max(slowest, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        output.WriteLine($"{seedFile}: {Count} mutants (FD_FUZZ_SEED {RngSeed}) in {clock.Elapsed.TotalSeconds:F1} s; decoded {decoded} ({truncated} truncated); "
                         + $"refused {string.Join(", ", failures.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}"))}; escaped {escaped.Count}; slowest {slowest:F2} s; "
                         + $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
        escaped.Should().BeEmpty();

        // A hang guard, not a speed target: the time budget must stop any decode well before twice its length.
        slowest.Should().BeLessThan(2 * options.Timeout.TotalSeconds);
    }

    [Theory]
    [InlineData("grace_hopper.jpg")]
    [InlineData("astronaut.png")]
    public void Every_mutant_through_the_whole_pipeline_gets_a_status_and_never_a_half_protected_image(string seedFile)
    {
        byte[] seed = File.ReadAllBytes(ModelFixture.FixturePath("faces", seedFile));
        using var pipeline = new FaceDeidentifier(fixture.Detector, diagnostics: FaceDeidentifier.NoDiagnostics);
        var statuses = new Dictionary<DeidentificationStatus, int>();
        int n = Math.Max(20, Count / 20);
        foreach (Mutant m in MutationFuzzer.Mutants(seed, n, RngSeed + 1))
        {
            using DeidentificationResult r = pipeline.Deidentify(new MemoryStream(m.Data));
            statuses[r.Status] = statuses.GetValueOrDefault(r.Status) + 1;
            (r.Image is null).Should().Be(!r.Succeeded, $"mutant #{m.Index} ({m.Operation}): an image only with success");
            if (r.Status == DeidentificationStatus.UnreadableImage)
            {
                r.DecodingFailure.Should().NotBeNull();
            }
        }

        output.WriteLine($"{seedFile}: {n} mutants through the pipeline: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}");
        statuses.Values.Sum().Should().Be(n);
    }
}
