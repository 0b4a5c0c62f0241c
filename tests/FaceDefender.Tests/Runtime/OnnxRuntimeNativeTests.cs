using FaceDefender.Runtime;

namespace FaceDefender.Tests.Runtime;

/// <summary>
/// The libraries reference ONNX Runtime's managed API only; an application without the native runtime gets one clear
/// error. The end-to-end case (a consumer of the packed package without Microsoft.ML.OnnxRuntime) runs in CI (.ci/run).
/// </summary>
public sealed class OnnxRuntimeNativeTests
{
    [Fact]
    public void The_exceptions_of_a_missing_native_library_are_recognised_and_others_are_not()
    {
        OnnxRuntimeNative.IsMissingNative(new DllNotFoundException("libonnxruntime")).Should().BeTrue();
        OnnxRuntimeNative.IsMissingNative(new EntryPointNotFoundException("OrtGetApiBase")).Should().BeTrue();
        OnnxRuntimeNative.IsMissingNative(new BadImageFormatException("wrong architecture")).Should().BeTrue();
        // What ONNX Runtime's managed API actually throws: its native-methods type fails to initialise.
        OnnxRuntimeNative.IsMissingNative(new TypeInitializationException("Microsoft.ML.OnnxRuntime.NativeMethods", new DllNotFoundException("onnxruntime")))
            .Should().BeTrue();

        OnnxRuntimeNative.IsMissingNative(new TypeInitializationException("Some.Type", new InvalidOperationException())).Should().BeFalse();
        OnnxRuntimeNative.IsMissingNative(new TypeInitializationException("Some.Type", null)).Should().BeFalse();
        OnnxRuntimeNative.IsMissingNative(new InvalidOperationException()).Should().BeFalse();
        OnnxRuntimeNative.IsMissingNative(new OutOfMemoryException()).Should().BeFalse();
    }

    [Fact]
    public void With_the_native_runtime_present_the_check_passes_and_the_message_names_both_packages()
    {
        FluentActions.Invoking(OnnxRuntimeNative.EnsureAvailable).Should().NotThrow();
        OnnxRuntimeNative.MissingMessage.Should().Contain("dotnet add package Microsoft.ML.OnnxRuntime").And.Contain("Microsoft.ML.OnnxRuntime.Gpu");
    }
}
