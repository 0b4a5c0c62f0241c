using FaceDefender.Decoding;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Landmarks;

/// <summary>
/// A photo stored sideways or mirrored with an EXIF orientation tag decodes upright
/// (<see cref="FaceImageDecoder"/>) and gives the same landmarks as the upright original.
/// </summary>
[Collection(DetectorCollection.Name)]
public sealed class ExifOrientationTests(DetectorFixture fixture, ITestOutputHelper output)
{
    // How to store the upright picture so that a viewer applying orientation N shows it upright:
    // the inverse of the display transform of each EXIF orientation value.
    private static void StoreFor(IImageProcessingContext x, ushort orientation)
    {
        switch (orientation)
        {
            case 2: x.Flip(FlipMode.Horizontal); break;
            case 3: x.Rotate(RotateMode.Rotate180); break;
            case 4: x.Flip(FlipMode.Vertical); break;
            case 5: x.Rotate(RotateMode.Rotate90).Flip(FlipMode.Horizontal); break; // transpose
            case 6: x.Rotate(RotateMode.Rotate270); break; // displayed after a 90 degree clockwise turn
            case 7: x.Rotate(RotateMode.Rotate270).Flip(FlipMode.Horizontal); break; // transverse
            case 8: x.Rotate(RotateMode.Rotate90); break; // displayed after a 90 degree anticlockwise turn
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void OrientedPhotoGivesUprightLandmarks(ushort orientation)
    {
        using Image<Rgb24> upright = TestImages.Portrait("grace_hopper.jpg");
        FaceDetection reference = fixture.Reference("grace_hopper.jpg");

        using Image<Rgb24> stored = upright.Clone(x => StoreFor(x, orientation));
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        using var encoded = new MemoryStream();
        stored.Save(encoded, new PngEncoder());
        encoded.Position = 0;

        using Image<Rgb24> decoded = FaceImageDecoder.Load(encoded);
        decoded.Size().Should().Be(upright.Size(), "the decoder applies the orientation");
        FaceDetection result = fixture.Detector.Detect(decoded);
        result.Status.Should().Be(FaceDetectionStatus.Found);

        Vector2[] points = result.Face!.Landmarks.Points.ToArray().Select(p => new Vector2(p.X, p.Y)).ToArray();
        LandmarkComparison c = LandmarkComparison.Compare(reference.Face!.Landmarks, points);
        output.WriteLine($"orientation {orientation}: {c}; max {c.MaxAll:E2} of IPD");
        // Measured: 0 for every orientation (the decoder's rotation and flips are exact pixel permutations, so the detector
        // sees the same pixels); bound 1e-6 of the IPD for float rounding (it was 2 %).
        c.MaxAll.Should().BeLessThanOrEqualTo(1e-6f);
    }
}
