using System.Globalization;

namespace FaceDefender.Statistics.Tests;

/// <summary>
/// Reads the values R computed (Fixtures/make_reference.R): every expected value carries the R call that made it,
/// and assertion messages quote that call.
/// </summary>
internal static class RReference
{
    private static readonly Lazy<Dictionary<string, (double Value, string Call)>> Values = new(LoadValues);
    private static readonly Lazy<Dictionary<string, double[]>> Sets = new(LoadSets);

    public static string FixturePath(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", file);

    public static double[] Data(string name) => Sets.Value.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"dataset {name}");

    public static double Value(string id) => Entry(id).Value;

    public static (double Value, string Call) Entry(string id) =>
        Values.Value.TryGetValue(id, out var v) ? v : throw new KeyNotFoundException($"reference value {id}");

    /// <summary>All elements id[1], id[2], ... of a vector-valued R result.</summary>
    public static double[] Vector(string id)
    {
        var list = new List<double>();
        for (int i = 1; Values.Value.TryGetValue($"{id}[{i}]", out var v); i++)
        {
            list.Add(v.Value);
        }

        if (list.Count == 0)
        {
            list.Add(Value(id));
        }

        return [.. list];
    }

    public static string Call(string id) => Values.Value.TryGetValue(id, out var v) ? v.Call : Values.Value[$"{id}[1]"].Call;

    /// <summary>Asserts |actual - expected| &lt;= tol * max(1, |expected|), quoting the R call.</summary>
    public static void ShouldMatch(double actual, string id, double tolerance)
    {
        (double expected, string call) = Entry(id);
        double scale = Math.Max(1.0, Math.Abs(expected));
        Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(tolerance * scale,
            $"{id}: R `{call}` gives {expected:R}, .NET gave {actual:R}");
    }

    /// <summary>R's boot.array(b, indices = TRUE), converted to 0-based.</summary>
    public static int[,] BootIndices(string name)
    {
        string[] lines = File.ReadAllLines(FixturePath($"boot_{name}.csv"));
        int n = lines[0].Split(',').Length;
        var result = new int[lines.Length, n];
        for (int b = 0; b < lines.Length; b++)
        {
            string[] parts = lines[b].Split(',');
            for (int i = 0; i < n; i++)
            {
                result[b, i] = int.Parse(parts[i], CultureInfo.InvariantCulture) - 1;
            }
        }

        return result;
    }

    private static Dictionary<string, (double, string)> LoadValues()
    {
        var dict = new Dictionary<string, (double, string)>();
        foreach (string line in File.ReadLines(FixturePath("reference.tsv")).Skip(1))
        {
            string[] f = line.Split('\t');
            dict[f[0]] = (Parse(f[1]), f[2]);
        }

        return dict;
    }

    private static Dictionary<string, double[]> LoadSets()
    {
        var dict = new Dictionary<string, double[]>();
        foreach (string line in File.ReadLines(FixturePath("datasets.tsv")).Skip(1))
        {
            string[] f = line.Split('\t');
            dict[f[0]] = f[1].Split(',').Select(Parse).ToArray();
        }

        return dict;
    }

    private static double Parse(string s) => s switch
    {
        "NaN" or "NA" => double.NaN,
        "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
