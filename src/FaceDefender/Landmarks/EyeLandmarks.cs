using System.Numerics;

namespace FaceDefender.Landmarks;

/// <summary>
/// The landmarks of one eye, read from a <see cref="FaceLandmarks"/> by name. "Left"/"right" are the
/// subject's. Lid lines run from the outer canthus to the inner canthus. Immutable.
/// </summary>
public sealed class EyeLandmarks
{
    internal EyeLandmarks(FaceLandmarks face, EyeIndices indices)
    {
        Indices = indices;
        OuterCanthus = face[indices.OuterCanthus];
        InnerCanthus = face[indices.InnerCanthus];
        UpperLid = face.Select(indices.UpperLid);
        LowerLid = face.Select(indices.LowerLid);
        IrisCentre = face[indices.IrisCentre];
        IrisRing = face.Select(indices.IrisRing);
        UpperLidMidpoint = face[indices.UpperLidMidpoint];
        LowerLidMidpoint = face[indices.LowerLidMidpoint];
        FineContour = indices.IrisCentre == EyeIndices.Right.IrisCentre ? face.RightEyeContour : face.LeftEyeContour;
    }

    /// <summary>The landmark indices this eye is read from.</summary>
    public EyeIndices Indices { get; }

    /// <summary>Outer (lateral) corner of the eye.</summary>
    public Vector2 OuterCanthus { get; }

    /// <summary>Inner (medial) corner of the eye.</summary>
    public Vector2 InnerCanthus { get; }

    /// <summary>Upper-lid margin, outer to inner canthus (9 points, canthi included).</summary>
    public IReadOnlyList<Vector2> UpperLid { get; }

    /// <summary>Lower-lid margin, outer to inner canthus (9 points, canthi included).</summary>
    public IReadOnlyList<Vector2> LowerLid { get; }

    /// <summary>Midpoint of the upper-lid margin (landmark 159 right, 386 left).</summary>
    public Vector2 UpperLidMidpoint { get; }

    /// <summary>Midpoint of the lower-lid margin (landmark 145 right, 374 left).</summary>
    public Vector2 LowerLidMidpoint { get; }

    /// <summary>The closed eye contour: upper lid outer to inner, then lower lid back (16 points).</summary>
    public IReadOnlyList<Vector2> Contour => [.. UpperLid, .. LowerLid.Reverse().Skip(1).Take(LowerLid.Count - 2)];

    /// <summary>
    /// The iris model's fine 71-point contour of this eye (its points 0..15 are the lid margin), or null when the
    /// landmarks carry none; then use the mesh points (<see cref="UpperLid"/>, <see cref="LowerLid"/>).
    /// </summary>
    public EyeContour? FineContour { get; }

    /// <summary>Iris centre from the iris model (landmark 468 right, 473 left).</summary>
    public Vector2 IrisCentre { get; }

    /// <summary>The four iris boundary points of the iris model (469..472 right, 474..477 left).</summary>
    public IReadOnlyList<Vector2> IrisRing { get; }

    /// <summary>Iris diameter estimate: mean distance between opposite ring points.</summary>
    public float IrisDiameter => (Vector2.Distance(IrisRing[0], IrisRing[2]) + Vector2.Distance(IrisRing[1], IrisRing[3])) / 2;

    /// <summary>
    /// Horizontal iris diameter: the distance between the two lateral ring points (469 / 471, 474 / 476), the iris size
    /// the diagnostics' default millimetre scale reads (the ring is not round: the model's vertical diameter is a few
    /// per cent shorter).
    /// </summary>
    public float HorizontalIrisDiameter => Vector2.Distance(IrisRing[0], IrisRing[2]);
}

/// <summary>MediaPipe Face Mesh indices of one eye's named points.</summary>
/// <param name="OuterCanthus">Outer corner.</param>
/// <param name="InnerCanthus">Inner corner.</param>
/// <param name="UpperLid">Upper lid, outer to inner.</param>
/// <param name="LowerLid">Lower lid, outer to inner.</param>
/// <param name="UpperLidMidpoint">Upper-lid midpoint.</param>
/// <param name="LowerLidMidpoint">Lower-lid midpoint.</param>
/// <param name="IrisCentre">Iris centre.</param>
/// <param name="IrisRing">Four iris boundary points.</param>
public sealed record EyeIndices(
    int OuterCanthus, int InnerCanthus, int[] UpperLid, int[] LowerLid, int UpperLidMidpoint, int LowerLidMidpoint, int IrisCentre, int[] IrisRing)
{
    /// <summary>The subject's right eye (on the image's left).</summary>
    public static EyeIndices Right { get; } = new(
        33, 133, [33, 246, 161, 160, 159, 158, 157, 173, 133], [33, 7, 163, 144, 145, 153, 154, 155, 133], 159, 145, 468, [469, 470, 471, 472]);

    /// <summary>The subject's left eye (on the image's right).</summary>
    public static EyeIndices Left { get; } = new(
        263, 362, [263, 466, 388, 387, 386, 385, 384, 398, 362], [263, 249, 390, 373, 374, 380, 381, 382, 362], 386, 374, 473, [474, 475, 476, 477]);
}
