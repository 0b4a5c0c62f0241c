using FaceDefender.Abstractions;
using FaceDefender.Avatars.Rendering;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Avatars;

/// <summary>
/// The built-in avatars: synthetic faces rendered on demand from MediaPipe's canonical face mesh by
/// a small software renderer (no photographs, no generative model). 2 sexes x 11 age buckets
/// (<see cref="AvatarAgeBuckets"/>) x 3 skin tones, each with <see cref="ProceduralAvatarOptions.IdentitiesPerGroup"/>
/// identities for pseudonyms. Landmarks are exact: they are the projected mesh vertices and the
/// painted irises. Licence of the rendered images: Apache-2.0 (like FaceDefender and the mesh).
/// </summary>
/// <remarks>
/// Nothing is rendered until first asked for (about 0.1 s per avatar on one core); rendered avatars
/// are kept in a small in-memory cache. An identity's face shape, colours and hair do not depend on
/// the age bucket, so a pseudonymised patient keeps a consistent avatar as they age. Deterministic:
/// the same query gives the same pixels on every run. Thread-safe.
/// </remarks>
public sealed class ProceduralAvatarProvider : IAvatarProvider
{
    /// <summary>The licence of the rendered avatars.</summary>
    public const string RenderedLicense = "Apache-2.0";

    private readonly ProceduralAvatarOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<Key, Lazy<RenderedAvatar>> _cache = [];
    private readonly LinkedList<Key> _recency = new();
    private readonly Lazy<AvatarMetadata[]> _catalog;

    /// <summary>Creates the provider (cheap: renders nothing).</summary>
    public ProceduralAvatarProvider(ProceduralAvatarOptions? options = null)
    {
        _options = options ?? ProceduralAvatarOptions.Default;
        _catalog = new Lazy<AvatarMetadata[]>(() =>
            [.. from sex in Enum.GetValues<AvatarSex>()
                from bucket in AvatarAgeBuckets.All
                from tone in Enum.GetValues<SkinTone>()
                select MetadataFor(new Key(sex, bucket, tone, 0, 0, 0), _options.Style)]);
    }

    /// <summary>The options in use.</summary>
    public ProceduralAvatarOptions Options => _options;

    /// <summary>Every group's default avatar (identity 0): 2 x 11 x 3 = 66 entries.</summary>
    public IReadOnlyList<AvatarMetadata> Catalog => _catalog.Value;

    /// <summary>Number of avatars currently held in the cache (for diagnostics and tests).</summary>
    public int CachedCount
    {
        get
        {
            lock (_gate)
            {
                return _cache.Count;
            }
        }
    }

    /// <inheritdoc />
    public Avatar Select(AvatarQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        byte[]? key = _options.PseudonymHmacKey;
        int identity = query.PseudonymKey is null
            ? 0
            : AvatarPseudonym.Choose(key is null ? AvatarPseudonym.DefaultKey : key, query.PseudonymKey, _options.IdentitiesPerGroup);
        return Get(query.Sex, query.AgeBucket, query.SkinTone, identity, query.Pose);
    }

    /// <summary>Returns one specific avatar. The caller owns and disposes it.</summary>
    /// <param name="sex">Sex.</param>
    /// <param name="ageBucket">One of <see cref="AvatarAgeBuckets.All"/>.</param>
    /// <param name="skinTone">Skin tone.</param>
    /// <param name="identity">Identity within the group, 0 .. <see cref="ProceduralAvatarOptions.IdentitiesPerGroup"/> - 1.</param>
    /// <param name="pose">
    /// Null (default) for the frontal avatar. Otherwise the head is rendered turned by this yaw and pitch, rounded to whole
    /// degrees, within ±<see cref="MaxPoseYawDegrees"/> and ±<see cref="MaxPosePitchDegrees"/>, framed like the frontal avatar
    /// (the eyes stay about where they are), and <see cref="Avatar.Pose"/> says so. Roll is not rendered: the fusion's
    /// alignment takes it out.
    /// </param>
    /// <exception cref="ArgumentException">Not an age bucket.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Identity out of range, an undefined enum value, or a yaw or pitch beyond what the renderer draws.</exception>
    public Avatar Get(AvatarSex sex, int ageBucket, SkinTone skinTone, int identity = 0, HeadPose? pose = null)
    {
        if (!AvatarAgeBuckets.All.Contains(ageBucket))
        {
            throw new ArgumentException($"{ageBucket} is not an age bucket; use AvatarAgeBuckets.Map(age).", nameof(ageBucket));
        }

        if (!Enum.IsDefined(sex) || !Enum.IsDefined(skinTone))
        {
            throw new ArgumentOutOfRangeException(nameof(sex), "Undefined sex or skin tone value.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(identity);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(identity, _options.IdentitiesPerGroup);

        int yaw = 0, pitch = 0;
        if (pose is { } p)
        {
            if (!(Math.Abs(p.Yaw) <= MaxPoseYawDegrees) || !(Math.Abs(p.Pitch) <= MaxPosePitchDegrees))
            {
                throw new ArgumentOutOfRangeException(nameof(pose), p,
                    $"The procedural avatars are drawn turned by at most ±{MaxPoseYawDegrees}° yaw and ±{MaxPosePitchDegrees}° pitch.");
            }

            yaw = (int)MathF.Round(p.Yaw);
            pitch = (int)MathF.Round(p.Pitch);
        }

        RenderedAvatar rendered = GetRendered(new Key(sex, ageBucket, skinTone, identity, yaw, pitch));
        Image<Rgb24> image = Image.LoadPixelData<Rgb24>(rendered.Rgb, Avatar.CanvasSize, Avatar.CanvasSize);
        return new Avatar(image, rendered.Landmarks, rendered.Metadata) { Pose = pose is null ? null : new HeadPose(0f, yaw, pitch) };
    }

    /// <summary>The largest yaw, either way, at which <see cref="Get"/> and <see cref="Select"/> draw a turned head: 45°.</summary>
    public const float MaxPoseYawDegrees = 45f;

    /// <summary>The largest pitch, either way, at which <see cref="Get"/> and <see cref="Select"/> draw a turned head: 30°.</summary>
    public const float MaxPosePitchDegrees = 30f;

    /// <summary>The identity seed of identity <paramref name="identity"/> (shared by all groups, so an identity ages consistently).</summary>
    internal static ulong IdentitySeed(int identity) => SeededRandom.Mix(0xFACEDEFE0001UL, (ulong)identity);

    private RenderedAvatar GetRendered(Key key)
    {
        Lazy<RenderedAvatar> lazy;
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out Lazy<RenderedAvatar>? found))
            {
                lazy = found;
                _recency.Remove(key);
            }
            else
            {
                lazy = new Lazy<RenderedAvatar>(() => Render(key, _options.Style), LazyThreadSafetyMode.ExecutionAndPublication);
                _cache[key] = lazy;
                while (_cache.Count > _options.CacheCapacity && _recency.Last is { } oldest)
                {
                    _cache.Remove(oldest.Value);
                    _recency.RemoveLast();
                }
            }

            _recency.AddFirst(key);
        }

        return lazy.Value;
    }

    private static RenderedAvatar Render(Key key, AvatarStyle style)
    {
        AvatarLook look = style == AvatarStyle.Aged
            ? AvatarLook.Create(key.Sex, key.AgeBucket, key.Tone, IdentitySeed(key.Identity))
            : AvatarLook.CreateForKit(key.Sex, key.AgeBucket, key.Tone, IdentitySeed(key.Identity));
        FaceModel model = FaceModel.Build(look, default, default);
        RasterOutput output = FaceRasterizer.Render(model, look, new PoseDegrees(0f, key.Yaw, key.Pitch), Avatar.CanvasSize, Avatar.CanvasSize, 1f);
        var landmarks = new FaceLandmarks(output.Landmarks, CoordinateSpace.Normalized);
        return new RenderedAvatar(output.Rgb, landmarks, MetadataFor(key, style));
    }

    private static AvatarMetadata MetadataFor(Key key, AvatarStyle style) => new(
        $"procedural-{(style == AvatarStyle.Aged ? "aged-" : "")}{key.Sex.ToString().ToLowerInvariant()}-{key.AgeBucket}-{key.Tone.ToString().ToLowerInvariant()}-{key.Identity}",
        key.Sex,
        key.AgeBucket,
        key.Tone,
        $"FaceDefender procedural renderer v1 (canonical face mesh), identity {key.Identity}",
        RenderedLicense,
        isSynthetic: true);

    private readonly record struct Key(AvatarSex Sex, int AgeBucket, SkinTone Tone, int Identity, int Yaw, int Pitch);

    private sealed record RenderedAvatar(byte[] Rgb, FaceLandmarks Landmarks, AvatarMetadata Metadata);
}
