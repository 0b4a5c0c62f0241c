using FaceDefender.Video.IO;

namespace FaceDefender.Video.Processing;

/// <summary>The outcome of de-identifying a video file (<see cref="VideoDeidentifier.DeidentifyFileAsync(string, string, VideoFileOptions?, IProgress{VideoProgress}?, CancellationToken)"/>).</summary>
public enum VideoFileStatus
{
    /// <summary>Every frame was read and written; the output is complete.</summary>
    Success,

    /// <summary>The input ended before the frames its container announced (a truncated or damaged file): every frame
    /// that could be read was de-identified and the output holds exactly those.</summary>
    InputEndedEarly,

    /// <summary>FFmpeg (ffmpeg and ffprobe) was not found: install it (<c>apt-get install ffmpeg</c>) or name its folder.</summary>
    FfmpegNotFound,

    /// <summary>No file at the input path.</summary>
    NotFound,

    /// <summary>The input is empty (zero length, or a video stream without frames).</summary>
    Empty,

    /// <summary>The input is not a media file (text, an image, random bytes, or damage at its start).</summary>
    NotAVideo,

    /// <summary>A media file without a video stream (audio only).</summary>
    NoVideoStream,

    /// <summary>The frames are larger than <see cref="VideoReadOptions.MaxFramePixels"/>.</summary>
    TooLarge,

    /// <summary>A video stream that could not be read.</summary>
    Unreadable,

    /// <summary>The output could not be written (encoder failure, destination not writable, or it exists and
    /// <see cref="VideoWriteOptions.Overwrite"/> is off); nothing is left at the destination.</summary>
    WriteFailed,
}

/// <summary>How a video file is read, processed and written. Immutable.</summary>
public sealed record VideoFileOptions
{
    /// <summary>The defaults: <see cref="VideoDeidentificationOptions.Default"/>, H.264 output, no audio, FFmpeg from PATH.</summary>
    public static VideoFileOptions Default { get; } = new();

    /// <summary>The per-frame processing (preset, avatar, smoothing, measurements, output size).</summary>
    public VideoDeidentificationOptions Processing { get; init; } = VideoDeidentificationOptions.Default;

    /// <summary>How the input is read (FFmpeg folder, frame-size limit).</summary>
    public VideoReadOptions Read { get; init; } = new();

    /// <summary>How the output is written (codec, quality, overwrite, FFmpeg folder). Its <see cref="VideoWriteOptions.KeepAudioFrom"/>
    /// is ignored: use <see cref="KeepAudio"/>.</summary>
    public VideoWriteOptions Write { get; init; } = new();

    /// <summary>Copy the input's audio into the output. Off by default: a voice identifies.</summary>
    public bool KeepAudio { get; init; }
}

/// <summary>What <see cref="VideoDeidentifier.DeidentifyFileAsync(string, string, VideoFileOptions?, IProgress{VideoProgress}?, CancellationToken)"/> did.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Message">A sentence for a person.</param>
/// <param name="Input">What the input's container said about its video stream, or null when it could not be opened.</param>
/// <param name="Report">The per-frame report (failed frames, avatar, measurements), or null when nothing was processed.</param>
/// <param name="OutputPath">The output file, or null when none was written.</param>
public sealed record VideoFileResult(VideoFileStatus Status, string Message, VideoInfo? Input, VideoDeidentificationReport? Report, string? OutputPath)
{
    /// <summary>True when an output was written: <see cref="VideoFileStatus.Success"/> or <see cref="VideoFileStatus.InputEndedEarly"/>.</summary>
    public bool Succeeded => Status is VideoFileStatus.Success or VideoFileStatus.InputEndedEarly;
}

public sealed partial class VideoDeidentifier
{
    /// <summary>
    /// De-identifies a video file into <paramref name="outputPath"/> (its extension picks the container: .mp4, .m4v, .mov,
    /// or .mkv, which the lossless codec needs). The input is read through FFmpeg by its content, never modified; the output
    /// appears complete or not at all, carries no metadata and, unless <see cref="VideoFileOptions.KeepAudio"/>, no audio.
    /// What the input holds comes back as a status, never as an exception.
    /// </summary>
    /// <param name="inputPath">The video.</param>
    /// <param name="outputPath">The de-identified video; its folder must exist.</param>
    /// <param name="options">Null for <see cref="VideoFileOptions.Default"/>.</param>
    /// <param name="progress">Frames written so far, or null.</param>
    /// <param name="cancellationToken">Stops the run; nothing is left at the destination.</param>
    /// <exception cref="ArgumentException">A null or blank path, an output extension that is not a video container, or a
    /// missing output folder.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<VideoFileResult> DeidentifyFileAsync(string inputPath, string outputPath, VideoFileOptions? options = null,
        IProgress<VideoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputPath);
        options ??= VideoFileOptions.Default;
        ValidateOutput(outputPath);
        VideoOpenResult opened = await FfmpegVideoSource.OpenAsync(inputPath, options.Read, cancellationToken).ConfigureAwait(false);
        return await RunFileAsync(opened, outputPath, options, options.KeepAudio ? Path.GetFullPath(inputPath) : null, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// De-identifies a video read from a stream (which may be non-seekable; read asynchronously, once, not disposed) into
    /// <paramref name="outputPath"/>. The container must be readable front to back (see
    /// <see cref="FfmpegVideoSource.OpenAsync(Stream, VideoReadOptions?, CancellationToken)"/>). Audio cannot be kept from a stream.
    /// </summary>
    /// <param name="input">The video's bytes.</param>
    /// <param name="outputPath">The de-identified video; its folder must exist.</param>
    /// <param name="options">Null for <see cref="VideoFileOptions.Default"/>; <see cref="VideoFileOptions.KeepAudio"/> must be off.</param>
    /// <param name="progress">Frames written so far, or null.</param>
    /// <param name="cancellationToken">Stops the run; nothing is left at the destination.</param>
    /// <exception cref="ArgumentException">A null or unreadable stream, a bad output path, or <see cref="VideoFileOptions.KeepAudio"/> set.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<VideoFileResult> DeidentifyFileAsync(Stream input, string outputPath, VideoFileOptions? options = null,
        IProgress<VideoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= VideoFileOptions.Default;
        if (options.KeepAudio)
        {
            throw new ArgumentException("Audio can only be kept from a file input (FFmpeg reads the audio from the file).", nameof(options));
        }

        ValidateOutput(outputPath);
        VideoOpenResult opened = await FfmpegVideoSource.OpenAsync(input, options.Read, cancellationToken).ConfigureAwait(false);
        return await RunFileAsync(opened, outputPath, options, null, progress, cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateOutput(string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        string extension = Path.GetExtension(outputPath).ToLowerInvariant();
        if (extension is not (".mp4" or ".m4v" or ".mov" or ".mkv"))
        {
            throw new ArgumentException($"The output '{outputPath}' must end in .mp4, .m4v, .mov or .mkv.", nameof(outputPath));
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (folder is null || !Directory.Exists(folder))
        {
            throw new ArgumentException($"The output folder '{folder}' does not exist.", nameof(outputPath));
        }
    }

    private async Task<VideoFileResult> RunFileAsync(VideoOpenResult opened, string outputPath, VideoFileOptions options, string? audioFrom,
        IProgress<VideoProgress>? progress, CancellationToken cancellationToken)
    {
        if (opened.Source is not { } source)
        {
            VideoFileStatus status = opened.Status switch
            {
                VideoOpenStatus.FfmpegNotFound => VideoFileStatus.FfmpegNotFound,
                VideoOpenStatus.NotFound => VideoFileStatus.NotFound,
                VideoOpenStatus.Empty => VideoFileStatus.Empty,
                VideoOpenStatus.NoVideoStream => VideoFileStatus.NoVideoStream,
                VideoOpenStatus.TooLarge => VideoFileStatus.TooLarge,
                VideoOpenStatus.NotAVideo => VideoFileStatus.NotAVideo,
                _ => VideoFileStatus.Unreadable,
            };
            return new VideoFileResult(status, opened.Message, null, null, null);
        }

        await using (source.ConfigureAwait(false))
        {
            int size = options.Processing.OutputSize;
            VideoWriteOptions write = options.Write with { KeepAudioFrom = audioFrom };
            FfmpegVideoSink sink;
            try
            {
                sink = FfmpegVideoSink.Create(outputPath, size, size, source.Info.FrameRate, write);
            }
            catch (VideoWriteException e)
            {
                return new VideoFileResult(e.Status == VideoWriteStatus.FfmpegNotFound ? VideoFileStatus.FfmpegNotFound : VideoFileStatus.WriteFailed,
                    e.Message, source.Info, null, null);
            }

            await using (sink.ConfigureAwait(false))
            {
                VideoDeidentificationReport report;
                try
                {
                    report = await DeidentifyAsync(source, sink, options.Processing, progress, cancellationToken).ConfigureAwait(false);
                }
                catch (VideoWriteException e)
                {
                    return new VideoFileResult(VideoFileStatus.WriteFailed, e.Message, source.Info, null, null);
                }

                string failed = report.FailedFrames.Count == 0 ? "" : $"; {report.FailedFrames.Count} frame(s) without a trustworthy face written as the avatar alone";
                if (source.EndedEarly)
                {
                    return new VideoFileResult(VideoFileStatus.InputEndedEarly,
                        $"The input ended early (truncated or damaged): {report.FrameCount} frame(s) could be read and were de-identified{failed}.",
                        source.Info, report, outputPath);
                }

                return new VideoFileResult(VideoFileStatus.Success,
                    $"De-identified {report.FrameCount} frame(s) onto avatar {report.Avatar.Id}{failed}.", source.Info, report, outputPath);
            }
        }
    }
}
