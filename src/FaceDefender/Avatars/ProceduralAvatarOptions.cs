namespace FaceDefender.Avatars;

/// <summary>Options of <see cref="ProceduralAvatarProvider"/>. Immutable; each value is checked when it is set.</summary>
public sealed record ProceduralAvatarOptions
{
    /// <summary>Default options: the documented default key, 8 identities per group, 32 cached avatars.</summary>
    public static ProceduralAvatarOptions Default { get; } = new();

    /// <summary>The secret HMAC key for pseudonyms; default <see cref="AvatarPseudonym.DefaultKey"/>. The value set is
    /// copied, and reading returns a copy.</summary>
    /// <exception cref="ArgumentException">An empty key.</exception>
    public byte[] PseudonymHmacKey
    {
        get => (byte[])field.Clone();
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(PseudonymHmacKey));
            if (value.Length == 0)
            {
                throw new ArgumentException("The pseudonym key must not be empty; leave it unset for the default key.", nameof(PseudonymHmacKey));
            }

            field = (byte[])value.Clone();
        }
    } = AvatarPseudonym.DefaultKey.ToArray();

    /// <summary>How many different synthetic identities each (sex, age, tone) group offers to pseudonyms, 1 to 64; default 8.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1 to 64.</exception>
    public int IdentitiesPerGroup
    {
        get;
        init => field = value is >= 1 and <= 64 ? value : throw new ArgumentOutOfRangeException(nameof(IdentitiesPerGroup), value, "Must be between 1 and 64.");
    } = 8;

    /// <summary>How many rendered avatars (about 3 MB each) to keep in memory, 1 to 1024; default 32.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1 to 1024.</exception>
    public int CacheCapacity
    {
        get;
        init => field = value is >= 1 and <= 1024 ? value : throw new ArgumentOutOfRangeException(nameof(CacheCapacity), value, "Must be between 1 and 1024.");
    } = 32;
}
