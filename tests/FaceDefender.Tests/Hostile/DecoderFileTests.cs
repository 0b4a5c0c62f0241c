using System.Diagnostics;
using FaceDefender.Decoding;
using FaceDefender.Tests.Landmarks;

namespace FaceDefender.Tests.Hostile;

/// <summary>
/// Opening a path: folders, missing files and FIFOs are refused with a message that says which, a FIFO without a writer
/// does not block, and no file descriptor is left open after a decode or a refusal (Linux: checked in /proc/self/fd).
/// </summary>
public sealed class DecoderFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fd-decoder-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ImageDecodingException Refusal(string path) =>
        FluentActions.Invoking(() => FaceImageDecoder.Decode(path)).Should().Throw<ImageDecodingException>().Which;

    /// <summary>How many of this process's file descriptors point at <paramref name="path"/>.</summary>
    private static int OpenDescriptors(string path) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Count(fd =>
        {
            try
            {
                return fd.LinkTarget == path;
            }
            catch (IOException)
            {
                return false; // closed while enumerating
            }
        });

    [Fact]
    public void A_folder_is_refused_as_a_folder()
    {
        ImageDecodingException e = Refusal(_dir);
        e.Failure.Should().Be(ImageDecodingFailure.NotReadable);
        e.Message.Should().Contain("is a folder");
    }

    [Fact]
    public void A_missing_file_is_refused_as_missing()
    {
        ImageDecodingException e = Refusal(Path.Combine(_dir, "gone.jpg"));
        e.Failure.Should().Be(ImageDecodingFailure.NotReadable);
        e.Message.Should().Contain("does not exist");
        e.InnerException.Should().BeOfType<FileNotFoundException>();
    }

    [Fact]
    public void Decoding_a_file_leaves_no_descriptor_open()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string path = Path.Combine(_dir, "face.jpg");
        File.Copy(ModelFixture.FixturePath("faces", "grace_hopper.jpg"), path);
        for (int i = 0; i < 3; i++)
        {
            using DecodedImage d = FaceImageDecoder.Decode(path);
            d.Image.Width.Should().Be(512);
        }

        OpenDescriptors(path).Should().Be(0);
    }

    [Fact]
    public async Task A_fifo_without_a_writer_is_refused_at_once_and_left_closed()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string fifo = Path.Combine(_dir, "photo.jpg");
        using (Process mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        Task<ImageDecodingException> refusal = Task.Run(() => Refusal(fifo));
        try
        {
            // A blocking open would wait for a writer forever; the refusal takes milliseconds.
            ImageDecodingException e = await refusal.WaitAsync(TimeSpan.FromSeconds(60));
            e.Failure.Should().Be(ImageDecodingFailure.NotReadable);
            e.Message.Should().Contain("not a regular file");
            OpenDescriptors(fifo).Should().Be(0);
        }
        finally
        {
            if (!refusal.IsCompleted)
            {
                // Release the blocked reader so the test run can go on.
                using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            }
        }
    }
}
