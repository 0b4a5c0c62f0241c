namespace FaceDefender.Avatars;

/// <summary>Options of <see cref="ProceduralAvatarProvider"/>. Immutable; each value is checked when it is set.</summary>
public sealed record ProceduralAvatarOptions
{
    /// <summary>Default options: the documented default key (no secrecy), 8 identities per group, 32 cached avatars.</summary>
    public static ProceduralAvatarOptions Default { get; } = new();

    /// <summary>The secret HMAC key for pseudonyms; null (the default) for <see cref="AvatarPseudonym.DefaultKey"/>, which
    /// gives stable choices but no secrecy. The value set is copied, and reading returns a copy. Bound from configuration,
    /// it is a base64 string.</summary>
    /// <exception cref="ArgumentException">An empty key.</exception>
    public byte[]? PseudonymHmacKey
    {
        get => (byte[]?)field?.Clone();
        init
        {
            if (value is { Length: 0 })
            {
                throw new ArgumentException("The pseudonym key must not be empty; leave it unset (null) for the default key.", nameof(PseudonymHmacKey));
            }

            field = (byte[]?)value?.Clone();
        }
    }

    /// <summary>How many different synthetic identities each (sex, age, tone) group offers to pseudonyms, 1 to 64; default 8.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1 to 64.</exception>
    public int IdentitiesPerGroup
    {
        get;
        init => field = value is >= 1 and <= 64 ? value : throw new ArgumentOutOfRangeException(nameof(IdentitiesPerGroup), value, "Must be between 1 and 64.");
    } = 8;

    /// <summary>How the avatars are drawn; default <see cref="AvatarStyle.Aged"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined value.</exception>
    public AvatarStyle Style
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Style), value, "Unknown avatar style.");
    } = AvatarStyle.Aged;

    /// <summary>How many rendered avatars (about 3 MB each) to keep in memory, 1 to 1024; default 32.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1 to 1024.</exception>
    public int CacheCapacity
    {
        get;
        init => field = value is >= 1 and <= 1024 ? value : throw new ArgumentOutOfRangeException(nameof(CacheCapacity), value, "Must be between 1 and 1024.");
    } = 32;
}

/// <summary>How the built-in procedural avatars are drawn (docs: "How different, how old, which sex").</summary>
public enum AvatarStyle
{
    /// <summary>
    /// The first look (ageing from 30 years, identities that differ in colour, hair and small shape ranges); its ids carry
    /// no style marker. Independent age models read every bucket as about 10-16 years old, and the dlib recogniser sees
    /// the identities of a group as one face. Kept for outputs that must match earlier ones; the ground-truth kit draws it.
    /// </summary>
    Classic = 0,

    /// <summary>
    /// The default: continuous ageing from 18 years (wrinkles, pores, age spots, sagging, greying, thinning hair), child
    /// proportions, about 20 identity shape terms away from the eye openings. An independent age model's rank correlation
    /// with the intended age is 0.81 (0.31 for <see cref="Classic"/>) and identities of a group lie 2.6 times further apart
    /// to the dlib recogniser; men are still read as women more often than not, and every identity pair stays within
    /// dlib's same-person distance. Avatar ids carry <c>aged-</c>.
    /// </summary>
    Aged = 1,
}
