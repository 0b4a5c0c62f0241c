namespace FaceDefender.Abstractions;

/// <summary>Why a capture may not support a reliable measurement.</summary>
public enum CaptureQualityIssue
{
    /// <summary>Head roll, yaw or pitch beyond the configured limit.</summary>
    PoseBeyondLimits,

    /// <summary>An eye is closed or nearly so (fissure height small against the iris).</summary>
    EyeClosed,

    /// <summary>The iris is too few pixels wide for millimetre precision.</summary>
    IrisTooSmall,

    /// <summary>The face is too small (inter-pupillary distance in pixels).</summary>
    FaceTooSmall,

    /// <summary>Both eyes look away from the camera the same way (from their corneal reflexes, or without them from the irises against the canthi).</summary>
    OffCentreGaze,

    /// <summary>
    /// An eye has no trustworthy corneal reflex (no light near the camera, glare, two reflexes, a covered iris), so there is
    /// no alignment measurement and no alignment finding; MRD1 and MRD2 of that eye are measured from the limbus centre.
    /// The description says why. Bears on no finding.
    /// </summary>
    NoCornealReflex,

    /// <summary>
    /// An eye has a corneal reflex but its limbus (iris) centre could not be measured on the image beside it (too little
    /// of the limbus visible between the lids, for example an eye turned far down or to one side), so the alignment
    /// measurement takes that eye's iris centre from the landmark models, which can be a third of the iris radius off on
    /// such an eye (several prism dioptres). Value 0 and limit 1 (not measured, measured). Bears on the alignment findings only.
    /// </summary>
    LimbusNotMeasured,
}

/// <summary>One capture-quality problem. Immutable.</summary>
/// <param name="Issue">What is wrong.</param>
/// <param name="Eye">The eye concerned, or <see cref="EyeSide.Both"/> for the whole face.</param>
/// <param name="Value">The measured value (degrees, ratio, pixels or mm as the description says).</param>
/// <param name="Limit">The configured limit it crossed.</param>
/// <param name="Description">One sentence in English.</param>
public sealed record CaptureQualityFlag(CaptureQualityIssue Issue, EyeSide Eye, double Value, double Limit, string Description);
