using FaceDefender.Abstractions;
using FaceDefender.Decoding;
using FaceDefender.Fusion;

namespace FaceDefender.Pipeline;

/// <summary>Options of the de-identification pipeline. Immutable; each value is checked when it is set.</summary>
public sealed record DeidentificationOptions
{
    /// <summary>The defaults.</summary>
    public static DeidentificationOptions Default { get; } = new();

    /// <summary>Budgets and formats for decoding photos given as files or streams; default
    /// <see cref="ImageDecodingOptions.Default"/> (JPEG and PNG).</summary>
    /// <exception cref="ArgumentException">Invalid decoding options.</exception>
    public ImageDecodingOptions Decoding
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Decoding));
            value.Validate();
            field = value;
        }
    } = ImageDecodingOptions.Default;

    /// <summary>A budget shared by concurrent calls: each photo given as a file or stream leases its estimated peak memory
    /// before decoding. Default null: no budget. Share one instance across every pipeline of a process.</summary>
    public MemoryBudget? MemoryBudget { get; init; }

    /// <summary>Fusion options (ROI preset and sizes); default <see cref="FusionOptions.Default"/> (eyes only).</summary>
    public FusionOptions Fusion
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Fusion));
    } = FusionOptions.Default;

    /// <summary>Largest |yaw| put on a frontal avatar, in (0, 90] degrees; default 20°. A face turned further is put on an
    /// avatar drawn at its pose, up to <see cref="MaxPosedYawDegrees"/>, or refused.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 90].</exception>
    public float MaxYawDegrees { get; init => field = Angle(value, nameof(MaxYawDegrees)); } = 20f;

    /// <summary>Largest |pitch| put on a frontal avatar, in (0, 90] degrees; default 20°. A face turned further is put on an
    /// avatar drawn at its pose, up to <see cref="MaxPosedPitchDegrees"/>, or refused.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 90].</exception>
    public float MaxPitchDegrees { get; init => field = Angle(value, nameof(MaxPitchDegrees)); } = 20f;

    /// <summary>
    /// Largest |yaw| de-identified at all, in [0, 45] degrees; default 43° (a face turned 40° reads 38-42°). A face turned beyond <see cref="MaxYawDegrees"/> (or
    /// <see cref="MaxPitchDegrees"/>) and within this and <see cref="MaxPosedPitchDegrees"/> is put on the avatar drawn at the
    /// face's yaw and pitch (<see cref="AvatarQuery.Pose"/>), so the kept eyes meet a face turned like theirs. An avatar
    /// provider that draws frontal avatars only (a photo set) gets such faces refused with
    /// <see cref="DeidentificationStatus.PoseOutOfRange"/>. A value at or below <see cref="MaxYawDegrees"/> turns no avatar
    /// for yaw.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 45].</exception>
    public float MaxPosedYawDegrees
    {
        get;
        init => field = value >= 0 && value <= 45 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPosedYawDegrees), value, "Must be in [0, 45] degrees.");
    } = 43f;

    /// <summary>
    /// Largest |pitch| de-identified at all, in [0, 30] degrees; default 28° (a face tilted 25° reads 22-28°). See <see cref="MaxPosedYawDegrees"/>; a value at or
    /// below <see cref="MaxPitchDegrees"/> turns no avatar for pitch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 30].</exception>
    public float MaxPosedPitchDegrees
    {
        get;
        init => field = value >= 0 && value <= 30 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPosedPitchDegrees), value, "Must be in [0, 30] degrees.");
    } = 28f;

    /// <summary>
    /// When the face is not found, rolled beyond <see cref="MaxRollDegrees"/> (tilted, on its side, upside down), scored like an
    /// upside-down reading, or looks shut-eyed, look for it in the photo turned by quarter turns and, when one passes every
    /// check and scores higher than its half-turned self, de-identify the photo turned so that face is upright
    /// (<see cref="DeidentificationResult.PhotoRotationDegrees"/>). Default true. Costs up to six more detections, on such
    /// photos only; false refuses them as given.
    /// </summary>
    public bool TurnPhotosUpright { get; init; } = true;

    /// <summary>Largest accepted |roll|, in (0, 90] degrees; default 30° (roll is undone by the alignment, but a strong tilt
    /// usually means a poor capture).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 90].</exception>
    public float MaxRollDegrees { get; init => field = Angle(value, nameof(MaxRollDegrees)); } = 30f;

    /// <summary>Smallest accepted lid opening per eye, as fissure height over fissure width, in [0, 1); default 0.12.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 1).</exception>
    public float MinEyeOpening
    {
        get;
        init => field = value >= 0 && value < 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinEyeOpening), value, "Must be in [0, 1): fissure height over fissure width.");
    } = 0.12f;

    /// <summary>Smallest accepted image evidence of an open eye: the luma difference (0-255) between the exposed sclera and
    /// the iris core inside the landmarks' eye opening. An eye closed, painted over or covered has about 0; open eyes
    /// measured 14-119 on degraded portraits. Default 7; 0 switches the check off.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 255].</exception>
    public float MinEyeContrast
    {
        get;
        init => field = value >= 0 && value <= 255
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinEyeContrast), value, "Must be in [0, 255]: a luma difference.");
    } = 7f;

    /// <summary>
    /// Draw the avatar's skin in the colour the photo shows below the eyes (<see cref="AvatarQuery.SkinColor"/>, with the
    /// photo's light and white balance, moved into the range of skin), so the colour transfer has less to bridge at the
    /// seam. The skin-tone class still chooses the avatar group. Providers that cannot draw any colour ignore it.
    /// </summary>
    public bool MatchSkinColor { get; init; }

    /// <summary>Avatar sex when the record has none; default female.</summary>
    public AvatarSex DefaultSex { get; init; } = AvatarSex.Female;

    /// <summary>Avatar age when the record has none, 0 to 120; default 40.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0 to 120.</exception>
    public int DefaultAgeYears
    {
        get;
        init => field = value is >= 0 and <= 120
            ? value
            : throw new ArgumentOutOfRangeException(nameof(DefaultAgeYears), value, "Must be between 0 and 120 years.");
    } = 40;

    private static float Angle(float v, string name) => v > 0 && v <= 90
        ? v
        : throw new ArgumentOutOfRangeException(name, v, "Must be in (0, 90] degrees.");
}
