using System.Numerics;

namespace FaceDefender.Landmarks;

/// <summary>
/// A corneal light reflex (the first Purkinje image of a light near the camera, the Hirschberg reflex): the brightest
/// compact spot inside the iris. Only its geometry is kept; no pixel of it is.
/// </summary>
/// <param name="Position">Centre of the spot in continuous pixel coordinates (pixel centres at +0.5), in the
/// image the owning <see cref="CornealReflexes"/> refers to.</param>
/// <param name="Radius">Radius of a disc of the spot's area, in pixels.</param>
/// <param name="Contrast">Peak luminance above the iris's median luminance, 0..255 grey levels.</param>
public sealed record CornealReflex(Vector2 Position, float Radius, float Contrast)
{
    /// <summary>
    /// The limbus centre measured on the image beside the reflex, or null when it could not be: its horizontal coordinate
    /// is the median midpoint of the iris's horizontal chords near the centre (the dark-to-light limbus edges on both
    /// sides, to a fraction of a pixel), its vertical coordinate the centre of an ellipse fitted to the visible limbus
    /// (edge points with sclera beyond them, so not where a lid covers the limbus; the ellipse narrowed along the eye's
    /// turn read from the reflex), weighed against the landmarks' iris centre by the fit's precision (wholly the
    /// landmarks' with too little limbus visible or below an iris radius of 5 px, rising smoothly from there). The
    /// Hirschberg displacement is measured from it, because the landmark models place the iris centre of a small or
    /// turned eye nearer the middle of the eye opening than it is.
    /// </summary>
    public Vector2? LimbusCentre { get; init; }

    /// <summary>
    /// The limbus radius in pixels measured with <see cref="LimbusCentre"/>: the landmarks' iris radius moved towards the
    /// major semi-axis of the ellipse fitted to the visible limbus by the fit's weight. A turned eye's limbus is a circle
    /// seen at an angle, so its width along the turn is foreshortened but its major axis is not; the Hirschberg
    /// displacement is scaled by it. Null with <see cref="LimbusCentre"/>.
    /// </summary>
    internal float? LimbusRadius { get; init; }

    /// <summary>Maps the reflex through a similarity or affine transform (radius scaled by the mean scale).</summary>
    /// <param name="transform">Row-vector convention, as <see cref="Vector2.Transform(Vector2, Matrix3x2)"/>.</param>
    public CornealReflex Transform(Matrix3x2 transform) =>
        new(Vector2.Transform(Position, transform), Radius * MathF.Sqrt(MathF.Abs(transform.GetDeterminant())), Contrast)
        {
            LimbusCentre = LimbusCentre is { } l ? Vector2.Transform(l, transform) : null,
            LimbusRadius = LimbusRadius * MathF.Sqrt(MathF.Abs(transform.GetDeterminant())),
        };
}

/// <summary>Whether an eye's corneal reflex was found and, if not, why not.</summary>
public enum CornealReflexStatus
{
    /// <summary>No search was made (landmarks built without an image, e.g. from a file or a ground-truth mesh).</summary>
    NotSearched,

    /// <summary>One compact reflex was found inside the iris.</summary>
    Found,

    /// <summary>The iris is too small in the image to search it (radius under 2.5 px).</summary>
    IrisTooSmall,

    /// <summary>Too little of the iris is visible (lids closed or covering it, eye at the image border).</summary>
    Occluded,

    /// <summary>No spot stands out from the iris: no light near the camera, a dim light, or a blurred photo.</summary>
    NoReflex,

    /// <summary>The bright region is too large to be a corneal reflex: glare, a washed-out eye or a reflection in glasses.</summary>
    NotCompact,

    /// <summary>Two or more separate spots of similar brightness (a ring light, a window and a flash, glasses glare): ambiguous.</summary>
    Multiple,

    /// <summary>
    /// The spot lies far from the iris centre (the highlight of a light away from the camera, such as a window) or touches
    /// the edge of the searched iris disc or the lids, so it may lie outside the iris or be cut off.
    /// </summary>
    AtIrisEdge,
}

/// <summary>
/// The corneal reflexes of both eyes with the outcome of each eye's search. An eye's reflex is null unless its status
/// is <see cref="CornealReflexStatus.Found"/>.
/// </summary>
public readonly record struct CornealReflexes
{
    /// <summary>Both eyes' search outcomes.</summary>
    /// <param name="right">The subject's right eye's reflex (image left), or null.</param>
    /// <param name="left">The subject's left eye's reflex (image right), or null.</param>
    /// <param name="rightStatus">Why the right reflex is absent; must be <see cref="CornealReflexStatus.Found"/> exactly when it is present.</param>
    /// <param name="leftStatus">Why the left reflex is absent; as <paramref name="rightStatus"/>.</param>
    /// <exception cref="ArgumentException">A status does not agree with its reflex, or is undefined.</exception>
    public CornealReflexes(CornealReflex? right, CornealReflex? left, CornealReflexStatus rightStatus, CornealReflexStatus leftStatus)
    {
        Check(right, rightStatus, nameof(rightStatus));
        Check(left, leftStatus, nameof(leftStatus));
        Right = right;
        Left = left;
        RightStatus = rightStatus;
        LeftStatus = leftStatus;
    }

    /// <summary>Reflexes given without reasons: a present reflex is <see cref="CornealReflexStatus.Found"/>, an absent one <see cref="CornealReflexStatus.NoReflex"/>.</summary>
    /// <param name="right">The right eye's reflex, or null.</param>
    /// <param name="left">The left eye's reflex, or null.</param>
    public CornealReflexes(CornealReflex? right, CornealReflex? left)
        : this(right, left, right is null ? CornealReflexStatus.NoReflex : CornealReflexStatus.Found, left is null ? CornealReflexStatus.NoReflex : CornealReflexStatus.Found)
    {
    }

    /// <summary>No search made for either eye.</summary>
    public static CornealReflexes None => default;

    /// <summary>The subject's right eye (image left), or null.</summary>
    public CornealReflex? Right { get; }

    /// <summary>The subject's left eye (image right), or null.</summary>
    public CornealReflex? Left { get; }

    /// <summary>The right eye's search outcome.</summary>
    public CornealReflexStatus RightStatus { get; }

    /// <summary>The left eye's search outcome.</summary>
    public CornealReflexStatus LeftStatus { get; }

    /// <summary>True when both eyes have a reflex.</summary>
    public bool BothFound => Right is not null && Left is not null;

    /// <summary>Maps both reflexes through a transform; the statuses are kept.</summary>
    /// <param name="transform">Row-vector convention.</param>
    public CornealReflexes Transform(Matrix3x2 transform) => new(Right?.Transform(transform), Left?.Transform(transform), RightStatus, LeftStatus);

    private static void Check(CornealReflex? reflex, CornealReflexStatus status, string name)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentException($"{name} {(int)status} is not a defined CornealReflexStatus.", name);
        }

        if ((reflex is not null) != (status == CornealReflexStatus.Found))
        {
            throw new ArgumentException(
                reflex is null ? $"{name} is Found but no reflex was given." : $"{name} is {status} but a reflex was given (a present reflex is Found).", name);
        }
    }
}
