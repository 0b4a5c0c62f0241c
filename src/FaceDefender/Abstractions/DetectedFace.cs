using SixLabors.ImageSharp;
using FaceDefender.Landmarks;

namespace FaceDefender.Abstractions;

/// <summary>One detected face with its landmarks. Immutable.</summary>
public sealed class DetectedFace
{
    /// <summary>Creates a detected face.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="landmarks"/> is null.</exception>
    public DetectedFace(RectangleF box, float confidence, float landmarkConfidence, FaceLandmarks landmarks, HeadPose pose)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        Box = box;
        Confidence = confidence;
        LandmarkConfidence = landmarkConfidence;
        Landmarks = landmarks;
        Pose = pose;
    }

    /// <summary>The face detector's box in source-image pixels (axis-aligned; may extend past the image).</summary>
    public RectangleF Box { get; }

    /// <summary>The face detector's score, 0..1.</summary>
    public float Confidence { get; }

    /// <summary>The landmark model's face-presence score, 0..1.</summary>
    public float LandmarkConfidence { get; }

    /// <summary>The 478 landmarks in source-image pixels.</summary>
    public FaceLandmarks Landmarks { get; }

    /// <summary>The head pose estimated from the landmarks.</summary>
    public HeadPose Pose { get; }
}
