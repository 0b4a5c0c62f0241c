using FaceDefender.Landmarks;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FaceDefender.Tests.Landmarks;

/// <summary>
/// The embedded ONNX models (converted by tools/FaceDefender.ModelConverter) reproduce the original
/// TensorFlow.js models' outputs, recorded by tools/models/tfjs-reference with @tensorflow/tfjs 4.22.0.
/// </summary>
public sealed class ConvertedModelTests
{
    private const float Tolerance = 1e-3f;

    [Theory]
    [InlineData("blazeface.lcg.json", EmbeddedModels.FaceDetector)]
    [InlineData("blazeface.astronaut.json", EmbeddedModels.FaceDetector)]
    [InlineData("facemesh.lcg.json", EmbeddedModels.FaceMesh)]
    [InlineData("facemesh.astronaut.json", EmbeddedModels.FaceMesh)]
    [InlineData("iris.lcg.json", EmbeddedModels.Iris)]
    [InlineData("iris.astronaut.json", EmbeddedModels.Iris)]
    public void OnnxOutputsMatchTensorFlowJs(string fixtureFile, string resource)
    {
        ModelFixture fixture = ModelFixture.Load(fixtureFile);
        resource.Should().EndWith(fixture.Model);

        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(EmbeddedModels.Read(resource), options);
        var input = new DenseTensor<float>(fixture.Input, fixture.InputShape);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
            session.Run([NamedOnnxValue.CreateFromTensor(fixture.InputName, input)]);

        results.Select(r => r.Name).Should().BeEquivalentTo(fixture.Outputs.Keys);
        foreach (DisposableNamedOnnxValue result in results)
        {
            Tensor<float> actual = result.AsTensor<float>();
            (int[] shape, float[] expected) = fixture.Outputs[result.Name];
            actual.Dimensions.ToArray().Should().Equal(shape, $"output {result.Name} keeps the TFJS shape");
            float[] values = actual.ToArray();
            float maxDiff = 0;
            for (int i = 0; i < values.Length; i++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(values[i] - expected[i]));
            }

            maxDiff.Should().BeLessThanOrEqualTo(Tolerance, $"output {result.Name} of {fixtureFile}");
        }
    }
}
