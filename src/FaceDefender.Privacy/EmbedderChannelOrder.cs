namespace FaceDefender.Privacy;

/// <summary>Order of the colour channels a face-recognition model expects.</summary>
public enum EmbedderChannelOrder
{
    /// <summary>Red, green, blue.</summary>
    Rgb,

    /// <summary>Blue, green, red (models trained with OpenCV-decoded images).</summary>
    Bgr,
}
