namespace FaceDefender.Fusion;

/// <summary>How the avatar around the kept region is made to look taken by the patient's camera.</summary>
public enum CaptureMatching
{
    /// <summary>The default: the avatar is used as rendered (the kept eyes, enlarged from a small photo, look softer than the avatar).</summary>
    None,

    /// <summary>
    /// Two global statistics are estimated from the photo around the eyes, its blur (sigma in photo pixels) and its
    /// noise level; the avatar around the kept region is blurred to the blur the kept pixels have at the output scale (the photo's
    /// blur times the enlargement) and given noise of the same level and grain (drawn on the photo's pixel grid from a generator
    /// seeded by the avatar, so the output is deterministic). The degradation fades out over a fifth of the inter-pupil distance.
    /// </summary>
    BlurAndNoise,
}

/// <summary>Which pixels set the low-frequency colour that the colour correction transfers.</summary>
public enum ColorReferenceRegion
{
    /// <summary>
    /// The default: every pixel under the colour-correction blur, the eyes included. A patient eye darker or lighter than
    /// the avatar's can leave a faint light or dark rim near the mask edge (docs/fusion.md).
    /// </summary>
    BlurSupport,

    /// <summary>
    /// The skin around the eyes only. The eye openings of the patient and of the avatar (grown by 4 % of the
    /// inter-pupil distance for the lashes) are left out of both blurs, so a darker or lighter eye on one side no longer
    /// shifts the skin colour near the mask edge (the light or dark rim). Not the default: on the audit set it raised the
    /// eyes-only dlib Rank-1 against a raw gallery from 5 to 8 of 24 (docs/fusion.md).
    /// </summary>
    SurroundingSkin,
}
