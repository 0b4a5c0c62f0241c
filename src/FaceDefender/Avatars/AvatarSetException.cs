namespace FaceDefender.Avatars;

/// <summary>
/// A user's avatar set cannot be used: a malformed or inconsistent manifest, a missing or unreadable
/// image, or an image without exactly one detectable face. The message names the entry and the fix.
/// </summary>
public sealed class AvatarSetException : FaceDefenderException
{
    /// <summary>Creates the exception.</summary>
    public AvatarSetException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping its cause.</summary>
    public AvatarSetException(string message, Exception innerException) : base(message, innerException) { }
}
