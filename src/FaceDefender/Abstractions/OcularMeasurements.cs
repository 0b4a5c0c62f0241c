namespace FaceDefender.Abstractions;

/// <summary>
/// All measurements of one face: each eye's, the inter-eye ones and the head pose. Immutable.
/// Inter-eye lengths in iris diameters and millimetres combine each eye's own value (each eye scaled
/// by its own iris); the inter-pupillary distance uses the mean scale of the two eyes.
/// </summary>
public sealed class OcularMeasurements
{
    /// <summary>Creates the measurements (used by the benchmark).</summary>
    public OcularMeasurements(
        EyeMeasurements right,
        EyeMeasurements left,
        MeasuredValue interPupillaryDistance,
        PrismValue horizontalVergencePrism,
        PrismValue verticalDifferencePrism,
        double eyeLineRollDegrees,
        HeadPose pose,
        bool poseFromDetector,
        double irisDiameterMm,
        double irisDiameterSdMm)
    {
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(left);
        Right = right;
        Left = left;
        InterPupillaryDistance = interPupillaryDistance;
        HorizontalVergencePrism = horizontalVergencePrism;
        VerticalDifferencePrism = verticalDifferencePrism;
        EyeLineRollDegrees = eyeLineRollDegrees;
        Pose = pose;
        PoseFromDetector = poseFromDetector;
        IrisDiameterMm = irisDiameterMm;
        IrisDiameterSdMm = irisDiameterSdMm;
    }

    /// <summary>The subject's right eye (image left).</summary>
    public EyeMeasurements Right { get; }

    /// <summary>The subject's left eye (image right).</summary>
    public EyeMeasurements Left { get; }

    /// <summary>The eye (<see cref="EyeSide.Right"/> or <see cref="EyeSide.Left"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="EyeSide.Both"/> or undefined.</exception>
    public EyeMeasurements this[EyeSide side] => side switch
    {
        EyeSide.Right => Right,
        EyeSide.Left => Left,
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "Pick Right or Left."),
    };

    /// <summary>The paper's L: left iris centre to inner canthus.</summary>
    public MeasuredValue L => Left.IrisToInnerCanthus;

    /// <summary>The paper's R: right inner canthus to iris centre.</summary>
    public MeasuredValue R => Right.IrisToInnerCanthus;

    /// <summary>The paper's D = |L - R|.</summary>
    public MeasuredValue D => Abs(Difference(L, R));

    /// <summary>
    /// Right plus left nasal decentration of the iris against the canthi: positive when the irises sit nearer the nose.
    /// A reported measure only: canthus placement, face shape and gaze move it, so no alignment finding comes from it
    /// (see <see cref="Hirschberg"/>).
    /// </summary>
    public MeasuredValue HorizontalVergence => Sum(Right.DecentrationNasal, Left.DecentrationNasal);

    /// <summary><see cref="HorizontalVergence"/> in prism dioptres.</summary>
    public PrismValue HorizontalVergencePrism { get; }

    /// <summary>Right minus left nasal decentration (a conjugate gaze shift to the image's right makes it positive).</summary>
    public MeasuredValue NasalDecentrationDifference => Difference(Right.DecentrationNasal, Left.DecentrationNasal);

    /// <summary>Right minus left upward decentration: positive when the right iris sits higher.</summary>
    public MeasuredValue VerticalDifference => Difference(Right.DecentrationUp, Left.DecentrationUp);

    /// <summary><see cref="VerticalDifference"/> in prism dioptres.</summary>
    public PrismValue VerticalDifferencePrism { get; }

    /// <summary>Right minus left MRD1.</summary>
    public MeasuredValue Mrd1Asymmetry => Difference(Right.Mrd1, Left.Mrd1);

    /// <summary>Right minus left fissure height.</summary>
    public MeasuredValue FissureHeightAsymmetry => Difference(Right.FissureHeight, Left.FissureHeight);

    /// <summary>Distance between the iris centres 468 and 473.</summary>
    public MeasuredValue InterPupillaryDistance { get; }

    /// <summary>Angle of the eye line (right to left canthal midpoint) in the image, degrees, positive counter-clockwise on screen.</summary>
    public double EyeLineRollDegrees { get; }

    /// <summary>Head pose: the detector's, or estimated from the landmarks (<see cref="PoseFromDetector"/>).</summary>
    public HeadPose Pose { get; }

    /// <summary>Whether <see cref="Pose"/> was given by the caller (the detector) rather than estimated here.</summary>
    public bool PoseFromDetector { get; }

    /// <summary>
    /// Ocular alignment from the corneal reflexes (photographic Hirschberg test): the only source of strabismus findings.
    /// Unavailable (NaN values) unless both eyes have a reflex.
    /// </summary>
    public HirschbergAlignment Hirschberg { get; init; } = HirschbergAlignment.Unavailable(double.NaN);

    /// <summary>
    /// The clinical steps the measured geometry was rounded to before it was drawn (the geometry-only output's kept
    /// measurements, <see cref="FaceDefender.Fusion.FusionResult.KeptMeasurements"/>), or null when these are measurements
    /// of a photo (nothing was rounded).
    /// </summary>
    public FaceDefender.Synthesis.GeometryPrecision? Precision { get; init; }

    /// <summary>The same measurements marked as rounded to <paramref name="precision"/>.</summary>
    internal OcularMeasurements WithPrecision(FaceDefender.Synthesis.GeometryPrecision precision) =>
        new(Right, Left, InterPupillaryDistance, HorizontalVergencePrism, VerticalDifferencePrism, EyeLineRollDegrees, Pose, PoseFromDetector, IrisDiameterMm, IrisDiameterSdMm)
        {
            Hirschberg = Hirschberg,
            Precision = precision,
        };

    /// <summary>The assumed visible iris diameter in mm.</summary>
    public double IrisDiameterMm { get; }

    /// <summary>The standard deviation of the visible iris diameter in the population, mm (the source of the mm uncertainty).</summary>
    public double IrisDiameterSdMm { get; }

    // The assumed iris diameter scales both eyes alike, so its uncertainty is fully correlated
    // between them: a sum or difference carries |result| x relative uncertainty, not a quadrature sum.
    private MeasuredValue Difference(MeasuredValue a, MeasuredValue b) => Make(a.Pixels - b.Pixels, a.IrisDiameters - b.IrisDiameters, a.Millimetres - b.Millimetres);

    private MeasuredValue Sum(MeasuredValue a, MeasuredValue b) => Make(a.Pixels + b.Pixels, a.IrisDiameters + b.IrisDiameters, a.Millimetres + b.Millimetres);

    private MeasuredValue Abs(MeasuredValue v) => Make(Math.Abs(v.Pixels), Math.Abs(v.IrisDiameters), Math.Abs(v.Millimetres));

    private MeasuredValue Make(double px, double iris, double mm) => new(px, iris, mm, Math.Abs(mm) * IrisDiameterSdMm / IrisDiameterMm);
}
