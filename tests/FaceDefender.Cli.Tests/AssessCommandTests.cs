using FaceDefender.Abstractions;
using FaceDefender.Decoding;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Cli.Tests;

public class AssessCommandTests
{
    [Fact]
    public void Assess_prints_the_librarys_measurements_for_a_portrait_and_fails_cleanly_on_a_bad_file()
    {
        string dir = Directory.CreateTempSubdirectory("fd-assess").FullName;
        try
        {
            string photo = Path.Combine(dir, "a.png");
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", "astronaut.png"), photo);
            File.WriteAllText(Path.Combine(dir, "b.jpg"), "not an image");
            var output = new StringWriter();
            int code = AssessCommand.Run(dir, output, new StringWriter());
            code.Should().Be(Program.SomeFailed, "one of the two files is not an image");
            string text = output.ToString();
            text.Should().Contain("status: UnreadableImage (UnknownFormat");
            text.Should().NotContain(dir, "the output names photos by their path relative to the input folder");

            // The printed numbers are the library's, for the same photo, in the right columns and units.
            using DecodedImage decoded = FaceImageDecoder.Decode(photo);
            using var detector = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });
            DetectedFace face = detector.Detect(decoded.Image).Face!;
            OcularAssessment expected = new LandmarkDiagnosticBenchmark().Assess(face.Landmarks, face.Pose);
            int start = text.IndexOf("== a.png", StringComparison.Ordinal);
            int end = text.IndexOf("\n== ", start, StringComparison.Ordinal);
            string section = end < 0 ? text[start..] : text[start..end];
            PrintedAssessment.ShouldShow(section, expected);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        AssessCommand.Run(Path.Combine(dir, "missing"), new StringWriter(), new StringWriter()).Should().Be(Program.Usage);
    }
}
