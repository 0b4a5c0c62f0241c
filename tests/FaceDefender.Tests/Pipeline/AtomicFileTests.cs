using System.Text;
using FaceDefender.Pipeline;

namespace FaceDefender.Tests.Pipeline;

/// <summary>
/// <see cref="AtomicFile.Write"/> on bad input and failures: nothing half-written ever becomes the destination, an existing
/// destination keeps its content, and no temporary file is left. Each test works in its own temporary folder, deleted after.
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fd-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static void WriteText(Stream s, string text) => s.Write(Encoding.UTF8.GetBytes(text));

    internal static string[] Temporaries(string dir) => Directory.GetFiles(dir, AtomicFile.TemporaryPrefix + "*", SearchOption.AllDirectories);

    [Fact]
    public void Writes_the_content_creating_the_folder_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_dir, "a", "b", "out.txt");
        AtomicFile.Write(path, overwrite: false, s => WriteText(s, "new"));
        File.ReadAllText(path).Should().Be("new");
        Temporaries(_dir).Should().BeEmpty();
    }

    [Fact]
    public void A_writer_that_throws_half_way_leaves_no_destination_and_no_temporary_file()
    {
        string path = Path.Combine(_dir, "out.txt");
        Action write = () => AtomicFile.Write(path, overwrite: false, s =>
        {
            WriteText(s, "half of it");
            s.Flush();
            throw new InvalidOperationException("writer failed");
        });
        write.Should().Throw<InvalidOperationException>().WithMessage("writer failed", "the writer's own exception reaches the caller");
        File.Exists(path).Should().BeFalse();
        Temporaries(_dir).Should().BeEmpty();
    }

    [Fact]
    public void A_writer_that_throws_leaves_an_existing_destination_as_it_was()
    {
        string path = Path.Combine(_dir, "out.txt");
        File.WriteAllText(path, "old");
        Action write = () => AtomicFile.Write(path, overwrite: true, s =>
        {
            WriteText(s, "new, half");
            throw new IOException("disk full");
        });
        write.Should().Throw<IOException>().WithMessage("disk full");
        File.ReadAllText(path).Should().Be("old");
        Temporaries(_dir).Should().BeEmpty();
    }

    [Fact]
    public void An_existing_destination_without_overwrite_is_an_error_and_keeps_its_content()
    {
        string path = Path.Combine(_dir, "out.txt");
        File.WriteAllText(path, "old");
        bool called = false;
        Action write = () => AtomicFile.Write(path, overwrite: false, s => called = true);
        write.Should().Throw<IOException>().WithMessage("*already exists*");
        called.Should().BeFalse("nothing is written when the destination may not be replaced");
        File.ReadAllText(path).Should().Be("old");
        Temporaries(_dir).Should().BeEmpty();
    }

    [Fact]
    public void Bad_arguments_fail_before_anything_is_written()
    {
        FluentActions.Invoking(() => AtomicFile.Write(null!, false, _ => { })).Should().Throw<ArgumentNullException>().WithParameterName("path");
        FluentActions.Invoking(() => AtomicFile.Write("  ", false, _ => { })).Should().Throw<ArgumentException>().WithParameterName("path");
        FluentActions.Invoking(() => AtomicFile.Write(Path.Combine(_dir, "x"), false, null!)).Should().Throw<ArgumentNullException>().WithParameterName("write");
        Directory.GetFileSystemEntries(_dir).Should().BeEmpty();

        // A destination that is a folder: the rename fails and the temporary file goes.
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "folder")).FullName;
        FluentActions.Invoking(() => AtomicFile.Write(folder, overwrite: true, s => WriteText(s, "x"))).Should().Throw<IOException>();
        Directory.Exists(folder).Should().BeTrue();
        Temporaries(_dir).Should().BeEmpty();
    }
}

/// <summary>
/// The rename step failing, through the <see cref="AtomicFile.Move"/> seam. The seam is process-wide, so this class runs in a
/// collection that xunit runs on its own after the parallel ones: no other test's write can meet the planted failure.
/// </summary>
[Collection(AtomicFileSeamCollection.Name)]
public sealed class AtomicFileRenameFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fd-atomic-move-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_failing_rename_leaves_the_old_destination_and_no_temporary_file()
    {
        string path = Path.Combine(_dir, "out.txt");
        File.WriteAllText(path, "old");
        Action<string, string, bool> original = AtomicFile.Move;
        string? renamedFrom = null;
        try
        {
            AtomicFile.Move = (from, to, overwrite) =>
            {
                renamedFrom = from;
                File.Exists(from).Should().BeTrue("the complete content waits in the temporary file");
                File.ReadAllText(from).Should().Be("new");
                throw new IOException("rename failed");
            };
            Action write = () => AtomicFile.Write(path, overwrite: true, s => AtomicFileTests.WriteText(s, "new"));
            write.Should().Throw<IOException>().WithMessage("rename failed");
        }
        finally
        {
            AtomicFile.Move = original;
        }

        renamedFrom.Should().NotBeNull();
        Path.GetDirectoryName(renamedFrom).Should().Be(_dir, "the temporary file sits beside the destination, so the rename stays on one file system");
        File.Exists(renamedFrom).Should().BeFalse();
        File.ReadAllText(path).Should().Be("old");
        AtomicFileTests.Temporaries(_dir).Should().BeEmpty();

        // With the real rename back, the same write goes through.
        AtomicFile.Write(path, overwrite: true, s => AtomicFileTests.WriteText(s, "new"));
        File.ReadAllText(path).Should().Be("new");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AtomicFileSeamCollection
{
    public const string Name = "AtomicFile.Move seam (not parallel)";
}
