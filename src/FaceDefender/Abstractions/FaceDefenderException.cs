namespace FaceDefender;

/// <summary>
/// Base class of every exception FaceDefender throws for a programming or configuration error
/// (a missing or corrupt model, an unreadable image, an invalid option). Outcomes such as
/// "no face" or "bad pose" are never exceptions: they are statuses in the results.
/// Argument validation uses the standard <see cref="ArgumentException"/> family.
/// </summary>
public class FaceDefenderException : Exception
{
    /// <summary>Creates the exception with a message that names the problem and the fix.</summary>
    public FaceDefenderException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the underlying cause.</summary>
    public FaceDefenderException(string message, Exception innerException) : base(message, innerException) { }
}
