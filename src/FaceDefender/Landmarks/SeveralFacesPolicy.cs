namespace FaceDefender.Landmarks;

/// <summary>What a detector does when a photo holds more than one usable face.</summary>
public enum SeveralFacesPolicy
{
    /// <summary>Keep the largest face (by detector box area); status <c>Found</c>.</summary>
    Largest,

    /// <summary>Report status <c>SeveralFaces</c> with every usable face listed.</summary>
    Fail,

    /// <summary>Keep every usable face, largest first; status <c>Found</c>.</summary>
    All,
}
