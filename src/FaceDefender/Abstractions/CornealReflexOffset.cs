using System.Numerics;
using FaceDefender.Landmarks;

namespace FaceDefender.Abstractions;

/// <summary>
/// One eye's corneal light reflex against its limbus (iris) centre: the photographic Hirschberg displacement. Axes are
/// those of the measurement frame (along and across the eye line by default). Immutable.
/// </summary>
/// <param name="Status">Whether the reflex was found and, if not, why not.</param>
/// <param name="Position">The reflex in the landmarks' pixels, or null when not found.</param>
/// <param name="Nasal">Reflex minus limbus centre along the eye line, positive towards the nose (NaN when not found).
/// An eye turned in (esotropia) moves its limbus nasally, so its reflex lies temporal: negative.</param>
/// <param name="Up">Reflex minus limbus centre across the eye line, positive upwards (NaN when not found).</param>
/// <param name="NasalIrisRadii"><paramref name="Nasal"/> as a fraction of the eye's iris radius.</param>
/// <param name="UpIrisRadii"><paramref name="Up"/> as a fraction of the eye's iris radius.</param>
/// <param name="NasalRotationDegrees">The eye's horizontal rotation towards the nose implied by the displacement after the
/// assumed angle kappa is removed, degrees (NaN when not found): the eye's line of sight against the camera.</param>
/// <param name="UpRotationDegrees">The eye's upward rotation implied by the vertical displacement, degrees (NaN when not found).</param>
public sealed record CornealReflexOffset(
    CornealReflexStatus Status,
    Vector2? Position,
    MeasuredValue Nasal,
    MeasuredValue Up,
    double NasalIrisRadii,
    double UpIrisRadii,
    double NasalRotationDegrees,
    double UpRotationDegrees)
{
    /// <summary>An eye whose reflex was not found (or not searched).</summary>
    /// <param name="status">The reason.</param>
    public static CornealReflexOffset Missing(CornealReflexStatus status)
    {
        return new(status, null, MeasuredValue.NotMeasured, MeasuredValue.NotMeasured, double.NaN, double.NaN, double.NaN, double.NaN);
    }

    /// <summary>True when the reflex was found.</summary>
    public bool IsFound => Status == CornealReflexStatus.Found;

    /// <summary>
    /// True when the limbus centre this offset is measured from was found on the image beside the reflex
    /// (<see cref="CornealReflex.LimbusCentre"/>); false when the landmark models' iris centre stood in for it (too
    /// little of the limbus visible between the lids, for example an eye turned far down or to one side), which on such
    /// eyes can be a third of the iris radius off. Such an eye raises <see cref="CaptureQualityIssue.LimbusNotMeasured"/>.
    /// </summary>
    public bool IsLimbusCentreMeasured { get; init; }
}

/// <summary>Where MRD1 and MRD2 were measured from.</summary>
public enum MarginReflexOrigin
{
    /// <summary>The limbus (iris) centre: no trustworthy corneal reflex in this eye.</summary>
    LimbusCentre,

    /// <summary>The corneal light reflex, as the definition of the margin-reflex distances asks.</summary>
    CornealReflex,
}

/// <summary>
/// Ocular alignment by the photographic Hirschberg test: the difference between the two eyes' corneal-reflex
/// displacements, so a gaze shared by both eyes cancels and only a deviation between them remains. Immutable.
/// </summary>
/// <param name="IsAvailable">True when both eyes have a reflex; otherwise every value is NaN.</param>
/// <param name="Horizontal">Horizontal deviation as a displacement at the cornea (mm; positive eso, negative exo), the
/// assumed angle kappa of both eyes removed. Pixels and iris diameters use the mean of the two eyes' scales.</param>
/// <param name="Vertical">Vertical deviation as a displacement (mm; positive when the right eye is higher).</param>
/// <param name="HorizontalPrism">The horizontal deviation in prism dioptres (positive eso), with the range the
/// individual variation of the Hirschberg ratio implies.</param>
/// <param name="VerticalPrism">The vertical deviation in prism dioptres (positive: right eye higher).</param>
/// <param name="GazeRightDegrees">The gaze both eyes share, towards the image's right, degrees (NaN when unavailable).</param>
/// <param name="GazeUpDegrees">The shared gaze upwards, degrees (NaN when unavailable).</param>
/// <param name="AssumedKappaMillimetres">The normal nasal reflex displacement (angle kappa) removed from each eye, mm.</param>
public sealed record HirschbergAlignment(
    bool IsAvailable,
    MeasuredValue Horizontal,
    MeasuredValue Vertical,
    PrismValue HorizontalPrism,
    PrismValue VerticalPrism,
    double GazeRightDegrees,
    double GazeUpDegrees,
    double AssumedKappaMillimetres)
{
    /// <summary>No alignment: at least one eye has no reflex.</summary>
    /// <param name="kappaMm">The configured angle kappa displacement.</param>
    public static HirschbergAlignment Unavailable(double kappaMm)
    {
        var nanPrism = new PrismValue(double.NaN, double.NaN, double.NaN);
        return new(false, MeasuredValue.NotMeasured, MeasuredValue.NotMeasured, nanPrism, nanPrism, double.NaN, double.NaN, kappaMm);
    }
}
