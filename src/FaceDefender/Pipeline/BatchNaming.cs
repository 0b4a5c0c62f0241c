using System.Security.Cryptography;
using System.Text;

namespace FaceDefender.Pipeline;

/// <summary>Output names of a batch, shared by <see cref="BatchItem.FromFolder"/> and the command line.</summary>
internal static class BatchNaming
{
    /// <summary>
    /// <c>NAME.deid.png</c> beside the input's relative folder; inputs whose names collide (<c>a.jpg</c> and <c>a.png</c>, or
    /// names equal but for case) keep their extension (<c>a.jpg.deid.png</c>), and a number is added if that still collides.
    /// Names too long for the file system are shortened with a hash.
    /// </summary>
    public static string[] OutputNames(IReadOnlyList<string> relatives)
    {
        string Plain(string rel) => Path.ChangeExtension(rel, null) + ".deid.png";
        var groups = relatives.Select((r, i) => (i, name: Plain(r))).GroupBy(x => x.name, StringComparer.OrdinalIgnoreCase).ToList();
        var names = new string[relatives.Count];
        foreach (var g in groups)
        {
            bool collide = g.Count() > 1;
            foreach ((int i, string name) in g)
            {
                names[i] = Fit(collide ? relatives[i] + ".deid.png" : name);
            }
        }

        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < names.Length; i++)
        {
            string candidate = names[i];
            for (int k = 2; !taken.Add(candidate); k++)
            {
                candidate = Fit(Path.ChangeExtension(names[i], null)[..^".deid".Length] + $"-{k}.deid.png");
            }

            names[i] = candidate;
        }

        return names;
    }

    private static string Fit(string relative)
    {
        // Keep each path component within 255 UTF-8 bytes.
        string dir = Path.GetDirectoryName(relative) ?? string.Empty;
        string file = Path.GetFileName(relative);
        if (Encoding.UTF8.GetByteCount(file) <= 255)
        {
            return relative;
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file)))[..12];
        var sb = new StringBuilder();
        foreach (Rune r in file.EnumerateRunes())
        {
            if (Encoding.UTF8.GetByteCount(sb.ToString()) + r.Utf8SequenceLength > 200)
            {
                break;
            }

            sb.Append(r.ToString());
        }

        return Path.Combine(dir, $"{sb}~{hash}.deid.png");
    }

}
