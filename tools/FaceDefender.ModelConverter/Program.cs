using System.Security.Cryptography;
using FaceDefender.ModelConverter;

// Usage: FaceDefender.ModelConverter <model.json> <output.onnx>
// Converts a TensorFlow.js graph model (with its .bin weights beside it) to ONNX opset 13.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: FaceDefender.ModelConverter <model.json> <output.onnx>");
    return 2;
}

string input = args[0];
string output = args[1];
TfjsGraphModel tf = TfjsGraphModel.Load(input);
OnnxModel onnx = TfjsToOnnxConverter.Convert(tf, Path.GetFileNameWithoutExtension(input));
onnx.DocString = $"Converted from TensorFlow.js graph model {Path.GetFileName(input)} by FaceDefender.ModelConverter.";
onnx.Metadata.Add(new("source_model_json_sha256", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(input)))));
byte[] bytes = onnx.Serialize();
File.WriteAllBytes(output, bytes);
Console.WriteLine($"{output}: {onnx.Nodes.Count} nodes, {onnx.Initializers.Count} initializers, {bytes.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}");
return 0;
