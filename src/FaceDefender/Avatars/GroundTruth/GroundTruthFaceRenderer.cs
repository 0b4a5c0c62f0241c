using System.Numerics;
using FaceDefender.Avatars.Rendering;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Avatars.GroundTruth;

/// <summary>
/// A testing aid: renders a synthetic face (the same renderer as <see cref="ProceduralAvatarProvider"/>)
/// with controlled eye geometry (iris offsets, lid positions and closure; or the schematic eye's gaze and deviations in
/// prism dioptres with a camera light's corneal reflex), head pose and scale, and returns the exact landmarks, the exact
/// value of every measurement of the paper's method (docs/diagnostics.md) and, for the schematic eye, the alignment truth (reflex, limbus and
/// pupil centres, Hirschberg displacement, MRD1 / MRD2 from the reflex; docs/diagnostics.md). Use it to test
/// measurement code against known answers; the faces are synthetic, no real person.
/// </summary>
/// <remarks>
/// Deterministic and thread-safe (each call renders independently). The iris is drawn with the
/// scene's <see cref="GroundTruthScene.IrisDiameterMm"/> in the model's own millimetres, so the mm
/// truths are physical for a frontal view.
/// </remarks>
public static class GroundTruthFaceRenderer
{
    /// <summary>Renders <paramref name="scene"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="scene"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A scene value is out of its documented range.</exception>
    public static GroundTruthRender Render(GroundTruthScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        scene.Validate();
        int bucket = AvatarAgeBuckets.Map(scene.AgeYears);
        AvatarLook look = AvatarLook.CreateForKit(scene.Sex, bucket, scene.SkinTone, ProceduralAvatarProvider.IdentitySeed(scene.Identity));
        float irisRadiusCm = scene.IrisDiameterMm / 20f;
        look = look with { IrisRadius = irisRadiusCm, PupilRadius = irisRadiusCm * 0.34f, MeasurementEyes = true };
        var pose = new PoseDegrees(scene.RollDegrees, scene.YawDegrees, scene.PitchDegrees);
        FaceModel model = FaceModel.Build(look, ToSettings(scene.RightEye), ToSettings(scene.LeftEye), Schematic(scene, pose));
        RasterOutput output = FaceRasterizer.Render(model, look, pose, scene.ImageSize, scene.ImageSize, scene.Scale, scene.CameraLight?.DiameterCm ?? 0f);

        Image<Rgb24> image = Image.LoadPixelData<Rgb24>(output.Rgb, output.Width, output.Height);
        var landmarks = new FaceLandmarks(output.Landmarks, CoordinateSpace.Source);
        var image2D = new Vector2[FaceLandmarks.Count];
        var head2D = new Vector2[FaceLandmarks.Count];
        for (int i = 0; i < FaceLandmarks.Count; i++)
        {
            image2D[i] = new Vector2(output.Landmarks[i].X, output.Landmarks[i].Y);
            head2D[i] = new Vector2(10f * output.HeadFrameLandmarks[i].X, -10f * output.HeadFrameLandmarks[i].Y); // cm -> mm, y down
        }

        AlignmentInputs? alignment = output.RightEyeOptics is { } rightOptics && output.LeftEyeOptics is { } leftOptics
            ? new AlignmentInputs(rightOptics, leftOptics, scene.RightEye, scene.LeftEye, scene.CameraLight is not null, scene.IrisDiameterMm)
            : null;
        FaceMeasurementTruth truth = FaceMeasurementTruth.Compute(image2D, scene.IrisDiameterMm, alignment);
        FaceMeasurementTruth headTruth = FaceMeasurementTruth.Compute(head2D, scene.IrisDiameterMm);
        return new GroundTruthRender(image, landmarks, truth, headTruth, new HeadPoseTruth(scene.RollDegrees, scene.YawDegrees, scene.PitchDegrees), scene);
    }

    private static EyeSettings ToSettings(EyeControl c) => new(c.IrisNasalMm, c.IrisUpMm, c.UpperLidUpMm, c.LowerLidDownMm) { FissureHeightMm = c.FissureHeightMm };

    /// <summary>The schematic eyes' orientation, or null when the scene keeps the original eyes.</summary>
    private static SchematicEyeSettings? Schematic(GroundTruthScene scene, PoseDegrees pose)
    {
        if (!scene.UsesSchematicEye)
        {
            return null;
        }

        const float d2r = MathF.PI / 180f;
        static float Prism(float dioptres) => MathF.Atan(dioptres / 100f);
        return new SchematicEyeSettings(
            scene.Fixation == EyeFixation.Camera,
            FaceRasterizer.CameraInHeadFrame(pose),
            scene.GazeHorizontalDegrees * d2r,
            scene.GazeUpDegrees * d2r,
            Prism(scene.RightEye.HorizontalDeviationPrismDioptres),
            Prism(scene.RightEye.VerticalDeviationPrismDioptres),
            Prism(scene.LeftEye.HorizontalDeviationPrismDioptres),
            Prism(scene.LeftEye.VerticalDeviationPrismDioptres))
        {
            RightKappa = scene.RightEye.AngleKappaDegrees * d2r,
            LeftKappa = scene.LeftEye.AngleKappaDegrees * d2r,
        };
    }
}
