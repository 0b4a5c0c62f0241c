using System.Numerics;
using System.Text.Json;
using FaceDefender.Abstractions;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Landmarks;

/// <summary>
/// The C# pipeline agrees with an independent TensorFlow.js implementation of the same algorithm run
/// with the original models (Fixtures/models/pipeline.*.json, written by
/// tools/models/tfjs-reference/make-pipeline-fixtures.js): every one of the 478 points within 1 px.
/// </summary>
[Collection(DetectorCollection.Name)]
public sealed class ReferencePipelineTests(DetectorFixture fixture, ITestOutputHelper output)
{
    // Measured worst point: astronaut 1.02e-4 px, Grace Hopper 0.307 px; bounds 2x and 1.6x (both were 1 px).
    [Theory]
    [InlineData("astronaut.png", "pipeline.astronaut.json", 2e-4f)]
    [InlineData("grace_hopper.jpg", "pipeline.grace_hopper.json", 0.5f)]
    public void LandmarksMatchTheTensorFlowJsPipeline(string image, string fixtureFile, float bound)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(ModelFixture.FixturePath("models", fixtureFile)));
        JsonElement face = doc.RootElement.GetProperty("faces")[0];
        Vector2[] expected = face.GetProperty("landmarks").EnumerateArray()
            .Select(p => new Vector2(p[0].GetSingle(), p[1].GetSingle())).ToArray();
        expected.Should().HaveCount(478);
        doc.RootElement.GetProperty("faces").GetArrayLength().Should().Be(1);

        FaceDetection result = fixture.Reference(image);
        result.Status.Should().Be(FaceDetectionStatus.Found);
        var actual = result.Face!.Landmarks;

        float max = 0, sum = 0;
        int worst = -1;
        for (int i = 0; i < 478; i++)
        {
            float d = Vector2.Distance(actual[i], expected[i]);
            sum += d;
            if (d > max)
            {
                max = d;
                worst = i;
            }
        }

        float irisMax = new[] { 468, 469, 470, 471, 472, 473, 474, 475, 476, 477 }.Max(i => Vector2.Distance(actual[i], expected[i]));
        output.WriteLine($"{image}: mean {sum / 478:E2} px, max {max:E2} px (point {worst}), iris points max {irisMax:E2} px; box {result.Face.Box} vs [{string.Join(", ", face.GetProperty("box").EnumerateArray().Select(e => e.GetSingle().ToString("F2")))}]");
        max.Should().BeLessThanOrEqualTo(bound);
    }
}
