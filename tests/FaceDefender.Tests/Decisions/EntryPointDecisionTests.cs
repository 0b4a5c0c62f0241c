using FaceDefender.Abstractions;
using FaceDefender.Decoding;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Pipeline;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace FaceDefender.Tests.Decisions;

/// <summary>
/// The pipeline's file, stream and asynchronous entry points, driven with scripted parts (no model, no renderer): what a
/// readable, an unreadable and a truncated file become, the memory lease taken while a photo is worked on, cancellation,
/// and what is logged.
/// </summary>
public sealed class EntryPointDecisionTests : IDisposable
{
    private const int Width = 200, Height = 150;
    private readonly string _folder = Directory.CreateTempSubdirectory("fd-entry-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A flat grey PNG of 200 x 150 holding only the chunks the decoder keeps (no pHYs), so its length is the length the
    /// memory estimate counts.</summary>
    private static byte[] Png()
    {
        using var image = new Image<Rgb24>(Width, Height, new Rgb24(150, 150, 150));
        using var memory = new MemoryStream();
        image.SaveAsPng(memory, new PngEncoder { CompressionLevel = PngCompressionLevel.NoCompression, ChunkFilter = PngChunkFilter.ExcludeAll });
        return memory.ToArray();
    }

    private string File(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private static FaceDeidentifier Pipeline(LeaseReader detector, DeidentificationOptions? options = null, ILogger<FaceDeidentifier>? logger = null) =>
        new(detector, new QuerySpy(), new NullFuser(), (options ?? new DeidentificationOptions()) with { MinEyeContrast = 0 }, FaceDeidentifier.NoDiagnostics, logger);

    [Fact]
    public async Task A_readable_file_stream_or_async_stream_is_de_identified_and_the_file_is_left_as_it_was()
    {
        byte[] png = Png();
        string path = File("photo.png", png);
        DateTime written = System.IO.File.GetLastWriteTimeUtc(path);
        var detector = new LeaseReader(null);
        using FaceDeidentifier pipeline = Pipeline(detector);
        using (DeidentificationResult r = pipeline.Deidentify(path))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
            r.Warnings.Should().Be(DeidentificationWarnings.None);
            r.DecodingFailure.Should().BeNull();
        }

        using (var stream = new MemoryStream(png))
        using (DeidentificationResult r = pipeline.Deidentify(stream))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        }

        using (var stream = new MemoryStream(png))
        using (DeidentificationResult r = await pipeline.DeidentifyAsync(stream))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        }

        detector.Sizes.Should().Equal(new Size(Width, Height), new Size(Width, Height), new Size(Width, Height));
        System.IO.File.ReadAllBytes(path).Should().Equal(png);
        System.IO.File.GetLastWriteTimeUtc(path).Should().Be(written);
    }

    [Fact]
    public async Task An_unreadable_or_missing_file_is_a_status_with_its_decoding_failure_never_an_exception()
    {
        string garbage = File("photo.jpg", [.. Enumerable.Range(0, 4000).Select(i => (byte)(i * 37 % 251))]);
        var detector = new LeaseReader(null);
        using FaceDeidentifier pipeline = Pipeline(detector);
        using (DeidentificationResult r = pipeline.Deidentify(garbage))
        {
            r.Status.Should().Be(DeidentificationStatus.UnreadableImage);
            r.DecodingFailure.Should().NotBeNull();
            r.Image.Should().BeNull();
            r.Message.Should().NotBeNullOrWhiteSpace();
        }

        using (DeidentificationResult r = pipeline.Deidentify(Path.Combine(_folder, "missing.png")))
        {
            r.Status.Should().Be(DeidentificationStatus.UnreadableImage);
            r.DecodingFailure.Should().Be(ImageDecodingFailure.NotReadable);
            r.Message.Should().Contain("missing.png");
        }

        using (var stream = new MemoryStream(System.IO.File.ReadAllBytes(garbage)))
        using (DeidentificationResult r = pipeline.Deidentify(stream))
        {
            r.Status.Should().Be(DeidentificationStatus.UnreadableImage);
            r.DecodingFailure.Should().NotBeNull();
        }

        using (var stream = new MemoryStream(System.IO.File.ReadAllBytes(garbage)))
        using (DeidentificationResult r = await pipeline.DeidentifyAsync(stream))
        {
            r.Status.Should().Be(DeidentificationStatus.UnreadableImage);
            r.DecodingFailure.Should().NotBeNull();
            r.Timings.TotalMs.Should().BeGreaterThanOrEqualTo(0);
        }

        using (var empty = new MemoryStream())
        using (DeidentificationResult r = await pipeline.DeidentifyAsync(empty))
        {
            r.Status.Should().Be(DeidentificationStatus.UnreadableImage);
            r.DecodingFailure.Should().NotBeNull();
            r.Message.Should().ContainEquivalentOf("empty");
        }

        detector.Sizes.Should().BeEmpty("nothing unreadable reaches the detector");
    }

    /// <summary>A PNG cut short: refused when truncation is refused, otherwise de-identified with the warning.</summary>
    [Fact]
    public void A_truncated_photo_carries_its_warning_or_is_refused_when_asked()
    {
        byte[] png = Png();
        string cut = File("cut.png", png[..(png.Length * 3 / 4)]);
        var detector = new LeaseReader(null);
        using (FaceDeidentifier pipeline = Pipeline(detector))
        using (DeidentificationResult r = pipeline.Deidentify(cut))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
            r.Warnings.Should().Be(DeidentificationWarnings.TruncatedImage);
        }

        var strict = new DeidentificationOptions { Decoding = new ImageDecodingOptions { RejectTruncated = true } };
        using (FaceDeidentifier pipeline = Pipeline(detector, strict))
        using (DeidentificationResult r = pipeline.Deidentify(cut))
        {
            r.Status.Should().Be(DeidentificationStatus.UnreadableImage);
            r.DecodingFailure.Should().Be(ImageDecodingFailure.Truncated);
        }
    }

    /// <summary>While a photo is worked on it holds a lease of its decoded size (12 bytes a pixel), its encoded size and
    /// 64 MiB for the detector's crops and the fusion; the lease is returned when the result comes back.</summary>
    [Fact]
    public async Task A_photo_leases_its_estimated_memory_while_it_is_worked_on_and_returns_it()
    {
        byte[] png = Png();
        string path = File("photo.png", png);
        var budget = new MemoryBudget(1L << 30);
        var detector = new LeaseReader(budget);
        using FaceDeidentifier pipeline = Pipeline(detector, new DeidentificationOptions { MemoryBudget = budget });
        long expected = ((long)Width * Height * 12) + png.Length + (64L * 1024 * 1024);
        using (DeidentificationResult r = pipeline.Deidentify(path))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        }

        using (var stream = new MemoryStream(png))
        using (DeidentificationResult r = await pipeline.DeidentifyAsync(stream))
        {
            r.Status.Should().Be(DeidentificationStatus.Success, r.Message);
        }

        detector.Leased.Should().Equal(expected, expected);
        budget.InUseBytes.Should().Be(0);

        // A decoded photo handed in directly takes no lease: the caller already holds it.
        using Image<Rgb24> photo = Image.Load<Rgb24>(png);
        using (pipeline.Deidentify(photo))
        {
        }

        detector.Leased[^1].Should().Be(0);
    }

    [Fact]
    public async Task A_cancelled_call_throws_and_leaves_no_lease()
    {
        byte[] png = Png();
        string path = File("photo.png", png);
        var budget = new MemoryBudget(1L << 30);
        using FaceDeidentifier pipeline = Pipeline(new LeaseReader(budget), new DeidentificationOptions { MemoryBudget = budget });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        FluentActions.Invoking(() => pipeline.Deidentify(path, null, cancelled.Token)).Should().Throw<OperationCanceledException>();
        FluentActions.Invoking(() => pipeline.Deidentify(new MemoryStream(png), null, cancelled.Token)).Should().Throw<OperationCanceledException>();
        await FluentActions.Awaiting(() => pipeline.DeidentifyAsync(new MemoryStream(png), null, cancelled.Token)).Should().ThrowAsync<OperationCanceledException>();
        budget.InUseBytes.Should().Be(0);
    }

    [Fact]
    public async Task Each_call_logs_once_saying_what_happened()
    {
        byte[] png = Png();
        var log = new RecordingLogger<FaceDeidentifier>();
        using FaceDeidentifier pipeline = Pipeline(new LeaseReader(null), logger: log);
        using (pipeline.Deidentify(File("photo.png", png)))
        {
        }

        log.Entries.Should().ContainSingle();
        log.Entries[0].Level.Should().Be(LogLevel.Debug);
        log.Entries[0].Message.Should().Contain("De-identified onto avatar scripted").And.Contain("EyesOnly");

        using (pipeline.Deidentify(Path.Combine(_folder, "missing.png")))
        {
        }

        log.Entries.Should().HaveCount(2);
        log.Entries[1].Level.Should().Be(LogLevel.Information);
        log.Entries[1].Message.Should().Contain("UnreadableImage").And.Contain("NotReadable");

        using (var empty = new MemoryStream())
        using (await pipeline.DeidentifyAsync(empty))
        {
        }

        log.Entries.Should().HaveCount(3);
        log.Entries[2].Message.Should().Contain("UnreadableImage");

        using (var stream = new MemoryStream(png))
        using (pipeline.Deidentify(stream))
        {
        }

        log.Entries.Should().HaveCount(4);
        log.Entries[3].Level.Should().Be(LogLevel.Debug);
    }

    /// <summary>Always finds one upright face (the scripted mesh), and records the size it was shown and the bytes the
    /// memory budget had leased at that moment.</summary>
    private sealed class LeaseReader(MemoryBudget? budget) : ILandmarkDetector
    {
        public List<Size> Sizes { get; } = [];

        public List<long> Leased { get; } = [];

        public FaceDetection Detect(Image<Rgb24> image)
        {
            Sizes.Add(image.Size());
            Leased.Add(budget?.InUseBytes ?? 0);
            return new FaceDetection(FaceDetectionStatus.Found,
                [new DetectedFace(new RectangleF(0, 0, image.Width, image.Height), 0.9f, 1f, ScriptedParts.Mesh, new HeadPose(0f, 0f, 0f))], image.Width, image.Height);
        }

        public void Dispose()
        {
        }
    }
}
