using System.Numerics;
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
                select MetadataFor(new Key(sex, bucket, tone, 0, 0, 0, -1), _options.Style)]);
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
        return Get(query.Sex, query.AgeBucket, query.SkinTone, identity, query.Pose, query.SkinColor);
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
    /// <param name="skinColor">
    /// Null (default) for the group's skin. Otherwise the skin colour the avatar should show below the eyes, where
    /// <see cref="SkinColor.Measure"/> reads it (moved into the skin range by <see cref="SkinColor.Clamp"/>, then each channel
    /// rounded to an even level): the skin's albedo is scaled so that the drawn cheeks match it, the light and shading
    /// staying the avatar's. The other colours (lips, hair, irises) stay the group's.
    /// </param>
    /// <exception cref="ArgumentException">Not an age bucket.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Identity out of range, an undefined enum value, or a yaw or pitch beyond what the renderer draws.</exception>
    public Avatar Get(AvatarSex sex, int ageBucket, SkinTone skinTone, int identity = 0, HeadPose? pose = null, Rgb24? skinColor = null)
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

        int skin = -1;
        if (skinColor is { } requested)
        {
            Rgb24 c = SkinColor.Clamp(requested);
            skin = ((c.R & ~1) << 16) | ((c.G & ~1) << 8) | (c.B & ~1);
        }

        RenderedAvatar rendered = GetRendered(new Key(sex, ageBucket, skinTone, identity, yaw, pitch, skin));
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
                lazy = new Lazy<RenderedAvatar>(() => Render(key, _options.Style, key.Skin < 0 ? null : GetRendered(key with { Skin = -1 })),
                    LazyThreadSafetyMode.ExecutionAndPublication);
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

    private static RenderedAvatar Render(Key key, AvatarStyle style, RenderedAvatar? groupSkin)
    {
        AvatarLook look = style == AvatarStyle.Aged
            ? AvatarLook.Create(key.Sex, key.AgeBucket, key.Tone, IdentitySeed(key.Identity))
            : AvatarLook.CreateForKit(key.Sex, key.AgeBucket, key.Tone, IdentitySeed(key.Identity));
        if (groupSkin is not null)
        {
            // The drawn skin is the albedo times the light and shading at that place, per channel: scale the albedo by the
            // ratio of the wanted colour to the colour the group's own avatar shows there (both in linear light).
            using Image<Rgb24> drawn = Image.LoadPixelData<Rgb24>(groupSkin.Rgb, Avatar.CanvasSize, Avatar.CanvasSize);
            if (SkinColor.Measure(drawn, groupSkin.Landmarks) is { } seen)
            {
                var want = new Vector3(RenderMath.SrgbToLinear(((key.Skin >> 16) & 255) / 255f), RenderMath.SrgbToLinear(((key.Skin >> 8) & 255) / 255f),
                    RenderMath.SrgbToLinear((key.Skin & 255) / 255f));
                var have = new Vector3(RenderMath.SrgbToLinear(seen.R / 255f), RenderMath.SrgbToLinear(seen.G / 255f), RenderMath.SrgbToLinear(seen.B / 255f));
                Vector3 albedo = look.SkinAlbedo * want / Vector3.Max(have, new Vector3(1e-3f));
                look = look with { SkinAlbedo = Vector3.Clamp(albedo, new Vector3(0.004f), new Vector3(0.95f)) };
            }
        }

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

    private readonly record struct Key(AvatarSex Sex, int AgeBucket, SkinTone Tone, int Identity, int Yaw, int Pitch, int Skin);

    private sealed record RenderedAvatar(byte[] Rgb, FaceLandmarks Landmarks, AvatarMetadata Metadata);
}
