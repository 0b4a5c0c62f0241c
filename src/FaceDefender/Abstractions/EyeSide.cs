namespace FaceDefender.Abstractions;

/// <summary>Which eye (always the subject's: the subject's right eye is on the image's left).</summary>
public enum EyeSide
{
    /// <summary>The subject's right eye.</summary>
    Right,

    /// <summary>The subject's left eye.</summary>
    Left,

    /// <summary>Both eyes: a range that applies to each eye, or a measure between the eyes.</summary>
    Both,
}
