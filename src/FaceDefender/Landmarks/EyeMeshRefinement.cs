namespace FaceDefender.Landmarks;

/// <summary>
/// Which face-mesh eye points <see cref="MediaPipeLandmarkDetector"/> overwrites with the iris model's fine eye
/// contour (<see cref="EyeContour"/>). The contour is returned on <see cref="FaceLandmarks"/> in every case.
/// </summary>
/// <remarks>
/// The default keeps the face mesh as the model predicts it: the face mesh stays consistent with its own
/// triangles (fusion warps them) and with the reference pipeline the landmark tests compare against, and the
/// diagnostics read the contour directly when it is present. docs/diagnostics.md records how each choice
/// places the mesh's eye points on the ground-truth kit.
/// </remarks>
public enum EyeMeshRefinement
{
    /// <summary>The mesh's eye points stay as the face-mesh model predicts them. The default.</summary>
    None,

    /// <summary>
    /// The 14 lid-margin points between the canthi (mesh 7, 163, 144, 145, 153, 154, 155, 246, 161, 160, 159, 158,
    /// 157, 173 and the left-eye partners) take the contour's points 1..7 and 9..15; the canthi (33, 133, 263, 362) stay.
    /// </summary>
    LidMargin,

    /// <summary>All 71 contour points per eye overwrite their mesh points (<see cref="EyeContour.RightEyeMeshIndices"/>), as MediaPipe does.</summary>
    Full,
}
