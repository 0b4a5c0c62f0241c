using FaceDefender.Landmarks;

namespace FaceDefender.Privacy;

/// <summary>
/// The default embedder, shipped inside the package: dlib's ResNet face recogniser
/// (dlib_face_recognition_resnet_model_v1, public domain; 128-D; 99.38 % on LFW as published by
/// its author). Provenance in Models/PROVENANCE-dlib.md of the FaceDefender.Privacy project.
/// </summary>
/// <remarks>Thread-safe; dispose it.</remarks>
public sealed class DlibFaceEmbedder : OnnxFaceEmbedder
{
    /// <summary>Resource name of the embedded model.</summary>
    internal const string Resource = "FaceDefender.Models.dlib_face_recognition_resnet_v1.onnx";

    /// <summary>Loads the embedded model.</summary>
    /// <param name="sessionOptions">ONNX Runtime options; null = one thread per call.</param>
    public DlibFaceEmbedder(Microsoft.ML.OnnxRuntime.SessionOptions? sessionOptions = null)
        : base(EmbeddedModels.Read(Resource, typeof(DlibFaceEmbedder).Assembly), sessionOptions is null
            ? OnnxFaceEmbedderOptions.DlibResNet
            : OnnxFaceEmbedderOptions.DlibResNet.WithSessionOptions(sessionOptions))
    {
    }
}
