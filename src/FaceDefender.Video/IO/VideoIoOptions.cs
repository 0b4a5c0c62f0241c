namespace FaceDefender.Video.IO;

/// <summary>How <see cref="FfmpegVideoSource"/> finds FFmpeg and which videos it accepts.</summary>
public sealed record VideoReadOptions
{
    /// <summary>The default <see cref="MaxFramePixels"/>: 4096 x 4096 (a 4K UHD or DCI 4K frame is well within it).</summary>
    public const long DefaultMaxFramePixels = 4096L * 4096L;

    /// <summary>The folder that holds the <c>ffmpeg</c> and <c>ffprobe</c> executables. Null: FFMpegCore's
    /// <c>GlobalFFOptions.Current.BinaryFolder</c> when that is set, else the folders on <c>PATH</c>.</summary>
    public string? FfmpegFolder { get; init; }

    /// <summary>The largest frame accepted, in pixels (width x height after rotation); a larger video opens as
    /// <see cref="VideoOpenStatus.TooLarge"/>. Each decoded frame needs 3 bytes per pixel in the reader's buffer and
    /// again in the caller's image, so the default costs at most about 100 MB per open source.</summary>
    public long MaxFramePixels { get; init; } = DefaultMaxFramePixels;

    /// <summary>For the <see cref="Stream"/> overload: how many bytes from the start of the stream are held in memory
    /// and shown to ffprobe to learn the format (the same bytes are then decoded, so nothing is read twice from the
    /// stream). Default 8 MiB; the container's header must lie within it.</summary>
    public int StreamProbeBytes { get; init; } = 8 * 1024 * 1024;

    internal void Validate()
    {
        if (FfmpegFolder is not null && string.IsNullOrWhiteSpace(FfmpegFolder))
        {
            throw new ArgumentException("FfmpegFolder is blank; give a folder that holds ffmpeg and ffprobe, or null to search PATH.", nameof(FfmpegFolder));
        }

        if (MaxFramePixels < 1)
        {
            throw new ArgumentException($"MaxFramePixels must be at least 1 (it is {MaxFramePixels}).", nameof(MaxFramePixels));
        }

        if (StreamProbeBytes < 64 * 1024 || StreamProbeBytes > 256 * 1024 * 1024)
        {
            throw new ArgumentException($"StreamProbeBytes must be between 64 KiB and 256 MiB (it is {StreamProbeBytes}).", nameof(StreamProbeBytes));
        }
    }
}

/// <summary>The video codec <see cref="FfmpegVideoSink"/> writes.</summary>
public enum VideoCodec
{
    /// <summary>H.264 (libx264), 4:2:0 (yuv420p), for sharing and viewing. Lossy: see <see cref="VideoWriteOptions.Crf"/>.
    /// Container from the file name: .mp4, .m4v, .mov or .mkv.</summary>
    H264,

    /// <summary>FFV1 (level 3) in planar RGB (gbrp): lossless, decodes back to exactly the RGB written, for measurement
    /// work. Files are large (several times H.264). Container: .mkv only.</summary>
    Ffv1Lossless,
}

/// <summary>How <see cref="FfmpegVideoSink"/> encodes. Every output has its container and stream metadata stripped
/// whatever the options (see docs/video.md).</summary>
public sealed record VideoWriteOptions
{
    /// <summary>The default x264 preset, chosen for encode speed well above 30 frames/s at 1280x720 on two cores.</summary>
    public const string DefaultPreset = "veryfast";

    /// <summary>The codec; default <see cref="VideoCodec.H264"/>.</summary>
    public VideoCodec Codec { get; init; } = VideoCodec.H264;

    /// <summary>H.264 constant rate factor, 0 (best) to 51; default 18 (visually near-transparent).</summary>
    public int Crf { get; init; } = 18;

    /// <summary>The x264 preset (ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow):
    /// slower presets give smaller files at the same CRF. Default <see cref="DefaultPreset"/>.</summary>
    public string Preset { get; init; } = DefaultPreset;

    /// <summary>A media file whose first audio stream is copied into the output (re-encoded as AAC); null (default)
    /// writes no audio. A file without audio gives an output without audio. The audio keeps its own length.</summary>
    public string? KeepAudioFrom { get; init; }

    /// <summary>Whether an existing file at the destination is replaced on completion; default false (completion then
    /// fails and the existing file is left alone).</summary>
    public bool Overwrite { get; init; }

    /// <summary>The folder that holds the <c>ffmpeg</c> executable; null as in <see cref="VideoReadOptions.FfmpegFolder"/>.</summary>
    public string? FfmpegFolder { get; init; }

    internal static readonly string[] Presets =
        ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    internal void Validate()
    {
        if (!Enum.IsDefined(Codec))
        {
            throw new ArgumentException($"Unknown codec {(int)Codec}.", nameof(Codec));
        }

        if (Crf is < 0 or > 51)
        {
            throw new ArgumentException($"Crf must be between 0 and 51 (it is {Crf}).", nameof(Crf));
        }

        if (Preset is null || Array.IndexOf(Presets, Preset) < 0)
        {
            throw new ArgumentException($"Preset '{Preset}' is not an x264 preset; use one of {string.Join(", ", Presets)}.", nameof(Preset));
        }

        if (KeepAudioFrom is not null && string.IsNullOrWhiteSpace(KeepAudioFrom))
        {
            throw new ArgumentException("KeepAudioFrom is blank; give a media file path or null for no audio.", nameof(KeepAudioFrom));
        }

        if (FfmpegFolder is not null && string.IsNullOrWhiteSpace(FfmpegFolder))
        {
            throw new ArgumentException("FfmpegFolder is blank; give a folder that holds ffmpeg, or null to search PATH.", nameof(FfmpegFolder));
        }
    }
}

/// <summary>The outcome of opening a video with <see cref="FfmpegVideoSource"/>.</summary>
public enum VideoOpenStatus
{
    /// <summary>The video is open; <see cref="VideoOpenResult.Source"/> reads its frames.</summary>
    Opened,

    /// <summary>ffmpeg or ffprobe was not found (install FFmpeg, or set the folder that holds it).</summary>
    FfmpegNotFound,

    /// <summary>No file at the path.</summary>
    NotFound,

    /// <summary>The input is empty: a zero-length file or stream, or a video stream without frames.</summary>
    Empty,

    /// <summary>The input is not a media file FFmpeg can read (text, an image format it rejects, random bytes, or
    /// damage at the start).</summary>
    NotAVideo,

    /// <summary>A media file without a video stream (audio only, for example).</summary>
    NoVideoStream,

    /// <summary>The frames are larger than <see cref="VideoReadOptions.MaxFramePixels"/>.</summary>
    TooLarge,

    /// <summary>A media file with a video stream that could not be read (unknown size, no decoder, or the file could
    /// not be opened).</summary>
    Unreadable,
}

/// <summary>What <see cref="FfmpegVideoSource.OpenAsync(string, VideoReadOptions?, CancellationToken)"/> found.</summary>
public sealed class VideoOpenResult
{
    internal VideoOpenResult(VideoOpenStatus status, string message, FfmpegVideoSource? source = null)
    {
        Status = status;
        Message = message;
        Source = source;
    }

    /// <summary>The outcome.</summary>
    public VideoOpenStatus Status { get; }

    /// <summary>A sentence for a person: what was found, and for <see cref="VideoOpenStatus.FfmpegNotFound"/> how to
    /// install FFmpeg or point at it.</summary>
    public string Message { get; }

    /// <summary>The open source when <see cref="Status"/> is <see cref="VideoOpenStatus.Opened"/>, else null. The
    /// caller owns it and disposes it.</summary>
    public FfmpegVideoSource? Source { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Status}: {Message}";
}

/// <summary>Why <see cref="FfmpegVideoSink"/> could not write a video.</summary>
public enum VideoWriteStatus
{
    /// <summary>ffmpeg was not found (install FFmpeg, or set the folder that holds it).</summary>
    FfmpegNotFound,

    /// <summary>ffmpeg stopped with an error (an encoder failure, an unreadable <see cref="VideoWriteOptions.KeepAudioFrom"/>
    /// file, a full disk); <see cref="VideoWriteException.FfmpegError"/> holds its message.</summary>
    EncoderFailed,

    /// <summary>The finished file could not be moved to its destination (it exists and Overwrite is false, or the
    /// folder refused it).</summary>
    DestinationFailed,
}

/// <summary>Thrown by <see cref="FfmpegVideoSink"/> when a write cannot go on; the sink has then removed its temporary
/// file and nothing is at the destination. (The frame-sink contract returns no value from WriteAsync or CompleteAsync,
/// so a write's outcome other than success is this one exception type with a status.)</summary>
public sealed class VideoWriteException : IOException
{
    internal VideoWriteException(VideoWriteStatus status, string message, string? ffmpegError = null, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        FfmpegError = ffmpegError;
    }

    /// <summary>Why the write failed.</summary>
    public VideoWriteStatus Status { get; }

    /// <summary>The last lines ffmpeg wrote to its error output, when it ran; else null.</summary>
    public string? FfmpegError { get; }
}
