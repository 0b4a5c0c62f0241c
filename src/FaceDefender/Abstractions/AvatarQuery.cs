using FaceDefender.Avatars;

namespace FaceDefender.Abstractions;

/// <summary>What kind of avatar to choose for a patient. Immutable.</summary>
public sealed class AvatarQuery
{
    /// <summary>Creates a query.</summary>
    /// <param name="sex">The patient's sex.</param>
    /// <param name="ageYears">The patient's age in whole years (0 to 130); mapped to an <see cref="AvatarAgeBuckets">age bucket</see>.</param>
    /// <param name="skinTone">The patient's skin tone class.</param>
    /// <param name="pseudonymKey">
    /// Optional pseudonym (for example a study code). The same pseudonym always gets the same avatar
    /// (a keyed hash, see <see cref="AvatarPseudonym"/>); null gives the group's default avatar.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">Age outside 0..130, or an undefined enum value.</exception>
    /// <exception cref="ArgumentException"><paramref name="pseudonymKey"/> is empty or white space (pass null for none).</exception>
    public AvatarQuery(AvatarSex sex, int ageYears, SkinTone skinTone, string? pseudonymKey = null)
    {
        if (!Enum.IsDefined(sex))
        {
            throw new ArgumentOutOfRangeException(nameof(sex), sex, "Use AvatarSex.Female or AvatarSex.Male.");
        }

        if (!Enum.IsDefined(skinTone))
        {
            throw new ArgumentOutOfRangeException(nameof(skinTone), skinTone, "Use SkinTone.Light, Medium or Dark.");
        }

        if (pseudonymKey is not null && string.IsNullOrWhiteSpace(pseudonymKey))
        {
            throw new ArgumentException("A pseudonym must contain visible characters; pass null for none.", nameof(pseudonymKey));
        }

        AgeBucket = AvatarAgeBuckets.Map(ageYears);
        Sex = sex;
        AgeYears = ageYears;
        SkinTone = skinTone;
        PseudonymKey = pseudonymKey;
    }

    /// <summary>The patient's sex.</summary>
    public AvatarSex Sex { get; }

    /// <summary>The patient's age in years, as given.</summary>
    public int AgeYears { get; }

    /// <summary>The age bucket the age maps to (5, 10, 15, 20, 30, ..., 80, 85).</summary>
    public int AgeBucket { get; }

    /// <summary>The patient's skin tone class.</summary>
    public SkinTone SkinTone { get; }

    /// <summary>The pseudonym, or null.</summary>
    public string? PseudonymKey { get; }

    /// <summary>
    /// Null (default) for the group's own skin colour. Otherwise the patient's skin colour as the photo shows it
    /// (<see cref="Avatars.SkinColor.Measure"/>): a provider that can draw any skin colour draws the avatar's skin to show this
    /// colour at the same place (moved into the range of skin, <see cref="Avatars.SkinColor.Clamp"/>), so the kept eye region and
    /// the face share colour and white balance; <see cref="SkinTone"/> still chooses the group. Others ignore it.
    /// </summary>
    public SixLabors.ImageSharp.PixelFormats.Rgb24? SkinColor { get; init; }

    /// <summary>
    /// Null (default) for a frontal avatar. Otherwise the patient's head pose: a provider that can draw turned heads
    /// returns the avatar at this yaw and pitch and sets <see cref="Avatar.Pose"/>; one that cannot returns its frontal
    /// avatar (<see cref="Avatar.Pose"/> null). Roll is left to the fusion's alignment.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An angle is not finite, or the yaw or pitch is beyond ±90°.</exception>
    public HeadPose? Pose
    {
        get;
        init => field = value is not { } p || (float.IsFinite(p.Roll) && Math.Abs(p.Yaw) <= 90f && Math.Abs(p.Pitch) <= 90f)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Pose), value, "A head pose needs finite angles with yaw and pitch within ±90°.");
    }
}
