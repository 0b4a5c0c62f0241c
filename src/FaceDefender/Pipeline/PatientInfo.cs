using FaceDefender.Abstractions;

namespace FaceDefender.Pipeline;

/// <summary>
/// What the clinical record says about the patient, used only to choose a matching avatar. Every field is
/// optional: a missing sex or age falls back to <see cref="DeidentificationOptions.DefaultSex"/> and
/// <see cref="DeidentificationOptions.DefaultAgeYears"/>; a missing skin tone is estimated from the photo.
/// Values are checked on construction, so a wrong age fails once, where it is given, not once per photo.
/// </summary>
public sealed record PatientInfo
{
    /// <summary>Creates the record.</summary>
    /// <param name="Sex">Sex from the record.</param>
    /// <param name="AgeYears">Age in years from the record (0-130).</param>
    /// <param name="SkinTone">Skin tone, or null to estimate it from the cheeks in the photo.</param>
    /// <param name="PseudonymKey">A stable pseudonym (never the name or record number in clear): the same key always gets the same avatar, so follow-up photos look consistent.</param>
    /// <exception cref="ArgumentOutOfRangeException">An age outside 0-130, or an undefined sex or skin tone.</exception>
    /// <exception cref="ArgumentException">A pseudonym of only white space.</exception>
    public PatientInfo(AvatarSex? Sex = null, int? AgeYears = null, SkinTone? SkinTone = null, string? PseudonymKey = null)
    {
        if (AgeYears is < 0 or > 130)
        {
            throw new ArgumentOutOfRangeException(nameof(AgeYears), AgeYears, "The age must be 0-130 years.");
        }

        if (Sex is { } s && !Enum.IsDefined(s))
        {
            throw new ArgumentOutOfRangeException(nameof(Sex), Sex, "Use AvatarSex.Female or Male.");
        }

        if (SkinTone is { } t && !Enum.IsDefined(t))
        {
            throw new ArgumentOutOfRangeException(nameof(SkinTone), SkinTone, "Use SkinTone.Light, Medium or Dark.");
        }

        if (PseudonymKey is not null && string.IsNullOrWhiteSpace(PseudonymKey))
        {
            throw new ArgumentException("A pseudonym must contain visible characters; pass null for none.", nameof(PseudonymKey));
        }

        this.Sex = Sex;
        this.AgeYears = AgeYears;
        this.SkinTone = SkinTone;
        this.PseudonymKey = PseudonymKey;
    }

    /// <summary>Sex from the record.</summary>
    public AvatarSex? Sex { get; }

    /// <summary>Age in years from the record.</summary>
    public int? AgeYears { get; }

    /// <summary>Skin tone, or null to estimate it.</summary>
    public SkinTone? SkinTone { get; }

    /// <summary>The stable pseudonym, or null.</summary>
    public string? PseudonymKey { get; }
}
