using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Abstractions;

/// <summary>Puts a patient's periocular region onto an avatar face.</summary>
public interface IFaceFuser
{
    /// <summary>
    /// Fuses the patient's kept region into a copy of the avatar. Neither input is modified.
    /// </summary>
    /// <param name="patient">The patient photo (EXIF orientation already applied).</param>
    /// <param name="patientLandmarks">The patient's 478 landmarks in <paramref name="patient"/>'s pixels.</param>
    /// <param name="avatar">The avatar image (the output has its size).</param>
    /// <param name="avatarLandmarks">The avatar's 478 landmarks in its own pixels.</param>
    /// <param name="options">Options, or null for <see cref="FusionOptions.Default"/>.</param>
    /// <returns>The fused image and how it was made; dispose it.</returns>
    FusionResult Fuse(Image<Rgb24> patient, FaceLandmarks patientLandmarks, Image<Rgb24> avatar, FaceLandmarks avatarLandmarks, FusionOptions? options = null);
}
