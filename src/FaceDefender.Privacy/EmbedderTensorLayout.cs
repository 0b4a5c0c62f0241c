namespace FaceDefender.Privacy;

/// <summary>Memory layout of a face-recognition model's input tensor.</summary>
public enum EmbedderTensorLayout
{
    /// <summary>[batch, channels, height, width] (PyTorch exports, ArcFace ONNX files).</summary>
    Nchw,

    /// <summary>[batch, height, width, channels] (TensorFlow models).</summary>
    Nhwc,
}
