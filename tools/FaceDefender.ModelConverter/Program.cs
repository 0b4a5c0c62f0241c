using System.Security.Cryptography;
using FaceDefender.ModelConverter;

// Usage: FaceDefender.ModelConverter [--nchwc-friendly] <model.json> <output.onnx>
// Converts a TensorFlow.js graph model (with its .bin weights beside it) to ONNX opset 13.
// --nchwc-friendly: PReLU as Relu + per-channel scales + Add and channel zero-padding as a 1 x 1 identity
// convolution, which ONNX Runtime's CPU provider runs much faster (see TfjsToOnnxConverter.Convert); same
// values up to float rounding.
bool nchwcFriendly = args.Length > 0 && args[0] == "--nchwc-friendly";
string[] files = nchwcFriendly ? args[1..] : args;
if (files.Length != 2 || files.Any(f => f.StartsWith("--", StringComparison.Ordinal)))
{
    Console.Error.WriteLine("usage: FaceDefender.ModelConverter [--nchwc-friendly] <model.json> <output.onnx>");
    return 2;
}

string input = files[0];
string output = files[1];
TfjsGraphModel tf = TfjsGraphModel.Load(input);
OnnxModel onnx = TfjsToOnnxConverter.Convert(tf, Path.GetFileNameWithoutExtension(input), nchwcFriendly);
onnx.DocString = $"Converted from TensorFlow.js graph model {Path.GetFileName(input)} by FaceDefender.ModelConverter.";
onnx.Metadata.Add(new("source_model_json_sha256", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(input)))));
if (nchwcFriendly)
{
    onnx.Metadata.Add(new("converter_options", "--nchwc-friendly"));
}
byte[] bytes = onnx.Serialize();
File.WriteAllBytes(output, bytes);
Console.WriteLine($"{output}: {onnx.Nodes.Count} nodes, {onnx.Initializers.Count} initializers, {bytes.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}");
return 0;
