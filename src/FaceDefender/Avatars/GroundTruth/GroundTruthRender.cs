using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Avatars.GroundTruth;

/// <summary>One ground-truth render: the image, its exact landmarks and the exact measurements. Dispose it.</summary>
public sealed class GroundTruthRender : IDisposable
{
    private Image<Rgb24>? _image;

    internal GroundTruthRender(Image<Rgb24> image, FaceLandmarks landmarks, FaceMeasurementTruth truth, FaceMeasurementTruth headFrameTruth, HeadPoseTruth pose, GroundTruthScene scene)
    {
        _image = image;
        Landmarks = landmarks;
        Truth = truth;
        HeadFrameTruth = headFrameTruth;
        Pose = pose;
        Scene = scene;
    }

    /// <summary>The rendered photo (square, <see cref="GroundTruthScene.ImageSize"/> pixels).</summary>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Image<Rgb24> Image => _image ?? throw new ObjectDisposedException(nameof(GroundTruthRender));

    /// <summary>The exact 478 landmarks in <see cref="Image"/>'s pixels (projected mesh vertices and iris points).</summary>
    public FaceLandmarks Landmarks { get; }

    /// <summary>Section 3 measurements on the image, from the exact landmarks (pixels, and mm at the stated iris diameter).</summary>
    public FaceMeasurementTruth Truth { get; }

    /// <summary>
    /// The same measurements in the head's own frame before pose, without perspective: a frontal
    /// orthographic view whose "pixels" are millimetres (the physical truth a pose-corrected
    /// measurement should recover); its mm values apply the same iris-width scaling as the image.
    /// </summary>
    public FaceMeasurementTruth HeadFrameTruth { get; }

    /// <summary>The head pose that was rendered.</summary>
    public HeadPoseTruth Pose { get; }

    /// <summary>The scene that was rendered.</summary>
    public GroundTruthScene Scene { get; }

    /// <summary>Releases the image.</summary>
    public void Dispose()
    {
        _image?.Dispose();
        _image = null;
    }
}

/// <summary>
/// The rendered head pose in degrees, with <see cref="GroundTruthScene"/>'s sign conventions, which are those of
/// <see cref="FaceDefender.Abstractions.HeadPose"/> (compare it with <see cref="FaceDefender.Abstractions.DetectedFace.Pose"/> directly).
/// </summary>
/// <param name="RollDegrees">Roll, positive towards the subject's right shoulder (counter-clockwise on screen).</param>
/// <param name="YawDegrees">Yaw, positive towards the subject's left (image right).</param>
/// <param name="PitchDegrees">Pitch, positive when the face looks down (chin lowered).</param>
public readonly record struct HeadPoseTruth(float RollDegrees, float YawDegrees, float PitchDegrees);
