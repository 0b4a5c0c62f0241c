using Microsoft.ML.OnnxRuntime;

namespace FaceDefender.Runtime;

/// <summary>
/// FaceDefender's libraries reference only ONNX Runtime's managed API (<c>Microsoft.ML.OnnxRuntime.Managed</c>); the
/// application brings the native runtime: <c>Microsoft.ML.OnnxRuntime</c> for the CPU, or <c>Microsoft.ML.OnnxRuntime.Gpu</c>.
/// Without one, ONNX Runtime fails deep inside its type initialiser; this turns that into one clear error.
/// </summary>
internal static class OnnxRuntimeNative
{
    /// <summary>What an application without a native ONNX Runtime is told.</summary>
    public const string MissingMessage =
        "ONNX Runtime's native library was not found. FaceDefender references only ONNX Runtime's managed API so that the " +
        "application can choose the runtime: add the package Microsoft.ML.OnnxRuntime (CPU; `dotnet add package Microsoft.ML.OnnxRuntime`) " +
        "or Microsoft.ML.OnnxRuntime.Gpu (CUDA), at the version FaceDefender was built with or later.";

    /// <summary>Creates ONNX Runtime's environment (the telemetry switch must already be set), or throws the clear error.</summary>
    /// <exception cref="FaceDefenderException">No usable native ONNX Runtime library.</exception>
    public static void EnsureAvailable()
    {
        try
        {
            _ = OrtEnv.Instance();
        }
        catch (Exception e) when (IsMissingNative(e))
        {
            throw new FaceDefenderException(MissingMessage, e);
        }
    }

    /// <summary>True for the exceptions a missing, unloadable or mismatched native library produces.</summary>
    internal static bool IsMissingNative(Exception e) => e switch
    {
        DllNotFoundException or EntryPointNotFoundException or BadImageFormatException => true,
        TypeInitializationException { InnerException: { } inner } => IsMissingNative(inner),
        _ => false,
    };
}
