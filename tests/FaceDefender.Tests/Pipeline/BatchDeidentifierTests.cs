using System.Security.Cryptography;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Landmarks;
using Microsoft.Extensions.Logging;

namespace FaceDefender.Tests.Pipeline;

/// <summary>The public batch API and the service registration: what a host relies on.</summary>
[Collection(DetectorCollection.Name)]
public sealed class BatchDeidentifierTests(DetectorFixture fixture) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fd-batch-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Face(string name) => ModelFixture.FixturePath("faces", name);

    /// <summary>in/a.png (a face), in/sub/hopper.jpg (a face), in/broken.jpg (not an image), in/notes.txt (not a photo).</summary>
    private string Input()
    {
        string input = Path.Combine(_root, "in");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        File.Copy(Face("astronaut.png"), Path.Combine(input, "a.png"));
        File.Copy(Face("grace_hopper.jpg"), Path.Combine(input, "sub", "hopper.jpg"));
        File.WriteAllText(Path.Combine(input, "broken.jpg"), "not a JPEG");
        File.WriteAllText(Path.Combine(input, "notes.txt"), "patient notes");
        return input;
    }

    private static Dictionary<string, string> Hashes(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public async Task A_folder_gives_an_output_per_face_a_status_per_photo_and_leaves_the_inputs_alone()
    {
        string input = Input();
        string output = Path.Combine(_root, "out");
        var before = Hashes(input);
        using var pipeline = new FaceDeidentifier(fixture.Detector);
        var logger = new RecordingLogger();
        var reports = new List<BatchProgress>();
        BatchResult result = await new BatchDeidentifier(pipeline, logger).RunFolderAsync(input, output,
            new BatchOptions { MaxDegreeOfParallelism = 2 }, new SyncProgress(reports.Add));

        result.Items.Select(i => Path.GetRelativePath(input, i.Item.Source)).Should().Equal("a.png", "broken.jpg", Path.Combine("sub", "hopper.jpg"));
        result.Items.Select(i => i.Outcome).Should().Equal(BatchOutcome.Done, BatchOutcome.Failed, BatchOutcome.Done);
        result.Items[1].Status.Should().Be(DeidentificationStatus.UnreadableImage);
        result.Items[0].AvatarId.Should().NotBeNullOrEmpty();
        Hashes(output).Keys.Should().BeEquivalentTo("a.deid.png", Path.Combine("sub", "hopper.deid.png"));
        Hashes(input).Should().Equal(before, "inputs are never modified");
        result.AllDone.Should().BeFalse();
        result.Cancelled.Should().BeFalse();
        reports.Select(r => r.Completed).Order().Should().Equal(1, 2, 3);
        reports.Should().OnlyContain(r => r.Total == 3);
        logger.Entries.Count(e => e.Level == LogLevel.Warning).Should().Be(1, "the unreadable photo is logged as a warning");
        logger.Entries.Should().Contain(e => e.Level == LogLevel.Information && e.Message.Contains("1 failed"));
    }

    [Fact]
    public async Task A_second_run_resumes_by_skipping_done_outputs_and_overwrite_redoes_them()
    {
        string input = Input();
        string output = Path.Combine(_root, "out");
        using var pipeline = new FaceDeidentifier(fixture.Detector);
        var batch = new BatchDeidentifier(pipeline);
        await batch.RunFolderAsync(input, output);
        DateTime written = File.GetLastWriteTimeUtc(Path.Combine(output, "a.deid.png"));

        BatchResult again = await batch.RunFolderAsync(input, output);
        again.Items.Select(i => i.Outcome).Should().Equal(BatchOutcome.Skipped, BatchOutcome.Failed, BatchOutcome.Skipped);
        File.GetLastWriteTimeUtc(Path.Combine(output, "a.deid.png")).Should().Be(written);

        BatchResult redone = await batch.RunFolderAsync(input, output, new BatchOptions { Overwrite = true });
        redone.Items.Select(i => i.Outcome).Should().Equal(BatchOutcome.Done, BatchOutcome.Failed, BatchOutcome.Done);
        Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Should().HaveCount(2, "no temporary file is left");
    }

    [Fact]
    public async Task An_exception_on_one_photo_is_its_result_and_the_others_are_done()
    {
        string input = Input();
        using var pipeline = new FaceDeidentifier(fixture.Detector);
        var options = new BatchOptions { BeforeItem = p => _ = p.EndsWith("a.png", StringComparison.Ordinal) ? throw new IOException("disk on fire") : 0 };
        BatchResult result = await new BatchDeidentifier(pipeline).RunFolderAsync(input, Path.Combine(_root, "out"), options);
        result.Items[0].Outcome.Should().Be(BatchOutcome.Error);
        result.Items[0].Message.Should().Be("IOException: disk on fire");
        result.Items[2].Outcome.Should().Be(BatchOutcome.Done);
    }

    [Fact]
    public async Task A_cancelled_batch_returns_every_item_not_processed_instead_of_throwing()
    {
        string input = Input();
        using var pipeline = new FaceDeidentifier(fixture.Detector);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        BatchResult result = await new BatchDeidentifier(pipeline).RunFolderAsync(input, Path.Combine(_root, "out"), cancellationToken: cts.Token);
        result.Cancelled.Should().BeTrue();
        result.Items.Should().HaveCount(3).And.OnlyContain(i => i.Outcome == BatchOutcome.NotProcessed);
        Directory.Exists(Path.Combine(_root, "out")).Should().BeFalse("nothing was written");
    }

    [Fact]
    public async Task Bad_arguments_are_refused_with_what_is_wrong()
    {
        using var pipeline = new FaceDeidentifier(fixture.Detector);
        var batch = new BatchDeidentifier(pipeline);
        string a = Path.Combine(_root, "a.png");
        Func<Task> twoToOne = () => batch.RunAsync([new BatchItem(a, Path.Combine(_root, "x.png")), new BatchItem(Face("astronaut.png"), Path.Combine(_root, "x.png"))]);
        (await twoToOne.Should().ThrowAsync<ArgumentException>()).WithMessage("*Two items write to*");
        Func<Task> missing = () => batch.RunFolderAsync(Path.Combine(_root, "nowhere"), Path.Combine(_root, "out"));
        (await missing.Should().ThrowAsync<ArgumentException>()).WithMessage("*does not exist*");
        Func<Task> parallel = () => batch.RunAsync([], new BatchOptions { MaxDegreeOfParallelism = 0 });
        (await parallel.Should().ThrowAsync<ArgumentException>()).WithMessage("*MaxDegreeOfParallelism*");
        FluentActions.Invoking(() => new BatchItem(" ", "x.png")).Should().Throw<ArgumentException>().WithMessage("*source path is blank*");
    }

    private sealed class SyncProgress(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }
}
