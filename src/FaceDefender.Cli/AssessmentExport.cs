using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FaceDefender.Abstractions;

namespace FaceDefender.Cli;

/// <summary>The outcome of assessing one photo: its status, and the assessment when a face was measured.</summary>
/// <param name="File">The photo's path relative to the input folder (its file name for a single photo).</param>
/// <param name="Status">"success", a face-detection status ("noFace", "severalFaces"...), "unreadableImage" or "error".</param>
/// <param name="Message">Why the photo was not assessed, or null.</param>
/// <param name="Truncated">The file was truncated and the decoder filled the missing area.</param>
/// <param name="Assessment">The assessment, or null when the photo was not assessed.</param>
internal sealed record AssessedImage(string File, string Status, string? Message, bool Truncated, OcularAssessment? Assessment);

/// <summary>
/// Machine-readable output of <c>facedefender assess</c>: JSON (<c>--json</c>) and long-format CSV (<c>--csv</c>).
/// Every name in the output, property names and values naming a library enum alike, is camelCase; measure names are
/// the camelCase <see cref="DiagnosticMeasure"/> names, so a finding's measure finds its measurement. Numbers are
/// written with the invariant culture, shortest round-trip form; a non-finite number is JSON null or an empty CSV field.
/// </summary>
internal static class AssessmentExport
{
    /// <summary>The version of the layout below; raised when a name changes or is removed (adding one keeps it).</summary>
    public const int FormatVersion = 1;

    /// <summary>The CSV header (RFC 4180, CRLF line ends).</summary>
    public const string CsvHeader = "file,status,record,eye,measure,unit,value,uncertainty,low,high,limit,kind,reliable,concerns,description";

    /// <summary>The per-eye lengths, in output order, by measure name.</summary>
    public static readonly (string Name, Func<EyeMeasurements, MeasuredValue> Get)[] EyeLengths =
    [
        ("irisToInnerCanthus", e => e.IrisToInnerCanthus),
        ("fissureHeight", e => e.FissureHeight),
        ("fissureWidth", e => e.FissureWidth),
        ("irisWidth", e => e.IrisWidth),
        ("mrd1", e => e.Mrd1),
        ("mrd2", e => e.Mrd2),
        ("decentrationNasal", e => e.DecentrationNasal),
        ("decentrationUp", e => e.DecentrationUp),
    ];

    /// <summary>The inter-eye lengths, in output order, by measure name.</summary>
    public static readonly (string Name, Func<OcularMeasurements, MeasuredValue> Get)[] InterEyeLengths =
    [
        ("irisToInnerCanthusDifference", m => m.D),
        ("horizontalVergence", m => m.HorizontalVergence),
        ("nasalDecentrationDifference", m => m.NasalDecentrationDifference),
        ("verticalDifference", m => m.VerticalDifference),
        ("mrd1Asymmetry", m => m.Mrd1Asymmetry),
        ("fissureHeightAsymmetry", m => m.FissureHeightAsymmetry),
        ("interPupillaryDistance", m => m.InterPupillaryDistance),
        ("hirschbergHorizontal", m => m.Hirschberg.Horizontal),
        ("hirschbergVertical", m => m.Hirschberg.Vertical),
    ];

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        // File names and descriptions as written (é, ±, °), with only what JSON itself requires escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A library enum's name as written in the output: camelCase.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>The short unit names of the output (those of the cohort-CSV column names).</summary>
    public static string UnitName(MeasureUnit unit) => unit switch
    {
        MeasureUnit.Pixels => "px",
        MeasureUnit.IrisDiameters => "iris",
        MeasureUnit.Millimetres => "mm",
        MeasureUnit.Ratio => "ratio",
        MeasureUnit.Degrees => "deg",
        MeasureUnit.PrismDioptres => "pd",
        _ => unit.ToString(),
    };

    // ---------------------------------------------------------------- JSON

    /// <summary>Writes every image as one JSON document.</summary>
    public static void WriteJson(IEnumerable<AssessedImage> images, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("formatVersion", FormatVersion);
            w.WriteStartArray("images");
            foreach (AssessedImage image in images)
            {
                WriteJson(w, image);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteJson(Utf8JsonWriter w, AssessedImage image)
    {
        w.WriteStartObject();
        w.WriteString("file", image.File);
        w.WriteString("status", image.Status);
        w.WriteString("message", image.Message);
        w.WriteBoolean("truncated", image.Truncated);
        if (image.Assessment is not { } a)
        {
            w.WriteNull("assessment");
            w.WriteEndObject();
            return;
        }

        OcularMeasurements m = a.Measurements;
        w.WriteStartObject("assessment");
        w.WriteString("standard", a.StandardName);
        w.WriteStartObject("assumedIrisDiameter");
        Number(w, "mm", m.IrisDiameterMm);
        Number(w, "sd", m.IrisDiameterSdMm);
        w.WriteEndObject();

        w.WriteStartObject("eyes");
        EyeJson(w, "right", m.Right);
        EyeJson(w, "left", m.Left);
        w.WriteEndObject();

        w.WriteStartObject("interEye");
        foreach ((string name, Func<OcularMeasurements, MeasuredValue> get) in InterEyeLengths)
        {
            w.WriteStartObject(name);
            LengthJson(w, get(m));
            if (name == "horizontalVergence")
            {
                PrismJson(w, m.HorizontalVergencePrism);
            }
            else if (name == "verticalDifference")
            {
                PrismJson(w, m.VerticalDifferencePrism);
            }
            else if (name == "hirschbergHorizontal")
            {
                PrismJson(w, m.Hirschberg.HorizontalPrism);
            }
            else if (name == "hirschbergVertical")
            {
                PrismJson(w, m.Hirschberg.VerticalPrism);
            }

            w.WriteEndObject();
        }

        w.WriteStartObject("eyeLineRoll");
        Number(w, "deg", m.EyeLineRollDegrees);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("pose");
        Number(w, "rollDeg", m.Pose.Roll);
        Number(w, "yawDeg", m.Pose.Yaw);
        Number(w, "pitchDeg", m.Pose.Pitch);
        w.WriteString("source", PoseSource(m));
        w.WriteEndObject();

        w.WriteStartArray("findings");
        foreach (DiagnosticFinding f in a.Findings)
        {
            w.WriteStartObject();
            w.WriteString("kind", Name(f.Kind));
            w.WriteString("eye", Name(f.Eye));
            w.WriteString("measure", Name(f.Measure));
            w.WriteString("unit", UnitName(f.Range.Unit));
            Number(w, "value", f.Value);
            w.WriteStartObject("range");
            Number(w, "lower", f.Range.Lower);
            Number(w, "upper", f.Range.Upper);
            w.WriteString("method", f.Range.Method);
            w.WriteString("source", f.Range.Source);
            w.WriteEndObject();
            Number(w, "excess", f.Excess);
            Number(w, "deviationMm", f.DeviationMm);
            if (f.Prism is { } p)
            {
                w.WriteStartObject("prism");
                Number(w, "pd", p.Dioptres);
                Number(w, "low", p.Low);
                Number(w, "high", p.High);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("prism");
            }

            w.WriteBoolean("reliable", f.IsReliable);
            w.WriteStartArray("concerns");
            foreach (string issue in f.CaptureConcerns.Select(q => Name(q.Issue)).Distinct())
            {
                w.WriteStringValue(issue);
            }

            w.WriteEndArray();
            w.WriteString("description", f.Description);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("qualityFlags");
        foreach (CaptureQualityFlag q in a.QualityFlags)
        {
            w.WriteStartObject();
            w.WriteString("issue", Name(q.Issue));
            w.WriteString("eye", Name(q.Eye));
            Number(w, "value", q.Value);
            Number(w, "limit", q.Limit);
            w.WriteString("description", q.Description);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("gaze");
        Number(w, "rightDeg", m.Hirschberg.GazeRightDegrees);
        Number(w, "upDeg", m.Hirschberg.GazeUpDegrees);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void EyeJson(Utf8JsonWriter w, string name, EyeMeasurements e)
    {
        w.WriteStartObject(name);
        Number(w, "irisDiameterPx", e.IrisDiameterPixels);
        Number(w, "millimetresPerPixel", e.MillimetresPerPixel);
        foreach ((string measure, Func<EyeMeasurements, MeasuredValue> get) in EyeLengths)
        {
            w.WriteStartObject(measure);
            LengthJson(w, get(e));
            w.WriteEndObject();
        }

        w.WriteStartObject("fissureHeightToIrisWidthRatio");
        Number(w, "ratio", e.FissureHeightToIrisWidthRatio);
        w.WriteEndObject();
        w.WriteStartObject("canthalTilt");
        Number(w, "deg", e.CanthalTiltDegrees);
        w.WriteEndObject();
        w.WriteString("mrdOrigin", Camel(e.MrdOrigin.ToString()));
        w.WriteStartObject("cornealReflex");
        w.WriteString("status", Camel(e.Reflex.Status.ToString()));
        w.WriteStartObject("nasal");
        LengthJson(w, e.Reflex.Nasal);
        w.WriteEndObject();
        w.WriteStartObject("up");
        LengthJson(w, e.Reflex.Up);
        w.WriteEndObject();
        Number(w, "nasalRotationDeg", e.Reflex.NasalRotationDegrees);
        Number(w, "upRotationDeg", e.Reflex.UpRotationDegrees);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string Camel(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];

    private static void LengthJson(Utf8JsonWriter w, MeasuredValue v)
    {
        Number(w, "px", v.Pixels);
        Number(w, "iris", v.IrisDiameters);
        Number(w, "mm", v.Millimetres);
        Number(w, "mmUncertainty", v.MillimetresUncertainty);
    }

    private static void PrismJson(Utf8JsonWriter w, PrismValue p)
    {
        Number(w, "pd", p.Dioptres);
        Number(w, "pdLow", p.Low);
        Number(w, "pdHigh", p.High);
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    // Pose angles are single precision: written as floats so 2.1 stays 2.1 rather than 2.0999999046325684.
    private static void Number(Utf8JsonWriter w, string name, float value)
    {
        if (float.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string PoseSource(OcularMeasurements m) => m.PoseFromDetector ? "detector" : "landmarks";

    // ---------------------------------------------------------------- CSV

    /// <summary>Writes the CSV rows of one image: an "image" row, then its measurements, findings and quality flags.</summary>
    public static void WriteCsv(AssessedImage image, TextWriter output)
    {
        var row = new CsvRow(image.File, image.Status, output);
        row.Write("image", concerns: image.Truncated ? "truncatedFile" : null, description: image.Message);
        if (image.Assessment is not { } a)
        {
            return;
        }

        OcularMeasurements m = a.Measurements;
        row.Write("measurement", "both", "assumedIrisDiameter", "mm", m.IrisDiameterMm, m.IrisDiameterSdMm, description: a.StandardName);
        foreach (EyeMeasurements e in (EyeMeasurements[])[m.Right, m.Left])
        {
            string eye = Name(e.Side);
            row.Write("measurement", eye, "irisDiameter", "px", e.IrisDiameterPixels);
            row.Write("measurement", eye, "millimetresPerPixel", "mm/px", e.MillimetresPerPixel);
            foreach ((string measure, Func<EyeMeasurements, MeasuredValue> get) in EyeLengths)
            {
                LengthCsv(row, eye, measure, get(e));
            }

            row.Write("measurement", eye, "fissureHeightToIrisWidthRatio", "ratio", e.FissureHeightToIrisWidthRatio);
            row.Write("measurement", eye, "canthalTilt", "deg", e.CanthalTiltDegrees);
            row.Write("measurement", eye, "cornealReflexNasal", "mm", e.Reflex.Nasal.Millimetres, description: Camel(e.Reflex.Status.ToString()));
            row.Write("measurement", eye, "cornealReflexUp", "mm", e.Reflex.Up.Millimetres, description: Camel(e.Reflex.Status.ToString()));
            row.Write("measurement", eye, "mrdOrigin", description: Camel(e.MrdOrigin.ToString()));
        }

        foreach ((string measure, Func<OcularMeasurements, MeasuredValue> get) in InterEyeLengths)
        {
            LengthCsv(row, "both", measure, get(m));
            PrismValue? prism = measure switch
            {
                "horizontalVergence" => m.HorizontalVergencePrism,
                "verticalDifference" => m.VerticalDifferencePrism,
                "hirschbergHorizontal" => m.Hirschberg.HorizontalPrism,
                "hirschbergVertical" => m.Hirschberg.VerticalPrism,
                _ => null,
            };
            if (prism is { } p)
            {
                row.Write("measurement", "both", measure, "pd", p.Dioptres, low: p.Low, high: p.High);
            }
        }

        row.Write("measurement", "both", "eyeLineRoll", "deg", m.EyeLineRollDegrees);
        string source = PoseSource(m);
        row.Write("measurement", "both", "headRoll", "deg", Float(m.Pose.Roll), description: source);
        row.Write("measurement", "both", "headYaw", "deg", Float(m.Pose.Yaw), description: source);
        row.Write("measurement", "both", "headPitch", "deg", Float(m.Pose.Pitch), description: source);

        foreach (DiagnosticFinding f in a.Findings)
        {
            row.Write("finding", Name(f.Eye), Name(f.Measure), UnitName(f.Range.Unit), f.Value, low: f.Range.Lower, high: f.Range.Upper,
                kind: Name(f.Kind), reliable: f.IsReliable, concerns: string.Join(';', f.CaptureConcerns.Select(q => Name(q.Issue)).Distinct()),
                description: f.Description);
        }

        foreach (CaptureQualityFlag q in a.QualityFlags)
        {
            row.Write("quality", Name(q.Eye), value: q.Value, limit: q.Limit, kind: Name(q.Issue), description: q.Description);
        }
    }

    private static void LengthCsv(CsvRow row, string eye, string measure, MeasuredValue v)
    {
        row.Write("measurement", eye, measure, "px", v.Pixels);
        row.Write("measurement", eye, measure, "iris", v.IrisDiameters);
        row.Write("measurement", eye, measure, "mm", v.Millimetres, v.MillimetresUncertainty);
    }

    // A float angle as the shortest double that prints like the float (2.1, not 2.0999999046325684).
    private static double Float(float value) => double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// A text field quoted as RFC 4180 requires (in double quotes, quotes doubled, when it holds a comma, quote, CR or LF),
    /// after a leading apostrophe is put before text that starts with =, +, -, @, tab or CR, so a spreadsheet opening the
    /// file shows it as text instead of running it as a formula (a photo named <c>=HYPERLINK(...).jpg</c>). Numbers are
    /// written by <see cref="CsvNumber"/>, never through here.
    /// </summary>
    public static string CsvField(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static string CsvNumber(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    private readonly struct CsvRow(string file, string status, TextWriter output)
    {
        public void Write(string record, string? eye = null, string? measure = null, string? unit = null, double? value = null, double? uncertainty = null,
            double? low = null, double? high = null, double? limit = null, string? kind = null, bool? reliable = null, string? concerns = null, string? description = null)
        {
            output.Write(string.Join(',',
                CsvField(file), CsvField(status), record, eye, measure, unit,
                CsvNumber(value), CsvNumber(uncertainty), CsvNumber(low), CsvNumber(high), CsvNumber(limit),
                kind, reliable is { } r ? (r ? "true" : "false") : string.Empty, CsvField(concerns), CsvField(description)));
            output.Write("\r\n");
        }
    }
}
