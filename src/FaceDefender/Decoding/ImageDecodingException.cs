namespace FaceDefender.Decoding;

/// <summary>
/// An encoded image was refused or could not be decoded. Whatever the decoder threw underneath (including
/// <see cref="NullReferenceException"/>, <see cref="IndexOutOfRangeException"/> or <see cref="OutOfMemoryException"/>
/// from malformed data) reaches the caller as this exception, with the original as <see cref="Exception.InnerException"/>.
/// The pipeline turns it into the <c>UnreadableImage</c> status.
/// </summary>
public sealed class ImageDecodingException : FaceDefenderException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">Why the image was refused.</param>
    /// <param name="message">A sentence naming the problem and, where there is one, the fix.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public ImageDecodingException(ImageDecodingFailure failure, string message, Exception? inner = null)
        : base(message, inner!)
    {
        Failure = failure;
    }

    /// <summary>Why the image was refused.</summary>
    public ImageDecodingFailure Failure { get; }
}
