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

    /// <summary>Reads a model embedded in this assembly into memory.</summary>
    /// <exception cref="FaceDefenderException">The resource is missing (a broken build).</exception>
    public static byte[] Read(string resourceName) => Read(resourceName, typeof(EmbeddedModels).Assembly);

    /// <summary>Reads a model embedded in <paramref name="assembly"/> (another FaceDefender package's) into memory.</summary>
    /// <exception cref="FaceDefenderException">The resource is missing (a broken build).</exception>
    public static byte[] Read(string resourceName, Assembly assembly)
    {
        using Stream? stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new FaceDefenderException(
                $"Embedded model '{resourceName}' is missing from {assembly.GetName().Name}; the package is damaged: reinstall it.");
        using var memory = new MemoryStream(checked((int)stream.Length));
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
