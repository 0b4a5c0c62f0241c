using System.Text;
using System.Text.Json;

namespace FaceDefender.ModelConverter;

/// <summary>A constant read from the weights file, decoded to float32 or int32.</summary>
internal sealed record TfjsWeight(string Name, int[] Shape, float[]? Floats, int[]? Ints)
{
    public int Count => Shape.Aggregate(1, (a, b) => a * b);
}

/// <summary>One node of a TensorFlow.js graph model (model.json "modelTopology.node").</summary>
internal sealed record TfjsNode(string Name, string Op, string[] Inputs, JsonElement Attr)
{
    public bool HasAttr(string key) => Attr.ValueKind == JsonValueKind.Object && Attr.TryGetProperty(key, out _);

    public string AttrString(string key)
    {
        string b64 = Attr.GetProperty(key).GetProperty("s").GetString() ?? "";
        return Encoding.UTF8.GetString(Convert.FromBase64String(b64));
    }

    public bool AttrBool(string key) => Attr.GetProperty(key).TryGetProperty("b", out JsonElement b) && b.GetBoolean();

    public long[] AttrInts(string key)
    {
        JsonElement list = Attr.GetProperty(key).GetProperty("list");
        if (!list.TryGetProperty("i", out JsonElement items))
        {
            return [];
        }

        return items.EnumerateArray().Select(e => long.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    public string[] AttrStrings(string key)
    {
        JsonElement list = Attr.GetProperty(key).GetProperty("list");
        if (!list.TryGetProperty("s", out JsonElement items))
        {
            return [];
        }

        return items.EnumerateArray().Select(e => Encoding.UTF8.GetString(Convert.FromBase64String(e.GetString()!))).ToArray();
    }
}

/// <summary>
/// Reads a TensorFlow.js graph model: the topology from model.json and every weight from the
/// .bin files listed in its weights manifest (little-endian, manifest order), decoding float32,
/// int32, float16 and uint8/uint16 affine-quantised values.
/// </summary>
internal sealed class TfjsGraphModel
{
    public required List<TfjsNode> Nodes { get; init; }
    public required Dictionary<string, TfjsWeight> Weights { get; init; }
    public required Dictionary<string, long?[]> SignatureOutputShapes { get; init; }

    public static TfjsGraphModel Load(string modelJsonPath)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!;
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(modelJsonPath));
        JsonElement root = doc.RootElement;
        if (root.GetProperty("format").GetString() != "graph-model")
        {
            throw new InvalidDataException($"{modelJsonPath} is not a TensorFlow.js graph model.");
        }

        var nodes = new List<TfjsNode>();
        foreach (JsonElement n in root.GetProperty("modelTopology").GetProperty("node").EnumerateArray())
        {
            string[] inputs = n.TryGetProperty("input", out JsonElement inp)
                ? inp.EnumerateArray().Select(e => e.GetString()!).ToArray()
                : [];
            JsonElement attr = n.TryGetProperty("attr", out JsonElement a) ? a.Clone() : default;
            nodes.Add(new TfjsNode(n.GetProperty("name").GetString()!, n.GetProperty("op").GetString()!, inputs, attr));
        }

        var weights = new Dictionary<string, TfjsWeight>(StringComparer.Ordinal);
        foreach (JsonElement group in root.GetProperty("weightsManifest").EnumerateArray())
        {
            byte[] data = group.GetProperty("paths").EnumerateArray()
                .SelectMany(p => File.ReadAllBytes(Path.Combine(directory, p.GetString()!)))
                .ToArray();
            int offset = 0;
            foreach (JsonElement w in group.GetProperty("weights").EnumerateArray())
            {
                TfjsWeight weight = DecodeWeight(w, data, ref offset);
                weights.Add(weight.Name, weight);
            }

            if (offset != data.Length)
            {
                throw new InvalidDataException($"Weights manifest describes {offset} bytes but the files hold {data.Length}.");
            }
        }

        var outputShapes = new Dictionary<string, long?[]>(StringComparer.Ordinal);
        JsonElement signature = default;
        if (root.TryGetProperty("signature", out JsonElement s1))
        {
            signature = s1;
        }
        else if (root.TryGetProperty("userDefinedMetadata", out JsonElement meta) && meta.TryGetProperty("signature", out JsonElement s2))
        {
            signature = s2;
        }

        if (signature.ValueKind == JsonValueKind.Object && signature.TryGetProperty("outputs", out JsonElement outputs))
        {
            foreach (JsonProperty o in outputs.EnumerateObject())
            {
                string name = o.Value.GetProperty("name").GetString()!.Split(':')[0];
                long?[] dims = o.Value.GetProperty("tensorShape").GetProperty("dim").EnumerateArray()
                    .Select(d => ParseDim(d)).ToArray();
                outputShapes[name] = dims;
            }
        }

        return new TfjsGraphModel { Nodes = nodes, Weights = weights, SignatureOutputShapes = outputShapes };
    }

    public static long? ParseDim(JsonElement dim)
    {
        long size = long.Parse(dim.GetProperty("size").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        return size < 0 ? null : size;
    }

    private static TfjsWeight DecodeWeight(JsonElement w, byte[] data, ref int offset)
    {
        string name = w.GetProperty("name").GetString()!;
        int[] shape = w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        string dtype = w.GetProperty("dtype").GetString()!;
        int count = shape.Aggregate(1, (a, b) => a * b);

        if (w.TryGetProperty("quantization", out JsonElement q))
        {
            string qtype = q.GetProperty("dtype").GetString()!;
            if (dtype != "float32")
            {
                throw new NotSupportedException($"Quantised weight {name} of dtype {dtype} is not supported.");
            }

            var values = new float[count];
            switch (qtype)
            {
                case "float16":
                    for (int i = 0; i < count; i++)
                    {
                        ushort bits = BitConverter.ToUInt16(data, offset + (2 * i));
                        values[i] = (float)BitConverter.UInt16BitsToHalf(bits);
                    }

                    offset += 2 * count;
                    break;
                case "uint8":
                case "uint16":
                {
                    // Affine quantisation: value = q * scale + min.
                    float scale = q.GetProperty("scale").GetSingle();
                    float min = q.GetProperty("min").GetSingle();
                    int size = qtype == "uint8" ? 1 : 2;
                    for (int i = 0; i < count; i++)
                    {
                        int raw = size == 1 ? data[offset + i] : BitConverter.ToUInt16(data, offset + (2 * i));
                        values[i] = (raw * scale) + min;
                    }

                    offset += size * count;
                    break;
                }

                default:
                    throw new NotSupportedException($"Quantisation {qtype} of weight {name} is not supported.");
            }

            return new TfjsWeight(name, shape, values, null);
        }

        switch (dtype)
        {
            case "float32":
            {
                var values = new float[count];
                for (int i = 0; i < count; i++)
                {
                    values[i] = BitConverter.ToSingle(data, offset + (4 * i));
                }

                offset += 4 * count;
                return new TfjsWeight(name, shape, values, null);
            }

            case "int32":
            {
                var values = new int[count];
                for (int i = 0; i < count; i++)
                {
                    values[i] = BitConverter.ToInt32(data, offset + (4 * i));
                }

                offset += 4 * count;
                return new TfjsWeight(name, shape, null, values);
            }

            default:
                throw new NotSupportedException($"Weight {name} has unsupported dtype {dtype}.");
        }
    }
}
