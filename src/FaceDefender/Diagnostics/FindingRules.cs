using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Landmarks;

namespace FaceDefender.Diagnostics;

/// <summary>Turns measurements into findings and quality flags against a standard. Thread-safe: no state.</summary>
internal static class FindingRules
{
    public static List<DiagnosticFinding> Findings(OcularMeasurements m, ReferenceStandard s, DiagnosticOptions o)
    {
        var findings = new List<DiagnosticFinding>();
        foreach (EyeSide eye in (ReadOnlySpan<EyeSide>)[EyeSide.Right, EyeSide.Left])
        {
            string name = eye == EyeSide.Right ? "right" : "left";
            if (o.UsePaperHorizontalRule)
            {
                PerEye(findings, m, s, DiagnosticMeasure.IrisToInnerCanthus, eye, FindingKind.Esotropia, FindingKind.Exotropia,
                    $"the {name} iris centre is {{0}} the inner canthus than the paper's range (paper's rule: below range esotropia, above exotropia)");
            }

            PerEye(findings, m, s, DiagnosticMeasure.Mrd1, eye, FindingKind.Ptosis, FindingKind.LidRetraction,
                $"{name} MRD1 {{1}}: the upper lid sits {{2}}");
            PerEye(findings, m, s, DiagnosticMeasure.Mrd2, eye, FindingKind.OutOfRange, FindingKind.LidRetraction,
                $"{name} MRD2 {{1}}: the lower lid sits {{3}}");
            PerEye(findings, m, s, DiagnosticMeasure.FissureHeight, eye, FindingKind.Ptosis, FindingKind.LidRetraction,
                $"{name} palpebral fissure height {{1}}");
            PerEye(findings, m, s, DiagnosticMeasure.FissureHeightToIrisWidthRatio, eye, FindingKind.Ptosis, FindingKind.LidRetraction,
                $"{name} fissure height / iris width {{1}} (paper's rule: narrow fissure ptosis, wide fissure lid retraction)");
            foreach (DiagnosticMeasure other in (ReadOnlySpan<DiagnosticMeasure>)[DiagnosticMeasure.FissureWidth, DiagnosticMeasure.IrisWidth, DiagnosticMeasure.CanthalTilt])
            {
                PerEye(findings, m, s, other, eye, FindingKind.OutOfRange, FindingKind.OutOfRange, $"{name} {other} {{1}}");
            }
        }

        Alignment(findings, m, s, horizontal: true);
        Alignment(findings, m, s, horizontal: false);
        Asymmetry(findings, m, s, DiagnosticMeasure.Mrd1Asymmetry, "MRD1 differs between the eyes");
        Asymmetry(findings, m, s, DiagnosticMeasure.FissureHeightAsymmetry, "fissure height differs between the eyes");

        // The canthus-based deviations are reported measures; a standard that gives them a range gets a plain
        // out-of-range finding, never an alignment one.
        foreach (DiagnosticMeasure other in (ReadOnlySpan<DiagnosticMeasure>)[DiagnosticMeasure.IrisToInnerCanthusDifference, DiagnosticMeasure.InterPupillaryDistance,
            DiagnosticMeasure.HorizontalVergence, DiagnosticMeasure.VerticalDifference])
        {
            if (s.Find(other, EyeSide.Both) is { } r && Check(m, r, EyeSide.Both) is { } hit)
            {
                findings.Add(new DiagnosticFinding(FindingKind.OutOfRange, EyeSide.Both, other, hit.Value, r, hit.Excess, null, null,
                    F($"{other} {Describe(hit.Value, r)}.")));
            }
        }

        return [.. findings.OrderBy(f => f.Eye)];
    }

    public static List<CaptureQualityFlag> Quality(OcularMeasurements m, ReferenceStandard s, DiagnosticOptions o)
    {
        var flags = new List<CaptureQualityFlag>();
        HeadPose p = m.Pose;
        string origin = m.PoseFromDetector ? "detector" : "landmark fit";
        if (Math.Abs(p.Roll) > o.MaxRollDegrees)
        {
            flags.Add(new(CaptureQualityIssue.PoseBeyondLimits, EyeSide.Both, p.Roll, o.MaxRollDegrees, F($"Head roll {p.Roll:F1}° ({origin}) exceeds ±{o.MaxRollDegrees}°.")));
        }

        if (Math.Abs(p.Yaw) > o.MaxYawDegrees)
        {
            flags.Add(new(CaptureQualityIssue.PoseBeyondLimits, EyeSide.Both, p.Yaw, o.MaxYawDegrees, F($"Head yaw {p.Yaw:F1}° ({origin}) exceeds ±{o.MaxYawDegrees}°: horizontal measures are foreshortened.")));
        }

        if (Math.Abs(p.Pitch) > o.MaxPitchDegrees)
        {
            flags.Add(new(CaptureQualityIssue.PoseBeyondLimits, EyeSide.Both, p.Pitch, o.MaxPitchDegrees, F($"Head pitch {p.Pitch:F1}° ({origin}) exceeds ±{o.MaxPitchDegrees}°: lid measures are biased.")));
        }

        foreach (EyeMeasurements e in (ReadOnlySpan<EyeMeasurements>)[m.Right, m.Left])
        {
            string name = e.Side == EyeSide.Right ? "right" : "left";
            double openness = e.FissureHeight.IrisDiameters;
            if (!(openness >= o.MinEyeOpenness))
            {
                flags.Add(new(CaptureQualityIssue.EyeClosed, e.Side, openness, o.MinEyeOpenness, F($"The {name} eye is closed or nearly so (fissure height {openness:F2} iris diameters < {o.MinEyeOpenness}).")));
            }

            // Judged on the detail the photo holds (an enlarged or blurred photo has fewer effective pixels than pixels).
            double detail = e.EffectiveIrisDiameterPixels;
            if (!(detail >= o.MinIrisDiameterPixels))
            {
                flags.Add(new(CaptureQualityIssue.IrisTooSmall, e.Side, detail, o.MinIrisDiameterPixels, e.IrisDiameterPixels - detail > 0.5
                    ? F($"The {name} iris is {e.IrisDiameterPixels:F1} px wide but its detail (effective width, from the limbus's sharpness) is that of {detail:F1} px (< {o.MinIrisDiameterPixels} px): the photo was enlarged or is blurred; too coarse for mm precision.")
                    : F($"The {name} iris is {e.IrisDiameterPixels:F1} px wide (< {o.MinIrisDiameterPixels} px): too coarse for mm precision.")));
            }
        }

        double ipd = m.InterPupillaryDistance.Pixels;
        if (!(ipd >= o.MinInterPupillaryPixels))
        {
            flags.Add(new(CaptureQualityIssue.FaceTooSmall, EyeSide.Both, ipd, o.MinInterPupillaryPixels, F($"The face is small: {ipd:F1} px between the iris centres (< {o.MinInterPupillaryPixels} px).")));
        }

        foreach (EyeMeasurements e in (ReadOnlySpan<EyeMeasurements>)[m.Right, m.Left])
        {
            if (e.Reflex.Status is not (CornealReflexStatus.Found or CornealReflexStatus.NotSearched))
            {
                string name = e.Side == EyeSide.Right ? "right" : "left";
                flags.Add(new(CaptureQualityIssue.NoCornealReflex, e.Side, (int)e.Reflex.Status, (int)CornealReflexStatus.Found,
                    F($"No trustworthy corneal reflex in the {name} eye ({ReflexReason(e.Reflex.Status)}): no alignment measurement; MRD1 and MRD2 from the limbus centre.")));
            }
        }

        if (m.Hirschberg.IsAvailable)
        {
            foreach (EyeMeasurements e in (ReadOnlySpan<EyeMeasurements>)[m.Right, m.Left])
            {
                if (e.Reflex.IsFound && !e.Reflex.IsLimbusCentreMeasured)
                {
                    string name = e.Side == EyeSide.Right ? "right" : "left";
                    flags.Add(new(CaptureQualityIssue.LimbusNotMeasured, e.Side, 0, 1,
                        F($"The {name} limbus centre could not be measured on the image (too little of the limbus visible between the lids): its reflex offset is taken from the landmark models' iris centre, so the alignment is uncertain.")));
                }
            }

            GazeFromReflexes(flags, m.Hirschberg, o);
            return flags;
        }

        // Without both reflexes: conjugate gaze as both irises displaced the same way against the canthi beyond the normal decentration.
        double nasalR = m.Right.DecentrationNasal.Millimetres - Centre(m, s, DiagnosticMeasure.DecentrationNasal, EyeSide.Right);
        double nasalL = m.Left.DecentrationNasal.Millimetres - Centre(m, s, DiagnosticMeasure.DecentrationNasal, EyeSide.Left);
        double imageR = nasalR, imageL = -nasalL; // image-right displacement of each iris
        if (Math.Sign(imageR) == Math.Sign(imageL) && Math.Min(Math.Abs(imageR), Math.Abs(imageL)) > o.OffCentreGazeMm)
        {
            double g = (imageR + imageL) / 2;
            flags.Add(new(CaptureQualityIssue.OffCentreGaze, EyeSide.Both, g, o.OffCentreGazeMm,
                F($"Both irises are displaced towards the image's {(g > 0 ? "right" : "left")} ({imageR:F2} and {imageL:F2} mm): the subject is not looking at the camera.")));
        }

        double upR = m.Right.DecentrationUp.Millimetres - Centre(m, s, DiagnosticMeasure.DecentrationUp, EyeSide.Right);
        double upL = m.Left.DecentrationUp.Millimetres - Centre(m, s, DiagnosticMeasure.DecentrationUp, EyeSide.Left);
        if (Math.Sign(upR) == Math.Sign(upL) && Math.Min(Math.Abs(upR), Math.Abs(upL)) > o.OffCentreGazeMm)
        {
            double g = (upR + upL) / 2;
            flags.Add(new(CaptureQualityIssue.OffCentreGaze, EyeSide.Both, g, o.OffCentreGazeMm,
                F($"Both irises are displaced {(g > 0 ? "up" : "down")} ({upR:F2} and {upL:F2} mm): the subject is not looking at the camera.")));
        }

        return flags;
    }

    private static void GazeFromReflexes(List<CaptureQualityFlag> flags, HirschbergAlignment h, DiagnosticOptions o)
    {
        if (Math.Abs(h.GazeRightDegrees) > o.MaxGazeDegrees)
        {
            flags.Add(new(CaptureQualityIssue.OffCentreGaze, EyeSide.Both, h.GazeRightDegrees, o.MaxGazeDegrees,
                F($"The eyes look {Math.Abs(h.GazeRightDegrees):F1}° towards the image's {(h.GazeRightDegrees > 0 ? "right" : "left")} of the camera (corneal reflexes; limit {o.MaxGazeDegrees}°).")));
        }

        if (Math.Abs(h.GazeUpDegrees) > o.MaxGazeDegrees)
        {
            flags.Add(new(CaptureQualityIssue.OffCentreGaze, EyeSide.Both, h.GazeUpDegrees, o.MaxGazeDegrees,
                F($"The eyes look {Math.Abs(h.GazeUpDegrees):F1}° {(h.GazeUpDegrees > 0 ? "above" : "below")} the camera (corneal reflexes; limit {o.MaxGazeDegrees}°).")));
        }
    }

    private static string ReflexReason(CornealReflexStatus status) => status switch
    {
        CornealReflexStatus.IrisTooSmall => "the iris is too small in the image",
        CornealReflexStatus.Occluded => "too little of the iris is visible",
        CornealReflexStatus.NoReflex => "no bright spot on the cornea: no light near the camera, or a dim or blurred photo",
        CornealReflexStatus.NotCompact => "the bright region is too large: glare or a reflection in glasses",
        CornealReflexStatus.Multiple => "two or more bright spots: a ring light, a window or glasses glare",
        CornealReflexStatus.AtIrisEdge => "the bright spot lies far from the iris centre or at its edge: a light away from the camera",
        _ => status.ToString(),
    };

    private static void PerEye(List<DiagnosticFinding> findings, OcularMeasurements m, ReferenceStandard s, DiagnosticMeasure measure, EyeSide eye,
        FindingKind below, FindingKind above, string template)
    {
        if (s.Find(measure, eye) is not { } r || Check(m, r, eye) is not { } hit)
        {
            return;
        }

        bool low = hit.Direction < 0;
        string text = string.Format(CultureInfo.InvariantCulture, template,
            low ? "nearer" : "farther from", Describe(hit.Value, r), low ? "low" : "high", low ? "high" : "low");
        findings.Add(new DiagnosticFinding(low ? below : above, eye, measure, hit.Value, r, hit.Excess, null, null, Capitalise(text) + "."));
    }

    // The photographic Hirschberg test: the difference between the eyes' corneal-reflex displacements (a gaze both eyes
    // share cancels). The deviating eye is the one whose reflex is further from its normal (kappa) place: in a photo the
    // fixating eye looks at the camera, so its reflex is centred (with a gaze away from the camera this can be wrong).
    private static void Alignment(List<DiagnosticFinding> findings, OcularMeasurements m, ReferenceStandard s, bool horizontal)
    {
        HirschbergAlignment h = m.Hirschberg;
        DiagnosticMeasure measure = horizontal ? DiagnosticMeasure.HirschbergHorizontal : DiagnosticMeasure.HirschbergVertical;
        if (!h.IsAvailable || s.Find(measure, EyeSide.Both) is not { } r || Check(m, r, EyeSide.Both) is not { } hit)
        {
            return;
        }

        // The same eye for the horizontal and vertical findings: the one turned further from the camera in both axes.
        static double Turn(EyeMeasurements e) => Math.Sqrt((e.Reflex.NasalRotationDegrees * e.Reflex.NasalRotationDegrees) + (e.Reflex.UpRotationDegrees * e.Reflex.UpRotationDegrees));
        EyeSide eye = Turn(m.Right) >= Turn(m.Left) ? EyeSide.Right : EyeSide.Left;
        FindingKind kind;
        if (horizontal)
        {
            kind = hit.Direction > 0 ? FindingKind.Esotropia : FindingKind.Exotropia;
        }
        else
        {
            // Right higher (positive) means right hypertropia or left hypotropia.
            bool rightHigher = hit.Direction > 0;
            kind = (eye == EyeSide.Right) == rightHigher ? FindingKind.Hypertropia : FindingKind.Hypotropia;
        }

        MeasuredValue mm = horizontal ? h.Horizontal : h.Vertical;
        PrismValue prism = horizontal ? h.HorizontalPrism : h.VerticalPrism;
        PrismValue magnitude = new(Math.Abs(prism.Dioptres), Math.Abs(prism.Low), Math.Abs(prism.High));
        string name = eye == EyeSide.Right ? "right" : "left";
        string text = F($"{kind} of the {name} eye suggested by the corneal reflexes: {(horizontal ? "horizontal" : "vertical")} deviation {Describe(hit.Value, r)}; {Math.Abs(mm.Millimetres):F2} mm of reflex displacement ≈ {magnitude}.");
        findings.Add(new DiagnosticFinding(kind, eye, measure, hit.Value, r, hit.Excess, Math.Abs(mm.Millimetres), magnitude, text));
    }

    private static void Asymmetry(List<DiagnosticFinding> findings, OcularMeasurements m, ReferenceStandard s, DiagnosticMeasure measure, string what)
    {
        if (s.Find(measure, EyeSide.Both) is { } r && Check(m, r, EyeSide.Both) is { } hit)
        {
            findings.Add(new DiagnosticFinding(FindingKind.Asymmetry, EyeSide.Both, measure, hit.Value, r, hit.Excess, null, null,
                F($"{Capitalise(what)}: right minus left {Describe(hit.Value, r)}.")));
        }
    }

    private static double Centre(OcularMeasurements m, ReferenceStandard s, DiagnosticMeasure measure, EyeSide eye)
    {
        if (s.Find(measure, eye) is not { } r)
        {
            return 0;
        }

        // Only millimetre or iris-diameter ranges have a face-independent centre in mm.
        return r.Unit switch
        {
            MeasureUnit.Millimetres => r.Centre,
            MeasureUnit.IrisDiameters => r.Centre * m.IrisDiameterMm,
            _ => 0,
        };
    }

    private static (double Value, int Direction, double Excess)? Check(OcularMeasurements m, ReferenceRange r, EyeSide eye)
    {
        double v = MeasureCatalog.Value(m, r.Measure, eye, r.Unit);
        if (double.IsNaN(v))
        {
            return null;
        }

        int c = r.Compare(v);
        if (c == 0)
        {
            return null;
        }

        double excess = c < 0 ? r.Lower!.Value - v : v - r.Upper!.Value;
        return (v, c, excess);
    }

    private static string Describe(double value, ReferenceRange r) =>
        F($"{value:0.###}{(Unit(r.Unit) is { Length: > 0 } unit ? " " + unit : string.Empty)} is {(r.Compare(value) < 0 ? "below" : "above")} [{Limit(r.Lower)}, {Limit(r.Upper)}] ({r.Source})");

    private static string Limit(double? v) => v is { } x ? x.ToString("0.###", CultureInfo.InvariantCulture) : "-";

    private static string Unit(MeasureUnit u) => u switch
    {
        MeasureUnit.Millimetres => "mm",
        MeasureUnit.IrisDiameters => "iris diameters",
        MeasureUnit.Pixels => "px",
        MeasureUnit.Degrees => "°",
        MeasureUnit.PrismDioptres => "PD",
        _ => string.Empty,
    };

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
