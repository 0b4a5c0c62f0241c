using System.Numerics;

namespace FaceDefender.Landmarks;

/// <summary>
/// The fine eye contour of one eye predicted by MediaPipe's iris landmark model: 71 points in the
/// same continuous pixel coordinates as the <see cref="FaceLandmarks"/> it belongs to. Immutable.
/// </summary>
/// <remarks>
/// <para>Point order (the model's; every chain runs from the outer, lateral, side to the inner, medial, side,
/// the subject's left eye being predicted on a mirrored crop so it has the same order):</para>
/// <list type="table">
/// <listheader><term>points</term><description>meaning (face-mesh points MediaPipe's refinement overwrites with them, subject's right / left eye)</description></listheader>
/// <item><term>0..8</term><description>lid margin, lower lid: 0 = outer canthus, 8 = inner canthus (33, 7, 163, 144, 145, 153, 154, 155, 133 / 263, 249, 390, 373, 374, 380, 381, 382, 362)</description></item>
/// <item><term>9..15</term><description>lid margin, upper lid without the canthi (246, 161, 160, 159, 158, 157, 173 / 466, 388, 387, 386, 385, 384, 398)</description></item>
/// <item><term>16..24, 25..31</term><description>second ring around the eye: lower (9 points, corners included) and upper (7 points)</description></item>
/// <item><term>32..40, 41..47</term><description>third ring: lower (9) and upper (7)</description></item>
/// <item><term>48..53</term><description>fourth ring, upper only (6 points; the brow's inner contour)</description></item>
/// <item><term>54..62, 63..70</term><description>fifth ring: lower (9) and upper (8; the brow's outer contour)</description></item>
/// </list>
/// <para>Only points 0..15 lie on the lid margin; the rings (16..70) describe the skin around the eye
/// and are given for completeness. <see cref="RightEyeMeshIndices"/> and <see cref="LeftEyeMeshIndices"/>
/// list, per contour point, the face-mesh point that MediaPipe's "refine landmarks" replaces with it.</para>
/// <para>Z is a relative depth in pixels like <see cref="FaceLandmarks.Points"/> (anchored at the mesh depth of
/// the eye corners), or 0 when unknown.</para>
/// </remarks>
public sealed class EyeContour
{
    /// <summary>Number of contour points predicted by the iris model for one eye.</summary>
    public const int Count = 71;

    /// <summary>Index of the outer (lateral) canthus in the contour.</summary>
    public const int OuterCanthusIndex = 0;

    /// <summary>Index of the inner (medial) canthus in the contour.</summary>
    public const int InnerCanthusIndex = 8;

    private readonly Vector3[] _points;

    /// <summary>Creates a contour from exactly <see cref="Count"/> points in the model's order.</summary>
    /// <param name="points">71 points (x, y in pixels; z relative depth). Copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> is null.</exception>
    /// <exception cref="ArgumentException">Not exactly 71 points, or a coordinate is NaN or infinite.</exception>
    public EyeContour(IReadOnlyList<Vector3> points)
        : this(points, refinedCanthi: false)
    {
    }

    /// <summary>Creates a contour from exactly <see cref="Count"/> points in the model's order, saying where its canthi come from.</summary>
    /// <param name="points">71 points (x, y in pixels; z relative depth). Copied.</param>
    /// <param name="refinedCanthi">Whether points 0 and 8 are refined canthi (see <see cref="HasRefinedCanthi"/>) rather than the iris model's.</param>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> is null.</exception>
    /// <exception cref="ArgumentException">Not exactly 71 points, or a coordinate is NaN or infinite.</exception>
    public EyeContour(IReadOnlyList<Vector3> points, bool refinedCanthi)
    {
        HasRefinedCanthi = refinedCanthi;
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count != Count)
        {
            throw new ArgumentException($"An eye contour has exactly {Count} points (the iris model's order) but {points.Count} were given.", nameof(points));
        }

        _points = new Vector3[Count];
        for (int i = 0; i < Count; i++)
        {
            Vector3 p = points[i];
            if (!float.IsFinite(p.X) || !float.IsFinite(p.Y) || !float.IsFinite(p.Z))
            {
                throw new ArgumentException($"Eye-contour point {i} is not finite ({p}).", nameof(points));
            }

            _points[i] = p;
        }
    }

    /// <summary>Contour indices of the upper-lid margin, outer to inner canthus (9 points, canthi included).</summary>
    public static ReadOnlySpan<int> UpperLidIndices => [0, 9, 10, 11, 12, 13, 14, 15, 8];

    /// <summary>Contour indices of the lower-lid margin, outer to inner canthus (9 points, canthi included).</summary>
    public static ReadOnlySpan<int> LowerLidIndices => [0, 1, 2, 3, 4, 5, 6, 7, 8];

    /// <summary>For each of the 71 contour points of the subject's right eye, the face-mesh point MediaPipe's refinement replaces with it.</summary>
    public static ReadOnlySpan<int> RightEyeMeshIndices =>
    [
        33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173,
        130, 25, 110, 24, 23, 22, 26, 112, 243, 247, 30, 29, 27, 28, 56, 190,
        226, 31, 228, 229, 230, 231, 232, 233, 244, 113, 225, 224, 223, 222, 221, 189,
        35, 124, 46, 53, 52, 65,
        143, 111, 117, 118, 119, 120, 121, 128, 245, 156, 70, 63, 105, 66, 107, 55, 193,
    ];

    /// <summary>For each of the 71 contour points of the subject's left eye, the face-mesh point MediaPipe's refinement replaces with it.</summary>
    public static ReadOnlySpan<int> LeftEyeMeshIndices =>
    [
        263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398,
        359, 255, 339, 254, 253, 252, 256, 341, 463, 467, 260, 259, 257, 258, 286, 414,
        446, 261, 448, 449, 450, 451, 452, 453, 464, 342, 445, 444, 443, 442, 441, 413,
        265, 353, 276, 283, 282, 295,
        372, 340, 346, 347, 348, 349, 350, 357, 465, 383, 300, 293, 334, 296, 336, 285, 417,
    ];

    /// <summary>
    /// Whether points 0 and 8 (the canthi) are the detector's refined canthi: re-read on the image where it shows them
    /// (the outer canthus at the end of the opening, the inner one's height from the refined lid margins), else the
    /// face mesh's. Set by <see cref="MediaPipeLandmarkDetector"/> when <see cref="MediaPipeLandmarkDetectorOptions.EyeImageRefinement"/>
    /// refines the lids and the eye holds enough detail (an effective iris radius above 6 pixels); false means the iris model's own
    /// contour canthi, which lie far from the drawn canthi on the ground-truth kit (docs/diagnostics.md).
    /// </summary>
    public bool HasRefinedCanthi { get; }

    /// <summary>
    /// The iris diameter, in pixels of a sharp photo, that the photo's detail supports: for a sharp photo about the
    /// iris's pixel width, for an enlarged or blurred one less (an iris enlarged 2x keeps its original effective
    /// diameter). Read by <see cref="MediaPipeLandmarkDetector"/> from the width of the limbus edge (iris to sclera) on the
    /// pixels the models read (for an image larger than <see cref="MediaPipeLandmarkDetectorOptions.MaxWorkingSize"/>, its
    /// reduced working copy); NaN when unknown (the limbus could not be read, or the contour did not come from the
    /// detector). <see cref="Transform"/> keeps it: mapping the coordinates adds or removes no detail (the measurements
    /// cap it at the iris's pixel width in the coordinates they are taken in, <see cref="FaceDefender.Abstractions.EyeMeasurements.EffectiveIrisDiameterPixels"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero, a negative value or infinity (NaN means unknown).</exception>
    public float EffectiveIrisDiameterPixels
    {
        get;
        init
        {
            if (!float.IsNaN(value) && !(value > 0 && float.IsFinite(value)))
            {
                throw new ArgumentOutOfRangeException(nameof(EffectiveIrisDiameterPixels), value, "The effective iris diameter is a positive, finite number of pixels, or NaN when unknown.");
            }

            field = value;
        }
    } = float.NaN;

    /// <summary>All 71 points (x, y in pixels; z relative depth), in the model's order.</summary>
    public ReadOnlySpan<Vector3> Points => _points;

    /// <summary>The 2-D position of contour point <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Index outside 0..70.</exception>
    public Vector2 this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new Vector2(_points[index].X, _points[index].Y);
        }
    }

    /// <summary>Outer (lateral) canthus: contour point 0.</summary>
    public Vector2 OuterCanthus => this[OuterCanthusIndex];

    /// <summary>Inner (medial) canthus: contour point 8.</summary>
    public Vector2 InnerCanthus => this[InnerCanthusIndex];

    /// <summary>Upper-lid margin, outer to inner canthus (points 0, 9..15, 8).</summary>
    public Vector2[] UpperLid => Select(UpperLidIndices);

    /// <summary>Lower-lid margin, outer to inner canthus (points 0..8).</summary>
    public Vector2[] LowerLid => Select(LowerLidIndices);

    /// <summary>The 2-D positions of the given contour indices, in order.</summary>
    public Vector2[] Select(ReadOnlySpan<int> indices)
    {
        var result = new Vector2[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            result[i] = this[indices[i]];
        }

        return result;
    }

    /// <summary>Maps every point through a 2-D affine transform, depth multiplied by <paramref name="depthScale"/>.</summary>
    /// <param name="transform">The transform, in System.Numerics row-vector convention.</param>
    /// <param name="depthScale">Factor for Z (the transform's mean scale, as <see cref="FaceLandmarks.Transform"/> uses).</param>
    public EyeContour Transform(Matrix3x2 transform, float depthScale)
    {
        var mapped = new Vector3[Count];
        for (int i = 0; i < Count; i++)
        {
            Vector3 p = _points[i];
            mapped[i] = new Vector3(Vector2.Transform(new Vector2(p.X, p.Y), transform), p.Z * depthScale);
        }

        return new EyeContour(mapped, HasRefinedCanthi) { EffectiveIrisDiameterPixels = EffectiveIrisDiameterPixels };
    }
}
