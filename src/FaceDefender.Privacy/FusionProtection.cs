using FaceDefender.Abstractions;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Privacy;

/// <summary>
/// Our protection: the patient's periocular region (one <see cref="RoiPreset"/>) fused onto an
/// avatar chosen by pseudonym key, so that another key gives a fresh avatar (the same-tool attack).
/// The protected face is located by the avatar's own landmarks (exact for the avatar face).
/// </summary>
/// <remarks>Thread-safe when the avatar provider and fuser are (the library's are).</remarks>
public sealed class FusionProtection : IProtectionMethod
{
    private readonly IAvatarProvider _avatars;
    private readonly IFaceFuser _fuser;
    private readonly FusionOptions _options;
    private readonly AvatarSex _sex;
    private readonly int _age;
    private readonly SkinTone _skinTone;

    /// <summary>Creates the method.</summary>
    /// <param name="avatars">Where avatars come from.</param>
    /// <param name="roi">Which patient region is kept.</param>
    /// <param name="fuser">The fuser; null = <see cref="PeriocularFaceFuser"/>.</param>
    /// <param name="sex">Avatar sex for every photo (the audit has no demographics).</param>
    /// <param name="ageYears">Avatar age for every photo.</param>
    /// <param name="skinTone">Avatar skin tone for every photo.</param>
    /// <exception cref="ArgumentNullException"><paramref name="avatars"/> is null.</exception>
    public FusionProtection(IAvatarProvider avatars, RoiPreset roi, IFaceFuser? fuser = null,
        AvatarSex sex = AvatarSex.Female, int ageYears = 45, SkinTone skinTone = SkinTone.Medium)
    {
        ArgumentNullException.ThrowIfNull(avatars);
        _avatars = avatars;
        _fuser = fuser ?? new PeriocularFaceFuser();
        _options = new FusionOptions { Roi = roi };
        _sex = sex;
        _age = ageYears;
        _skinTone = skinTone;
        Roi = roi;
    }

    /// <summary>The kept region.</summary>
    public RoiPreset Roi { get; }

    /// <inheritdoc />
    public string Name => Roi switch
    {
        RoiPreset.EyesOnly => "ours-eyes-only",
        RoiPreset.EyesAndBrows => "ours-eyes-and-brows",
        RoiPreset.GeometryOnly => "ours-geometry-only",
        _ => "ours-paper-roi",
    };

    /// <inheritdoc />
    public ProtectedImage? Protect(Image<Rgb24> photo, FaceLandmarks landmarks, string variantKey)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(landmarks);
        ArgumentException.ThrowIfNullOrEmpty(variantKey);
        using Avatar avatar = _avatars.Select(new AvatarQuery(_sex, _age, _skinTone, variantKey));
        FusionResult fused = _fuser.Fuse(photo, landmarks, avatar.Image, avatar.Landmarks, _options);
        return new ProtectedImage(fused.Image, avatar.Landmarks);
    }
}
