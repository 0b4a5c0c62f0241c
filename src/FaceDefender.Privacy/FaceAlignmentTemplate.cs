using System.Numerics;
using FaceDefender.Landmarks;

namespace FaceDefender.Privacy;

/// <summary>
/// Where a face-recognition model expects facial points in its input square: each template point
/// is the mean of a group of MediaPipe landmarks, and the face is mapped onto the template with the
/// least-squares similarity transform (rotation, uniform scale, translation).
/// </summary>
public sealed class FaceAlignmentTemplate
{
    private readonly int[][] _groups;
    private readonly Vector2[] _points;

    /// <summary>Creates a template.</summary>
    /// <param name="landmarkGroups">For each template point, the MediaPipe landmark indices (0..477) averaged to find it.</param>
    /// <param name="points">The template points, in pixels of the model's input square.</param>
    /// <exception cref="ArgumentException">Fewer than two points, counts that differ, an empty group, an index out of range or a non-finite point.</exception>
    public FaceAlignmentTemplate(IReadOnlyList<IReadOnlyList<int>> landmarkGroups, IReadOnlyList<Vector2> points)
    {
        ArgumentNullException.ThrowIfNull(landmarkGroups);
        ArgumentNullException.ThrowIfNull(points);
        if (landmarkGroups.Count != points.Count || points.Count < 2)
        {
            throw new ArgumentException($"A template needs at least two points and one landmark group per point; got {landmarkGroups.Count} groups and {points.Count} points.", nameof(points));
        }

        _groups = new int[landmarkGroups.Count][];
        for (int i = 0; i < landmarkGroups.Count; i++)
        {
            IReadOnlyList<int> g = landmarkGroups[i] ?? throw new ArgumentException($"Landmark group {i} is null.", nameof(landmarkGroups));
            if (g.Count == 0 || g.Any(index => index < 0 || index >= FaceLandmarks.Count))
            {
                throw new ArgumentException($"Landmark group {i} must list 1 or more indices in 0..{FaceLandmarks.Count - 1}.", nameof(landmarkGroups));
            }

            _groups[i] = [.. g];
        }

        if (points.Any(p => !float.IsFinite(p.X) || !float.IsFinite(p.Y)))
        {
            throw new ArgumentException("Template points must be finite.", nameof(points));
        }

        _points = [.. points];
    }

    /// <summary>The template points in model-input pixels.</summary>
    public IReadOnlyList<Vector2> Points => _points;

    /// <summary>The landmark groups, one a template point.</summary>
    public IReadOnlyList<IReadOnlyList<int>> LandmarkGroups => _groups;

    /// <summary>
    /// dlib's 5-point face-chip template (as in its <c>get_face_chip_details</c>) at 150 x 150 with
    /// padding 0.25: image-left eye outer and inner corner, image-right eye inner and outer corner,
    /// bottom of the nose. MediaPipe points: 33, 133 (subject's right eye), 362, 263 (subject's left
    /// eye), 2 (nose bottom).
    /// </summary>
    public static FaceAlignmentTemplate Dlib150 { get; } = FromUnitPoints(
        [[33], [133], [362], [263], [2]],
        [new(0.1205750620789f, 0.2137274526848f), new(0.3340850613712f, 0.2290642403242f),
         new(0.6460604764104f, 0.2289674387677f), new(0.8595674595992f, 0.2134981538014f),
         new(0.4901123135679f, 0.6277975316475f)],
        padding: 0.25f, size: 150);

    /// <summary>
    /// The common ArcFace / insightface 112 x 112 template: eye centres (MediaPipe iris centres 468,
    /// 473), nose tip (1) and mouth corners (61, 291).
    /// </summary>
    public static FaceAlignmentTemplate ArcFace112 { get; } = new(
        [[468], [473], [1], [61], [291]],
        [new(38.2946f, 51.6963f), new(73.5318f, 51.5014f), new(56.0252f, 71.7366f), new(41.5493f, 92.3655f), new(70.7299f, 92.2041f)]);

    /// <summary>
    /// The ArcFace template scaled to <paramref name="size"/> pixels with <paramref name="margin"/>
    /// (fraction of the side) added on each side; used for models trained on looser face crops.
    /// </summary>
    /// <param name="size">Side of the model input in pixels (positive).</param>
    /// <param name="margin">Extra border as a fraction of the side, 0 to 0.4.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public static FaceAlignmentTemplate ArcFaceScaled(int size, float margin)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        if (!(margin >= 0 && margin <= 0.4f))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "Use a margin between 0 and 0.4.");
        }

        float inner = size * (1 - (2 * margin));
        float offset = size * margin;
        return new FaceAlignmentTemplate(
            ArcFace112._groups,
            ArcFace112._points.Select(p => new Vector2(offset + (p.X / 112f * inner), offset + (p.Y / 112f * inner))).ToArray());
    }

    private static FaceAlignmentTemplate FromUnitPoints(int[][] groups, Vector2[] unit, float padding, int size) =>
        new(groups, unit.Select(p => (p + new Vector2(padding)) / (1 + (2 * padding)) * size).ToArray());

    /// <summary>The face's points corresponding to the template points.</summary>
    internal Vector2[] Measure(FaceLandmarks landmarks)
    {
        var result = new Vector2[_groups.Length];
        for (int i = 0; i < _groups.Length; i++)
        {
            Vector2 sum = Vector2.Zero;
            foreach (int index in _groups[i])
            {
                sum += landmarks[index];
            }

            result[i] = sum / _groups[i].Length;
        }

        return result;
    }
}
