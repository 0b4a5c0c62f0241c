using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Abstractions;

/// <summary>
/// Finds faces in a photo and returns their 478 dense landmarks (MediaPipe Face Mesh topology with
/// iris points) in source-image pixels.
/// </summary>
/// <remarks>
/// Implementations own model sessions: they are <see cref="IDisposable"/>, and one instance may be
/// shared by several threads calling <see cref="Detect"/> at the same time.
/// </remarks>
public interface ILandmarkDetector : IDisposable
{
    /// <summary>
    /// Detects faces and their landmarks. The pixels are used as they are: apply the EXIF orientation
    /// first (<see cref="FaceDefender.Decoding.FaceImageDecoder"/> does it when decoding).
    /// </summary>
    /// <param name="image">The photo. Not modified.</param>
    /// <returns>
    /// A result whose <see cref="FaceDetection.Status"/> says whether a usable face was found;
    /// "no face", "several faces", "face too small" and "low confidence" are statuses, not exceptions.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The detector was disposed.</exception>
    FaceDetection Detect(Image<Rgb24> image);
}
