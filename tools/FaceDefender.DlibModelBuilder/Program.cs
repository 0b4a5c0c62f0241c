using System.Security.Cryptography;
using FaceDefender.DlibModelBuilder;
using FaceDefender.ModelConverter;

// Usage: FaceDefender.DlibModelBuilder <face_recognition_model-weights_manifest.json> <face_recognition_model.bin> <output.onnx>
//        FaceDefender.DlibModelBuilder age-gender <age_gender_model-weights_manifest.json> <age_gender_model.bin> <output.onnx>
//        (face-api's age and gender network, for measuring the avatars only: tools/models/fetch-age-gender.sh; never shipped)
bool ageGender = args.Length == 4 && args[0] == "age-gender";
if (args.Length != 3 && !ageGender)
{
    Console.Error.WriteLine("usage: FaceDefender.DlibModelBuilder [age-gender] <weights_manifest.json> <weights.bin> <output.onnx>");
    return 2;
}

string[] files = ageGender ? args[1..] : args;
TfjsWeights weights = TfjsWeights.Load(files[0], files[1]);
OnnxModel onnx;
if (ageGender)
{
    onnx = AgeGenderGraph.Build(weights);
    onnx.DocString = "face-api age and gender network (Vincent Mühler, MIT; npm @vladmandic/face-api model/age_gender_model.bin); graph by FaceDefender.DlibModelBuilder. Input NCHW RGB (pixel - mean RGB (122.782, 117.001, 104.298)) / 255, 112 x 112; outputs age (years) and gender (softmax, index 0 = male). For measurement only.";
    onnx.Metadata.Add(new("licence", "MIT (@vladmandic/face-api)"));
}
else
{
    onnx = DlibResNetGraph.Build(weights);
    onnx.DocString = "dlib_face_recognition_resnet_model_v1 (public domain, Davis King), weights from npm @vladmandic/face-api model/face_recognition_model.bin; graph by FaceDefender.DlibModelBuilder. Input NCHW RGB (pixel - mean RGB (122.782, 117.001, 104.298)) / 255, 150 x 150.";
}

onnx.Metadata.Add(new("source_manifest_sha256", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(files[0])))));
onnx.Metadata.Add(new("source_weights_sha256", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(files[1])))));
if (!ageGender)
{
    onnx.Metadata.Add(new("licence", "dlib face recognition model: public domain (Davis King)"));
}

byte[] bytes = onnx.Serialize();
File.WriteAllBytes(files[2], bytes);
Console.WriteLine($"{files[2]}: {onnx.Nodes.Count} nodes, {onnx.Initializers.Count} initializers, {bytes.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}");
return 0;
