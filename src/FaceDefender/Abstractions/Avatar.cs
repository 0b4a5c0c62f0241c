using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Abstractions;

/// <summary>
/// A synthetic face to put the patient's eye region on: a <see cref="CanvasSize"/> x
/// <see cref="CanvasSize"/> image framed like the normalised patient canvas (FFHQ alignment, about
/// 256 px between the eye centres), its 478 landmarks in that image, metadata and licence.
/// </summary>
/// <remarks>The avatar owns its image: dispose the avatar when done. Not thread-safe while being disposed.</remarks>
public sealed class Avatar : IDisposable
{
    /// <summary>Width and height of every avatar image, in pixels.</summary>
    public const int CanvasSize = 1024;

    private Image<Rgb24>? _image;

    /// <summary>Creates an avatar that takes ownership of <paramref name="image"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The image is not 1024 x 1024.</exception>
    public Avatar(Image<Rgb24> image, FaceLandmarks landmarks, AvatarMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(landmarks);
        ArgumentNullException.ThrowIfNull(metadata);
        if (image.Width != CanvasSize || image.Height != CanvasSize)
        {
            throw new ArgumentException($"An avatar image must be {CanvasSize} x {CanvasSize} pixels, not {image.Width} x {image.Height}; align it to the FFHQ canvas first.", nameof(image));
        }

        _image = image;
        Landmarks = landmarks;
        Metadata = metadata;
    }

    /// <summary>The image. Owned by this avatar.</summary>
    /// <exception cref="ObjectDisposedException">The avatar was disposed.</exception>
    public Image<Rgb24> Image => _image ?? throw new ObjectDisposedException(nameof(Avatar));

    /// <summary>The 478 landmarks in <see cref="Image"/>'s pixels (exact for procedural avatars, detected for others).</summary>
    public FaceLandmarks Landmarks { get; }

    /// <summary>
    /// The head pose the avatar was drawn at (roll always 0), when a provider drew it turned on request
    /// (<see cref="AvatarQuery.Pose"/>); null for a frontal avatar, which is what a provider that cannot turn heads
    /// returns.
    /// </summary>
    public HeadPose? Pose { get; init; }

    /// <summary>What the avatar is and where it came from.</summary>
    public AvatarMetadata Metadata { get; }

    /// <summary>The licence of the image (same as <see cref="AvatarMetadata.License"/>).</summary>
    public string License => Metadata.License;

    /// <summary>Releases the image.</summary>
    public void Dispose()
    {
        _image?.Dispose();
        _image = null;
    }
}
