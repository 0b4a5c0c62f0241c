using System.Numerics;

namespace FaceDefender.Synthesis;

/// <summary>
/// A corneal light reflex (the photographic equivalent of the Hirschberg reflex): the brightest compact
/// spot inside the iris. Only its geometry is kept; no pixel of it is.
/// </summary>
/// <param name="Position">Centre of the spot in continuous pixel coordinates (pixel centres at +0.5), in the
/// image the owning <see cref="CornealReflexes"/> refers to.</param>
/// <param name="Radius">Radius of a disc of the spot's area, in pixels.</param>
/// <param name="Contrast">Peak luminance above the iris's median luminance, 0..255 grey levels.</param>
public sealed record CornealReflex(Vector2 Position, float Radius, float Contrast)
{
    /// <summary>Maps the reflex through a similarity or affine transform (radius scaled by the mean scale).</summary>
    /// <param name="transform">Row-vector convention, as <see cref="Vector2.Transform(Vector2, Matrix3x2)"/>.</param>
    public CornealReflex Transform(Matrix3x2 transform) =>
        new(Vector2.Transform(Position, transform), Radius * MathF.Sqrt(MathF.Abs(transform.GetDeterminant())), Contrast);
}

/// <summary>The corneal reflexes of both eyes; either may be absent (none visible, or not compact enough to trust).</summary>
/// <param name="Right">The subject's right eye (image left), or null.</param>
/// <param name="Left">The subject's left eye (image right), or null.</param>
public readonly record struct CornealReflexes(CornealReflex? Right, CornealReflex? Left)
{
    /// <summary>No reflex in either eye.</summary>
    public static CornealReflexes None => default;

    /// <summary>Maps both reflexes through a transform.</summary>
    /// <param name="transform">Row-vector convention.</param>
    public CornealReflexes Transform(Matrix3x2 transform) => new(Right?.Transform(transform), Left?.Transform(transform));
}
