using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Landmarks;

/// <summary>
/// One TensorFlow.js reference output (Fixtures/models/*.json, written by
/// tools/models/tfjs-reference/make-model-fixtures.js) and the input it was computed from,
/// regenerated here exactly as the script generated it.
/// </summary>
internal sealed class ModelFixture
{
    public required string Model { get; init; }
    public required string InputName { get; init; }
    public required int[] InputShape { get; init; }
    public required float[] Input { get; init; }
    public required Dictionary<string, (int[] Shape, float[] Values)> Outputs { get; init; }

    public static string FixturePath(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static ModelFixture Load(string fileName)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(FixturePath("models", fileName)));
        JsonElement root = doc.RootElement;
        JsonElement input = root.GetProperty("input");
        int[] shape = input.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        float low = input.GetProperty("low").GetSingle();
        float high = input.GetProperty("high").GetSingle();
        float[] data = input.GetProperty("kind").GetString() switch
        {
            "lcg" => Lcg(shape.Aggregate(1, (a, b) => a * b), input.GetProperty("seed").GetUInt32(), low, high),
            "image-nearest" => NearestCrop(
                input.GetProperty("image").GetString()!,
                input.GetProperty("rect").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                shape[1], low, high),
            var other => throw new InvalidDataException($"unknown generator {other}"),
        };

        var outputs = new Dictionary<string, (int[], float[])>();
        foreach (JsonProperty o in root.GetProperty("outputs").EnumerateObject())
        {
            outputs[o.Name] = (
                o.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                o.Value.GetProperty("values").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        }

        return new ModelFixture
        {
            Model = root.GetProperty("model").GetString()!,
            InputName = input.GetProperty("name").GetString()!,
            InputShape = shape,
            Input = data,
            Outputs = outputs,
        };
    }

    // Same 32-bit LCG as common.js: s = s * 1664525 + 1013904223 (mod 2^32), value = s / 2^32.
    private static float[] Lcg(int count, uint seed, float low, float high)
    {
        var result = new float[count];
        uint s = seed;
        for (int i = 0; i < count; i++)
        {
            s = unchecked((s * 1664525u) + 1013904223u);
            result[i] = (float)(low + (s / 4294967296.0 * (high - low)));
        }

        return result;
    }

    // Same nearest-neighbour crop as common.js nearestCropTensor.
    private static float[] NearestCrop(string image, int[] rect, int size, float low, float high)
    {
        using var img = Image.Load<Rgb24>(FixturePath("faces", image));
        var result = new float[size * size * 3];
        for (int oy = 0; oy < size; oy++)
        {
            int sy = Math.Clamp(rect[1] + (oy * rect[3] / size), 0, img.Height - 1);
            for (int ox = 0; ox < size; ox++)
            {
                int sx = Math.Clamp(rect[0] + (ox * rect[2] / size), 0, img.Width - 1);
                Rgb24 p = img[sx, sy];
                int o = ((oy * size) + ox) * 3;
                result[o] = (float)((p.R / 255.0 * (high - low)) + low);
                result[o + 1] = (float)((p.G / 255.0 * (high - low)) + low);
                result[o + 2] = (float)((p.B / 255.0 * (high - low)) + low);
            }
        }

        return result;
    }
}
