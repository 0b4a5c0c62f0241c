namespace FaceDefender.Landmarks;

/// <summary>
/// Where an ONNX model comes from: a file, bytes or a stream supplied by the user. The default
/// (no source given) is the model embedded in the FaceDefender assembly. Immutable.
/// </summary>
public sealed class FaceModelSource
{
    private readonly string? _path;
    private readonly byte[]? _bytes;

    private FaceModelSource(string? path, byte[]? bytes)
    {
        _path = path;
        _bytes = bytes;
    }

    /// <summary>A model read from <paramref name="path"/> when the detector is created.</summary>
    /// <exception cref="ArgumentException">The path is null or empty.</exception>
    public static FaceModelSource FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new FaceModelSource(path, null);
    }

    /// <summary>A model held in memory. The bytes are copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="bytes"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is empty.</exception>
    public static FaceModelSource FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            throw new ArgumentException("The model is empty: pass the contents of an .onnx file.", nameof(bytes));
        }

        return new FaceModelSource(null, (byte[])bytes.Clone());
    }

    /// <summary>A model read now from <paramref name="stream"/> (to its end; the stream is not disposed).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable or is empty.</exception>
    public static FaceModelSource FromStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The model stream is not readable.", nameof(stream));
        }

        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        if (memory.Length == 0)
        {
            throw new ArgumentException("The model stream is empty: pass the contents of an .onnx file.", nameof(stream));
        }

        return new FaceModelSource(null, memory.ToArray());
    }

    /// <summary>Short description for error messages.</summary>
    public override string ToString() => _path is not null ? $"file '{_path}'" : $"{_bytes!.Length} bytes in memory";

    internal byte[] ReadAll(string what)
    {
        if (_bytes is not null)
        {
            return _bytes;
        }

        try
        {
            return File.ReadAllBytes(_path!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceDefenderException($"Could not read the {what} model from '{_path}': {e.Message}. Check the path or omit it to use the embedded model.", e);
        }
    }
}
