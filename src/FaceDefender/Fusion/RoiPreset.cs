namespace FaceDefender.Fusion;

/// <summary>
/// Which of the patient's own pixels are kept. The larger the region, the more of the patient's
/// identity it carries: the periocular region is itself a biometric (see docs/privacy.md).
/// </summary>
public enum RoiPreset
{
    /// <summary>
    /// The default: each eye opening (the 16-point lid contour: lid margins and canthi) grown by a small
    /// margin (<see cref="FusionOptions.MaskDilationFraction"/>, default 8 % of the inter-pupil distance),
    /// enough for lashes and the lid margin. Measured with a face-recognition model on 23 people, a raw-photo
    /// gallery ranked the true person first for 9-13 % of images protected this way (chance: 4 %).
    /// </summary>
    EyesOnly,

    /// <summary>Each eye with its brow (the prototype's eye and brow landmark sets).</summary>
    EyesAndBrows,

    /// <summary>
    /// The paper's region: eye, brow and under-eye zone on each side (the prototype's 52 landmarks plus the
    /// under-eye sets). Measured on 23 people, a raw-photo gallery ranked the true person first for 35-39 %
    /// of protected images, and a gallery protected with the same tool for 96-100 % (measured before the region followed the
    /// skin). By default only the eye openings, the brows and the skin around them are kept: hair, glasses frames and background
    /// inside the region show the avatar (<see cref="FusionOptions.SkinFollowingMask"/>).
    /// </summary>
    Paper,

    /// <summary>
    /// No patient pixel at all: the avatar's own eye region is warped so that its lid margins, canthi and iris land
    /// on the patient's positions, and a synthetic eyeball (the avatar's sclera and iris colours, the patient's iris
    /// centre and size, the patient's corneal-reflex position) is painted in the patient's lid opening (see
    /// <see cref="Synthesis.SyntheticEyeRenderer"/>). Keeps what the eye measurements use (lid heights, fissures,
    /// canthi, iris position and size, reflex, symmetry); drops lid skin, lashes, redness, iris colour and pattern.
    /// </summary>
    GeometryOnly,
}
