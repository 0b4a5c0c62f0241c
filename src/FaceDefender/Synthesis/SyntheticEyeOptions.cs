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
    /// <exception cref="ArgumentOutOfRangeException">A value outside its documented range, or the falloff inside the rigid radius.</exception>
    public SyntheticEyeOptions(float rigidRadiusFraction = 0.04f, float falloffRadiusFraction = 0.20f, bool drawReflex = true, float irisTextureAmplitude = 0.12f)
    {
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
    }

    /// <summary>Distance (fraction of IPD) within which mesh vertices take the patient's positions exactly.</summary>
    public float RigidRadiusFraction { get; }

    /// <summary>Distance (fraction of IPD) beyond which the avatar is untouched.</summary>
    public float FalloffRadiusFraction { get; }

    /// <summary>Whether the patient's corneal reflex is drawn.</summary>
    public bool DrawReflex { get; }

    /// <summary>Strength of the synthetic iris's fibre texture.</summary>
    public float IrisTextureAmplitude { get; }
}
