using FaceDefender.Decoding;
using FaceDefender.Abstractions;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Landmarks;

/// <summary>Bad images, bad models and bad options give a clear exception or a status, never a crash.</summary>
[Collection(DetectorCollection.Name)]
public sealed class BadInputTests(DetectorFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void NullImageThrows()
    {
        Action act = () => fixture.Detector.Detect((Image<Rgb24>)null!);
        act.Should().Throw<ArgumentNullException>().WithParameterName("image");
    }

    [Fact]
    public void NonImageBytesThrowFaceDefenderException()
    {
        using var stream = new MemoryStream("this is not an image, just some text"u8.ToArray());
        Action act = () => FaceImageDecoder.Load(stream);
        act.Should().Throw<FaceDefenderException>().WithMessage("*not an image*");
    }

    [Fact]
    public void EmptyStreamThrowsFaceDefenderException()
    {
        using var stream = new MemoryStream();
        Action act = () => fixture.Detector.Detect(stream);
        act.Should().Throw<FaceDefenderException>();
    }

    [Fact]
    public void MissingFileThrowsFaceDefenderException()
    {
        Action act = () => fixture.Detector.Detect(Path.Combine(AppContext.BaseDirectory, "no-such-photo.jpg"));
        act.Should().Throw<FaceDefenderException>().WithMessage("*no-such-photo.jpg*");
    }

    [Theory]
    [InlineData("grace_hopper.jpg", 0.5, null)]
    [InlineData("astronaut.png", 0.5, null)]
    [InlineData("astronaut.png", 0.05, null)]
    [InlineData("grace_hopper.jpg", 0.0005, ImageDecodingFailure.Truncated)]
    public void TruncatedFileIsDecodedWithTheTruncationFlaggedOrRefusedAsTruncated(string file, double keep, ImageDecodingFailure? refusal)
    {
        byte[] bytes = File.ReadAllBytes(ModelFixture.FixturePath("faces", file));
        using var stream = new MemoryStream(bytes, 0, (int)(bytes.Length * keep));
        if (refusal is { } expected)
        {
            Action act = () => FaceImageDecoder.Decode(stream);
            act.Should().Throw<ImageDecodingException>().Which.Failure.Should().Be(expected);
            return;
        }

        using DecodedImage decoded = FaceImageDecoder.Decode(stream);
        decoded.Truncated.Should().BeTrue();
        output.WriteLine($"{file} cut to {keep:P1}: decoded {decoded.Image.Width} x {decoded.Image.Height}, truncated; detection {fixture.Detector.Detect(decoded.Image).Status}");
    }

    [Fact]
    public void HugeDeclaredDimensionsAreRefusedBeforeDecoding()
    {
        // A PNG signature and an IHDR chunk declaring 100000 x 100000 pixels, with no pixel data.
        byte[] png =
        [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
            0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R',
            0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 2, 0, 0, 0,
            0, 0, 0, 0,
        ];
        uint crc = Crc32(png.AsSpan(12, 17));
        png[29] = (byte)(crc >> 24);
        png[30] = (byte)(crc >> 16);
        png[31] = (byte)(crc >> 8);
        png[32] = (byte)crc;
        using var stream = new MemoryStream(png);
        Action act = () => FaceImageDecoder.Load(stream);
        act.Should().Throw<FaceDefenderException>().WithMessage("*100000 x 100000*limit*");
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    [Fact]
    public void GreyscaleAndSixteenBitImagesWork()
    {
        using Image<Rgb24> colour = TestImages.Portrait("astronaut.png");
        FaceDetection reference = fixture.Reference("astronaut.png");

        using Image<L8> grey = colour.CloneAs<L8>();
        using var greyPng = new MemoryStream();
        grey.Save(greyPng, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        greyPng.Position = 0;
        FaceDetection greyResult = fixture.Detector.Detect(greyPng);
        greyResult.Status.Should().Be(FaceDetectionStatus.Found);

        using Image<Rgb48> deep = colour.CloneAs<Rgb48>();
        using var deepPng = new MemoryStream();
        deep.Save(deepPng, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 });
        deepPng.Position = 0;
        FaceDetection deepResult = fixture.Detector.Detect(deepPng);
        deepResult.Status.Should().Be(FaceDetectionStatus.Found);

        // 16-bit of 8-bit data is the same picture: same landmarks.
        var points = deepResult.Face!.Landmarks.Points.ToArray().Select(p => new System.Numerics.Vector2(p.X, p.Y)).ToArray();
        LandmarkComparison.Compare(reference.Face!.Landmarks, points).MaxAll.Should().BeLessThan(0.01f);

        // Greyscale loses colour: still the same face within a few per cent of the IPD around the eyes.
        var greyPoints = greyResult.Face!.Landmarks.Points.ToArray().Select(p => new System.Numerics.Vector2(p.X, p.Y)).ToArray();
        LandmarkComparison c = LandmarkComparison.Compare(reference.Face!.Landmarks, greyPoints);
        output.WriteLine($"greyscale vs colour: {c}");
        c.MaxEyes.Should().BeLessThan(0.05f);
    }

    [Fact]
    public void CorruptModelBytesThrowFaceDefenderException()
    {
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);
        Action act = () => new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { MeshModel = FaceModelSource.FromBytes(junk) });
        act.Should().Throw<FaceDefenderException>().WithMessage("*face mesh model*could not be loaded*");
    }

    [Fact]
    public void WrongModelThrowsFaceDefenderException()
    {
        // The iris model where the face detector is expected: valid ONNX, wrong inputs.
        using Stream iris = typeof(MediaPipeLandmarkDetector).Assembly.GetManifestResourceStream("FaceDefender.Models.iris.onnx")!;
        Action act = () => new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { DetectorModel = FaceModelSource.FromStream(iris) });
        act.Should().Throw<FaceDefenderException>().WithMessage("*face detector model*not the expected*");
    }

    [Fact]
    public void MissingModelFileThrowsFaceDefenderException()
    {
        Action act = () => new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { IrisModel = FaceModelSource.FromFile("/nonexistent/iris.onnx") });
        act.Should().Throw<FaceDefenderException>().WithMessage("*iris model*");
    }

    [Fact]
    public void InvalidOptionsThrowAtConstruction()
    {
        FluentActions.Invoking(() => new MediaPipeLandmarkDetectorOptions { MinDetectionScore = 1.5f })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MinDetectionScore");
        FluentActions.Invoking(() => new MediaPipeLandmarkDetectorOptions { MinFaceSize = -1 })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MinFaceSize");
        FluentActions.Invoking(() => new MediaPipeLandmarkDetectorOptions { SeveralFaces = (SeveralFacesPolicy)42 })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("SeveralFaces");
        FluentActions.Invoking(() => FaceModelSource.FromBytes([]))
            .Should().Throw<ArgumentException>().WithParameterName("bytes");
    }

    [Fact]
    public void DisposedDetectorThrowsObjectDisposedException()
    {
        var detector = new MediaPipeLandmarkDetector();
        detector.Dispose();
        detector.Dispose(); // idempotent
        using var image = new Image<Rgb24>(8, 8);
        FluentActions.Invoking(() => detector.Detect(image)).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void ConcurrentCallsGiveTheSameResultsAsSequentialOnes()
    {
        using Image<Rgb24> a = TestImages.Portrait("astronaut.png");
        using Image<Rgb24> b = TestImages.Portrait("grace_hopper.jpg");
        FaceDetection sa = fixture.Reference("astronaut.png"), sb = fixture.Reference("grace_hopper.jpg");
        var results = new FaceDetection[4];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => results[i] = fixture.Detector.Detect(i % 2 == 0 ? a : b));
        for (int i = 0; i < 4; i++)
        {
            FaceDetection expected = i % 2 == 0 ? sa : sb;
            results[i].Face!.Landmarks.Points.ToArray().Should().Equal(expected.Face!.Landmarks.Points.ToArray());
        }
    }
}
