namespace FaceDefender.Fusion;

/// <summary>
/// The landmark index sets of the fusion (MediaPipe Face Mesh topology; left/right are the subject's),
/// as used by the FaceDefender prototype. Facts from the paper's method.
/// </summary>
public static class FusionLandmarkSets
{
    /// <summary>Subject-left eye (prototype set).</summary>
    public static ReadOnlySpan<int> LeftEye => [362, 256, 253, 339, 359, 387, 385, 384, 398];

    /// <summary>Subject-left brow (prototype set).</summary>
    public static ReadOnlySpan<int> LeftBrow => [336, 296, 334, 293, 300, 353];

    /// <summary>Subject-left under-eye zone.</summary>
    public static ReadOnlySpan<int> LeftUnderEye => [8, 168, 465, 453, 452, 451, 450, 449, 261, 265, 383];

    /// <summary>Subject-right eye (prototype set).</summary>
    public static ReadOnlySpan<int> RightEye => [130, 110, 23, 26, 133, 157, 158, 159, 160];

    /// <summary>Subject-right brow (prototype set).</summary>
    public static ReadOnlySpan<int> RightBrow => [113, 70, 63, 105, 66, 107];

    /// <summary>Subject-right under-eye zone.</summary>
    public static ReadOnlySpan<int> RightUnderEye => [124, 35, 31, 228, 229, 230, 231, 232, 245, 168, 8];

    /// <summary>Subject-left eye opening: the 16-point lid contour (canthi and both lid margins).</summary>
    public static ReadOnlySpan<int> LeftEyeContour => [263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249];

    /// <summary>Subject-right eye opening: the 16-point lid contour.</summary>
    public static ReadOnlySpan<int> RightEyeContour => [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7];

    /// <summary>The alignment points of the similarity transform: both eyes and both brows (30 points).</summary>
    public static int[] Alignment => [.. LeftEye, .. LeftBrow, .. RightEye, .. RightBrow];

    /// <summary>Subject-right eye-centre set of the FFHQ-style normalisation.</summary>
    public static ReadOnlySpan<int> NormalizationRightEye => [33, 159, 158, 133, 153, 144];

    /// <summary>Subject-left eye-centre set of the FFHQ-style normalisation.</summary>
    public static ReadOnlySpan<int> NormalizationLeftEye => [362, 385, 386, 263, 373, 380];

    /// <summary>Mouth corners of the FFHQ-style normalisation.</summary>
    public static ReadOnlySpan<int> NormalizationMouth => [61, 308];

    /// <summary>The mask landmark groups of one side (each group's convex hull is filled). For
    /// <see cref="RoiPreset.GeometryOnly"/> no pixel is kept; the group is the eye opening whose geometry is reproduced.</summary>
    /// <param name="preset">The region preset.</param>
    /// <param name="left">True for the subject's left side.</param>
    public static int[] MaskGroup(RoiPreset preset, bool left) => preset switch
    {
        RoiPreset.EyesOnly or RoiPreset.GeometryOnly => left ? LeftEyeContour.ToArray() : RightEyeContour.ToArray(),
        RoiPreset.EyesAndBrows => left ? [.. LeftEye, .. LeftBrow] : [.. RightEye, .. RightBrow],
        RoiPreset.Paper => left ? [.. LeftEye, .. LeftBrow, .. LeftUnderEye] : [.. RightEye, .. RightBrow, .. RightUnderEye],
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown ROI preset."),
    };
}
