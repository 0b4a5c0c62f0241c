namespace FaceDefender.Diagnostics;

/// <summary>
/// Settings of <see cref="LandmarkDiagnosticBenchmark"/>. Immutable; every value is checked when it is
/// set, so a bad value throws there and not during an assessment.
/// </summary>
public sealed record DiagnosticOptions
{
    private readonly double _irisDiameterMm = 11.7;
    private readonly double _irisDiameterSdMm = 0.42;
    private readonly double _prismPerMm = 22;
    private readonly double _prismPerMmLow = 14;
    private readonly double _prismPerMmHigh = 24;
    private readonly double _maxRoll = 15;
    private readonly double _maxYaw = 10;
    private readonly double _maxPitch = 15;
    private readonly double _minIrisPx = 20;
    private readonly double _minIpdPx = 80;
    private readonly double _minOpenness = 0.3;
    private readonly double _offCentreGazeMm = 1.5;
    private readonly double _reflexPrismPerMm = 19.4;
    private readonly double _kappaMm = 0.3;
    private readonly double _maxGaze = 10;

    /// <summary>
    /// Assumed visible iris diameter (horizontal visible iris diameter, white-to-white) in mm; default
    /// 11.7 (adult mean; Rüfer et al., Cornea 2005: 11.71 ± 0.42 mm). Range 8 .. 15.
    /// </summary>
    public double IrisDiameterMm { get => _irisDiameterMm; init => _irisDiameterMm = Check(value, 8, 15, nameof(IrisDiameterMm)); }

    /// <summary>Population SD of that diameter in mm, the source of each mm value's uncertainty; default 0.42. Range 0 .. 3.</summary>
    public double IrisDiameterSdMm { get => _irisDiameterSdMm; init => _irisDiameterSdMm = Check(value, 0, 3, nameof(IrisDiameterSdMm)); }

    /// <summary>Hirschberg ratio in prism dioptres per mm of decentration; default 22. Range 5 .. 40.</summary>
    public double PrismDioptresPerMm { get => _prismPerMm; init => _prismPerMm = Check(value, 5, 40, nameof(PrismDioptresPerMm)); }

    /// <summary>Low end of the individual Hirschberg ratio, reported as a range; default 14.</summary>
    public double PrismDioptresPerMmLow { get => _prismPerMmLow; init => _prismPerMmLow = Check(value, 5, 40, nameof(PrismDioptresPerMmLow)); }

    /// <summary>High end of the individual Hirschberg ratio; default 24.</summary>
    public double PrismDioptresPerMmHigh { get => _prismPerMmHigh; init => _prismPerMmHigh = Check(value, 5, 40, nameof(PrismDioptresPerMmHigh)); }

    /// <summary>
    /// Hirschberg ratio of the corneal-reflex displacement measured from the limbus centre, in prism dioptres per mm, for
    /// small angles; default 19.4 (the limbus-referenced ratio measured by Barry and Baches, Invest Ophthalmol Vis Sci
    /// 1997;38:2597-2607; the classic 22 PD/mm refers to the pupil and to rough clinical reading). It fixes the distance
    /// from the corneal centre of curvature to the limbus plane (100 / ratio mm), from which each eye's rotation is
    /// computed exactly (sine law), so large deviations are not over-read. The prism range reported beside each value
    /// uses <see cref="PrismDioptresPerMmLow"/> and <see cref="PrismDioptresPerMmHigh"/>. Range 5 .. 40.
    /// </summary>
    public double ReflexPrismDioptresPerMm { get => _reflexPrismPerMm; init => _reflexPrismPerMm = Check(value, 5, 40, nameof(ReflexPrismDioptresPerMm)); }

    /// <summary>
    /// The normal nasal displacement of each eye's corneal reflex from its limbus centre (positive angle kappa), in mm,
    /// removed before the two eyes are compared; default 0.3 (a typical adult value: the reflex of a straight eye sits
    /// slightly nasal; individual values spread by about ±0.15 mm, which is why the default range needs about 10 PD).
    /// Set 0 to compare raw displacements. Range -1.5 .. 1.5.
    /// </summary>
    public double AngleKappaMillimetres { get => _kappaMm; init => _kappaMm = Check(value, -1.5, 1.5, nameof(AngleKappaMillimetres)); }

    /// <summary>
    /// Off-centre gaze from the reflexes: the gaze both eyes share (from their corneal reflexes) beyond this many degrees
    /// from the camera, horizontally or vertically, raises <see cref="Abstractions.CaptureQualityIssue.OffCentreGaze"/>;
    /// default 10. A shared gaze never makes an alignment finding (it cancels in the Hirschberg difference). Range 0 .. 45.
    /// </summary>
    public double MaxGazeDegrees { get => _maxGaze; init => _maxGaze = Check(value, 0, 45, nameof(MaxGazeDegrees)); }

    /// <summary>Axes of horizontal and vertical measurements; default <see cref="MeasurementFrame.EyeLine"/>.</summary>
    public MeasurementFrame Frame { get; init; } = MeasurementFrame.EyeLine;

    /// <summary>Where MRD1 and MRD2 are read on the lids; default <see cref="LidMarginPoint.Midpoint"/>.</summary>
    public LidMarginPoint LidMargin { get; init; } = LidMarginPoint.Midpoint;

    /// <summary>
    /// Which landmarks give the upper-lid margin (MRD1, fissure height); default <see cref="EyePointSource.FineContour"/>
    /// (measured on the ground-truth kit: docs/diagnostics.md). Without a contour on the landmarks the mesh is used.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined value.</exception>
    public EyePointSource UpperLidSource { get; init => field = CheckSource(value, nameof(UpperLidSource)); } = EyePointSource.FineContour;

    /// <summary>
    /// Which landmarks give the lower-lid margin (MRD2, fissure height); default <see cref="EyePointSource.FineContour"/>
    /// (on the ground-truth kit the refined contour's lower lid is about 0.25 mm from the true margin, the mesh's 0.7 mm;
    /// docs/diagnostics.md). Without a contour on the landmarks the mesh is used.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined value.</exception>
    public EyePointSource LowerLidSource { get; init => field = CheckSource(value, nameof(LowerLidSource)); } = EyePointSource.FineContour;

    /// <summary>
    /// Which landmarks give the canthi (decentration, fissure width, paper's L / R, canthal tilt, the eye-line
    /// frame); default <see cref="EyePointSource.Refined"/> (the detector's image-refined canthi where it
    /// has them, else the mesh's; docs/diagnostics.md).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined value.</exception>
    public EyePointSource CanthusSource { get; init => field = CheckSource(value, nameof(CanthusSource)); } = EyePointSource.Refined;

    /// <summary>Which iris size converts pixels to mm; default <see cref="IrisScale.PerEyeHorizontalWidth"/>.</summary>
    public IrisScale Scale { get; init; } = IrisScale.PerEyeHorizontalWidth;

    /// <summary>Largest acceptable |head roll| in degrees; default 15 (roll is corrected by the eye-line frame).</summary>
    public double MaxRollDegrees { get => _maxRoll; init => _maxRoll = Check(value, 0, 90, nameof(MaxRollDegrees)); }

    /// <summary>Largest acceptable |head yaw| in degrees; default 10.</summary>
    public double MaxYawDegrees { get => _maxYaw; init => _maxYaw = Check(value, 0, 90, nameof(MaxYawDegrees)); }

    /// <summary>Largest acceptable |head pitch| in degrees; default 15.</summary>
    public double MaxPitchDegrees { get => _maxPitch; init => _maxPitch = Check(value, 0, 90, nameof(MaxPitchDegrees)); }

    /// <summary>Smallest acceptable iris diameter in pixels; default 20 (then one pixel is about 0.6 mm).</summary>
    public double MinIrisDiameterPixels { get => _minIrisPx; init => _minIrisPx = Check(value, 0, 10_000, nameof(MinIrisDiameterPixels)); }

    /// <summary>Smallest acceptable inter-pupillary distance in pixels (face size); default 80.</summary>
    public double MinInterPupillaryPixels { get => _minIpdPx; init => _minIpdPx = Check(value, 0, 100_000, nameof(MinInterPupillaryPixels)); }

    /// <summary>An eye whose fissure height is below this many iris diameters counts as closed; default 0.3.</summary>
    public double MinEyeOpenness { get => _minOpenness; init => _minOpenness = Check(value, 0, 2, nameof(MinEyeOpenness)); }

    /// <summary>
    /// Off-centre gaze: both eyes decentred the same way (in the image) by more than this many mm
    /// beyond the standard's normal decentration; default 1.5.
    /// </summary>
    public double OffCentreGazeMm { get => _offCentreGazeMm; init => _offCentreGazeMm = Check(value, 0, 20, nameof(OffCentreGazeMm)); }

    /// <summary>
    /// Whether the paper's per-eye L / R range rule (iris centre to inner canthus; above: exotropia, below: esotropia)
    /// makes findings; default false. The rule reads conjugate gaze, canthus placement and face shape as strabismus, so
    /// the library's alignment findings come from the corneal reflexes instead; turn it on to reproduce the paper.
    /// </summary>
    public bool UsePaperHorizontalRule { get; init; }

    private static EyePointSource CheckSource(EyePointSource value, string name) =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be FineContour, Mesh, Average or Refined.");

    private static double Check(double value, double min, double max, string name)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }

        return value;
    }
}
