namespace FaceDefender.Diagnostics;

/// <summary>Where on the lid margin MRD1 and MRD2 are read.</summary>
public enum LidMarginPoint
{
    /// <summary>
    /// The lid midpoints: mesh landmarks 159/145 (right eye) and 386/374 (left eye) as the paper, or the fine
    /// eye contour's corresponding points 12/4 (see <see cref="DiagnosticOptions.UpperLidSource"/>). The default.
    /// </summary>
    Midpoint,

    /// <summary>
    /// The lid margin directly above and below the iris centre (the clinical definition): the lid
    /// polyline (mesh or fine contour, as the lid sources choose) is interpolated linearly at the iris
    /// centre's horizontal position.
    /// </summary>
    AbovePupil,
}
