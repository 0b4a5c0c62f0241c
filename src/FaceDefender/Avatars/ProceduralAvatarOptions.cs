namespace FaceDefender.Avatars;

/// <summary>Options of <see cref="ProceduralAvatarProvider"/>. Immutable; validated on construction.</summary>
public sealed class ProceduralAvatarOptions
{
    /// <summary>Default options: the documented default key, 8 identities per group, 32 cached avatars.</summary>
    public static ProceduralAvatarOptions Default { get; } = new();

    /// <summary>Creates options.</summary>
    /// <param name="pseudonymHmacKey">
    /// Secret HMAC key for pseudonyms (copied); null uses <see cref="AvatarPseudonym.DefaultKey"/>.
    /// </param>
    /// <param name="identitiesPerGroup">How many different synthetic identities each (sex, age, tone) group offers to pseudonyms, 1 to 64. Default 8.</param>
    /// <param name="cacheCapacity">How many rendered avatars (about 3 MB each) to keep in memory, 1 to 1024. Default 32.</param>
    /// <exception cref="ArgumentException">An empty key.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count outside its range.</exception>
    public ProceduralAvatarOptions(byte[]? pseudonymHmacKey = null, int identitiesPerGroup = 8, int cacheCapacity = 32)
    {
        if (pseudonymHmacKey is { Length: 0 })
        {
            throw new ArgumentException("The pseudonym key must not be empty; pass null for the default key.", nameof(pseudonymHmacKey));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(identitiesPerGroup, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(identitiesPerGroup, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cacheCapacity, 1024);
        PseudonymHmacKey = pseudonymHmacKey is null ? AvatarPseudonym.DefaultKey.ToArray() : (byte[])pseudonymHmacKey.Clone();
        IdentitiesPerGroup = identitiesPerGroup;
        CacheCapacity = cacheCapacity;
    }

    /// <summary>The HMAC key used for pseudonyms (a copy).</summary>
    public byte[] PseudonymHmacKey { get; }

    /// <summary>Synthetic identities per (sex, age bucket, tone) group.</summary>
    public int IdentitiesPerGroup { get; }

    /// <summary>Rendered avatars kept in memory.</summary>
    public int CacheCapacity { get; }
}
