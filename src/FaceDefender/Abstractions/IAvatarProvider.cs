namespace FaceDefender.Abstractions;

/// <summary>Chooses a synthetic face (avatar) for a patient.</summary>
/// <remarks>Implementations are safe to call from several threads at once.</remarks>
public interface IAvatarProvider
{
    /// <summary>Every avatar this provider can return (for pseudonymised providers: every group's default).</summary>
    IReadOnlyList<AvatarMetadata> Catalog { get; }

    /// <summary>
    /// Returns the avatar for <paramref name="query"/>: the same query (including the pseudonym)
    /// always returns the same avatar. The caller owns the result and disposes it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    Avatar Select(AvatarQuery query);
}
