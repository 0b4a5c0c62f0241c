using System.Reflection;

namespace FaceDefender.Landmarks;

/// <summary>Access to the ONNX models embedded in this assembly (see Models/PROVENANCE.md).</summary>
internal static class EmbeddedModels
{
    /// <summary>MediaPipe BlazeFace (back-camera) face detector, 256 x 256 NHWC input in [-1, 1].</summary>
    public const string FaceDetector = "FaceDefender.Models.blazeface.onnx";

    /// <summary>MediaPipe face landmark model, 468 points, 192 x 192 NHWC input in [0, 1].</summary>
    public const string FaceMesh = "FaceDefender.Models.facemesh.onnx";

    /// <summary>MediaPipe iris landmark model, 71 + 5 points, 64 x 64 NHWC input in [0, 1].</summary>
    public const string Iris = "FaceDefender.Models.iris.onnx";

    /// <summary>Reads an embedded model into memory.</summary>
    /// <exception cref="FaceDefenderException">The resource is missing (a broken build).</exception>
    public static byte[] Read(string resourceName)
    {
        using Stream? stream = typeof(EmbeddedModels).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new FaceDefenderException(
                $"Embedded model '{resourceName}' is missing from {typeof(EmbeddedModels).Assembly.GetName().Name}; the package is damaged: reinstall it.");
        using var memory = new MemoryStream(checked((int)stream.Length));
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
