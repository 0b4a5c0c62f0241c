using System.Text.RegularExpressions;

namespace FaceDefender.Pipeline;

/// <summary>Writes files atomically: to a temporary file in the destination folder, then renamed into place.</summary>
internal static partial class AtomicFile
{
    /// <summary>Prefix of the temporary files (hidden on Unix): <c>.fdtmp-</c>, then 32 hex digits and <c>.tmp</c>.</summary>
    public const string TemporaryPrefix = ".fdtmp-";

    /// <summary>Writes through <paramref name="write"/> and moves the result to <paramref name="path"/>.</summary>
    /// <param name="path">Destination path; its folder is created when missing.</param>
    /// <param name="overwrite">Replace an existing file; otherwise an existing file is an error.</param>
    /// <param name="write">Writes the content to the stream.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or the write or the rename failed
    /// (the temporary file is removed and an existing destination is left as it was).</exception>
    public static void Write(string path, bool overwrite, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        if (!overwrite && File.Exists(full))
        {
            throw new IOException($"'{full}' already exists; pass overwrite: true to replace it.");
        }

        // A short name of fixed length, so a destination name near the file-system limit still gets a temporary file.
        string tmp = Path.Combine(dir, $"{TemporaryPrefix}{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }

            Move(tmp, full, overwrite);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }
    }

    /// <summary>
    /// Removes temporary files that a killed writer left in <paramref name="folder"/> (and, if asked, its sub-folders, without
    /// following symbolic links): this class's own and those of earlier versions (<c>.NAME.&lt;32 hex&gt;.tmp</c>).
    /// Call it only when no other writer is using the folder.
    /// </summary>
    /// <param name="folder">The folder; nothing happens when it does not exist.</param>
    /// <param name="recursive">Also clean the sub-folders.</param>
    /// <returns>How many files were removed.</returns>
    public static int RemoveStaleTemporaryFiles(string folder, bool recursive) => RemoveStaleTemporaryFiles(folder, recursive, TimeSpan.Zero);

    /// <summary>
    /// Removes the temporary files a killed writer left that were last written more than <paramref name="olderThan"/> ago,
    /// so writers still running in the same folder (other workers of a sharded run) keep theirs.
    /// </summary>
    /// <param name="folder">The folder; nothing happens when it does not exist.</param>
    /// <param name="recursive">Also clean the sub-folders.</param>
    /// <param name="olderThan">Only files whose last write is at least this long ago; zero removes every one.</param>
    /// <returns>How many files were removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="olderThan"/> is negative.</exception>
    public static int RemoveStaleTemporaryFiles(string folder, bool recursive, TimeSpan olderThan)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(olderThan, TimeSpan.Zero);
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = recursive, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true, ReturnSpecialDirectories = false,
        };
        int removed = 0;
        foreach (string file in Directory.EnumerateFiles(folder, ".*.tmp", options))
        {
            if (StaleName().IsMatch(Path.GetFileName(file))
                && (olderThan == TimeSpan.Zero || DateTime.UtcNow - File.GetLastWriteTimeUtc(file) >= olderThan))
            {
                try
                {
                    File.Delete(file);
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Left for the next run; it is hidden and never taken for an output.
                }
            }
        }

        return removed;
    }

    /// <summary>The rename step; a seam for tests that inject a failing rename.</summary>
    internal static Action<string, string, bool> Move { get; set; } = File.Move;

    [GeneratedRegex(@"^(\.fdtmp-[0-9a-f]{32}|\..+\.[0-9a-f]{32})\.tmp$")]
    private static partial Regex StaleName();
}
