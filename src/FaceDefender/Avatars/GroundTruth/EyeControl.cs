namespace FaceDefender.Avatars.GroundTruth;

/// <summary>
/// Controlled geometry of one eye for <see cref="GroundTruthFaceRenderer"/>, in millimetres, relative
/// to the avatar's normal eye. Immutable; checked by the renderer.
/// </summary>
public sealed record EyeControl
{
    /// <summary>A normal eye: iris centred, lids in their usual place.</summary>
    public static EyeControl Neutral { get; } = new();

    /// <summary>
    /// Horizontal iris offset in mm, in the head's frame: positive towards the nose (as in
    /// esotropia), negative towards the temple (exotropia). The eyeball rotates about its centre
    /// so that the iris centre moves by exactly this much. Range -4 .. 4.
    /// </summary>
    public float IrisNasalMm { get; init; }

    /// <summary>Vertical iris offset in mm: positive up (hypertropia), negative down (hypotropia). Range -3 .. 3.</summary>
    public float IrisUpMm { get; init; }

    /// <summary>
    /// Upper-lid margin shift at the lid's middle, in mm: positive raises it (lid retraction),
    /// negative lowers it (ptosis). Tapers to zero at the canthi. Range -3 .. 3.
    /// </summary>
    public float UpperLidUpMm { get; init; }

    /// <summary>
    /// Lower-lid margin shift at the lid's middle, in mm: positive lowers it (retraction, scleral
    /// show), negative raises it. Range -2 .. 2.5.
    /// </summary>
    public float LowerLidDownMm { get; init; }

    /// <summary>
    /// This eye's own horizontal deviation in prism dioptres (100 tan of the angle), added to the scene's conjugate gaze:
    /// positive turns the eye towards the nose (esotropia), negative towards the temple (exotropia). The eye rotates about
    /// its centre of rotation (the schematic eye of <see cref="GroundTruthScene"/>). Range -40 .. 40; clinically 5 .. 40.
    /// Cannot be combined with <see cref="IrisNasalMm"/> or <see cref="IrisUpMm"/>.
    /// </summary>
    public float HorizontalDeviationPrismDioptres { get; init; }

    /// <summary>
    /// This eye's own vertical deviation in prism dioptres: positive turns it up (hypertropia), negative down
    /// (hypotropia). Range -40 .. 40. As <see cref="HorizontalDeviationPrismDioptres"/> otherwise.
    /// </summary>
    public float VerticalDeviationPrismDioptres { get; init; }

    /// <summary>
    /// Palpebral fissure height at the lid middle in mm (head frame), after the lid shifts above: the upper lid is moved
    /// towards the lower one (or away from it) until the opening is this high; 0 closes the eye, the upper lid margin and
    /// its lash line lying on the lower ones. Null (default): the lids as set. Range 0 .. 8; a half-closed eye is 2 .. 5.
    /// </summary>
    public float? FissureHeightMm { get; init; }

    /// <summary>
    /// Angle kappa in degrees: the angle between this eye's visual axis (which fixates) and its optical axis (on which
    /// the cornea and limbus are centred), horizontal. Positive (the usual case in adults) turns the optical axis towards
    /// the temple, so the corneal reflex of a light at the camera lies nasal of the limbus centre in an eye without
    /// deviation. Range -8 .. 8; 0 (default) puts the reflex on the limbus centre. Uses the schematic eye.
    /// </summary>
    public float AngleKappaDegrees { get; init; }

    /// <summary>True when this eye asks for the schematic eye (a deviation or an angle kappa).</summary>
    internal bool HasDeviation => HorizontalDeviationPrismDioptres != 0f || VerticalDeviationPrismDioptres != 0f || AngleKappaDegrees != 0f;

    internal void Validate(string name)
    {
        Check(IrisNasalMm, -4f, 4f, name + "." + nameof(IrisNasalMm));
        Check(IrisUpMm, -3f, 3f, name + "." + nameof(IrisUpMm));
        Check(UpperLidUpMm, -3f, 3f, name + "." + nameof(UpperLidUpMm));
        Check(LowerLidDownMm, -2f, 2.5f, name + "." + nameof(LowerLidDownMm));
        Check(HorizontalDeviationPrismDioptres, -40f, 40f, name + "." + nameof(HorizontalDeviationPrismDioptres));
        Check(VerticalDeviationPrismDioptres, -40f, 40f, name + "." + nameof(VerticalDeviationPrismDioptres));
        Check(AngleKappaDegrees, -8f, 8f, name + "." + nameof(AngleKappaDegrees));
        if (FissureHeightMm is float fissure)
        {
            Check(fissure, 0f, 8f, name + "." + nameof(FissureHeightMm));
        }
    }

    internal static void Check(float value, float min, float max, string name)
    {
        if (!float.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }
    }
}
