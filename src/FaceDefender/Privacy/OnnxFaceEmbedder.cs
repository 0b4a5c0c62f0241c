using System.Numerics;
using System.Numerics.Tensors;
using FaceDefender.Abstractions;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Privacy;

/// <summary>
/// Runs any ONNX face-recognition model with ONNX Runtime: aligns the face to the model's template
/// from our 478 landmarks (least-squares similarity, bilinear warp), converts and normalises the
/// pixels as <see cref="OnnxFaceEmbedderOptions"/> says, and L2-normalises the output.
/// </summary>
/// <remarks>Thread-safe: <see cref="Embed"/> may be called from several threads at once. Dispose it.</remarks>
public class OnnxFaceEmbedder : IFaceEmbedder
{
    private readonly InferenceSession _session;
    private readonly SessionOptions? _ownedSessionOptions;
    private readonly string _inputName;
    private readonly string _outputName;
    private bool _disposed;

    /// <summary>Loads a model from an .onnx file.</summary>
    /// <param name="modelPath">Path of the model file.</param>
    /// <param name="options">How to feed the model.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="FaceDefenderException">The file is missing or is not a usable ONNX model.</exception>
    public OnnxFaceEmbedder(string modelPath, OnnxFaceEmbedderOptions options)
        : this(ReadModel(modelPath), options)
    {
    }

    /// <summary>Loads a model from its bytes.</summary>
    /// <param name="model">The contents of an .onnx file.</param>
    /// <param name="options">How to feed the model.</param>
    /// <exception cref="ArgumentException">The bytes are empty.</exception>
    /// <exception cref="FaceDefenderException">The bytes are not a usable ONNX model, or the named input/output is absent.</exception>
    public OnnxFaceEmbedder(byte[] model, OnnxFaceEmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (model.Length == 0)
        {
            throw new ArgumentException("The model is empty: pass the contents of an .onnx file.", nameof(model));
        }

        Options = options;
        SessionOptions sessionOptions;
        if (options.SessionOptions is { } given)
        {
            sessionOptions = given;
        }
        else
        {
            _ownedSessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            sessionOptions = _ownedSessionOptions;
        }

        try
        {
            _session = new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            _ownedSessionOptions?.Dispose();
            throw new FaceDefenderException($"The face-recognition model '{options.Name}' could not be loaded by ONNX Runtime: {e.Message}", e);
        }

        _inputName = options.InputName ?? _session.InputMetadata.Keys.First();
        _outputName = options.OutputName ?? _session.OutputMetadata.Keys.First();
        if (!_session.InputMetadata.ContainsKey(_inputName) || !_session.OutputMetadata.ContainsKey(_outputName))
        {
            string inputs = string.Join(", ", _session.InputMetadata.Keys);
            string outputs = string.Join(", ", _session.OutputMetadata.Keys);
            _session.Dispose();
            _ownedSessionOptions?.Dispose();
            throw new FaceDefenderException($"Model '{options.Name}' has inputs [{inputs}] and outputs [{outputs}]; set InputName/OutputName to one of them.");
        }

        int[] outDims = _session.OutputMetadata[_outputName].Dimensions;
        Dimension = outDims.Length > 0 && outDims[^1] > 0 ? outDims[^1] : 0;
    }

    /// <summary>How the model is fed.</summary>
    public OnnxFaceEmbedderOptions Options { get; }

    /// <inheritdoc />
    public string Name => Options.Name;

    /// <inheritdoc />
    public int Dimension { get; private set; }

    /// <inheritdoc />
    public float[] Embed(Image<Rgb24> image, FaceLandmarks landmarks)
    {
        using Image<Rgb24> chip = Align(image, landmarks);
        return EmbedAligned(chip);
    }

    /// <summary>
    /// The model's input square: <paramref name="image"/> warped so that the face's template points
    /// land on <see cref="FaceAlignmentTemplate.Points"/>; outside the photo is black.
    /// </summary>
    /// <param name="image">The photo.</param>
    /// <param name="landmarks">The face's landmarks in the photo's pixels.</param>
    /// <returns>A new <see cref="OnnxFaceEmbedderOptions.InputSize"/>-square image; the caller disposes it.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The template points of the face coincide.</exception>
    public Image<Rgb24> Align(Image<Rgb24> image, FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(landmarks);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Vector2[] face = Options.Template.Measure(landmarks);
        Vector2[] target = [.. Options.Template.Points];
        Matrix3x2 toChip = TransformEstimation.EstimateSimilarity(face, target).ToMatrix();
        int size = Options.InputSize;
        var chip = new Image<Rgb24>(size, size);
        using (PixelBuffer src = PixelBuffer.Read(image))
        using (PixelBuffer dst = PixelBuffer.Write(chip))
        {
            AffineWarp.WarpRgb24(src.Bytes, src.Width, src.Height, dst.Bytes, size, size, toChip);
        }

        return chip;
    }

    /// <summary>The L2-normalised descriptor of an already aligned face (an <see cref="Align"/> result).</summary>
    /// <param name="alignedFace">A square image of side <see cref="OnnxFaceEmbedderOptions.InputSize"/>.</param>
    /// <returns>A new unit vector.</returns>
    /// <exception cref="ArgumentException">The image has the wrong size.</exception>
    /// <exception cref="FaceDefenderException">The model output is not a finite, non-zero vector.</exception>
    public float[] EmbedAligned(Image<Rgb24> alignedFace)
    {
        float[] raw = RawDescriptor(alignedFace);
        float norm = TensorPrimitives.Norm(raw);
        if (!(norm > 0) || !float.IsFinite(norm))
        {
            throw new FaceDefenderException($"Model '{Name}' returned a zero or non-finite descriptor; check the input normalisation options.");
        }

        TensorPrimitives.Divide(raw, norm, raw);
        return raw;
    }

    /// <summary>The model's output for an aligned face, before normalisation (for validation against a reference).</summary>
    internal float[] RawDescriptor(Image<Rgb24> alignedFace)
    {
        ArgumentNullException.ThrowIfNull(alignedFace);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int size = Options.InputSize;
        if (alignedFace.Width != size || alignedFace.Height != size)
        {
            throw new ArgumentException($"The aligned face must be {size} x {size} pixels; got {alignedFace.Width} x {alignedFace.Height}. Use Align first.", nameof(alignedFace));
        }

        bool nchw = Options.Layout == EmbedderTensorLayout.Nchw;
        var input = new DenseTensor<float>(nchw ? [1, 3, size, size] : [1, size, size, 3]);
        Span<float> data = input.Buffer.Span;
        int plane = size * size;
        bool bgr = Options.ChannelOrder == EmbedderChannelOrder.Bgr;
        float m0 = Options.Mean[0], m1 = Options.Mean[1], m2 = Options.Mean[2];
        float s0 = Options.Scale[0], s1 = Options.Scale[1], s2 = Options.Scale[2];
        using (PixelBuffer px = PixelBuffer.Read(alignedFace))
        {
            ReadOnlySpan<byte> bytes = px.Bytes;
            for (int i = 0; i < plane; i++)
            {
                float r = bytes[3 * i], g = bytes[(3 * i) + 1], b = bytes[(3 * i) + 2];
                float c0 = bgr ? b : r, c2 = bgr ? r : b;
                float v0 = (c0 - m0) * s0, v1 = (g - m1) * s1, v2 = (c2 - m2) * s2;
                if (nchw)
                {
                    data[i] = v0;
                    data[plane + i] = v1;
                    data[(2 * plane) + i] = v2;
                }
                else
                {
                    data[3 * i] = v0;
                    data[(3 * i) + 1] = v1;
                    data[(3 * i) + 2] = v2;
                }
            }
        }

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
            _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, input)], [_outputName]);
        float[] output = results[0].AsEnumerable<float>().ToArray();
        if (Dimension == 0)
        {
            Dimension = output.Length;
        }

        return output;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the session.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            _session.Dispose();
            _ownedSessionOptions?.Dispose();
        }
    }

    private static byte[] ReadModel(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        try
        {
            return File.ReadAllBytes(modelPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceDefenderException($"Cannot read the face-recognition model '{modelPath}': {e.Message}", e);
        }
    }
}
