namespace FaceDefender.Abstractions;

/// <summary>What an avatar is, where it came from and under which licence. Immutable.</summary>
public sealed class AvatarMetadata
{
    /// <summary>Creates metadata.</summary>
    /// <exception cref="ArgumentException">An empty id, source or licence, or an age bucket that is not one of <see cref="Avatars.AvatarAgeBuckets.All"/>.</exception>
    public AvatarMetadata(string id, AvatarSex sex, int ageBucket, SkinTone skinTone, string source, string license, bool isSynthetic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(license);
        if (!Avatars.AvatarAgeBuckets.All.Contains(ageBucket))
        {
            throw new ArgumentException($"Age bucket {ageBucket} is not one of {string.Join(", ", Avatars.AvatarAgeBuckets.All)}; map the age with AvatarAgeBuckets.Map.", nameof(ageBucket));
        }

        Id = id;
        Sex = sex;
        AgeBucket = ageBucket;
        SkinTone = skinTone;
        Source = source;
        License = license;
        IsSynthetic = isSynthetic;
    }

    /// <summary>A stable identifier, unique within its provider.</summary>
    public string Id { get; }

    /// <summary>The sex the avatar presents.</summary>
    public AvatarSex Sex { get; }

    /// <summary>The age bucket (5, 10, 15, 20, 30, ..., 80, 85).</summary>
    public int AgeBucket { get; }

    /// <summary>The skin tone class.</summary>
    public SkinTone SkinTone { get; }

    /// <summary>Where the image came from (a renderer and its seed, or a file name).</summary>
    public string Source { get; }

    /// <summary>The licence of the image (an SPDX identifier where there is one).</summary>
    public string License { get; }

    /// <summary>True when the face is synthetic (not a photograph of a real person).</summary>
    public bool IsSynthetic { get; }
}
