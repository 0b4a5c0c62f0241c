using FaceDefender.Abstractions;

namespace FaceDefender.Avatars.GroundTruth;

/// <summary>
/// What <see cref="GroundTruthFaceRenderer"/> draws: which synthetic face, its eye geometry, head pose
/// and framing. Immutable; checked by the renderer. Defaults: a 30-year-old medium-toned woman,
/// normal eyes, frontal pose, 1024 x 1024, FFHQ framing, iris diameter 11.7 mm.
/// </summary>
public sealed record GroundTruthScene
{
    /// <summary>Sex of the synthetic face.</summary>
    public AvatarSex Sex { get; init; } = AvatarSex.Female;

    /// <summary>Age in years (mapped to an age bucket for the face's appearance).</summary>
    public int AgeYears { get; init; } = 30;

    /// <summary>Skin tone.</summary>
    public SkinTone SkinTone { get; init; } = SkinTone.Medium;

    /// <summary>Synthetic identity (0 .. 63): face shape, colours and hair.</summary>
    public int Identity { get; init; }

    /// <summary>The subject's right eye (on the image's left).</summary>
    public EyeControl RightEye { get; init; } = EyeControl.Neutral;

    /// <summary>The subject's left eye (on the image's right).</summary>
    public EyeControl LeftEye { get; init; } = EyeControl.Neutral;

    /// <summary>Head roll in degrees, positive towards the subject's right shoulder (counter-clockwise on screen). Range -30 .. 30.</summary>
    public float RollDegrees { get; init; }

    /// <summary>Head yaw in degrees, positive turns the face towards the subject's left (image right). Range -30 .. 30.</summary>
    public float YawDegrees { get; init; }

    /// <summary>Head pitch in degrees, positive raises the chin (nose up). Range -25 .. 25.</summary>
    public float PitchDegrees { get; init; }

    /// <summary>Width and height of the square image in pixels. Range 128 .. 2048. Default 1024.</summary>
    public int ImageSize { get; init; } = 1024;

    /// <summary>
    /// Face scale relative to FFHQ framing at this image size (1 = about a quarter of the image
    /// width between the eye centres). Range 0.2 .. 2.
    /// </summary>
    public float Scale { get; init; } = 1f;

    /// <summary>
    /// The rendered iris diameter in mm. It is also the stated diameter used to convert pixel truths
    /// to mm (mm = px x diameter / iris width in px of the same eye). Range 9 .. 14. Default 11.7.
    /// </summary>
    public float IrisDiameterMm { get; init; } = 11.7f;

    internal void Validate()
    {
        if (!Enum.IsDefined(Sex) || !Enum.IsDefined(SkinTone))
        {
            throw new ArgumentOutOfRangeException(nameof(Sex), "Undefined sex or skin tone value.");
        }

        _ = AvatarAgeBuckets.Map(AgeYears);
        if (Identity < 0 || Identity > 63)
        {
            throw new ArgumentOutOfRangeException(nameof(Identity), Identity, "Identity must be between 0 and 63.");
        }

        ArgumentNullException.ThrowIfNull(RightEye, nameof(RightEye));
        ArgumentNullException.ThrowIfNull(LeftEye, nameof(LeftEye));
        RightEye.Validate(nameof(RightEye));
        LeftEye.Validate(nameof(LeftEye));
        EyeControl.Check(RollDegrees, -30f, 30f, nameof(RollDegrees));
        EyeControl.Check(YawDegrees, -30f, 30f, nameof(YawDegrees));
        EyeControl.Check(PitchDegrees, -25f, 25f, nameof(PitchDegrees));
        if (ImageSize < 128 || ImageSize > 2048)
        {
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, "ImageSize must be between 128 and 2048.");
        }

        EyeControl.Check(Scale, 0.2f, 2f, nameof(Scale));
        EyeControl.Check(IrisDiameterMm, 9f, 14f, nameof(IrisDiameterMm));
    }
}
