using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Privacy;

/// <summary>
/// An attacker who ignores texture and matches faces by the eye geometry that the diagnosis keeps: it detects the
/// face in the image it is given (the landmarks passed in are not used, since an attacker holding a protected image
/// has only its pixels), measures it with <see cref="LandmarkDiagnosticBenchmark"/>, and describes it by the
/// scale-free measurements, standardised by typical population spreads.
/// </summary>
/// <remarks>
/// <para>
/// Use it as the embedder of <see cref="PrivacyAudit"/> to see how much identity a protection that keeps the
/// eye geometry (every preset, including <c>RoiPreset.GeometryOnly</c>) leaves to someone who measures it: no
/// output that preserves the measurements can score below what this embedder scores on the raw photos.
/// </para>
/// <para>
/// The descriptor: for each eye, MRD1, MRD2, fissure height and width, iris centre to inner canthus, nasal and
/// upward iris decentration (all in iris diameters) and the canthal tilt; and the inter-pupil distance in iris
/// diameters. Each value has a typical population centre subtracted and is divided by a typical population
/// standard deviation (<see cref="FeatureScales"/>), then the vector is L2-normalised, so cosine similarity compares
/// the shape of the deviations from an average eye. The scales are coarse adult figures (MRD1 about 4 ± 1 mm,
/// MRD2 5.5 ± 1 mm, fissure 10 ± 1.3 by 28 ± 2 mm, iris to inner canthus 13.1 ± 0.9 mm (the paper's published range), decentration 0 ± 0.5 mm,
/// canthal tilt 5 ± 3 degrees, inter-pupil distance 62 ± 3.5 mm, at an 11.7 mm iris), chosen only to put the
/// features on comparable footing; an attacker could tune them to the gallery and do better.
/// </para>
/// <para>Thread-safe when the detector is (the embedded MediaPipe detector is).</para>
/// </remarks>
public sealed class EyeGeometryEmbedder : IFaceEmbedder
{
    private const double Iris = 11.7;

    /// <summary>Centre and scale of each descriptor element, in descriptor order (see the class remarks).</summary>
    public static IReadOnlyList<(string Name, double Centre, double Scale)> FeatureScales { get; } = BuildScales();

    private readonly ILandmarkDetector _detector;
    private readonly bool _ownsDetector;
    private readonly LandmarkDiagnosticBenchmark _benchmark = new();
    private bool _disposed;

    /// <summary>Creates the embedder.</summary>
    /// <param name="detector">The detector that finds the face in each image; null for the embedded MediaPipe
    /// detector (then owned and disposed by this embedder).</param>
    public EyeGeometryEmbedder(ILandmarkDetector? detector = null)
    {
        _ownsDetector = detector is null;
        _detector = detector ?? new MediaPipeLandmarkDetector();
    }

    /// <inheritdoc />
    public string Name => "eye-geometry";

    /// <inheritdoc />
    public int Dimension => FeatureScales.Count;

    /// <summary>
    /// Detects the face in <paramref name="image"/> and returns its standardised, L2-normalised eye-geometry
    /// descriptor. <paramref name="landmarks"/> is checked for null but otherwise ignored (see the class remarks).
    /// </summary>
    /// <exception cref="FaceDefenderException">No single face is found in the image (the audit counts it as a face
    /// the attacker cannot use).</exception>
    public float[] Embed(Image<Rgb24> image, FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(landmarks);
        ObjectDisposedException.ThrowIf(_disposed, this);
        FaceDetection detection = _detector.Detect(image);
        DetectedFace face = detection.Face
            ?? throw new FaceDefenderException($"The eye-geometry attacker found no usable face in the image ({detection.Status}).");
        return Describe(_benchmark.Measure(face.Landmarks, face.Pose));
    }

    /// <summary>The standardised, L2-normalised descriptor of given measurements (no detection).</summary>
    /// <param name="measurements">Measurements of one face.</param>
    /// <returns>A unit vector of <see cref="Dimension"/> values.</returns>
    public static float[] Describe(OcularMeasurements measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        var raw = new List<double>(FeatureScales.Count);
        foreach (EyeMeasurements eye in new[] { measurements.Right, measurements.Left })
        {
            raw.Add(eye.Mrd1.IrisDiameters);
            raw.Add(eye.Mrd2.IrisDiameters);
            raw.Add(eye.FissureHeight.IrisDiameters);
            raw.Add(eye.FissureWidth.IrisDiameters);
            raw.Add(eye.IrisToInnerCanthus.IrisDiameters);
            raw.Add(eye.DecentrationNasal.IrisDiameters);
            raw.Add(eye.DecentrationUp.IrisDiameters);
            raw.Add(eye.CanthalTiltDegrees);
        }

        raw.Add(measurements.InterPupillaryDistance.IrisDiameters);
        var result = new float[raw.Count];
        double norm = 0;
        for (int i = 0; i < raw.Count; i++)
        {
            (_, double centre, double scale) = FeatureScales[i];
            double z = (raw[i] - centre) / scale;
            if (!double.IsFinite(z))
            {
                throw new FaceDefenderException($"The eye-geometry descriptor element {FeatureScales[i].Name} is not finite: degenerate landmarks.");
            }

            result[i] = (float)z;
            norm += z * z;
        }

        norm = Math.Sqrt(norm);
        if (norm < 1e-12)
        {
            // Exactly the average eye: any unit vector describes it equally well; keep it defined.
            result[0] = 1;
            return result;
        }

        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (float)(result[i] / norm);
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsDetector)
        {
            _detector.Dispose();
        }
    }

    private static List<(string, double, double)> BuildScales()
    {
        var list = new List<(string, double, double)>();
        foreach (string side in new[] { "right", "left" })
        {
            list.Add(($"{side} MRD1", 4.0 / Iris, 1.0 / Iris));
            list.Add(($"{side} MRD2", 5.5 / Iris, 1.0 / Iris));
            list.Add(($"{side} fissure height", 10.0 / Iris, 1.3 / Iris));
            list.Add(($"{side} fissure width", 28.0 / Iris, 2.0 / Iris));
            list.Add(($"{side} iris to inner canthus", 13.1 / Iris, 0.9 / Iris));
            list.Add(($"{side} decentration nasal", 0, 0.5 / Iris));
            list.Add(($"{side} decentration up", 0, 0.5 / Iris));
            list.Add(($"{side} canthal tilt (degrees)", 5.0, 3.0));
        }

        list.Add(("inter-pupil distance", 62.0 / Iris, 3.5 / Iris));
        return list;
    }
}
