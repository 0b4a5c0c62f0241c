using System.Text.Json;

namespace FaceDefender.DlibModelBuilder;

/// <summary>
/// The tensors of a TensorFlow.js weights-only model: a weights manifest (JSON) and the binary it
/// lists. Entries are laid out back to back in manifest order, little-endian; an entry with a
/// <c>quantization</c> block is stored as one byte per value and decodes as <c>q * scale + min</c>.
/// </summary>
internal sealed class TfjsWeights
{
    private readonly Dictionary<string, (int[] Shape, float[] Values)> _tensors = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public static TfjsWeights Load(string manifestPath, string binPath)
    {
        byte[] bin = File.ReadAllBytes(binPath);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var weights = new TfjsWeights();
        int offset = 0;
        foreach (JsonElement group in doc.RootElement.EnumerateArray())
        {
            foreach (JsonElement entry in group.GetProperty("weights").EnumerateArray())
            {
                string name = entry.GetProperty("name").GetString()!;
                int[] shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                string dtype = entry.GetProperty("dtype").GetString()!;
                if (dtype != "float32")
                {
                    throw new InvalidDataException($"{name}: dtype {dtype} is not supported (float32 only).");
                }

                int count = shape.Aggregate(1, (a, b) => checked(a * b));
                var values = new float[count];
                if (entry.TryGetProperty("quantization", out JsonElement q))
                {
                    string qType = q.GetProperty("dtype").GetString()!;
                    if (qType != "uint8")
                    {
                        throw new InvalidDataException($"{name}: quantisation {qType} is not supported (uint8 only).");
                    }

                    double scale = q.GetProperty("scale").GetDouble();
                    double min = q.GetProperty("min").GetDouble();
                    for (int i = 0; i < count; i++)
                    {
                        // Same arithmetic as TF.js dequantisation: in double, then stored as float32.
                        values[i] = (float)((bin[offset + i] * scale) + min);
                    }

                    offset += count;
                }
                else
                {
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = BitConverter.ToSingle(bin, offset + (4 * i));
                    }

                    offset += 4 * count;
                }

                weights._tensors.Add(name, (shape, values));
            }
        }

        if (offset != bin.Length)
        {
            throw new InvalidDataException($"The manifest describes {offset} bytes but the weights file has {bin.Length}.");
        }

        return weights;
    }

    public (int[] Shape, float[] Values) Get(string name) =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"Weight '{name}' is not in the manifest.");
}
