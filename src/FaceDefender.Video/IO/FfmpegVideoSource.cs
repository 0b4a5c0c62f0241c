using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using FaceDefender.Decoding;
using FFMpegCore;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Video.IO;

/// <summary>Reads a video's frames as upright RGB images, one at a time, through the system's FFmpeg: ffprobe (through
/// FFMpegCore) learns what the input is; ffmpeg decodes it and streams raw rgb24 frames through a pipe, which is read
/// only as fast as the caller asks for frames, so at most a frame or two is in memory whatever the video's length.</summary>
/// <remarks>
/// <para>Frames are rotated upright by the container's display rotation (a phone's display matrix or rotate tag);
/// <see cref="VideoInfo.Rotation"/> says by how much. Any pixel format FFmpeg decodes (10-bit, 4:2:2, 4:4:4, RGB) is
/// converted to 8-bit RGB.</para>
/// <para>Every decoded frame is returned exactly once, in order (no frame is dropped or repeated to even out the timing),
/// so the number of frames read equals the number of frames in the stream. A variable-frame-rate video
/// (<see cref="VideoInfo.VariableFrameRate"/>) reports its average rate as <see cref="VideoInfo.FrameRate"/>; a video
/// written at that rate from these frames has the same frame count and about the same length, with the frames evenly
/// spaced.</para>
/// <para>A file damaged or cut short gives the frames before the damage and then the end of the stream; afterwards
/// <see cref="EndedEarly"/> is true and <see cref="ErrorText"/> holds FFmpeg's message.</para>
/// </remarks>
public sealed class FfmpegVideoSource : IVideoFrameSource
{
    private readonly FfmpegProcess _ffmpeg;
    private readonly byte[] _buffer;
    private readonly long? _expectedFrames;
    private readonly bool _expectedIsExact;
    private readonly CancellationTokenSource _feedCancel = new();
    private readonly Task _feed;
    private bool _ended;
    private bool _disposed;
    private string _ffmpegError = string.Empty;

    private FfmpegVideoSource(VideoInfo info, FfmpegProcess ffmpeg, long? expectedFrames, bool expectedIsExact, Func<FfmpegProcess, CancellationToken, Task>? feed)
    {
        Info = info;
        _ffmpeg = ffmpeg;
        _buffer = GC.AllocateUninitializedArray<byte>(checked(info.Width * info.Height * 3));
        _expectedFrames = expectedFrames;
        _expectedIsExact = expectedIsExact;
        _feed = feed is null ? Task.CompletedTask : Task.Run(() => feed(ffmpeg, _feedCancel.Token));
    }

    /// <inheritdoc/>
    public VideoInfo Info { get; }

    /// <summary>How many frames have been read so far.</summary>
    public long FramesRead { get; private set; }

    /// <summary>Whether the end of the stream has been reached (ReadAsync returned false).</summary>
    public bool Ended => _ended;

    /// <summary>After the end of the stream: whether it came before the container said it would, because the file is
    /// cut short or damaged (FFmpeg failed, or fewer frames than <see cref="VideoInfo.FrameCount"/>, or fewer than its
    /// duration implies, with a tolerance of 2 frames plus 2% when only the duration is known). False before the end.</summary>
    public bool EndedEarly { get; private set; }

    /// <summary>FFmpeg's error output (its last lines) once the stream has ended; empty when it reported nothing.</summary>
    public string ErrorText => _ended ? _ffmpegError : string.Empty;

    /// <summary>Opens a video file. Never throws for what the file holds: the result's status says what it is.</summary>
    /// <param name="path">The file; its content decides how it is read, not its extension.</param>
    /// <param name="options">Null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the probe (an <see cref="OperationCanceledException"/> is then thrown).</param>
    /// <exception cref="ArgumentException">The path is null or blank, or the options are invalid.</exception>
    public static async Task<VideoOpenResult> OpenAsync(string path, VideoReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The video path is blank.", nameof(path));
        }

        options ??= new VideoReadOptions();
        options.Validate();
        if (!FindBinaries(options, out var ffmpeg, out var ffprobe, out var missing))
        {
            return missing!;
        }

        FileInfo file;
        try
        {
            file = new FileInfo(path);
            if (!file.Exists)
            {
                return new VideoOpenResult(VideoOpenStatus.NotFound, $"There is no file at '{path}'.");
            }

            // Refuse pipes, devices and sockets before ffprobe opens the path (a FIFO would block it): the check opens
            // non-blocking and throws for anything that is not a regular file.
            using (RegularFile.OpenRead(file.FullName))
            {
            }

            if (file.Length == 0)
            {
                return new VideoOpenResult(VideoOpenStatus.Empty, "The file is empty (zero bytes).");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return new VideoOpenResult(VideoOpenStatus.Unreadable, $"The file could not be opened: {e.Message}");
        }

        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(file.FullName, ProbeOptions(ffprobe!), null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return ProbeFailed(e, LooksLikeIsoMedia(file.FullName));
        }

        var plan = Plan(analysis, options);
        if (plan.Failure is not null)
        {
            return plan.Failure;
        }

        var args = DecodeArguments(file.FullName, plan, fromPipe: false);
        return StartDecoding(ffmpeg!, args, plan, feed: null);
    }

    /// <summary>Opens a video from a stream, which may be non-seekable (a network or pipe stream). The stream is read
    /// only asynchronously, in order, once; its first <see cref="VideoReadOptions.StreamProbeBytes"/> are held in
    /// memory for the probe, the rest flows through to FFmpeg as frames are read. The container must be readable
    /// front to back: Matroska/WebM, MPEG-TS, or MP4/MOV with its index at the start ("faststart"); an MP4 whose index
    /// is at the end needs a file (<see cref="OpenAsync(string, VideoReadOptions?, CancellationToken)"/>). The caller
    /// keeps ownership of the stream and must not use it until the source is disposed.</summary>
    /// <param name="stream">The video's bytes.</param>
    /// <param name="options">Null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <exception cref="ArgumentException">The stream is null or not readable, or the options are invalid.</exception>
    public static async Task<VideoOpenResult> OpenAsync(Stream stream, VideoReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        options ??= new VideoReadOptions();
        options.Validate();
        if (!FindBinaries(options, out var ffmpeg, out var ffprobe, out var missing))
        {
            return missing!;
        }

        var head = new byte[options.StreamProbeBytes];
        int headLength = 0;
        bool streamEnded = false;
        try
        {
            while (headLength < head.Length)
            {
                var n = await stream.ReadAsync(head.AsMemory(headLength), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    streamEnded = true;
                    break;
                }

                headLength += n;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return new VideoOpenResult(VideoOpenStatus.Unreadable, $"The stream could not be read: {e.Message}");
        }

        if (headLength == 0)
        {
            return new VideoOpenResult(VideoOpenStatus.Empty, "The stream is empty (zero bytes).");
        }

        IMediaAnalysis analysis;
        try
        {
            using var headStream = new MemoryStream(head, 0, headLength, writable: false);
            analysis = await FFProbe.AnalyseAsync(headStream, ProbeOptions(ffprobe!), null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return ProbeFailed(e, LooksLikeIsoMedia(head.AsSpan(0, headLength)));
        }

        var plan = Plan(analysis, options);
        if (plan.Failure is not null)
        {
            return plan.Failure;
        }

        async Task Feed(FfmpegProcess process, CancellationToken token)
        {
            var input = process.StandardInput;
            try
            {
                await input.WriteAsync(head.AsMemory(0, headLength), token).ConfigureAwait(false);
                if (!streamEnded)
                {
                    var chunk = new byte[64 * 1024];
                    int n;
                    while ((n = await stream.ReadAsync(chunk, token).ConfigureAwait(false)) > 0)
                    {
                        await input.WriteAsync(chunk.AsMemory(0, n), token).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception)
            {
                // ffmpeg stopped reading (it finished, failed or was stopped), the caller's stream failed, or the
                // source is being disposed: in every case the decoder sees the end of its input, and any damage shows
                // as EndedEarly.
            }
            finally
            {
                try
                {
                    input.Dispose();
                }
                catch (IOException)
                {
                    // Already broken.
                }
            }
        }

        var args = DecodeArguments("pipe:0", plan, fromPipe: true);
        return StartDecoding(ffmpeg!, args, plan, Feed);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The frame is null or not <see cref="VideoInfo.Width"/> x <see cref="VideoInfo.Height"/>.</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the source is then at its end.</exception>
    public async ValueTask<bool> ReadAsync(Image<Rgb24> frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (frame.Width != Info.Width || frame.Height != Info.Height)
        {
            throw new ArgumentException($"The frame is {frame.Width}x{frame.Height}; this video's frames are {Info.Width}x{Info.Height}.", nameof(frame));
        }

        if (_ended)
        {
            return false;
        }

        int filled = 0;
        try
        {
            var output = _ffmpeg.StandardOutput;
            while (filled < _buffer.Length)
            {
                var n = await output.ReadAsync(_buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                filled += n;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(damaged: false, note: null).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            await FinishAsync(damaged: true, note: $"Reading from ffmpeg failed: {e.Message}").ConfigureAwait(false);
            return false;
        }

        if (filled < _buffer.Length)
        {
            // A partial frame can only come from a decoder that stopped in the middle of writing one.
            await FinishAsync(damaged: filled > 0, note: filled > 0 ? "ffmpeg stopped in the middle of a frame." : null).ConfigureAwait(false);
            return false;
        }

        var width = Info.Width;
        var buffer = _buffer;
        frame.ProcessPixelRows(rows =>
        {
            var stride = width * 3;
            for (int y = 0; y < rows.Height; y++)
            {
                MemoryMarshal.Cast<byte, Rgb24>(buffer.AsSpan(y * stride, stride)).CopyTo(rows.GetRowSpan(y));
            }
        });
        FramesRead++;
        return true;
    }

    private async Task FinishAsync(bool damaged, string? note)
    {
        _ended = true;
        int exitCode;
        try
        {
            exitCode = await _ffmpeg.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await _ffmpeg.KillAsync().ConfigureAwait(false);
            exitCode = -1;
        }

        var error = _ffmpeg.ErrorText;
        if (note is not null)
        {
            error = string.IsNullOrEmpty(error) ? note : note + "\n" + error;
        }

        bool shortOfExpected = false;
        if (_expectedFrames is long expected)
        {
            var tolerance = _expectedIsExact ? 0 : 2 + (long)(expected * 0.02);
            shortOfExpected = FramesRead < expected - tolerance;
            if (shortOfExpected)
            {
                error = $"{FramesRead} frames read where the container announces {(_expectedIsExact ? string.Empty : "about ")}{expected}." +
                        (string.IsNullOrEmpty(error) ? string.Empty : "\n" + error);
            }
        }

        _ffmpegError = error;
        EndedEarly = damaged || exitCode != 0 || shortOfExpected;
    }

    /// <summary>Stops FFmpeg (if still running) and releases the frame buffer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ended = true;
        await _feedCancel.CancelAsync().ConfigureAwait(false);
        await _ffmpeg.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _feed.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The feeding task swallows its own errors; nothing is left to report at disposal.
        }

        _feedCancel.Dispose();
    }

    private static bool FindBinaries(VideoReadOptions options, out string? ffmpeg, out string? ffprobe, out VideoOpenResult? missing)
    {
        ffmpeg = FfmpegBinaries.Find("ffmpeg", options.FfmpegFolder);
        ffprobe = FfmpegBinaries.Find("ffprobe", options.FfmpegFolder);
        missing = ffmpeg is null || ffprobe is null
            ? new VideoOpenResult(VideoOpenStatus.FfmpegNotFound, FfmpegBinaries.NotFoundMessage(ffmpeg is null ? "ffmpeg" : "ffprobe", options.FfmpegFolder))
            : null;
        return missing is null;
    }

    private static FFOptions ProbeOptions(string ffprobe) => new() { BinaryFolder = Path.GetDirectoryName(ffprobe)! };

    /// <summary>Whether the bytes open like an ISO base media file (MP4/MOV): a box type at offset 4.</summary>
    private static bool LooksLikeIsoMedia(ReadOnlySpan<byte> head)
    {
        if (head.Length < 8)
        {
            return false;
        }

        var type = System.Text.Encoding.ASCII.GetString(head.Slice(4, 4));
        return type is "ftyp" or "moov" or "mdat" or "free" or "wide" or "skip" or "pnot";
    }

    private static bool LooksLikeIsoMedia(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            Span<byte> head = stackalloc byte[8];
            return file.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && LooksLikeIsoMedia(head);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static VideoOpenResult ProbeFailed(Exception e, bool isoMedia)
    {
        var text = e.Message;
        if (isoMedia && text.Contains("moov atom not found", StringComparison.OrdinalIgnoreCase))
        {
            return new VideoOpenResult(VideoOpenStatus.Unreadable, "An MP4/MOV file without its index (moov atom): the file is cut short, or a stream input is an MP4 whose index is at its end.");
        }

        var firstLine = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? text;
        return new VideoOpenResult(VideoOpenStatus.NotAVideo, $"Not a media file FFmpeg can read ({firstLine}).");
    }

    private sealed record DecodePlan(VideoOpenResult? Failure, VideoInfo? Info = null, int StreamIndex = 0, long? ExpectedFrames = null, bool ExpectedIsExact = false);

    private static DecodePlan Plan(IMediaAnalysis analysis, VideoReadOptions options)
    {
        var streams = analysis.Raw?.Streams ?? [];
        var video = streams.FirstOrDefault(s => s.CodecType == "video" && !IsAttachedPicture(s));
        if (video is null)
        {
            return streams.Count > 0
                ? new DecodePlan(new VideoOpenResult(VideoOpenStatus.NoVideoStream, $"A media file without a video stream ({string.Join(", ", streams.Select(s => s.CodecType + (s.CodecName is null ? string.Empty : " " + s.CodecName)))})."))
                : new DecodePlan(new VideoOpenResult(VideoOpenStatus.NotAVideo, "FFmpeg found no streams in the input."));
        }

        if (video.Width is not > 0 || video.Height is not > 0)
        {
            return new DecodePlan(new VideoOpenResult(VideoOpenStatus.Unreadable, $"The video stream ({video.CodecName ?? "unknown codec"}) has no frame size; FFmpeg cannot decode it."));
        }

        var rotation = ClockwiseRotation(video);
        int width = video.Width.Value, height = video.Height.Value;
        if (rotation is 90 or 270)
        {
            (width, height) = (height, width);
        }

        if ((long)width * height > options.MaxFramePixels)
        {
            return new DecodePlan(new VideoOpenResult(VideoOpenStatus.TooLarge, $"Frames of {width}x{height} ({(long)width * height} pixels) exceed the limit of {options.MaxFramePixels} pixels (VideoReadOptions.MaxFramePixels)."));
        }

        var nominal = ParseRate(video.FrameRate);
        var average = ParseRate(video.AvgFrameRate);
        bool variable = nominal is { } n && average is { } a && Math.Abs(n.PerSecond - a.PerSecond) > 0.01 * n.PerSecond;
        var rate = variable ? average!.Value : nominal ?? average ?? new FrameRate(25, 1);

        long? frameCount = ParseCount(video, "nb_frames");
        if (frameCount is null && video.Tags is not null)
        {
            foreach (var (key, value) in video.Tags)
            {
                if (key.StartsWith("NUMBER_OF_FRAMES", StringComparison.OrdinalIgnoreCase) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c))
                {
                    frameCount = c;
                }
            }
        }

        if (frameCount == 0)
        {
            return new DecodePlan(new VideoOpenResult(VideoOpenStatus.Empty, "The video stream has no frames."));
        }

        TimeSpan? duration = ParseSeconds(video.Duration) ?? ParseSeconds(analysis.Raw!.Format?.Duration);
        long? expected = frameCount;
        bool exact = frameCount is not null;
        if (expected is null && duration is { } d && rate.PerSecond > 0)
        {
            expected = (long)Math.Round(d.TotalSeconds * (average ?? rate).PerSecond);
        }

        var hasAudio = streams.Any(s => s.CodecType == "audio");
        var info = new VideoInfo(width, height, rate, frameCount, duration, video.CodecName, video.PixelFormat, rotation, hasAudio, variable);
        return new DecodePlan(null, info, video.Index, expected, exact);
    }

    private static VideoOpenResult StartDecoding(string ffmpeg, List<string> args, DecodePlan plan, Func<FfmpegProcess, CancellationToken, Task>? feed)
    {
        FfmpegProcess process;
        try
        {
            process = FfmpegProcess.Start(ffmpeg, args);
        }
        catch (Exception e)
        {
            return new VideoOpenResult(VideoOpenStatus.FfmpegNotFound, $"{e.Message} {FfmpegBinaries.InstallHint}");
        }

        var source = new FfmpegVideoSource(plan.Info!, process, plan.ExpectedFrames, plan.ExpectedIsExact, feed);
        var i = plan.Info!;
        return new VideoOpenResult(VideoOpenStatus.Opened,
            $"{i.Codec} {i.PixelFormat} {i.Width}x{i.Height} at {i.FrameRate} fps{(i.VariableFrameRate ? " (variable)" : string.Empty)}" +
            $"{(i.Rotation != 0 ? $", rotated {i.Rotation}°" : string.Empty)}{(i.FrameCount is { } c ? $", {c} frames" : string.Empty)}.", source);
    }

    private static List<string> DecodeArguments(string input, DecodePlan plan, bool fromPipe)
    {
        var info = plan.Info!;
        var args = new List<string> { "-hide_banner", "-v", "error" };
        if (!fromPipe)
        {
            args.Add("-nostdin");
        }

        // -autorotate is FFmpeg's default; it is stated so that the rotation applied is what VideoInfo.Rotation says.
        args.AddRange(["-autorotate", "1", "-i", input,
            "-map", $"0:{plan.StreamIndex}", "-an", "-sn", "-dn",
            // Every decoded frame once: no duplicates or drops to even out a variable frame rate.
            "-fps_mode", "passthrough",
            "-s", $"{info.Width}x{info.Height}",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }

    private static bool IsAttachedPicture(FFProbeStream stream) =>
        stream.Disposition is not null && stream.Disposition.TryGetValue("attached_pic", out var v) && v == 1;

    /// <summary>The clockwise rotation that makes the frames upright: ffprobe's display-matrix "rotation" is
    /// counter-clockwise (a phone's portrait video shows -90), the legacy "rotate" tag is clockwise.</summary>
    private static int ClockwiseRotation(FFProbeStream stream)
    {
        double? degrees = null;
        if (stream.SideData is not null)
        {
            foreach (var side in stream.SideData)
            {
                if (side.TryGetValue("rotation", out var value) && value is not null && double.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var r))
                {
                    degrees = -r;
                }
            }
        }

        if (degrees is null && stream.Tags is not null && stream.Tags.TryGetValue("rotate", out var tag) &&
            double.TryParse(tag, NumberStyles.Float, CultureInfo.InvariantCulture, out var t))
        {
            degrees = t;
        }

        if (degrees is null)
        {
            return 0;
        }

        var quarter = (int)Math.Round(degrees.Value / 90.0);
        return ((quarter % 4) + 4) % 4 * 90;
    }

    private static FrameRate? ParseRate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var num) &&
            int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var den) && num > 0 && den > 0)
        {
            return new FrameRate(num, den);
        }

        return null;
    }

    private static long? ParseCount(FFProbeStream stream, string key)
    {
        if (stream.ExtensionData is null || !stream.ExtensionData.TryGetValue(key, out var element))
        {
            return null;
        }

        var text = element.ValueKind == JsonValueKind.String ? element.GetString() : element.ToString();
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : null;
    }

    private static TimeSpan? ParseSeconds(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s < TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(s);
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var t) && t > TimeSpan.Zero ? t : null;
    }
}
