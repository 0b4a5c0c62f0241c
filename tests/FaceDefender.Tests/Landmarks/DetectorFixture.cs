using FaceDefender.Landmarks;

namespace FaceDefender.Tests.Landmarks;

/// <summary>One detector shared by the landmark tests (loading the three models takes a moment).</summary>
public sealed class DetectorFixture : IDisposable
{
    public MediaPipeLandmarkDetector Detector { get; } = new();

    public void Dispose() => Detector.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DetectorCollection : ICollectionFixture<DetectorFixture>
{
    public const string Name = "MediaPipe landmark detector";
}
