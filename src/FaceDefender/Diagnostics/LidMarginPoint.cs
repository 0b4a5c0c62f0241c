namespace FaceDefender.Diagnostics;

/// <summary>Where on the lid margin MRD1 and MRD2 are read.</summary>
public enum LidMarginPoint
{
    /// <summary>The lid-midpoint landmarks 159/145 (right eye) and 386/374 (left eye), as the paper. The default.</summary>
    Midpoint,

    /// <summary>
    /// The lid margin directly above and below the iris centre (the clinical definition): the lid
    /// polyline is interpolated linearly at the iris centre's horizontal position.
    /// </summary>
    AbovePupil,
}
