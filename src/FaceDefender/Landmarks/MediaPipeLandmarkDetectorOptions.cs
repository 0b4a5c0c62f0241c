using Microsoft.ML.OnnxRuntime;

namespace FaceDefender.Landmarks;

/// <summary>
/// Options of <see cref="MediaPipeLandmarkDetector"/>. Immutable; every value is validated when set.
/// </summary>
public sealed record MediaPipeLandmarkDetectorOptions
{
    /// <summary>Minimum face-detector score (0..1) for a detection to count. Default 0.5.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 1).</exception>
    public float MinDetectionScore
    {
        get;
        init => field = CheckProbability(value, nameof(MinDetectionScore));
    } = 0.5f;

    /// <summary>Minimum face-presence score (0..1) of the landmark model for a face to be kept. Default 0.5.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 1).</exception>
    public float MinLandmarkScore
    {
        get;
        init => field = CheckProbability(value, nameof(MinLandmarkScore));
    } = 0.5f;

    /// <summary>Intersection-over-union above which detections are merged (weighted non-maximum suppression). Default 0.3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 1).</exception>
    public float NmsIouThreshold
    {
        get;
        init => field = CheckProbability(value, nameof(NmsIouThreshold));
    } = 0.3f;

    /// <summary>
    /// Minimum face size in source pixels (the larger side of the detector's box, about forehead to
    /// chin). Smaller faces give <c>FaceTooSmall</c>: their eyes are too few pixels to measure.
    /// Default 64.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or above 100000.</exception>
    public float MinFaceSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MinFaceSize));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100_000f, nameof(MinFaceSize));
            field = value;
        }
    } = 64f;

    /// <summary>What to do with several usable faces. Default <see cref="SeveralFacesPolicy.Largest"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined value.</exception>
    public SeveralFacesPolicy SeveralFaces
    {
        get;
        init => field = Defined(value, nameof(SeveralFaces), "Use Largest, Fail or All.");
    } = SeveralFacesPolicy.Largest;

    /// <summary>At most this many detections (highest scores first) get landmarks. Default 8.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1 or above 64.</exception>
    public int MaxFaces
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxFaces));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 64, nameof(MaxFaces));
            field = value;
        }
    } = 8;

    /// <summary>
    /// Extra landmark passes: after the first mesh, the crop is recomputed from the landmarks
    /// (eye-corner rotation, landmark extent) and the mesh run again, which makes results less
    /// dependent on the detector's box. 0 to 2; default 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0..2.</exception>
    public int RefinementPasses
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(RefinementPasses));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 2, nameof(RefinementPasses));
            field = value;
        }
    } = 1;

    /// <summary>
    /// Side of the refinement crop as a multiple of the landmarks' extent (in the eye-aligned frame).
    /// MediaPipe's tracking crop uses 1.5; the default 1.275 gives the eyes more pixels. Measured on
    /// the two test portraits under roll +-30 degrees, scaling and mirroring, the worst eye-point
    /// disagreement fell from 2.2 % to 1.1 % of the inter-pupil distance (see docs/landmarks.md; a
    /// choice made on those two images, not a trained value). 1.1 to 2.0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1.1..2.0.</exception>
    public float RefinedCropScale
    {
        get;
        init
        {
            if (!(value >= 1.1f && value <= 2f))
            {
                throw new ArgumentOutOfRangeException(nameof(RefinedCropScale), value, "RefinedCropScale must be between 1.1 and 2.0 (MediaPipe uses 1.5).");
            }

            field = value;
        }
    } = 1.275f;

    /// <summary>
    /// Images whose longer side exceeds this many pixels are shrunk by an integer box filter before
    /// the models read them (results are still in source pixels). Bounds the work on huge photos;
    /// the crops the models see (192 px face, 64 px eye) need far fewer pixels. 256 to 16384; default 1600.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 256..16384.</exception>
    public int MaxWorkingSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 256, nameof(MaxWorkingSize));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 16384, nameof(MaxWorkingSize));
            field = value;
        }
    } = 1600;

    /// <summary>
    /// Run the face mesh on the crop and on its mirror image and average the two (left and right
    /// points swapped back). Makes results consistent under horizontal mirroring and reduces
    /// model noise, at the cost of a second mesh inference per pass. Default true.
    /// </summary>
    public bool MirrorAveraging { get; init; } = true;

    /// <summary>
    /// Check the fine contour's lid opening against the image and close it where a lid covers more of the iris than the
    /// contour says (a half-closed or closed eye that the landmark models draw open); a normally open eye is left as it
    /// is. Runs after <see cref="EyeImageRefinement"/>. Default false (opt-in): on kit eyes with a lowered lid over a raised
    /// iris it still moves the upper lid too far (MRD1). Measured effect: docs/diagnostics.md ("Half-closed lids").
    /// </summary>
    public bool LidOpeningCheck { get; init; }

    /// <summary>
    /// Whether the iris model's fine eye contour also overwrites face-mesh eye points (MediaPipe's "refine
    /// landmarks" overwrites all 71 per eye). The contour itself is always returned in
    /// <see cref="FaceLandmarks.RightEyeContour"/> / <see cref="FaceLandmarks.LeftEyeContour"/>. Default
    /// <see cref="EyeMeshRefinement.None"/> (see that type for the measured reasons).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined value.</exception>
    public EyeMeshRefinement EyeMeshRefinement
    {
        get;
        init => field = Defined(value, nameof(EyeMeshRefinement), "Use None, LidMargin or Full.");
    } = EyeMeshRefinement.None;

    /// <summary>
    /// Image-based refinement of the eye landmarks after the iris model (<see cref="Landmarks.EyeImageRefinement"/>):
    /// the lid-margin points of the fine eye contour moved to the lid edges, its canthi re-read on the image and, with
    /// <see cref="EyeImageRefinement.Iris"/> or <see cref="EyeImageRefinement.IrisAndLids"/>, the iris centre to the limbus;
    /// every move bounded by a fraction of the iris radius or the eye width, only where the edge is clear, and blended
    /// with the models' points by a weight that rises smoothly with the eye's effective resolution
    /// (<see cref="EyeContour.EffectiveIrisDiameterPixels"/>: 0 up to an effective iris radius of 6 px, 1 from 11 px) (canthi, wider lid searches and the lateral ring: docs/landmarks.md). Default
    /// <see cref="EyeImageRefinement.IrisAndLids"/>: on the ground-truth kit the limbus fit brings the
    /// iris centre from about 0.5 mm to 0.15 mm and the lid searches the lid margins to about 0.3 mm. See
    /// docs/diagnostics.md. On eyes with little detail
    /// (an effective iris radius of 6 px or less, as in the two shared portraits at any size) nothing moves. <see cref="EyeImageRefinement.None"/> gives the
    /// models' points unchanged.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined value.</exception>
    public EyeImageRefinement EyeImageRefinement
    {
        get;
        init => field = Defined(value, nameof(EyeImageRefinement), "Use None, Iris, Lids or IrisAndLids.");
    } = EyeImageRefinement.IrisAndLids;

    /// <summary>
    /// ONNX Runtime session options (threads, execution providers such as CUDA or DirectML), used
    /// for all three models. Null: single-threaded CPU sessions. The detector does not dispose
    /// options given here; keep them alive until the detector is disposed.
    /// </summary>
    public SessionOptions? SessionOptions { get; init; }

    /// <summary>The face detector model (MediaPipe BlazeFace, 256 x 256). Null: the embedded one.</summary>
    public FaceModelSource? DetectorModel { get; init; }

    /// <summary>The face landmark model (MediaPipe face mesh, 192 x 192). Null: the embedded one.</summary>
    public FaceModelSource? MeshModel { get; init; }

    /// <summary>The iris landmark model (MediaPipe iris, 64 x 64). Null: the embedded one.</summary>
    public FaceModelSource? IrisModel { get; init; }

    private static float CheckProbability(float value, string name)
    {
        if (!(value > 0f && value < 1f))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be strictly between 0 and 1.");
        }

        return value;
    }

    private static T Defined<T>(T value, string name, string choices)
        where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(name, value, choices);
}
