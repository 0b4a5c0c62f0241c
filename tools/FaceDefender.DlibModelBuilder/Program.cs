using System.Security.Cryptography;
using FaceDefender.DlibModelBuilder;
using FaceDefender.ModelConverter;

// Usage: FaceDefender.DlibModelBuilder <face_recognition_model-weights_manifest.json> <face_recognition_model.bin> <output.onnx>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: FaceDefender.DlibModelBuilder <weights_manifest.json> <weights.bin> <output.onnx>");
    return 2;
}

TfjsWeights weights = TfjsWeights.Load(args[0], args[1]);
OnnxModel onnx = DlibResNetGraph.Build(weights);
onnx.DocString = "dlib_face_recognition_resnet_model_v1 (public domain, Davis King), weights from npm @vladmandic/face-api model/face_recognition_model.bin; graph by FaceDefender.DlibModelBuilder. Input NCHW RGB (pixel - mean RGB (122.782, 117.001, 104.298)) / 255, 150 x 150.";
onnx.Metadata.Add(new("source_manifest_sha256", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(args[0])))));
onnx.Metadata.Add(new("source_weights_sha256", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(args[1])))));
onnx.Metadata.Add(new("licence", "dlib face recognition model: public domain (Davis King)"));
byte[] bytes = onnx.Serialize();
File.WriteAllBytes(args[2], bytes);
Console.WriteLine($"{args[2]}: {onnx.Nodes.Count} nodes, {onnx.Initializers.Count} initializers, {bytes.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}");
return 0;
