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

    internal void Validate(string name)
    {
        Check(IrisNasalMm, -4f, 4f, name + "." + nameof(IrisNasalMm));
        Check(IrisUpMm, -3f, 3f, name + "." + nameof(IrisUpMm));
        Check(UpperLidUpMm, -3f, 3f, name + "." + nameof(UpperLidUpMm));
        Check(LowerLidDownMm, -2f, 2.5f, name + "." + nameof(LowerLidDownMm));
    }

    internal static void Check(float value, float min, float max, string name)
    {
        if (!float.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }
    }
}
