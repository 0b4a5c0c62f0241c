namespace FaceDefender.Diagnostics;

/// <summary>The axes "horizontal" and "vertical" measurements are taken along.</summary>
public enum MeasurementFrame
{
    /// <summary>
    /// Along and across the eye line (right eye's canthal midpoint to the left eye's): head roll and
    /// any in-plane rotation of the photo leave every measurement unchanged. The default.
    /// </summary>
    EyeLine,

    /// <summary>The image's x and y axes, as the paper's prototype (values change with head roll).</summary>
    Image,
}
