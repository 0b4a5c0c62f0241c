using System.Numerics;

namespace FaceDefender.Landmarks;

/// <summary>
/// The 478 dense landmarks of one face in MediaPipe Face Mesh topology: indices 0..467 are the
/// mesh, 468..472 the iris of the subject's right eye (468 = centre) and 473..477 the iris of the
/// subject's left eye (473 = centre). "Left" and "right" are always the subject's: the subject's
/// right eye is on the image's left.
/// </summary>
/// <remarks>
/// Coordinates are continuous float pixels: pixel (i, j) covers [i, i+1) x [j, j+1) and its centre is at
/// (i + 0.5, j + 0.5) (MediaPipe's convention; the warp kernels sample pixel centres at integer coordinates, see
/// <see cref="Imaging.AffineWarp.FromContinuousCoordinates"/>). The origin is the top-left of the image named by
/// <see cref="Space"/>; Z is a relative depth in the same pixel units (smaller is nearer the camera),
/// or 0 when unknown. Instances are immutable and thread-safe.
/// <para>Landmarks from <see cref="MediaPipeLandmarkDetector"/> also carry each eye's fine 71-point contour from the
/// iris model (<see cref="RightEyeContour"/>, <see cref="LeftEyeContour"/>), which follows the lid margins more
/// closely than the mesh's eye points. Landmarks built from the 478 points alone (ground truth, JSON) have none:
/// those properties are null and consumers use the mesh points.</para>
/// </remarks>
public sealed class FaceLandmarks
{
    /// <summary>Number of points: 468 mesh + 2 x 5 iris.</summary>
    public const int Count = 478;

    /// <summary>Number of mesh points (without the iris points).</summary>
    public const int MeshCount = 468;

    private readonly Vector3[] _points;

    /// <summary>Creates landmarks from exactly <see cref="Count"/> points.</summary>
    /// <param name="points">478 points (x, y in pixels; z relative depth). Copied.</param>
    /// <param name="space">Which image the coordinates refer to.</param>
    /// <param name="rightEyeContour">The iris model's fine contour of the subject's right eye, in the same coordinates; null if unknown.</param>
    /// <param name="leftEyeContour">The iris model's fine contour of the subject's left eye, in the same coordinates; null if unknown.</param>
    /// <param name="reflexes">The corneal reflexes found in the image, in the same coordinates; default when no search was made.</param>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> is null.</exception>
    /// <exception cref="ArgumentException">Not exactly 478 points, or a coordinate is NaN or infinite.</exception>
    public FaceLandmarks(
        IReadOnlyList<Vector3> points,
        CoordinateSpace space = CoordinateSpace.Source,
        EyeContour? rightEyeContour = null,
        EyeContour? leftEyeContour = null,
        CornealReflexes reflexes = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count != Count)
        {
            throw new ArgumentException(
                $"Expected exactly {Count} landmarks (468 mesh + 10 iris) but got {points.Count}.", nameof(points));
        }

        _points = new Vector3[Count];
        for (int i = 0; i < Count; i++)
        {
            Vector3 p = points[i];
            if (!float.IsFinite(p.X) || !float.IsFinite(p.Y) || !float.IsFinite(p.Z))
            {
                throw new ArgumentException($"Landmark {i} is not finite ({p}).", nameof(points));
            }

            _points[i] = p;
        }

        Space = space;
        RightEyeContour = rightEyeContour;
        LeftEyeContour = leftEyeContour;
        Reflexes = reflexes;
    }

    /// <summary>Which image the coordinates refer to.</summary>
    public CoordinateSpace Space { get; }

    /// <summary>
    /// The iris model's fine 71-point contour of the subject's right eye (lid margins in points 0..15, see
    /// <see cref="EyeContour"/>), or null when these landmarks were built without it.
    /// </summary>
    public EyeContour? RightEyeContour { get; }

    /// <summary>
    /// The iris model's fine 71-point contour of the subject's left eye (lid margins in points 0..15, see
    /// <see cref="EyeContour"/>), or null when these landmarks were built without it.
    /// </summary>
    public EyeContour? LeftEyeContour { get; }

    /// <summary>All 478 points (x, y in pixels; z relative depth).</summary>
    public ReadOnlySpan<Vector3> Points => _points;

    /// <summary>The 2-D position of landmark <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Index outside 0..477.</exception>
    public Vector2 this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            Vector3 p = _points[index];
            return new Vector2(p.X, p.Y);
        }
    }

    /// <summary>The 2-D positions of the given landmark indices, in order.</summary>
    public Vector2[] Select(ReadOnlySpan<int> indices)
    {
        var result = new Vector2[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            result[i] = this[indices[i]];
        }

        return result;
    }

    /// <summary>Brow indices (upper edge outer to inner, then lower edge outer to inner): subject's right.</summary>
    public static ReadOnlySpan<int> RightBrowIndices => [70, 63, 105, 66, 107, 46, 53, 52, 65, 55];

    /// <summary>Brow indices (upper edge outer to inner, then lower edge outer to inner): subject's left.</summary>
    public static ReadOnlySpan<int> LeftBrowIndices => [300, 293, 334, 296, 336, 276, 283, 282, 295, 285];

    /// <summary>Nose bridge, from between the eyes down to the tip.</summary>
    public static ReadOnlySpan<int> NoseBridgeIndices => [168, 6, 197, 195, 5, 4];

    /// <summary>Face oval, clockwise in the image from the top of the forehead.</summary>
    public static ReadOnlySpan<int> FaceContourIndices =>
    [
        10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
        152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
    ];

    /// <summary>The subject's right eye (on the image's left): canthi, lids, iris.</summary>
    public EyeLandmarks RightEye => new(this, EyeIndices.Right);

    /// <summary>The subject's left eye (on the image's right): canthi, lids, iris.</summary>
    public EyeLandmarks LeftEye => new(this, EyeIndices.Left);

    /// <summary>The subject's right brow (see <see cref="RightBrowIndices"/>).</summary>
    public Vector2[] RightBrow => Select(RightBrowIndices);

    /// <summary>The subject's left brow (see <see cref="LeftBrowIndices"/>).</summary>
    public Vector2[] LeftBrow => Select(LeftBrowIndices);

    /// <summary>The nose bridge (see <see cref="NoseBridgeIndices"/>).</summary>
    public Vector2[] NoseBridge => Select(NoseBridgeIndices);

    /// <summary>The face oval (see <see cref="FaceContourIndices"/>).</summary>
    public Vector2[] FaceContour => Select(FaceContourIndices);

    /// <summary>
    /// The corneal light reflex of each eye, found in the image the landmarks were detected in, with the outcome of each
    /// eye's search (<see cref="CornealReflexStatus.NotSearched"/> for landmarks built without an image).
    /// <see cref="MediaPipeLandmarkDetector"/> fills it; <see cref="WithReflexes(CornealReflexes)"/> adds it to other landmarks.
    /// </summary>
    public CornealReflexes Reflexes { get; }

    /// <summary>These landmarks with the reflexes <see cref="CornealReflexDetector"/> finds in <paramref name="image"/>.</summary>
    /// <param name="image">The image these landmarks refer to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    public FaceLandmarks WithReflexes(SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> image) =>
        WithReflexes(CornealReflexDetector.Detect(image, this));

    /// <summary>These landmarks with the given reflexes (in the same coordinates).</summary>
    /// <param name="reflexes">The reflexes.</param>
    public FaceLandmarks WithReflexes(CornealReflexes reflexes) => new(_points, Space, RightEyeContour, LeftEyeContour, reflexes);

    /// <summary>Distance between the two iris centres (468 and 473), in pixels.</summary>
    public float InterPupillaryDistance => Vector2.Distance(this[468], this[473]);

    /// <summary>Maps every point, and the eye contours if present, through a 2-D affine transform (depth scaled by its mean scale).</summary>
    /// <param name="transform">The transform, in System.Numerics row-vector convention.</param>
    /// <param name="space">The coordinate space of the result.</param>
    public FaceLandmarks Transform(Matrix3x2 transform, CoordinateSpace space)
    {
        float scale = MathF.Sqrt(MathF.Abs(transform.GetDeterminant()));
        var mapped = new Vector3[Count];
        for (int i = 0; i < Count; i++)
        {
            Vector3 p = _points[i];
            Vector2 q = Vector2.Transform(new Vector2(p.X, p.Y), transform);
            mapped[i] = new Vector3(q, p.Z * scale);
        }

        return new FaceLandmarks(mapped, space, RightEyeContour?.Transform(transform, scale), LeftEyeContour?.Transform(transform, scale), Reflexes.Transform(transform));
    }
}

/// <summary>Which image a set of coordinates refers to.</summary>
public enum CoordinateSpace
{
    /// <summary>The source photo as decoded, after EXIF orientation was applied.</summary>
    Source,

    /// <summary>The normalised square canvas (eyes level, fixed scale) used for fusion.</summary>
    Normalized,

    /// <summary>The de-identified output image.</summary>
    Output,
}
