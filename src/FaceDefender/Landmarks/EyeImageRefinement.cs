namespace FaceDefender.Landmarks;

/// <summary>
/// Which eye landmarks <see cref="MediaPipeLandmarkDetector"/> refines on the image's own pixels after the iris model
/// (<see cref="MediaPipeLandmarkDetectorOptions.EyeImageRefinement"/>). The refinement fits the limbus (dark iris
/// inside, bright sclera outside) around the model's iris ring and, optionally, the lid margins along the normals of
/// the model's eye contour. Every move is bounded (a stated fraction of the iris radius) and falls back to the model's
/// point when the image gives no clear edge. docs/landmarks.md records what each choice measures.
/// </summary>
public enum EyeImageRefinement
{
    /// <summary>The models' points as predicted (MediaPipe's behaviour; what the reference-pipeline tests compare).</summary>
    None,

    /// <summary>The iris centre and ring (468..472, 473..477) are moved to the limbus circle fitted on the image.</summary>
    Iris,

    /// <summary>
    /// The lid-margin points of the fine eye contour (points 1..7 and 9..15) move to the lid edges found along their
    /// normals, and the contour's canthi (points 0 and 8) are re-read on the image (<see cref="EyeContour.HasRefinedCanthi"/>).
    /// The iris and the face mesh stay as the models put them.
    /// </summary>
    Lids,

    /// <summary>
    /// As <see cref="Iris"/>, and the lid-margin points of the fine eye contour (points 1..7 and 9..15) move to the lid
    /// edges found along their normals and its canthi (points 0 and 8) are re-read on the image (the face mesh stays as
    /// the mesh model put it; set <see cref="MediaPipeLandmarkDetectorOptions.EyeMeshRefinement"/> to copy the refined
    /// contour onto it). The default of <see cref="MediaPipeLandmarkDetectorOptions.EyeImageRefinement"/>.
    /// </summary>
    IrisAndLids,
}
