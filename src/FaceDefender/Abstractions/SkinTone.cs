namespace FaceDefender.Abstractions;

/// <summary>
/// A coarse skin-tone class for choosing an avatar (the de-identified image keeps the patient's eye
/// region, so a similar tone around it blends better). Not an ethnicity label.
/// </summary>
public enum SkinTone
{
    /// <summary>Light skin (roughly Fitzpatrick I-II).</summary>
    Light,

    /// <summary>Medium skin (roughly Fitzpatrick III-IV).</summary>
    Medium,

    /// <summary>Dark skin (roughly Fitzpatrick V-VI).</summary>
    Dark,
}
