using System.Numerics;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Fusion;

/// <summary>The output of a fusion. Owns <see cref="Image"/>: dispose the result (or take the image and dispose it yourself).</summary>
public sealed class FusionResult : IDisposable
{
    internal FusionResult(Image<Rgb24> image, FaceLandmarks landmarks, SimilarityTransform transform, float[] mask,
        Rectangle maskBounds, FusionOptions options, TimeSpan elapsed, Landmarks.CornealReflexes reflexes = default)
    {
        Reflexes = reflexes;
        Image = image;
        PatientLandmarks = landmarks;
        Transform = transform;
        Mask = mask;
        MaskBounds = maskBounds;
        Options = options;
        Elapsed = elapsed;
    }

    /// <summary>The fused image, the avatar's size. Carries no metadata.</summary>
    public Image<Rgb24> Image { get; }

    /// <summary>
    /// The patient's landmarks mapped into the output image (<see cref="CoordinateSpace.Output"/>). Inside the
    /// kept region they sit on the patient's own pixels, so measurements need no re-detection.
    /// </summary>
    public FaceLandmarks PatientLandmarks { get; }

    /// <summary>The similarity transform from patient pixels to output pixels.</summary>
    public SimilarityTransform Transform { get; }

    /// <summary>The transform as a matrix (row-vector convention).</summary>
    public Matrix3x2 TransformMatrix => Transform.ToMatrix();

    /// <summary>The final blend mask in output pixels (row-major, one value a pixel, 0..1). For
    /// <see cref="RoiPreset.GeometryOnly"/>: where the output may differ from the avatar (no patient pixel anywhere).</summary>
    public ReadOnlyMemory<float> Mask { get; }

    /// <summary>The bounding box of the non-zero mask: outside it every pixel is the avatar's.</summary>
    public Rectangle MaskBounds { get; }

    /// <summary>
    /// For <see cref="RoiPreset.GeometryOnly"/>: the patient's corneal reflexes found in the photo and drawn, in output
    /// pixels. Empty for the pixel-keeping presets (the reflex is then part of the kept pixels).
    /// </summary>
    public Landmarks.CornealReflexes Reflexes { get; }

    /// <summary>
    /// For <see cref="RoiPreset.GeometryOnly"/>: the measurements of the geometry that was drawn (after rounding to
    /// <see cref="Synthesis.SyntheticEyeOptions.Precision"/>, which <see cref="Abstractions.OcularMeasurements.Precision"/>
    /// reports), measured with the default diagnostic options and the drawn reflexes. Null for the pixel-keeping presets.
    /// </summary>
    public Abstractions.OcularMeasurements? KeptMeasurements { get; internal init; }

    /// <summary>The options used.</summary>
    public FusionOptions Options { get; }

    /// <summary>Wall-clock time of the fusion.</summary>
    public TimeSpan Elapsed { get; }

    /// <inheritdoc />
    public void Dispose() => Image.Dispose();
}
