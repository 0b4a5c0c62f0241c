using FaceDefender.Avatars;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using Microsoft.Extensions.Options;

namespace FaceDefender.Hosting;

/// <summary>
/// What <c>services.AddFaceDefender(...)</c> registers. Read through <see cref="IOptions{TOptions}"/>, so it can be set by
/// the configure action, by <c>services.Configure&lt;FaceDefenderServiceOptions&gt;(...)</c>, or bound from configuration
/// (<c>services.AddOptions&lt;FaceDefenderServiceOptions&gt;().Bind(configuration.GetSection("FaceDefender"))</c>, with the
/// host's Microsoft.Extensions.Options.ConfigurationExtensions). Each instance starts from its own copies of the defaults,
/// so binding never changes the shared <c>Default</c> instances of the option types.
/// </summary>
public sealed class FaceDefenderServiceOptions
{
    /// <summary>The pipeline's options (region, pose limits, decoding budgets...). Default: the values of <see cref="DeidentificationOptions.Default"/>.</summary>
    public DeidentificationOptions Deidentification { get; set; } = NewDeidentificationOptions();

    /// <summary>The landmark detector's options (execution provider through its session options, thresholds). Default: the defaults.</summary>
    public MediaPipeLandmarkDetectorOptions Detector { get; set; } = new();

    /// <summary>The built-in procedural avatars' options (the pseudonym key, identities per group, style, cache); not used
    /// when <see cref="AvatarFolder"/> is set. Keep the pseudonym key in the host's secret store, not in a settings file:
    /// bound from configuration it is a base64 string. Default: the defaults.</summary>
    public ProceduralAvatarOptions Avatars { get; set; } = new();

    /// <summary>A folder holding your own avatar set with its manifest (docs: "Your own avatar set"); null for the built-in
    /// procedural avatars.</summary>
    public string? AvatarFolder { get; set; }

    // Fresh nested instances: a configuration binder sets properties on the instances it finds, init accessors included.
    private static DeidentificationOptions NewDeidentificationOptions() => new()
    {
        Decoding = new Decoding.ImageDecodingOptions(),
        Fusion = new Fusion.FusionOptions { SyntheticEyes = new Synthesis.SyntheticEyeOptions() },
    };
}

/// <summary>Checks <see cref="FaceDefenderServiceOptions"/> when the options are first read.</summary>
internal sealed class FaceDefenderServiceOptionsValidator : IValidateOptions<FaceDefenderServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, FaceDefenderServiceOptions options)
    {
        var failures = new List<string>();
        if (options.Deidentification is null)
        {
            failures.Add("FaceDefenderServiceOptions.Deidentification may not be null.");
        }

        if (options.Detector is null)
        {
            failures.Add("FaceDefenderServiceOptions.Detector may not be null.");
        }

        if (options.Avatars is null)
        {
            failures.Add("FaceDefenderServiceOptions.Avatars may not be null.");
        }

        if (options.AvatarFolder is not null && !Directory.Exists(options.AvatarFolder))
        {
            failures.Add($"The avatar folder '{options.AvatarFolder}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
