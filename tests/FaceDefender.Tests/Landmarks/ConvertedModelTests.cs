using FaceDefender.Landmarks;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FaceDefender.Tests.Landmarks;

/// <summary>
/// The embedded ONNX models (converted by tools/FaceDefender.ModelConverter) reproduce the original
/// TensorFlow.js models' outputs, recorded by tools/models/tfjs-reference with @tensorflow/tfjs 4.22.0.
/// </summary>
public sealed class ConvertedModelTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Tolerance per fixture: about 1.6-2x the largest output difference measured on it (it was 1e-3 for all, 2.7x the
    // worst fixture and 15-20x the iris ones). Measured max abs diff over the outputs: blazeface astronaut 3.66e-4
    // (scores up to 321), blazeface lcg 6.87e-5, facemesh astronaut 1.68e-4, facemesh lcg 1.53e-4, iris astronaut 3.05e-5,
    // iris lcg 4.96e-5.
    [Theory]
    [InlineData("blazeface.lcg.json", EmbeddedModels.FaceDetector, 1.2e-4f)]
    [InlineData("blazeface.astronaut.json", EmbeddedModels.FaceDetector, 6e-4f)]
    [InlineData("facemesh.lcg.json", EmbeddedModels.FaceMesh, 3e-4f)]
    [InlineData("facemesh.astronaut.json", EmbeddedModels.FaceMesh, 3e-4f)]
    [InlineData("iris.lcg.json", EmbeddedModels.Iris, 1e-4f)]
    [InlineData("iris.astronaut.json", EmbeddedModels.Iris, 6e-5f)]
    public void OnnxOutputsMatchTensorFlowJs(string fixtureFile, string resource, float tolerance)
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

            output.WriteLine($"{fixtureFile} {result.Name}: max abs diff {maxDiff:E2} (max |value| {expected.Max(Math.Abs):F3})");
            maxDiff.Should().BeLessThanOrEqualTo(tolerance, $"output {result.Name} of {fixtureFile}");
        }
    }
}
