using FaceDefender.Abstractions;
using FaceDefender.Decoding;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Hostile;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Pipeline;

/// <summary>The pipeline's file and stream entry points under broken input, and the memory budget shared by parallel photos.</summary>
[Collection(DetectorCollection.Name)]
public sealed class HostileInputPipelineTests(DetectorFixture fixture)
{
    private static byte[] Bytes(string file) => File.ReadAllBytes(ModelFixture.FixturePath("faces", file));

    [Fact]
    public void A_truncated_photo_that_still_shows_the_face_succeeds_with_a_warning()
    {
        using var pipeline = new FaceDeidentifier(fixture.Detector, diagnostics: FaceDeidentifier.NoDiagnostics);
        using DeidentificationResult whole = pipeline.Deidentify(new MemoryStream(Bytes("grace_hopper.jpg")));
        whole.Status.Should().Be(DeidentificationStatus.Success);
        whole.Warnings.Should().Be(DeidentificationWarnings.None);

        using DeidentificationResult cut = pipeline.Deidentify(new MemoryStream(HostileImages.TruncatedCopy(Bytes("grace_hopper.jpg"), 0.99)));
        cut.Status.Should().Be(DeidentificationStatus.Success, cut.Message);
        cut.Warnings.Should().HaveFlag(DeidentificationWarnings.TruncatedImage);

        using var strict = new FaceDeidentifier(fixture.Detector, options: new DeidentificationOptions { Decoding = ImageDecodingOptions.Default with { RejectTruncated = true } },
            diagnostics: FaceDeidentifier.NoDiagnostics);
        using DeidentificationResult refused = strict.Deidentify(new MemoryStream(HostileImages.TruncatedCopy(Bytes("grace_hopper.jpg"), 0.99)));
        refused.Status.Should().Be(DeidentificationStatus.UnreadableImage);
        refused.DecodingFailure.Should().Be(ImageDecodingFailure.Truncated);
        refused.Image.Should().BeNull();
    }

    [Fact]
    public void A_jpeg_whose_scan_marker_became_an_end_marker_is_unreadable_not_a_crash()
    {
        // The one-byte change that made the image library throw NullReferenceException: the first SOS (FF DA) turned into EOI (FF D9).
        byte[] jpeg = Bytes("grace_hopper.jpg");
        int sos = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        jpeg[sos + 1] = 0xD9;
        using var pipeline = new FaceDeidentifier(fixture.Detector, diagnostics: FaceDeidentifier.NoDiagnostics);
        using DeidentificationResult r = pipeline.Deidentify(new MemoryStream(jpeg));
        r.Status.Should().Be(DeidentificationStatus.UnreadableImage);
        r.DecodingFailure.Should().Be(ImageDecodingFailure.Corrupt);
    }

    [Fact]
    public async Task Stream_and_async_entry_points_give_the_same_result_as_the_file()
    {
        string path = ModelFixture.FixturePath("faces", "astronaut.png");
        using var pipeline = new FaceDeidentifier(fixture.Detector, diagnostics: FaceDeidentifier.NoDiagnostics);
        using DeidentificationResult fromFile = pipeline.Deidentify(path, new PatientInfo(PseudonymKey: "p1"));
        using DeidentificationResult fromStream = pipeline.Deidentify(new MemoryStream(Bytes("astronaut.png")), new PatientInfo(PseudonymKey: "p1"));
        using DeidentificationResult fromAsync = await pipeline.DeidentifyAsync(new MemoryStream(Bytes("astronaut.png")), new PatientInfo(PseudonymKey: "p1"));
        fromFile.Status.Should().Be(DeidentificationStatus.Success);
        foreach (DeidentificationResult other in new[] { fromStream, fromAsync })
        {
            other.Status.Should().Be(DeidentificationStatus.Success);
            other.Avatar!.Id.Should().Be(fromFile.Avatar!.Id);
            Same(other.Image!, fromFile.Image!).Should().BeTrue("the same bytes give the same output whatever the entry point");
        }
    }

    [Fact]
    public void Bad_arguments_and_missing_files_fail_clearly()
    {
        using var pipeline = new FaceDeidentifier(fixture.Detector, diagnostics: FaceDeidentifier.NoDiagnostics);
        Action nullImage = () => pipeline.Deidentify((Image<Rgb24>)null!);
        nullImage.Should().Throw<ArgumentNullException>();
        Action nullStream = () => pipeline.Deidentify((Stream)null!);
        nullStream.Should().Throw<ArgumentNullException>();
        Action emptyPath = () => pipeline.Deidentify(" ");
        emptyPath.Should().Throw<ArgumentException>();
        using DeidentificationResult missing = pipeline.Deidentify(Path.Combine(Path.GetTempPath(), "fd-no-such-photo.jpg"));
        missing.Status.Should().Be(DeidentificationStatus.UnreadableImage);
        missing.DecodingFailure.Should().Be(ImageDecodingFailure.NotReadable);
        missing.Message.Should().Contain("fd-no-such-photo.jpg");
        Action age = () => _ = new PatientInfo(AgeYears: -5);
        age.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("AgeYears");
        Action old = () => _ = new PatientInfo(AgeYears: 200);
        old.Should().Throw<ArgumentOutOfRangeException>();
        Action cancelled = () => pipeline.Deidentify(new MemoryStream(Bytes("astronaut.png")), null, new CancellationToken(canceled: true));
        cancelled.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Each_photo_holds_a_lease_on_the_memory_budget_while_it_is_processed()
    {
        var budget = new MemoryBudget(4L * 1024 * 1024 * 1024);
        var spy = new BudgetSpy(fixture.Detector, budget);
        using var pipeline = new FaceDeidentifier(spy, options: new DeidentificationOptions { MemoryBudget = budget }, diagnostics: FaceDeidentifier.NoDiagnostics);
        using DeidentificationResult r = pipeline.Deidentify(new MemoryStream(Bytes("astronaut.png")));
        r.Status.Should().Be(DeidentificationStatus.Success);

        // 512 x 512 pixels at 12 bytes, the encoded bytes and 64 MiB of working set.
        spy.InUseDuringDetection.Should().BeGreaterThan(64L * 1024 * 1024 + (512L * 512 * 12));
        budget.InUseBytes.Should().Be(0, "the lease is returned when the photo is done");
    }

    [Fact]
    public async Task The_memory_budget_makes_a_second_lease_wait_until_the_first_is_returned()
    {
        var budget = new MemoryBudget(100L * 1024 * 1024);
        IDisposable first = budget.Acquire(70L * 1024 * 1024);
        Task<IDisposable> second = Task.Run(() => budget.Acquire(70L * 1024 * 1024));
        Task winner = await Task.WhenAny(second, Task.Delay(300));
        winner.Should().NotBeSameAs(second, "70 + 70 MiB do not fit in 100 MiB");
        first.Dispose();
        (await second).Dispose();
        budget.InUseBytes.Should().Be(0);

        // A request larger than the whole budget runs alone rather than never.
        using (budget.Acquire(500L * 1024 * 1024))
        {
            budget.InUseBytes.Should().Be(budget.TotalBytes);
        }

        using var cts = new CancellationTokenSource();
        IDisposable hold = budget.Acquire(90L * 1024 * 1024);
        Task waiting = Task.Run(() => budget.Acquire(50L * 1024 * 1024, cts.Token));
        cts.Cancel();
        Func<Task> cancelled = () => waiting;
        await cancelled.Should().ThrowAsync<OperationCanceledException>();
        hold.Dispose();
        budget.InUseBytes.Should().Be(0);
        Action tooSmall = () => _ = new MemoryBudget(1000);
        tooSmall.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static bool Same(Image<Rgb24> a, Image<Rgb24> b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
        {
            return false;
        }

        for (int y = 0; y < a.Height; y++)
        {
            for (int x = 0; x < a.Width; x++)
            {
                if (!a[x, y].Equals(b[x, y]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private sealed class BudgetSpy(ILandmarkDetector inner, MemoryBudget budget) : ILandmarkDetector
    {
        public long InUseDuringDetection { get; private set; }

        public FaceDetection Detect(Image<Rgb24> image)
        {
            InUseDuringDetection = budget.InUseBytes;
            return inner.Detect(image);
        }



        public void Dispose()
        {
        }
    }
}
