using FaceDefender.Imaging;

namespace FaceDefender.Fusion;

/// <summary>
/// Options of the periocular fusion. Distances are fractions of the avatar's inter-pupil distance
/// (IPD), so they mean the same at any output size. Immutable; validated on construction.
/// </summary>
public sealed class FusionOptions
{
    /// <summary>The defaults: eyes-only region, a softer feather than the prototype's, its colour-correction size, additive transfer
    /// referenced to the skin around the eyes, the avatar as rendered.</summary>
    public static FusionOptions Default { get; } = new();

    /// <summary>Creates options; every argument is optional.</summary>
    /// <param name="roi">Which region of the patient to keep (default <see cref="RoiPreset.EyesOnly"/>).</param>
    /// <param name="maskDilationFraction">Growth of each hull, fraction of IPD; default 0.08 for eyes only, 0.008 (the prototype's 2 px at 1024) otherwise.</param>
    /// <param name="featherSigmaFraction">Gaussian feather sigma, fraction of IPD; default 0.015 (σ ≈ 3.8 px at 1024). The prototype's
    /// 5-px kernel (σ ≈ 1.1 px, fraction 0.0043) leaves a visible seam wherever the colours differ.</param>
    /// <param name="colorCorrectionSigmaFraction">Colour-correction blur sigma, fraction of IPD; default 0.09 (the prototype's kernel of 0.6 IPD, σ ≈ 23 px at 1024).</param>
    /// <param name="colorTransferBlur">Fast (default) or exact colour-correction blur.</param>
    /// <param name="colorTransferMode">Additive (default: keeps the patient's detail at its own contrast) or the paper's multiplicative formula.</param>
    /// <param name="syntheticEyes">Options of <see cref="RoiPreset.GeometryOnly"/> (ignored by the other presets); null for the defaults.</param>
    /// <param name="captureMatching">Whether the avatar around the kept region takes the photo's blur and noise (default <see cref="CaptureMatching.None"/>; ignored by <see cref="RoiPreset.GeometryOnly"/>).</param>
    /// <param name="colorReference">Which pixels set the transferred colour (default <see cref="ColorReferenceRegion.BlurSupport"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A fraction outside its documented range.</exception>
    public FusionOptions(
        RoiPreset roi = RoiPreset.EyesOnly,
        float? maskDilationFraction = null,
        float featherSigmaFraction = 0.015f,
        float colorCorrectionSigmaFraction = 0.09f,
        ColorTransferBlur colorTransferBlur = ColorTransferBlur.Fast,
        ColorTransferMode colorTransferMode = ColorTransferMode.Additive,
        Synthesis.SyntheticEyeOptions? syntheticEyes = null,
        CaptureMatching captureMatching = CaptureMatching.None,
        ColorReferenceRegion colorReference = ColorReferenceRegion.BlurSupport)
    {
        if (!Enum.IsDefined(captureMatching))
        {
            throw new ArgumentOutOfRangeException(nameof(captureMatching), captureMatching, "Unknown capture matching.");
        }

        if (!Enum.IsDefined(colorReference))
        {
            throw new ArgumentOutOfRangeException(nameof(colorReference), colorReference, "Unknown colour reference region.");
        }

        if (!Enum.IsDefined(roi))
        {
            throw new ArgumentOutOfRangeException(nameof(roi), roi, "Unknown ROI preset.");
        }

        float dilation = maskDilationFraction ?? (roi == RoiPreset.EyesOnly ? 0.08f : 0.008f);
        Check(dilation, 0f, 0.5f, nameof(maskDilationFraction));
        Check(featherSigmaFraction, 0.0005f, 0.2f, nameof(featherSigmaFraction));
        Check(colorCorrectionSigmaFraction, 0.01f, 1f, nameof(colorCorrectionSigmaFraction));
        Roi = roi;
        MaskDilationFraction = dilation;
        FeatherSigmaFraction = featherSigmaFraction;
        ColorCorrectionSigmaFraction = colorCorrectionSigmaFraction;
        ColorTransferBlur = colorTransferBlur;
        ColorTransferMode = colorTransferMode;
        SyntheticEyes = syntheticEyes ?? Synthesis.SyntheticEyeOptions.Default;
        CaptureMatching = captureMatching;
        ColorReference = colorReference;
    }

    /// <summary>Whether the avatar around the kept region takes the photo's blur and noise.</summary>
    public CaptureMatching CaptureMatching { get; }

    /// <summary>Which pixels set the transferred colour.</summary>
    public ColorReferenceRegion ColorReference { get; }

    /// <summary>Options of the geometry-only eye synthesis (used by <see cref="RoiPreset.GeometryOnly"/>).</summary>
    public Synthesis.SyntheticEyeOptions SyntheticEyes { get; }

    /// <summary>How the avatar's low-frequency colour is transferred.</summary>
    public ColorTransferMode ColorTransferMode { get; }

    /// <summary>Which region of the patient is kept.</summary>
    public RoiPreset Roi { get; }

    /// <summary>Growth of each landmark hull, as a fraction of the inter-pupil distance.</summary>
    public float MaskDilationFraction { get; }

    /// <summary>Feather sigma, as a fraction of the inter-pupil distance.</summary>
    public float FeatherSigmaFraction { get; }

    /// <summary>Colour-correction blur sigma, as a fraction of the inter-pupil distance.</summary>
    public float ColorCorrectionSigmaFraction { get; }

    /// <summary>How the colour-correction blur is computed.</summary>
    public ColorTransferBlur ColorTransferBlur { get; }

    private static void Check(float v, float min, float max, string name)
    {
        if (!(v >= min && v <= max))
        {
            throw new ArgumentOutOfRangeException(name, v, $"Must be between {min} and {max} (a fraction of the inter-pupil distance).");
        }
    }
}
