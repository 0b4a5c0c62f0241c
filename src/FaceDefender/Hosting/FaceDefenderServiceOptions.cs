using FaceDefender.Landmarks;
using FaceDefender.Pipeline;

namespace FaceDefender.Hosting;

/// <summary>What <c>services.AddFaceDefender(...)</c> registers.</summary>
public sealed class FaceDefenderServiceOptions
{
    /// <summary>The pipeline's options (region, pose limits, decoding budgets...). Default: <see cref="DeidentificationOptions.Default"/>.</summary>
    public DeidentificationOptions Deidentification { get; set; } = DeidentificationOptions.Default;

    /// <summary>The landmark detector's options (execution provider through its session options, thresholds). Default: the defaults.</summary>
    public MediaPipeLandmarkDetectorOptions Detector { get; set; } = new();

    /// <summary>A folder holding your own avatar set with its manifest (docs: "Your own avatar set"); null for the built-in
    /// procedural avatars.</summary>
    public string? AvatarFolder { get; set; }

    internal void Validate()
    {
        if (Deidentification is null || Detector is null)
        {
            throw new ArgumentException("FaceDefenderServiceOptions.Deidentification and .Detector may not be null.");
        }

        if (AvatarFolder is not null && !Directory.Exists(AvatarFolder))
        {
            throw new ArgumentException($"The avatar folder '{AvatarFolder}' does not exist.");
        }
    }
}
