namespace FaceDefender.Abstractions;

/// <summary>The result of <see cref="ILandmarkDetector.Detect"/>. Immutable.</summary>
public sealed class FaceDetection
{
    /// <summary>Creates a result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="faces"/> is null.</exception>
    /// <exception cref="ArgumentException">Status <see cref="FaceDetectionStatus.Found"/> without a face.</exception>
    public FaceDetection(FaceDetectionStatus status, IReadOnlyList<DetectedFace> faces, int imageWidth, int imageHeight)
    {
        ArgumentNullException.ThrowIfNull(faces);
        if (status == FaceDetectionStatus.Found && faces.Count == 0)
        {
            throw new ArgumentException("A 'Found' result needs at least one face.", nameof(faces));
        }

        Status = status;
        Faces = faces.ToArray();
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
    }

    /// <summary>Whether a usable face was found, or why not.</summary>
    public FaceDetectionStatus Status { get; }

    /// <summary>
    /// The faces, largest first: the kept face(s) when <see cref="Status"/> is
    /// <see cref="FaceDetectionStatus.Found"/>, every usable face when it is
    /// <see cref="FaceDetectionStatus.SeveralFaces"/>, otherwise empty.
    /// </summary>
    public IReadOnlyList<DetectedFace> Faces { get; }

    /// <summary>The first (largest) face when <see cref="Status"/> is <see cref="FaceDetectionStatus.Found"/>, otherwise null.</summary>
    public DetectedFace? Face => Status == FaceDetectionStatus.Found ? Faces[0] : null;

    /// <summary>Width of the image the coordinates refer to, in pixels.</summary>
    public int ImageWidth { get; }

    /// <summary>Height of the image the coordinates refer to, in pixels.</summary>
    public int ImageHeight { get; }
}
