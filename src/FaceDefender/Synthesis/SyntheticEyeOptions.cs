namespace FaceDefender.Synthesis;

/// <summary>
/// Options of the geometry-only eye synthesis (<see cref="SyntheticEyeRenderer"/>). Distances are fractions of the
/// avatar's inter-pupil distance (IPD). Immutable; validated on construction.
/// </summary>
public sealed class SyntheticEyeOptions
{
    /// <summary>The defaults.</summary>
    public static SyntheticEyeOptions Default { get; } = new();

    /// <summary>Creates options; every argument is optional.</summary>
    /// <param name="rigidRadiusFraction">Mesh vertices within this distance of an eye opening move all the way to the
    /// patient's positions (default 0.04 IPD: the lid margins and the first ring of lid skin).</param>
    /// <param name="falloffRadiusFraction">Beyond this distance the avatar is untouched (default 0.20 IPD: below the
    /// brows); in between the displacement fades smoothly, so there is no seam.</param>
    /// <param name="drawReflex">Draw the patient's corneal reflex (position and size only) when one was found (default true).</param>
    /// <param name="irisTextureAmplitude">Strength of the avatar-seeded radial fibre texture of the synthetic iris, 0..0.5 (default 0.12).</param>
    /// <param name="placement">Where each eye goes: at the patient's positions (default) or onto the avatar's eyes.</param>
    /// <param name="precision">The clinical steps the kept geometry is rounded to before the eyes are drawn; null for
    /// <see cref="GeometryPrecision.Default"/> (0.5 mm, 1 PD, 1 degree, IPD 1 mm); <see cref="GeometryPrecision.Exact"/> keeps it unrounded.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its documented range, or the falloff inside the rigid radius.</exception>
    public SyntheticEyeOptions(float rigidRadiusFraction = 0.04f, float falloffRadiusFraction = 0.20f, bool drawReflex = true, float irisTextureAmplitude = 0.12f,
        EyePlacement placement = EyePlacement.PatientPositions, GeometryPrecision? precision = null)
    {
        if (!Enum.IsDefined(placement))
        {
            throw new ArgumentOutOfRangeException(nameof(placement), placement, "Unknown eye placement.");
        }

        if (!(rigidRadiusFraction >= 0f && rigidRadiusFraction <= 0.3f))
        {
            throw new ArgumentOutOfRangeException(nameof(rigidRadiusFraction), rigidRadiusFraction, "Must be between 0 and 0.3 (a fraction of the inter-pupil distance).");
        }

        if (!(falloffRadiusFraction > rigidRadiusFraction + 0.02f && falloffRadiusFraction <= 0.6f))
        {
            throw new ArgumentOutOfRangeException(nameof(falloffRadiusFraction), falloffRadiusFraction,
                $"Must exceed the rigid radius ({rigidRadiusFraction}) by at least 0.02 and be at most 0.6 (a fraction of the inter-pupil distance).");
        }

        if (!(irisTextureAmplitude >= 0f && irisTextureAmplitude <= 0.5f))
        {
            throw new ArgumentOutOfRangeException(nameof(irisTextureAmplitude), irisTextureAmplitude, "Must be between 0 and 0.5.");
        }

        RigidRadiusFraction = rigidRadiusFraction;
        FalloffRadiusFraction = falloffRadiusFraction;
        DrawReflex = drawReflex;
        IrisTextureAmplitude = irisTextureAmplitude;
        Placement = placement;
        Precision = precision ?? GeometryPrecision.Default;
    }

    /// <summary>
    /// The clinical steps the kept geometry is rounded to before the eyes are drawn (see <see cref="GeometryPrecision"/>).
    /// Applied by the fusion (<c>RoiPreset.GeometryOnly</c> in <see cref="FaceDefender.Fusion.PeriocularFaceFuser"/>) to the
    /// mapped patient geometry; <see cref="SyntheticEyeRenderer.Render"/> itself draws the target it is given.
    /// </summary>
    public GeometryPrecision Precision { get; }

    /// <summary>Where each eye is placed.</summary>
    public EyePlacement Placement { get; }

    /// <summary>Distance (fraction of IPD) within which mesh vertices take the patient's positions exactly.</summary>
    public float RigidRadiusFraction { get; }

    /// <summary>Distance (fraction of IPD) beyond which the avatar is untouched.</summary>
    public float FalloffRadiusFraction { get; }

    /// <summary>Whether the patient's corneal reflex is drawn.</summary>
    public bool DrawReflex { get; }

    /// <summary>Strength of the synthetic iris's fibre texture.</summary>
    public float IrisTextureAmplitude { get; }
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
