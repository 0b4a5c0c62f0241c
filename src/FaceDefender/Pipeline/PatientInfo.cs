using FaceDefender.Abstractions;

namespace FaceDefender.Pipeline;

/// <summary>
/// What the clinical record says about the patient, used only to choose a matching avatar. Every field is
/// optional: a missing sex or age falls back to <see cref="DeidentificationOptions.DefaultSex"/> and
/// <see cref="DeidentificationOptions.DefaultAgeYears"/>; a missing skin tone is estimated from the photo.
/// </summary>
/// <param name="Sex">Sex from the record.</param>
/// <param name="AgeYears">Age in years from the record (0-120).</param>
/// <param name="SkinTone">Skin tone, or null to estimate it from the cheeks in the photo.</param>
/// <param name="PseudonymKey">A stable pseudonym (never the name or record number in clear): the same key always gets the same avatar, so follow-up photos look consistent.</param>
public sealed record PatientInfo(AvatarSex? Sex = null, int? AgeYears = null, SkinTone? SkinTone = null, string? PseudonymKey = null);
