using System.Numerics;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Fusion;

/// <summary>The output of a fusion. Owns <see cref="Image"/> and <see cref="Mask"/>: dispose the result (or take the image and
/// dispose it yourself; the mask is then left to the garbage collector).</summary>
public sealed class FusionResult : IDisposable
{
    private readonly float[] _mask;
    private readonly int _maskLength;
    private int _maskReleased;

    internal FusionResult(Image<Rgb24> image, FaceLandmarks landmarks, SimilarityTransform transform, float[] mask,
        Rectangle maskBounds, FusionOptions options, TimeSpan elapsed, Landmarks.CornealReflexes reflexes = default)
    {
        Reflexes = reflexes;
        Image = image;
        PatientLandmarks = landmarks;
        Transform = transform;
        _mask = mask;
        _maskLength = image.Width * image.Height;
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
    /// <see cref="RoiPreset.GeometryOnly"/>: where the output may differ from the avatar (no patient pixel anywhere).
    /// Valid until the result is disposed: copy it to keep it.</summary>
    /// <exception cref="ObjectDisposedException">The result was disposed.</exception>
    public ReadOnlyMemory<float> Mask => Volatile.Read(ref _maskReleased) == 0
        ? new ReadOnlyMemory<float>(_mask, 0, _maskLength)
        : throw new ObjectDisposedException(nameof(FusionResult), "The fusion result was disposed: its mask is gone. Copy the mask before disposing.");

    /// <summary>Whether the mask was rented from the shared pool (it then goes back when released).</summary>
    internal bool MaskIsPooled { get; init; }

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

    /// <summary>Returns the mask to the pool without disposing the image (for callers that keep the image alone).</summary>
    internal void ReleaseMask()
    {
        if (Interlocked.Exchange(ref _maskReleased, 1) == 0 && MaskIsPooled)
        {
            Imaging.WorkBuffers.Floats.Return(_mask);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ReleaseMask();
        Image.Dispose();
    }
}
