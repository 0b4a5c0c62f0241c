namespace FaceDefender.Abstractions;

/// <summary>The outcome of a face detection.</summary>
public enum FaceDetectionStatus
{
    /// <summary>At least one usable face; <see cref="FaceDetection.Faces"/> holds the face(s) the policy kept.</summary>
    Found,

    /// <summary>No face above the detection score threshold.</summary>
    NoFace,

    /// <summary>More than one usable face and the policy asks to fail; <see cref="FaceDetection.Faces"/> lists them all.</summary>
    SeveralFaces,

    /// <summary>Faces were detected but all are smaller than the minimum face size.</summary>
    FaceTooSmall,

    /// <summary>Faces were detected but the landmark model's face-presence score was below its threshold for all of them.</summary>
    LowConfidence,
}
