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

    /// <summary>
    /// Head pitch in degrees, positive lowers the chin (the face looks down), negative raises it, as
    /// <see cref="HeadPose.Pitch"/>. Range -25 .. 25.
    /// </summary>
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

    /// <summary>
    /// A light at the camera whose corneal reflex each eye shows (a small saturated spot with a soft edge), with its exact
    /// position in <see cref="EyeTruth.Alignment"/>. Null (default): no reflex is drawn. Setting it switches both eyes to
    /// the schematic eye (see <see cref="UsesSchematicEye"/>).
    /// </summary>
    public CameraLight? CameraLight { get; init; }

    /// <summary>
    /// Conjugate horizontal gaze in degrees: both eyes rotate together about their centres of rotation, positive towards
    /// the subject's left (image right), as <see cref="YawDegrees"/>. Range -20 .. 20.
    /// </summary>
    public float GazeHorizontalDegrees { get; init; }

    /// <summary>Conjugate vertical gaze in degrees, positive up. Range -15 .. 15.</summary>
    public float GazeUpDegrees { get; init; }

    /// <summary>
    /// Where the eyes look with no gaze and no deviation: <see cref="EyeFixation.Ahead"/> (default: visual axes parallel
    /// to the head's forward axis, as the kit's original eyes) or <see cref="EyeFixation.Camera"/> (both visual axes
    /// through the camera and its light, as in a Hirschberg photograph). The gaze turns the eyes from there.
    /// </summary>
    public EyeFixation Fixation { get; init; } = EyeFixation.Ahead;

    /// <summary>
    /// True when the scene uses the schematic eye: a camera light, a gaze, camera fixation or a deviation in either eye.
    /// The schematic eye adds a corneal cap of radius 7.8 mm (x iris diameter / 11.7 mm) to the kit's globe, draws the
    /// pupil at the entrance pupil's depth (3.05 mm behind the corneal apex) and rotates about a centre 13.5 mm behind the
    /// apex; the iris offsets of <see cref="EyeControl"/> (the original eye's) cannot be used with it. Other scenes render
    /// exactly as before these features existed.
    /// </summary>
    public bool UsesSchematicEye => CameraLight is not null || GazeHorizontalDegrees != 0f || GazeUpDegrees != 0f
        || Fixation != EyeFixation.Ahead || (RightEye?.HasDeviation ?? false) || (LeftEye?.HasDeviation ?? false);

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
        EyeControl.Check(GazeHorizontalDegrees, -20f, 20f, nameof(GazeHorizontalDegrees));
        EyeControl.Check(GazeUpDegrees, -15f, 15f, nameof(GazeUpDegrees));
        if (!Enum.IsDefined(Fixation))
        {
            throw new ArgumentOutOfRangeException(nameof(Fixation), Fixation, "Undefined fixation.");
        }

        CameraLight?.Validate();
        if (UsesSchematicEye && (RightEye.IrisNasalMm != 0f || RightEye.IrisUpMm != 0f || LeftEye.IrisNasalMm != 0f || LeftEye.IrisUpMm != 0f))
        {
            throw new ArgumentException(
                "The iris offsets (IrisNasalMm, IrisUpMm) move the kit's original eye; with a camera light, gaze, camera fixation or a deviation use the deviations in prism dioptres instead.",
                nameof(RightEye));
        }
    }
}

/// <summary>Where the eyes of a <see cref="GroundTruthScene"/> look before gaze and deviation.</summary>
public enum EyeFixation
{
    /// <summary>Visual axes parallel to the head's forward axis (fixation at infinity), as the kit's original eyes.</summary>
    Ahead,

    /// <summary>Both visual axes through the camera (and its light): the subject fixates the camera, as for a Hirschberg photograph.</summary>
    Camera,
}

/// <summary>A light at the camera (a flash or ring light facing the subject, centred on the lens). Immutable.</summary>
public sealed record CameraLight
{
    /// <summary>A 4 cm light.</summary>
    public static CameraLight Default { get; } = new();

    /// <summary>
    /// Diameter of the light in cm: its mirror image in the cornea (radius 7.8 mm, a convex mirror of focal length 3.9 mm)
    /// is about 0.26 mm across for a 4 cm light at the kit's 60 cm camera distance. Range 0.5 .. 20. Default 4.
    /// </summary>
    public float DiameterCm { get; init; } = 4f;

    internal void Validate() => EyeControl.Check(DiameterCm, 0.5f, 20f, nameof(CameraLight) + "." + nameof(DiameterCm));
}
