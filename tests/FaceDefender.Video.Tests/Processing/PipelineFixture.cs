using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using FaceDefender.Video.Processing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Video.Tests.Processing;

/// <summary>One detector for every pipeline test (loading the models is the slow part).</summary>
public sealed class PipelineFixture : IDisposable
{
    public MediaPipeLandmarkDetector Detector { get; } = new(new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });

    public ProceduralAvatarProvider Avatars { get; } = new();

    internal async Task<(VideoDeidentificationReport Report, RecordingSink Sink, RecordingFuser Fuser)> RunAsync(
        KitClip clip, VideoDeidentificationOptions? options = null, bool keepFrames = false)
    {
        var fuser = new RecordingFuser();
        using var pipeline = new VideoDeidentifier(Detector, Avatars, fuser);
        var sink = new RecordingSink(keepFrames);
        await using InMemorySource source = clip.Source();
        VideoDeidentificationReport report = await pipeline.DeidentifyAsync(source, sink, options);
        return (report, sink, fuser);
    }

    /// <summary>The avatar frame a report's video used, at its output size.</summary>
    internal Rgb24[] AvatarFrame(VideoDeidentificationReport report, VideoDeidentificationOptions options)
    {
        var query = new AvatarQuery(options.Patient.Sex ?? options.Deidentification.DefaultSex, options.Patient.AgeYears ?? options.Deidentification.DefaultAgeYears,
            report.SkinTone, options.Patient.PseudonymKey);
        using Avatar avatar = Avatars.Select(query);
        avatar.Metadata.Id.Should().Be(report.Avatar.Id);
        if (options.OutputSize == Avatar.CanvasSize)
        {
            return RecordingSink.Pixels(avatar.Image);
        }

        using Image<Rgb24> small = VideoDeidentifier.Downscale(avatar.Image, options.OutputSize);
        return RecordingSink.Pixels(small);
    }

    public void Dispose() => Detector.Dispose();
}
