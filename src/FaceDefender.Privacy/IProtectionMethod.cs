using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Privacy;

/// <summary>
/// A way of protecting a face photo, compared by <see cref="PrivacyAudit"/>: ours (a fusion preset)
/// or a baseline (blur, pixelation, black face with an eye strip, the raw photo).
/// </summary>
/// <remarks>Implementations are safe to call from several threads at once.</remarks>
public interface IProtectionMethod
{
    /// <summary>Short name for reports.</summary>
    string Name { get; }

    /// <summary>
    /// Protects <paramref name="photo"/> (not modified). <paramref name="variantKey"/> selects a
    /// variant where the method has one (the avatar's pseudonym for fusion): the audit's same-tool
    /// attack protects the gallery with a different key.
    /// </summary>
    /// <param name="photo">The raw photo.</param>
    /// <param name="landmarks">Its 478 landmarks.</param>
    /// <param name="variantKey">A key choosing the variant (for example the avatar).</param>
    /// <returns>The protected image and its face landmarks (the geometry the method knows), or null when the method cannot protect this photo.</returns>
    ProtectedImage? Protect(Image<Rgb24> photo, FaceLandmarks landmarks, string variantKey);
}

/// <summary>A protected image and the landmarks of the face in it; dispose it.</summary>
/// <param name="Image">The protected image.</param>
/// <param name="Landmarks">Where the face is in <paramref name="Image"/> (used to align it for the embedder).</param>
public sealed record ProtectedImage(Image<Rgb24> Image, FaceLandmarks Landmarks) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Image.Dispose();
}
