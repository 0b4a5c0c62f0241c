using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FaceDefender.Tests.Docs;

/// <summary>
/// Reads the figures that README.md and docs/*.md publish, from the repository's own files (not from a copy in the
/// build output), so a test can compare them with what the code computes now.
/// <para>
/// Two marks, both HTML comments that Markdown renderers do not show:
/// <c>&lt;!-- figure: NAME --&gt;</c> right before a number in the text (<see cref="Numbers"/> reads the numbers that
/// follow it), and <c>&lt;!-- figure-table: NAME --&gt;</c> on the line before a Markdown table (<see cref="Cell"/> reads
/// one cell by its row and column). Every name must occur exactly once in its file.
/// </para>
/// </summary>
internal static partial class PublishedFigures
{
    private static readonly ConcurrentDictionary<string, string> Files = new();

    /// <summary>The repository root: the first folder above the test binaries that holds FaceDefender.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The text of a file of the repository, e.g. "docs/privacy.md" (read once).</summary>
    public static string Read(string relativePath) =>
        Files.GetOrAdd(relativePath, p => File.ReadAllText(Path.Combine(RepositoryRoot, p.Replace('/', Path.DirectorySeparatorChar))));

    /// <summary>
    /// The first <paramref name="count"/> numbers after the mark <c>&lt;!-- figure: NAME --&gt;</c> in
    /// <paramref name="file"/>, read left to right: "19/24" is 19 and 24, "0.846-0.982" is 0.846 and 0.982 (a minus sign
    /// counts only where no digit or letter precedes it), the 1 of "Rank-1" is not a figure, "[7 %, 36 %]" is 7 and 36. Other marks in between are skipped.
    /// </summary>
    public static double[] Numbers(string file, string name, int count)
    {
        string text = Read(file);
        int at = Locate(text, file, $"<!-- figure: {name} -->");
        string rest = MarkPattern().Replace(text[at..Math.Min(text.Length, at + 2000)], " ");
        double[] numbers = [.. NumberPattern().Matches(rest).Take(count).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture))];
        return numbers.Length == count
            ? numbers
            : throw new InvalidOperationException($"{file}: the figure '{name}' is followed by {numbers.Length} numbers, {count} expected.");
    }

    /// <summary>The first number after the mark <c>&lt;!-- figure: NAME --&gt;</c>.</summary>
    public static double Number(string file, string name) => Numbers(file, name, 1)[0];

    /// <summary>
    /// The numbers in one cell of the table marked <c>&lt;!-- figure-table: TABLE --&gt;</c>: the row is the one whose
    /// first cell contains every one of <paramref name="row"/> (exactly one such row must exist), the column the one
    /// whose header is <paramref name="column"/> (ignoring case and surrounding spaces).
    /// </summary>
    public static double[] Cell(string file, string table, string column, params string[] row)
    {
        string text = Read(file);
        int at = Locate(text, file, $"<!-- figure-table: {table} -->");
        string[] lines = [.. text[at..].Split('\n').Skip(1).Select(l => l.Trim()).SkipWhile(l => l.Length == 0).TakeWhile(l => l.StartsWith('|'))];
        if (lines.Length < 3)
        {
            throw new InvalidOperationException($"{file}: no Markdown table after the mark '{table}'.");
        }

        string[] header = Cells(lines[0]);
        int col = Array.FindIndex(header, h => string.Equals(MarkPattern().Replace(h, " ").Trim(), column, StringComparison.OrdinalIgnoreCase));
        if (col < 0)
        {
            throw new InvalidOperationException($"{file}, table '{table}': no column '{column}' (columns: {string.Join(" | ", header)}).");
        }

        string[][] rows = [.. lines.Skip(2).Select(Cells).Where(c => row.All(r => c[0].Contains(r, StringComparison.Ordinal)))];
        if (rows.Length != 1)
        {
            throw new InvalidOperationException($"{file}, table '{table}': {rows.Length} rows whose first cell contains '{string.Join("', '", row)}', 1 expected.");
        }

        string cell = MarkPattern().Replace(rows[0][col], " ");
        return [.. NumberPattern().Matches(cell).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture))];
    }

    private static string[] Cells(string line) => [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim())];

    private static int Locate(string text, string file, string mark)
    {
        int first = text.IndexOf(mark, StringComparison.Ordinal);
        if (first < 0)
        {
            throw new InvalidOperationException($"{file}: the mark '{mark}' is missing (was the figure moved or its mark deleted?).");
        }

        if (text.IndexOf(mark, first + mark.Length, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"{file}: the mark '{mark}' occurs more than once.");
        }

        return first + mark.Length;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FaceDefender.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FaceDefender.sln above {AppContext.BaseDirectory}: the published-figure tests read the repository's docs.");
    }

    [GeneratedRegex(@"(?<![\w.])(?<![A-Za-z]-)-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"<!--.*?-->")]
    private static partial Regex MarkPattern();
}
