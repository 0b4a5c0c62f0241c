using FaceDefender.Imaging;

namespace FaceDefender.Fusion;

/// <summary>
/// Options of the periocular fusion. Distances are fractions of the avatar's inter-pupil distance
/// (IPD), so they mean the same at any output size. Immutable; each value is checked when it is set.
/// </summary>
public sealed record FusionOptions
{
    private readonly float? _maskDilationFraction;

    /// <summary>The defaults: eyes-only region, a softer feather than the prototype's, its colour-correction size, additive transfer
    /// referenced to every pixel under the colour-correction blur, the avatar as rendered.</summary>
    public static FusionOptions Default { get; } = new();

    /// <summary>Whether the avatar around the kept region takes the photo's blur and noise (default
    /// <see cref="CaptureMatching.None"/>; ignored by <see cref="RoiPreset.GeometryOnly"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined value.</exception>
    public CaptureMatching CaptureMatching
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(CaptureMatching), value, "Unknown capture matching.");
    }

    /// <summary>Which pixels set the transferred colour (default <see cref="ColorReferenceRegion.BlurSupport"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined value.</exception>
    public ColorReferenceRegion ColorReference
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(ColorReference), value, "Unknown colour reference region.");
    }

    /// <summary>Options of the geometry-only eye synthesis (used by <see cref="RoiPreset.GeometryOnly"/>, ignored by the
    /// other presets); default <see cref="Synthesis.SyntheticEyeOptions.Default"/>.</summary>
    /// <exception cref="ArgumentException">Radii that do not fit together (see <see cref="Synthesis.SyntheticEyeOptions.FalloffRadiusFraction"/>).</exception>
    public Synthesis.SyntheticEyeOptions SyntheticEyes
    {
        get;
        init => field = (value ?? throw new ArgumentNullException(nameof(SyntheticEyes))).Validated();
    } = Synthesis.SyntheticEyeOptions.Default;

    /// <summary>How the avatar's low-frequency colour is transferred: additive (default: keeps the patient's detail at its
    /// own contrast) or the paper's multiplicative formula.</summary>
    public ColorTransferMode ColorTransferMode { get; init; } = ColorTransferMode.Additive;

    /// <summary>Which region of the patient is kept (default <see cref="RoiPreset.EyesOnly"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined value.</exception>
    public RoiPreset Roi
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Roi), value, "Unknown ROI preset.");
    } = RoiPreset.EyesOnly;

    /// <summary>Whether the <see cref="RoiPreset.Paper"/> region follows the patient's skin (default true): the eye openings
    /// (grown by the eyes-only margin) and the brows are always kept, and elsewhere in the region only pixels whose colour,
    /// lightness and texture match the patient's own skin below the eyes are, so hair, glasses frames and background show the
    /// avatar instead. It can only remove patient pixels from the region, never add any. Ignored by the other presets;
    /// false keeps the whole region (the landmark hulls).</summary>
    public bool SkinFollowingMask { get; init; } = true;

    /// <summary>Which pixels set the transferred colour when <see cref="SkinFollowingMask"/> shapes the region (internal, for
    /// measuring): true, only the kept skin outside the eyes and brows of both faces; false (default), as <see cref="ColorReference"/>
    /// says. Measured on the painted captures, true made the colour step at the mask edge larger, so it is off.</summary>
    internal bool SkinWeightedColor { get; init; }

    /// <summary>Which terms the skin score uses (internal, for measuring each term's share).</summary>
    internal PeriocularSkinMask.Terms SkinTerms { get; init; } = PeriocularSkinMask.Terms.All;

    /// <summary>Whether the skin mask applies (the preset is <see cref="RoiPreset.Paper"/> and <see cref="SkinFollowingMask"/> is on).</summary>
    internal bool FollowsSkin => SkinFollowingMask && Roi == RoiPreset.Paper;

    /// <summary>Growth of each landmark hull, as a fraction of the inter-pupil distance, 0 to 0.5. Unless set: 0.08 for
    /// <see cref="RoiPreset.EyesOnly"/>, 0.008 (the prototype's 2 px at 1024) for the other presets.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0 to 0.5.</exception>
    public float MaskDilationFraction
    {
        get => _maskDilationFraction ?? (Roi == RoiPreset.EyesOnly ? 0.08f : 0.008f);
        init => _maskDilationFraction = Check(value, 0f, 0.5f, nameof(MaskDilationFraction));
    }

    /// <summary>Feather sigma, as a fraction of the inter-pupil distance, 0.0005 to 0.2; default 0.015 (σ ≈ 3.8 px at 1024).
    /// The prototype's 5-px kernel (σ ≈ 1.1 px, fraction 0.0043) leaves a visible seam wherever the colours differ.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0.0005 to 0.2.</exception>
    public float FeatherSigmaFraction
    {
        get;
        init => field = Check(value, 0.0005f, 0.2f, nameof(FeatherSigmaFraction));
    } = 0.015f;

    /// <summary>Colour-correction blur sigma, as a fraction of the inter-pupil distance, 0.01 to 1; default 0.09 (the
    /// prototype's kernel of 0.6 IPD, σ ≈ 23 px at 1024).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0.01 to 1.</exception>
    public float ColorCorrectionSigmaFraction
    {
        get;
        init => field = Check(value, 0.01f, 1f, nameof(ColorCorrectionSigmaFraction));
    } = 0.09f;

    /// <summary>How the colour-correction blur is computed: fast (default) or exact.</summary>
    public ColorTransferBlur ColorTransferBlur { get; init; } = ColorTransferBlur.Fast;

    private static float Check(float v, float min, float max, string name) => v >= min && v <= max
        ? v
        : throw new ArgumentOutOfRangeException(name, v, $"Must be between {min} and {max} (a fraction of the inter-pupil distance).");
}
