using System.Numerics;
using System.Text.Json;
using FaceDefender.Abstractions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Landmarks;

/// <summary>The iris centres (468, 473) lie inside the hand-annotated pupils (Fixtures/landmarks/pupils.json).</summary>
[Collection(DetectorCollection.Name)]
public sealed class PupilTests(DetectorFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("astronaut.png")]
    [InlineData("grace_hopper.jpg")]
    public void IrisCentresLieInsideThePupils(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(ModelFixture.FixturePath("landmarks", "pupils.json")));
        FaceDetection result = fixture.Reference(file);
        result.Status.Should().Be(FaceDetectionStatus.Found);
        var landmarks = result.Face!.Landmarks;

        int checkedEyes = 0;
        foreach (JsonElement pupil in doc.RootElement.GetProperty("pupils").EnumerateArray())
        {
            if (pupil.GetProperty("image").GetString() != file)
            {
                continue;
            }

            string eye = pupil.GetProperty("eye").GetString()!;
            Vector2 annotated = new(pupil.GetProperty("x").GetSingle(), pupil.GetProperty("y").GetSingle());
            float radius = pupil.GetProperty("radius").GetSingle();
            Vector2 found = eye == "right" ? landmarks.RightEye.IrisCentre : landmarks.LeftEye.IrisCentre;
            float distance = Vector2.Distance(found, annotated);
            output.WriteLine($"{file} {eye} eye: iris centre {found}, annotated pupil {annotated} r {radius}: distance {distance:F2} px");
            distance.Should().BeLessThanOrEqualTo(radius, $"the {eye} iris centre lies inside the pupil");
            checkedEyes++;
        }

        checkedEyes.Should().Be(2);
    }
}
