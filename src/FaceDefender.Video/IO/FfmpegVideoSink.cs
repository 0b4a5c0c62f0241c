using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Video.IO;

/// <summary>Writes RGB frames to a video file through the system's FFmpeg. Frames go to ffmpeg's standard input as
/// raw rgb24 as they are written (the pipe holds at most a frame or so); ffmpeg encodes into a hidden temporary file in
/// the destination folder, and <see cref="CompleteAsync"/> waits for ffmpeg to finish and then renames that file to the
/// destination in one step. A write that fails, is cancelled, or is disposed before completion stops ffmpeg and deletes
/// the temporary file: nothing is left at the destination.</summary>
/// <remarks>
/// <para>The output carries no metadata from anywhere: global, stream and chapter metadata are dropped, no chapters,
/// subtitle or data streams are written, muxer and encoder write in bit-exact mode (no encoder name or creation time),
/// and for H.264 the encoder's informational SEI messages (which name x264 and its settings) are removed from the
/// stream. Only the video (and, on request, one audio stream) is written.</para>
/// <para>The frames are timed at exactly the <see cref="FrameRate"/> given, so the output has as many frames as were
/// written, at that rate.</para>
/// <para>H.264 at 4:2:0 needs even frame sizes: an odd width or height is padded by one black column or row at the
/// right or bottom (the output is then one pixel wider or taller). FFV1 keeps any size.</para>
/// </remarks>
public sealed class FfmpegVideoSink : IVideoFrameSink
{
    private readonly FfmpegProcess _ffmpeg;
    private readonly string _tempPath;
    private readonly byte[] _buffer;
    private readonly bool _overwrite;
    private State _state = State.Open;

    private enum State
    {
        Open,
        Completed,
        Failed,
        Disposed,
    }

    private FfmpegVideoSink(string outputPath, string tempPath, int width, int height, FrameRate rate, FfmpegProcess ffmpeg, bool overwrite)
    {
        OutputPath = outputPath;
        _tempPath = tempPath;
        Width = width;
        Height = height;
        FrameRate = rate;
        _ffmpeg = ffmpeg;
        _overwrite = overwrite;
        _buffer = GC.AllocateUninitializedArray<byte>(checked(width * height * 3));
    }

    /// <summary>The destination file (full path).</summary>
    public string OutputPath { get; }

    /// <summary>The frame width every written frame must have.</summary>
    public int Width { get; }

    /// <summary>The frame height every written frame must have.</summary>
    public int Height { get; }

    /// <summary>The output's frame rate.</summary>
    public FrameRate FrameRate { get; }

    /// <summary>How many frames have been written.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Starts ffmpeg writing to a temporary file beside <paramref name="outputPath"/>.</summary>
    /// <param name="outputPath">The destination; its extension picks the container (.mp4, .m4v, .mov, .mkv; FFV1 needs .mkv).
    /// Its folder must exist.</param>
    /// <param name="width">Frame width in pixels (1 to 16384).</param>
    /// <param name="height">Frame height in pixels (1 to 16384).</param>
    /// <param name="rate">The frame rate, for example <c>new FrameRate(30000, 1001)</c>.</param>
    /// <param name="options">Null for H.264, CRF 18, preset veryfast, no audio.</param>
    /// <exception cref="ArgumentException">A null or blank path, an unknown extension, a missing folder, a size or rate out
    /// of range, invalid options, or a <see cref="VideoWriteOptions.KeepAudioFrom"/> file that does not exist.</exception>
    /// <exception cref="VideoWriteException">ffmpeg was not found (<see cref="VideoWriteStatus.FfmpegNotFound"/>), or
    /// could not be started.</exception>
    public static FfmpegVideoSink Create(string outputPath, int width, int height, FrameRate rate, VideoWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(outputPath);
        if (string.IsNullOrWhiteSpace(outputPath))
        {
            throw new ArgumentException("The output path is blank.", nameof(outputPath));
        }

        options ??= new VideoWriteOptions();
        options.Validate();
        if (width is < 1 or > 16384 || height is < 1 or > 16384)
        {
            throw new ArgumentException($"The frame size {width}x{height} is outside 1..16384 in either direction.", nameof(width));
        }

        if (rate.Numerator <= 0 || rate.Denominator <= 0 || rate.PerSecond > 1000)
        {
            throw new ArgumentException($"The frame rate {rate} is not a positive rate of at most 1000 frames per second.", nameof(rate));
        }

        var fullPath = Path.GetFullPath(outputPath);
        var folder = Path.GetDirectoryName(fullPath);
        if (folder is null || !Directory.Exists(folder))
        {
            throw new ArgumentException($"The output folder '{folder}' does not exist.", nameof(outputPath));
        }

        if (Directory.Exists(fullPath))
        {
            throw new ArgumentException($"The output path '{outputPath}' is a folder.", nameof(outputPath));
        }

        var extension = Path.GetExtension(fullPath).ToLowerInvariant();
        var muxer = extension switch
        {
            ".mp4" or ".m4v" => "mp4",
            ".mov" => "mov",
            ".mkv" => "matroska",
            _ => throw new ArgumentException($"The output extension '{extension}' is not one of .mp4, .m4v, .mov, .mkv.", nameof(outputPath)),
        };
        if (options.Codec == VideoCodec.Ffv1Lossless && muxer != "matroska")
        {
            throw new ArgumentException("FFV1 (lossless) is written to .mkv only.", nameof(outputPath));
        }

        if (options.KeepAudioFrom is not null && !File.Exists(options.KeepAudioFrom))
        {
            throw new ArgumentException($"KeepAudioFrom: there is no file at '{options.KeepAudioFrom}'.", nameof(options));
        }

        var ffmpeg = FfmpegBinaries.Find("ffmpeg", options.FfmpegFolder)
            ?? throw new VideoWriteException(VideoWriteStatus.FfmpegNotFound, FfmpegBinaries.NotFoundMessage("ffmpeg", options.FfmpegFolder));

        var tempPath = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.partial");
        var args = EncodeArguments(tempPath, muxer, width, height, rate, options);
        FfmpegProcess process;
        try
        {
            process = FfmpegProcess.Start(ffmpeg, args);
        }
        catch (FileNotFoundException e)
        {
            throw new VideoWriteException(VideoWriteStatus.FfmpegNotFound, $"{e.Message} {FfmpegBinaries.InstallHint}", inner: e);
        }

        return new FfmpegVideoSink(fullPath, tempPath, width, height, rate, process, options.Overwrite);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The frame is null or not <see cref="Width"/> x <see cref="Height"/>.</exception>
    /// <exception cref="InvalidOperationException">The sink is completed, failed or disposed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled: the write is abandoned and its temporary file deleted.</exception>
    /// <exception cref="VideoWriteException">ffmpeg stopped; the write is abandoned and its temporary file deleted.</exception>
    public async ValueTask WriteAsync(Image<Rgb24> frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        EnsureOpen();
        if (frame.Width != Width || frame.Height != Height)
        {
            throw new ArgumentException($"The frame is {frame.Width}x{frame.Height}; this sink writes {Width}x{Height}.", nameof(frame));
        }

        frame.CopyPixelDataTo(_buffer);
        try
        {
            await _ffmpeg.StandardInput.WriteAsync(_buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            await AbandonAsync().ConfigureAwait(false);
            throw new VideoWriteException(VideoWriteStatus.EncoderFailed, $"ffmpeg stopped while frame {FramesWritten + 1} was written: {_ffmpeg.ErrorText}", _ffmpeg.ErrorText, e);
        }

        FramesWritten++;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The sink is completed, failed or disposed, or no frame was written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled: the write is abandoned and its temporary file deleted.</exception>
    /// <exception cref="VideoWriteException">ffmpeg failed, or the file could not be moved to its destination; nothing
    /// is at the destination (an existing file there is left as it was).</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        if (FramesWritten == 0)
        {
            throw new InvalidOperationException("No frame was written; a video needs at least one frame.");
        }

        int exitCode;
        try
        {
            await _ffmpeg.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            _ffmpeg.StandardInput.Dispose();
            exitCode = await _ffmpeg.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or TimeoutException)
        {
            await AbandonAsync().ConfigureAwait(false);
            throw new VideoWriteException(VideoWriteStatus.EncoderFailed, $"ffmpeg failed while finishing: {e.Message} {_ffmpeg.ErrorText}", _ffmpeg.ErrorText, e);
        }

        if (exitCode != 0)
        {
            var error = _ffmpeg.ErrorText;
            await AbandonAsync().ConfigureAwait(false);
            throw new VideoWriteException(VideoWriteStatus.EncoderFailed, $"ffmpeg exited with code {exitCode}: {error}", error);
        }

        try
        {
            File.Move(_tempPath, OutputPath, _overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await AbandonAsync().ConfigureAwait(false);
            var why = !_overwrite && File.Exists(OutputPath) ? "a file is already there (VideoWriteOptions.Overwrite is false)" : e.Message;
            throw new VideoWriteException(VideoWriteStatus.DestinationFailed, $"The video could not be moved to '{OutputPath}': {why}", inner: e);
        }

        _state = State.Completed;
        await _ffmpeg.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops ffmpeg; if <see cref="CompleteAsync"/> has not succeeded, deletes the temporary file (nothing is
    /// written to the destination).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_state == State.Disposed)
        {
            return;
        }

        if (_state == State.Open)
        {
            await AbandonAsync().ConfigureAwait(false);
        }

        await _ffmpeg.DisposeAsync().ConfigureAwait(false);
        _state = State.Disposed;
    }

    private void EnsureOpen()
    {
        if (_state != State.Open)
        {
            throw new InvalidOperationException($"The sink is {_state.ToString().ToLowerInvariant()}; it takes no more frames.");
        }
    }

    private async Task AbandonAsync()
    {
        _state = State.Failed;
        await _ffmpeg.KillAsync().ConfigureAwait(false);
        try
        {
            File.Delete(_tempPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind only if the folder itself refuses deletion; the name starts with a dot and ends .partial.
        }
    }

    private static List<string> EncodeArguments(string tempPath, string muxer, int width, int height, FrameRate rate, VideoWriteOptions options)
    {
        var args = new List<string>
        {
            "-hide_banner", "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}", "-framerate", rate.ToString(), "-i", "pipe:0",
        };
        bool audio = options.KeepAudioFrom is not null;
        if (audio)
        {
            args.AddRange(["-i", Path.GetFullPath(options.KeepAudioFrom!)]);
        }

        args.AddRange(["-map", "0:v:0"]);
        if (audio)
        {
            // The '?' keeps going when the file has no audio.
            args.AddRange(["-map", "1:a:0?", "-c:a", "aac", "-b:a", "128k", "-flags:a", "+bitexact"]);
        }

        // No metadata from any input (global, stream, chapter), no chapters, no subtitle or data streams; bit-exact
        // muxing and encoding leave out the encoder's name and version and the creation time.
        args.AddRange(["-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn",
            "-fflags", "+bitexact", "-flags:v", "+bitexact",
            "-fps_mode", "passthrough"]);

        if (options.Codec == VideoCodec.H264)
        {
            if (width % 2 != 0 || height % 2 != 0)
            {
                args.AddRange(["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2:0:0:black"]);
            }

            args.AddRange(["-c:v", "libx264", "-preset", options.Preset, "-crf", options.Crf.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-pix_fmt", "yuv420p",
                // The SEI messages (NAL type 6) x264 writes hold its version and full settings string.
                "-bsf:v", "filter_units=remove_types=6"]);
            if (muxer is "mp4" or "mov")
            {
                args.AddRange(["-movflags", "+faststart"]);
            }
        }
        else
        {
            args.AddRange(["-c:v", "ffv1", "-level", "3", "-pix_fmt", "gbrp", "-slicecrc", "1"]);
        }

        args.AddRange(["-f", muxer, tempPath]);
        return args;
    }
}
