namespace FaceDefender.Cli;

/// <summary>
/// Lists the photos of a folder tree for a batch: no directory symbolic links unless asked (then each real folder once, so
/// loops end), the output folder left out when it lies inside the input, and only names with a photo extension or, when a
/// content test is given, files it accepts (videos, whatever their names).
/// Unreadable sub-folders are reported, not fatal. Order is ordinal by relative path, so runs are reproducible.
/// </summary>
internal static class InputWalker
{
    public sealed record Listing(List<(string Source, string Relative)> Files, List<string> Problems);

    public static Listing Walk(string root, string? excludeFolder, IReadOnlyCollection<string> extensions, bool followSymlinks, Func<string, bool>? alsoInclude = null)
    {
        root = Path.GetFullPath(root);
        string? exclude = excludeFolder is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(excludeFolder));
        var files = new List<(string, string)>();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(root);
        seen.Add(RealPath(root));
        while (pending.Count > 0)
        {
            string dir = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", new EnumerationOptions { IgnoreInaccessible = false, ReturnSpecialDirectories = false }).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                problems.Add($"{Relative(root, dir)}: folder not readable ({e.GetType().Name})");
                continue;
            }

            foreach (FileSystemInfo entry in entries)
            {
                bool isLink = entry.LinkTarget is not null;
                if (entry is DirectoryInfo sub)
                {
                    string full = Path.TrimEndingDirectorySeparator(sub.FullName);
                    if (exclude is not null && string.Equals(full, exclude, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (isLink && !followSymlinks)
                    {
                        problems.Add($"{Relative(root, full)}: symbolic link to a folder, not followed (use --follow-symlinks)");
                        continue;
                    }

                    string real = RealPath(full);
                    if (exclude is not null && string.Equals(real, exclude, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (!seen.Add(real))
                    {
                        problems.Add($"{Relative(root, full)}: folder already listed through another path (a link loop), skipped");
                        continue;
                    }

                    pending.Push(full);
                }
                else if (extensions.Contains(Path.GetExtension(entry.Name).ToLowerInvariant())
                    || (alsoInclude is not null && entry is FileInfo && alsoInclude(entry.FullName)))
                {
                    files.Add((entry.FullName, Path.GetRelativePath(root, entry.FullName)));
                }
            }
        }

        files.Sort((a, b) => StringComparer.Ordinal.Compare(a.Item2, b.Item2));
        return new Listing(files, problems);
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path);

    private static string RealPath(string dir)
    {
        try
        {
            // Resolve every link on the way, so two routes to one folder compare equal.
            var info = new DirectoryInfo(dir);
            FileSystemInfo? target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
            string path = Path.TrimEndingDirectorySeparator((target ?? info).FullName);
            string? parent = Path.GetDirectoryName(path);
            return parent is null ? path : Path.Combine(RealPath(parent), Path.GetFileName(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Path.GetFullPath(dir);
        }
    }
}
