using System.Collections.Concurrent;
using FaceDefender.Abstractions;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Landmarks;

/// <summary>
/// One detector shared by the landmark tests (loading the three models takes a moment), and the
/// detections on the untouched portraits, computed once.
/// </summary>
public sealed class DetectorFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, FaceDetection> _references = new();

    public MediaPipeLandmarkDetector Detector { get; } = new();

    /// <summary>The detection on the portrait <paramref name="file"/> as stored (cached).</summary>
    public FaceDetection Reference(string file) => _references.GetOrAdd(file, f =>
    {
        using Image<Rgb24> image = TestImages.Portrait(f);
        return Detector.Detect(image);
    });

    public void Dispose() => Detector.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DetectorCollection : ICollectionFixture<DetectorFixture>
{
    public const string Name = "MediaPipe landmark detector";
}
