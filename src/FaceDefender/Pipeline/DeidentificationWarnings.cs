namespace FaceDefender.Pipeline;

/// <summary>Conditions worth reporting that do not stop the de-identification.</summary>
[Flags]
public enum DeidentificationWarnings
{
    /// <summary>Nothing to report.</summary>
    None = 0,

    /// <summary>
    /// The file's data ended early; the decoder filled the missing area (grey or black). The output is still fully
    /// de-identified, but measurements near the missing area are not to be trusted: check the photo.
    /// </summary>
    TruncatedImage = 1,
}
