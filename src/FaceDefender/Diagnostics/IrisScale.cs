namespace FaceDefender.Diagnostics;

/// <summary>How the iris diameter in pixels that turns pixels into mm is taken.</summary>
public enum IrisScale
{
    /// <summary>Each eye by its own horizontal iris width (ring points 469-471 / 474-476), as the paper. The default.</summary>
    PerEyeHorizontalWidth,

    /// <summary>Each eye by the mean of its two ring diameters (horizontal and vertical).</summary>
    PerEyeMeanDiameter,

    /// <summary>Both eyes by the mean of the two horizontal widths (less landmark noise; the two irises are the same size).</summary>
    BothEyesHorizontalWidth,

    /// <summary>Both eyes by the mean of all four ring diameters.</summary>
    BothEyesMeanDiameter,
}
