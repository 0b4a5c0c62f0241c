using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Video;

/// <summary>What a video container says about its video stream, after the display rotation is applied.</summary>
/// <param name="Width">Frame width in pixels as displayed (a 90° rotated phone video reports its upright width).</param>
/// <param name="Height">Frame height in pixels as displayed.</param>
/// <param name="FrameRate">The frame rate as an exact rational, for example 30000/1001.</param>
/// <param name="FrameCount">The number of frames when the container states it, else null.</param>
/// <param name="Duration">The stream's duration when known, else null.</param>
/// <param name="Codec">The video codec's short name (h264, hevc, ...), or null.</param>
/// <param name="PixelFormat">The stream's pixel format (yuv420p, yuv444p10le, ...), or null.</param>
/// <param name="Rotation">The display rotation in degrees (0, 90, 180 or 270) that was applied to the frames.</param>
/// <param name="HasAudio">Whether the container holds an audio stream.</param>
/// <param name="VariableFrameRate">Whether the stream's frame timing is irregular (its average and nominal rates differ).</param>
public sealed record VideoInfo(
    int Width,
    int Height,
    FrameRate FrameRate,
    long? FrameCount,
    TimeSpan? Duration,
    string? Codec,
    string? PixelFormat,
    int Rotation,
    bool HasAudio,
    bool VariableFrameRate);

/// <summary>An exact frame rate, numerator over denominator (30000/1001 for NTSC 29.97).</summary>
/// <param name="Numerator">Frames.</param>
/// <param name="Denominator">Per this many seconds.</param>
public readonly record struct FrameRate(int Numerator, int Denominator)
{
    /// <summary>Frames per second as a number.</summary>
    public double PerSecond => Denominator == 0 ? 0 : (double)Numerator / Denominator;

    /// <summary>The rate as FFmpeg writes it: "30000/1001".</summary>
    public override string ToString() => $"{Numerator}/{Denominator}";
}

/// <summary>A sequence of RGB frames, read one at a time (never the whole video in memory).</summary>
public interface IVideoFrameSource : IAsyncDisposable
{
    /// <summary>The stream's properties; every frame is <see cref="VideoInfo.Width"/> x <see cref="VideoInfo.Height"/>.</summary>
    VideoInfo Info { get; }

    /// <summary>Reads the next frame into <paramref name="frame"/> (which must be Info.Width x Info.Height).</summary>
    /// <returns>False at the end of the stream (the frame is then unchanged).</returns>
    ValueTask<bool> ReadAsync(Image<Rgb24> frame, CancellationToken cancellationToken = default);
}

/// <summary>Receives RGB frames one at a time and writes them out; nothing is visible at the destination until
/// <see cref="CompleteAsync"/> has succeeded (disposing without completing discards what was written).</summary>
public interface IVideoFrameSink : IAsyncDisposable
{
    /// <summary>Writes one frame (all frames have the size the sink was created for).</summary>
    ValueTask WriteAsync(Image<Rgb24> frame, CancellationToken cancellationToken = default);

    /// <summary>Finishes the output and makes it visible at its destination.</summary>
    Task CompleteAsync(CancellationToken cancellationToken = default);
}
