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

        FaceDefender.Runtime.OnnxRuntimeTelemetry.EnsureDisabled();
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

        SupportsBatches = _session.InputMetadata[_inputName].Dimensions is { Length: > 0 } inDims && inDims[0] <= 0;
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

    /// <summary>
    /// The L2-normalised descriptors of several aligned faces (<see cref="Align"/> results), run through the model
    /// <see cref="OnnxFaceEmbedderOptions.MaxBatchSize"/> at a time when its batch dimension is free (one at a time
    /// otherwise). Faster per face than <see cref="EmbedAligned"/> on a CPU.
    /// </summary>
    /// <param name="alignedFaces">Square images of side <see cref="OnnxFaceEmbedderOptions.InputSize"/>.</param>
    /// <returns>One new unit vector per face, in order.</returns>
    /// <exception cref="ArgumentException">An image is null or has the wrong size.</exception>
    /// <exception cref="FaceDefenderException">The model returned a zero or non-finite descriptor for a face.</exception>
    public float[][] EmbedAlignedBatch(IReadOnlyList<Image<Rgb24>> alignedFaces)
    {
        ArgumentNullException.ThrowIfNull(alignedFaces);
        float[]?[] result = TryEmbedAlignedBatch(alignedFaces);
        int bad = Array.FindIndex(result, r => r is null);
        if (bad >= 0)
        {
            throw new FaceDefenderException($"Model '{Name}' returned a zero or non-finite descriptor for face {bad}; check the input normalisation options.");
        }

        return result!;
    }

    /// <summary>Whether the model's input has a free batch dimension (so several faces go into one run).</summary>
    public bool SupportsBatches { get; }

    /// <summary>Like <see cref="EmbedAlignedBatch"/>, but a face whose descriptor is zero or non-finite gives null.</summary>
    internal float[]?[] TryEmbedAlignedBatch(IReadOnlyList<Image<Rgb24>> alignedFaces)
    {
        var result = new float[]?[alignedFaces.Count];
        int step = SupportsBatches ? Options.MaxBatchSize : 1;
        for (int start = 0; start < alignedFaces.Count; start += step)
        {
            int count = Math.Min(step, alignedFaces.Count - start);
            float[][] raw = RawDescriptors(alignedFaces, start, count);
            for (int i = 0; i < count; i++)
            {
                float[] v = raw[i];
                float norm = TensorPrimitives.Norm(v);
                if (norm > 0 && float.IsFinite(norm))
                {
                    TensorPrimitives.Divide(v, norm, v);
                    result[start + i] = v;
                }
            }
        }

        return result;
    }

    /// <summary>The model's output for an aligned face, before normalisation (for validation against a reference).</summary>
    internal float[] RawDescriptor(Image<Rgb24> alignedFace)
    {
        ArgumentNullException.ThrowIfNull(alignedFace);
        return RawDescriptors([alignedFace], 0, 1)[0];
    }

    /// <summary>The model's outputs for <paramref name="count"/> aligned faces from <paramref name="start"/>, in one run.</summary>
    internal float[][] RawDescriptors(IReadOnlyList<Image<Rgb24>> alignedFaces, int start, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int size = Options.InputSize;
        for (int k = start; k < start + count; k++)
        {
            Image<Rgb24>? face = alignedFaces[k];
            if (face is null)
            {
                throw new ArgumentException($"Aligned face {k} is null.", nameof(alignedFaces));
            }

            if (face.Width != size || face.Height != size)
            {
                throw new ArgumentException($"The aligned face must be {size} x {size} pixels; got {face.Width} x {face.Height}. Use Align first.", nameof(alignedFaces));
            }
        }

        bool nchw = Options.Layout == EmbedderTensorLayout.Nchw;
        var input = new DenseTensor<float>(nchw ? [count, 3, size, size] : [count, size, size, 3]);
        int plane = size * size;
        for (int k = 0; k < count; k++)
        {
            Fill(alignedFaces[start + k], input.Buffer.Span.Slice(k * 3 * plane, 3 * plane), nchw);
        }

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
            _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, input)], [_outputName]);
        float[] output = results[0].AsEnumerable<float>().ToArray();
        if (output.Length % count != 0 || output.Length == 0)
        {
            throw new FaceDefenderException($"Model '{Name}' returned {output.Length} values for {count} faces; its output '{_outputName}' is not one descriptor per face.");
        }

        int dimension = output.Length / count;
        if (Dimension == 0)
        {
            Dimension = dimension;
        }

        var split = new float[count][];
        for (int k = 0; k < count; k++)
        {
            split[k] = output.AsSpan(k * dimension, dimension).ToArray();
        }

        return split;
    }

    private void Fill(Image<Rgb24> face, Span<float> data, bool nchw)
    {
        int plane = face.Width * face.Height;
        bool bgr = Options.ChannelOrder == EmbedderChannelOrder.Bgr;
        float m0 = Options.Mean[0], m1 = Options.Mean[1], m2 = Options.Mean[2];
        float s0 = Options.Scale[0], s1 = Options.Scale[1], s2 = Options.Scale[2];
        using PixelBuffer px = PixelBuffer.Read(face);
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
