namespace FaceDefender.Diagnostics;

/// <summary>
/// Which landmarks a measurement reads for the lids or the canthi: the face mesh's eye ring, or the iris
/// model's fine eye contour (<see cref="Landmarks.FaceLandmarks.RightEyeContour"/>), which the detector
/// returns alongside the mesh. The contour's points 0..15 correspond one to one to the mesh's eye ring, so
/// the same named points (lid midpoint, lid polyline, canthi) exist in both.
/// </summary>
public enum EyePointSource
{
    /// <summary>The fine contour when the landmarks carry it, else the face mesh.</summary>
    FineContour,

    /// <summary>The face mesh's eye points (159/145, 33/133 and so on), always.</summary>
    Mesh,

    /// <summary>The mean of the corresponding contour and mesh points when the contour is present, else the face mesh.</summary>
    Average,

    /// <summary>
    /// The detector's best points: for the lids as <see cref="FineContour"/>; for the canthi the contour's canthi when the
    /// detector refined them on the image (<see cref="Landmarks.EyeContour.HasRefinedCanthi"/>), else the face mesh's.
    /// </summary>
    Refined,
}
