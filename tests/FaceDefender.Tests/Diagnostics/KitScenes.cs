using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>Random ground-truth kit scenes shared by the end-to-end and refiner tests (the draws' order is part of each seed's set).</summary>
internal static class KitScenes
{
    /// <summary>Random identity, sex, age 20-79, skin tone and pose (roll ±8°, yaw and pitch ±5°); eyes from <paramref name="eye"/>, right first.</summary>
    public static GroundTruthScene Random(Random rng, int size, Func<EyeControl> eye) => new()
    {
        ImageSize = size,
        Identity = rng.Next(64),
        Sex = rng.Next(2) == 0 ? AvatarSex.Female : AvatarSex.Male,
        AgeYears = 20 + rng.Next(60),
        SkinTone = (SkinTone)rng.Next(3),
        RollDegrees = U(rng, 8),
        YawDegrees = U(rng, 5),
        PitchDegrees = -U(rng, 5), // negated: each seed keeps the head pose (chin up or down) of its published figures
        RightEye = eye(),
        LeftEye = eye(),
    };

    /// <summary>Iris ±3 mm nasal and ±2 mm up, upper lid ±2 mm, lower lid ±1.5 mm.</summary>
    public static EyeControl RandomEye(Random rng) => new()
    {
        IrisNasalMm = U(rng, 3),
        IrisUpMm = U(rng, 2),
        UpperLidUpMm = U(rng, 2),
        LowerLidDownMm = U(rng, 1.5f),
    };

    /// <summary>Uniform in [-a, a].</summary>
    public static float U(Random rng, float a) => (float)((rng.NextDouble() * 2) - 1) * a;
}
