using FaceDefender.Abstractions;
using FaceDefender.Decoding;
using FaceDefender.Fusion;

namespace FaceDefender.Pipeline;

/// <summary>Options of the de-identification pipeline. Immutable; validated on construction.</summary>
public sealed class DeidentificationOptions
{
    /// <summary>The defaults.</summary>
    public static DeidentificationOptions Default { get; } = new();

    /// <summary>Creates options; every argument is optional.</summary>
    /// <param name="fusion">Fusion options (ROI preset and sizes); default <see cref="FusionOptions.Default"/> (eyes only).</param>
    /// <param name="maxYawDegrees">Largest accepted head yaw, default 20°.</param>
    /// <param name="maxPitchDegrees">Largest accepted head pitch, default 20°.</param>
    /// <param name="maxRollDegrees">Largest accepted head roll, default 30° (roll is undone by the alignment, but a strong tilt usually means a poor capture).</param>
    /// <param name="minEyeOpening">Smallest accepted lid opening per eye, as fissure height over fissure width; default 0.12.</param>
    /// <param name="minEyeContrast">Smallest accepted image evidence of an open eye: the luma difference (0-255) between the exposed
    /// sclera and the iris core inside the landmarks' eye opening. An eye closed, painted over or covered has about 0; open eyes
    /// measured 14-119 on degraded portraits. Default 7; 0 switches the check off.</param>
    /// <param name="defaultSex">Avatar sex when the record has none; default female.</param>
    /// <param name="defaultAgeYears">Avatar age when the record has none; default 40.</param>
    /// <param name="decoding">Budgets and formats for decoding photos given as files or streams; default <see cref="ImageDecodingOptions.Default"/> (JPEG and PNG).</param>
    /// <param name="memoryBudget">A budget shared by concurrent calls: each photo given as a file or stream leases its estimated
    /// peak memory before decoding. Default null: no budget. Share one instance across every pipeline of a process.</param>
    public DeidentificationOptions(
        FusionOptions? fusion = null,
        float maxYawDegrees = 20f,
        float maxPitchDegrees = 20f,
        float maxRollDegrees = 30f,
        float minEyeOpening = 0.12f,
        float minEyeContrast = 7f,
        AvatarSex defaultSex = AvatarSex.Female,
        int defaultAgeYears = 40,
        ImageDecodingOptions? decoding = null,
        MemoryBudget? memoryBudget = null)
    {
        Angle(maxYawDegrees, nameof(maxYawDegrees));
        Angle(maxPitchDegrees, nameof(maxPitchDegrees));
        Angle(maxRollDegrees, nameof(maxRollDegrees));
        if (!(minEyeOpening >= 0 && minEyeOpening < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minEyeOpening), minEyeOpening, "Must be in [0, 1): fissure height over fissure width.");
        }

        if (!(minEyeContrast >= 0 && minEyeContrast <= 255))
        {
            throw new ArgumentOutOfRangeException(nameof(minEyeContrast), minEyeContrast, "Must be in [0, 255]: a luma difference.");
        }

        MinEyeContrast = minEyeContrast;
        ArgumentOutOfRangeException.ThrowIfNegative(defaultAgeYears);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(defaultAgeYears, 120);
        decoding?.Validate();
        Decoding = decoding ?? ImageDecodingOptions.Default;
        MemoryBudget = memoryBudget;
        Fusion = fusion ?? FusionOptions.Default;
        MaxYawDegrees = maxYawDegrees;
        MaxPitchDegrees = maxPitchDegrees;
        MaxRollDegrees = maxRollDegrees;
        MinEyeOpening = minEyeOpening;
        DefaultSex = defaultSex;
        DefaultAgeYears = defaultAgeYears;
    }

    /// <summary>Budgets and formats for decoding photos.</summary>
    public ImageDecodingOptions Decoding { get; }

    /// <summary>The memory budget shared by concurrent calls, or null.</summary>
    public MemoryBudget? MemoryBudget { get; }

    /// <summary>Fusion options.</summary>
    public FusionOptions Fusion { get; }

    /// <summary>Largest accepted |yaw| in degrees.</summary>
    public float MaxYawDegrees { get; }

    /// <summary>Largest accepted |pitch| in degrees.</summary>
    public float MaxPitchDegrees { get; }

    /// <summary>Largest accepted |roll| in degrees.</summary>
    public float MaxRollDegrees { get; }

    /// <summary>Smallest accepted fissure height / fissure width per eye.</summary>
    public float MinEyeOpening { get; }

    /// <summary>Smallest accepted sclera-minus-iris luma difference per eye (0: not checked).</summary>
    public float MinEyeContrast { get; }

    /// <summary>Avatar sex when none is given.</summary>
    public AvatarSex DefaultSex { get; }

    /// <summary>Avatar age when none is given.</summary>
    public int DefaultAgeYears { get; }

    private static void Angle(float v, string name)
    {
        if (!(v > 0 && v <= 90))
        {
            throw new ArgumentOutOfRangeException(name, v, "Must be in (0, 90] degrees.");
        }
    }
}
