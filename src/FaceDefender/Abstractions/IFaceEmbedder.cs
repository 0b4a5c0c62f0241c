using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Abstractions;

/// <summary>
/// Turns a face into an identity descriptor: a unit vector whose cosine similarity with another
/// face's descriptor is high for the same person. Used by the privacy audit to measure how much
/// identity a protected image still carries.
/// </summary>
/// <remarks>Implementations own a model session: dispose them. <see cref="Embed"/> is thread-safe.</remarks>
public interface IFaceEmbedder : IDisposable
{
    /// <summary>A short name of the model, for reports (for example "dlib-resnet-v1").</summary>
    string Name { get; }

    /// <summary>Length of the descriptors.</summary>
    int Dimension { get; }

    /// <summary>
    /// Aligns the face given by <paramref name="landmarks"/> (478 MediaPipe points in
    /// <paramref name="image"/> pixels) to the model's template and returns its L2-normalised descriptor.
    /// </summary>
    /// <param name="image">The photo.</param>
    /// <param name="landmarks">The face's landmarks, in the photo's pixels.</param>
    /// <returns>A new unit-length vector of <see cref="Dimension"/> values.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Degenerate landmarks (coincident template points).</exception>
    float[] Embed(Image<Rgb24> image, FaceLandmarks landmarks);
}
