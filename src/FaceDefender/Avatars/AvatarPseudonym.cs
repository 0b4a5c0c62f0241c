using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FaceDefender.Avatars;

/// <summary>
/// Turns a pseudonym key (for example a study's patient code) into a stable avatar choice with a
/// keyed hash, so that a patient's follow-up photos get the same synthetic face without anything
/// about the patient being stored.
/// </summary>
/// <remarks>
/// The choice is <c>HMAC-SHA256(key, UTF-8(pseudonym))</c>; its first 8 bytes, read as an unsigned
/// big-endian integer, modulo the number of choices. Use your own secret key
/// (<see cref="ProceduralAvatarOptions.PseudonymHmacKey"/>) so that nobody without it can tell
/// which pseudonyms share an avatar; the documented <see cref="DefaultKey"/> only gives stability.
/// </remarks>
public static class AvatarPseudonym
{
    /// <summary>The UTF-8 text of the default key: <c>FaceDefender avatar pseudonym v1</c>.</summary>
    public const string DefaultKeyText = "FaceDefender avatar pseudonym v1";

    /// <summary>The default HMAC key: the UTF-8 bytes of <see cref="DefaultKeyText"/>.</summary>
    public static ReadOnlySpan<byte> DefaultKey => "FaceDefender avatar pseudonym v1"u8;

    /// <summary>Picks one of <paramref name="choices"/> for <paramref name="pseudonym"/>.</summary>
    /// <param name="key">The HMAC key (at least 1 byte).</param>
    /// <param name="pseudonym">The pseudonym (non-empty); compared exactly, case and spaces included.</param>
    /// <param name="choices">How many choices there are (at least 1).</param>
    /// <returns>A value in 0 .. <paramref name="choices"/> - 1.</returns>
    /// <exception cref="ArgumentException">Empty key or empty pseudonym.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="choices"/> below 1.</exception>
    public static int Choose(ReadOnlySpan<byte> key, string pseudonym, int choices)
    {
        ArgumentException.ThrowIfNullOrEmpty(pseudonym);
        ArgumentOutOfRangeException.ThrowIfLessThan(choices, 1);
        if (key.IsEmpty)
        {
            throw new ArgumentException("The HMAC key must not be empty; pass your own secret or AvatarPseudonym.DefaultKey.", nameof(key));
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(pseudonym), mac);
        ulong value = BinaryPrimitives.ReadUInt64BigEndian(mac);
        return (int)(value % (ulong)choices);
    }
}
