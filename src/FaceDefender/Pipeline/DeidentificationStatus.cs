namespace FaceDefender.Pipeline;

/// <summary>The outcome of de-identifying one photo. Anything but <see cref="Success"/> comes with no image.</summary>
public enum DeidentificationStatus
{
    /// <summary>One face passed every check and was de-identified.</summary>
    Success,

    /// <summary>No face was found.</summary>
    NoFace,

    /// <summary>More than one face was found (the photo must show exactly one).</summary>
    SeveralFaces,

    /// <summary>The face is too small for reliable landmarks.</summary>
    FaceTooSmall,

    /// <summary>The detector or the landmark model was not confident enough.</summary>
    LowConfidence,

    /// <summary>At least one eye is closed (the eye region would carry no diagnostic value).</summary>
    EyesClosed,

    /// <summary>The head is turned or tilted beyond the configured limits.</summary>
    PoseOutOfRange,

    /// <summary>The file could not be read as an image (unsupported, truncated or too large).</summary>
    UnreadableImage,
}
