using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace FaceDefender.Runtime;

/// <summary>
/// Keeps ONNX Runtime from phoning home. Its native library (1.29 and later on Linux and macOS) starts a telemetry client
/// when its environment is created: a device id and an event queue under <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime</c>,
/// a session file in the temp folder, and look-ups of a Microsoft events host. The only switch is the native environment
/// variable <c>ORT_DISABLE_TELEMETRY=1</c>, read once when the ONNX Runtime environment is created, so FaceDefender sets it in
/// the process's native environment when the library loads and again before it creates any model session (on Windows it
/// also calls <see cref="OrtEnv.DisableTelemetryEvents"/>). A host that created the ONNX Runtime environment before
/// FaceDefender loaded must set the variable itself; <see cref="IsDisabled"/> then reports false.
/// </summary>
public static class OnnxRuntimeTelemetry
{
    /// <summary>The variable ONNX Runtime reads.</summary>
    public const string Variable = "ORT_DISABLE_TELEMETRY";

    private static readonly Lock Gate = new();
    private static bool _ensured;
    private static bool _disabled;
    private static string? _hostValue;
    private static bool _hostValueRead;

    /// <summary>
    /// True when FaceDefender switched the telemetry off before ONNX Runtime's environment was created (or the variable was
    /// already set); false when the host had created the environment first, with telemetry on.
    /// </summary>
    public static bool IsDisabled
    {
        get
        {
            EnsureDisabled();
            return _disabled;
        }
    }

    /// <summary>Sets the switch if ONNX Runtime has not decided yet. Called before every model session the library creates.</summary>
    /// <exception cref="FaceDefenderException">The application has no native ONNX Runtime (add the package
    /// Microsoft.ML.OnnxRuntime, or Microsoft.ML.OnnxRuntime.Gpu).</exception>
    public static void EnsureDisabled()
    {
        lock (Gate)
        {
            if (_ensured)
            {
                return;
            }

            SetNativeVariable();
            bool alreadyCreated = OrtEnv.IsCreated;
            _disabled = !alreadyCreated || _hostValue?.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";
            // Creates the environment now, with the switch set, or says clearly that the native runtime is missing.
            OnnxRuntimeNative.EnsureAvailable();
            if (OperatingSystem.IsWindows())
            {
                OrtEnv.Instance().DisableTelemetryEvents();
            }

            _ensured = true;
        }
    }

    /// <summary>Runs when the FaceDefender assembly loads: sets the variable before any code can create the ONNX Runtime environment.</summary>
#pragma warning disable CA2255 // A module initializer is the earliest point a library can act, which this switch needs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void OnLoad() => SetNativeVariable();

    private static void SetNativeVariable()
    {
        if (!_hostValueRead)
        {
            _hostValue = Environment.GetEnvironmentVariable(Variable);
            _hostValueRead = true;
        }

        // .NET keeps its own copy of the environment on Unix: Environment.SetEnvironmentVariable never reaches native code.
        Environment.SetEnvironmentVariable(Variable, "1");
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                _ = NativeSetEnv(Variable, "1", 1);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // No C library under that name: nothing native reads the variable either.
            }
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int NativeSetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
