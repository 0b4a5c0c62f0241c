namespace FaceDefender.Pipeline;

/// <summary>Writes files atomically: to a temporary file in the destination folder, then renamed into place.</summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> and moves the result to <paramref name="path"/>.</summary>
    /// <param name="path">Destination path; its folder is created when missing.</param>
    /// <param name="overwrite">Replace an existing file; otherwise an existing file is an error.</param>
    /// <param name="write">Writes the content to the stream.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false.</exception>
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

        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }

            File.Move(tmp, full, overwrite);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }
    }
}
