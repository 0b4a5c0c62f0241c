namespace FaceDefender.Synthesis;

/// <summary>
/// Options of the geometry-only eye synthesis (<see cref="SyntheticEyeRenderer"/>). Distances are fractions of the
/// avatar's inter-pupil distance (IPD). Immutable; each value is checked when it is set, the pair of radii where the options are used.
/// </summary>
public sealed record SyntheticEyeOptions
{
    /// <summary>The defaults.</summary>
    public static SyntheticEyeOptions Default { get; } = new();

    /// <summary>The clinical steps the kept geometry is rounded to before the eyes are drawn; default
    /// <see cref="GeometryPrecision.Default"/> (0.5 mm, 1 PD, 1 degree, IPD 1 mm); <see cref="GeometryPrecision.Exact"/>
    /// keeps it unrounded.</summary>
    public GeometryPrecision Precision
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Precision));
    } = GeometryPrecision.Default;

    /// <summary>Where each eye goes: at the patient's positions (default) or onto the avatar's eyes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined value.</exception>
    public EyePlacement Placement
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Placement), value, "Unknown eye placement.");
    } = EyePlacement.PatientPositions;

    /// <summary>Mesh vertices within this distance (fraction of IPD, 0 to 0.3) of an eye opening move all the way to the
    /// patient's positions (default 0.04: the lid margins and the first ring of lid skin).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0 to 0.3.</exception>
    public float RigidRadiusFraction
    {
        get;
        init => field = value >= 0f && value <= 0.3f
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RigidRadiusFraction), value, "Must be between 0 and 0.3 (a fraction of the inter-pupil distance).");
    } = 0.04f;

    /// <summary>Beyond this distance (fraction of IPD, at most 0.6, and at least 0.02 beyond the rigid radius) the avatar is
    /// untouched (default 0.20: below the brows); in between the displacement fades smoothly, so there is no seam. The
    /// pair is checked where the options are used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0 to 0.6.</exception>
    public float FalloffRadiusFraction
    {
        get;
        init => field = value > 0f && value <= 0.6f
            ? value
            : throw new ArgumentOutOfRangeException(nameof(FalloffRadiusFraction), value, "Must be above 0 and at most 0.6 (a fraction of the inter-pupil distance).");
    } = 0.20f;

    /// <summary>Whether the patient's corneal reflex is drawn (position and size only) when one was found (default true).</summary>
    public bool DrawReflex { get; init; } = true;

    /// <summary>Strength of the avatar-seeded radial fibre texture of the synthetic iris, 0 to 0.5 (default 0.12).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0 to 0.5.</exception>
    public float IrisTextureAmplitude
    {
        get;
        init => field = value >= 0f && value <= 0.5f
            ? value
            : throw new ArgumentOutOfRangeException(nameof(IrisTextureAmplitude), value, "Must be between 0 and 0.5.");
    } = 0.12f;

    /// <summary>Checks what the setters cannot check alone: the falloff lies at least 0.02 IPD beyond the rigid radius.</summary>
    /// <exception cref="ArgumentException">The falloff is inside or too close to the rigid radius.</exception>
    internal SyntheticEyeOptions Validated()
    {
        if (!(FalloffRadiusFraction > RigidRadiusFraction + 0.02f))
        {
            throw new ArgumentException(
                $"SyntheticEyeOptions.FalloffRadiusFraction ({FalloffRadiusFraction}) must exceed RigidRadiusFraction ({RigidRadiusFraction}) by at least 0.02.");
        }

        return this;
    }
}

/// <summary>Where the geometry-only synthesis puts each eye.</summary>
public enum EyePlacement
{
    /// <summary>
    /// At the patient's positions (after the fusion's similarity transform): every measurement, including the
    /// inter-pupil distance and the eyes' size relative to the face, is the patient's.
    /// </summary>
    PatientPositions,

    /// <summary>
    /// Each eye's geometry is moved and uniformly scaled (no rotation) so that its canthi midpoint and canthal width
    /// match the avatar's eye. Every per-eye measurement expressed in iris diameters or millimetres (MRD1/2, fissure,
    /// decentration, canthal tilt, iris to canthus) is unchanged; the inter-pupil distance and the eyes' size and
    /// spacing relative to the face become the avatar's, which removes that part of the identity.
    /// </summary>
    AvatarPositions,
}
