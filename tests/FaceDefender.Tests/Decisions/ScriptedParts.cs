using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Decisions;

/// <summary>Scripted stand-ins for the pipeline's parts, so its decisions run without a model or the renderer.</summary>
internal static class ScriptedParts
{
    private static readonly Lazy<FaceLandmarks> LazyMesh = new(() =>
    {
        using Avatar a = new ProceduralAvatarProvider().Get(AvatarSex.Female, 40, SkinTone.Light);
        return a.Landmarks;
    });

    /// <summary>A whole, exact face mesh on the 1024 canvas: a procedural avatar's landmarks.</summary>
    public static FaceLandmarks Mesh => LazyMesh.Value;
}

/// <summary>Records each query; serves a blank avatar carrying the scripted mesh, turned (whole degrees) when asked and able.</summary>
internal sealed class QuerySpy(bool canTurn = true) : IAvatarProvider
{
    public AvatarQuery? Last { get; private set; }

    public IReadOnlyList<AvatarMetadata> Catalog => [];

    public Avatar Select(AvatarQuery query)
    {
        Last = query;
        var metadata = new AvatarMetadata("scripted", query.Sex, query.AgeBucket, query.SkinTone, "test", "CC0-1.0", isSynthetic: true);
        HeadPose? pose = canTurn && query.Pose is { } p ? new HeadPose(0f, MathF.Round(p.Yaw), MathF.Round(p.Pitch)) : null;
        return new Avatar(new Image<Rgb24>(Avatar.CanvasSize, Avatar.CanvasSize), ScriptedParts.Mesh, metadata) { Pose = pose };
    }
}

/// <summary>A fuser that fuses nothing: an 8 x 8 image and the avatar's landmarks.</summary>
internal sealed class NullFuser : IFaceFuser
{
    public FusionResult Fuse(Image<Rgb24> patient, FaceLandmarks patientLandmarks, Image<Rgb24> avatar, FaceLandmarks avatarLandmarks, FusionOptions? options = null) =>
        new(new Image<Rgb24>(8, 8), avatarLandmarks, default, new float[64], Rectangle.Empty, options ?? FusionOptions.Default, TimeSpan.Zero);
}
