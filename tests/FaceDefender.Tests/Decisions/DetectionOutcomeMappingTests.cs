using FaceDefender.Abstractions;
using FaceDefender.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Decisions;

/// <summary>
/// Each detection outcome that is not one usable face becomes its own pipeline status, with no image and a message that
/// says what to do; the avatar provider is never asked. A stub detector stands in for photos that are hard to make on
/// purpose (a low-confidence mesh, a face too small).
/// </summary>
public sealed class DetectionOutcomeMappingTests
{
    [Theory]
    [InlineData(FaceDetectionStatus.NoFace, DeidentificationStatus.NoFace, "No face")]
    [InlineData(FaceDetectionStatus.SeveralFaces, DeidentificationStatus.SeveralFaces, "exactly one")]
    [InlineData(FaceDetectionStatus.FaceTooSmall, DeidentificationStatus.FaceTooSmall, "too small")]
    [InlineData(FaceDetectionStatus.LowConfidence, DeidentificationStatus.LowConfidence, "confidence")]
    public void A_detection_without_one_usable_face_is_its_own_status_and_no_avatar_is_chosen(FaceDetectionStatus detected, DeidentificationStatus expected, string message)
    {
        var avatars = new CountingAvatars();
        using var pipeline = new FaceDeidentifier(new StubDetector(detected), avatars, diagnostics: FaceDeidentifier.NoDiagnostics);
        using var photo = new Image<Rgb24>(64, 64);
        using DeidentificationResult r = pipeline.Deidentify(photo);
        r.Status.Should().Be(expected);
        r.Succeeded.Should().BeFalse();
        r.Image.Should().BeNull();
        r.Message.Should().Contain(message);
        avatars.Calls.Should().Be(0);
    }

    private sealed class StubDetector(FaceDetectionStatus status) : ILandmarkDetector
    {
        public FaceDetection Detect(Image<Rgb24> image) => new(status, [], image.Width, image.Height);

        public void Dispose()
        {
        }
    }

    private sealed class CountingAvatars : IAvatarProvider
    {
        public int Calls { get; private set; }

        public IReadOnlyList<AvatarMetadata> Catalog => [];

        public Avatar Select(AvatarQuery query)
        {
            Calls++;
            throw new InvalidOperationException("No avatar may be chosen for a failed detection.");
        }
    }
}
