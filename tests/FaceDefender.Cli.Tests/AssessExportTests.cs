using System.Globalization;
using System.Text;
using System.Text.Json;
using FaceDefender.Abstractions;
using FaceDefender.Decoding;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Cli.Tests;

/// <summary>
/// <c>facedefender assess --json</c> and <c>--csv</c> read back and checked against what <see cref="LandmarkDiagnosticBenchmark"/>
/// computes for the same photo. The values are located through <see cref="MeasureCatalog"/> (measure, eye, unit), a path
/// independent of the exporter's own tables, so every <see cref="DiagnosticMeasure"/> must be exported under its name and
/// a swapped eye, unit or measure fails.
/// </summary>
public sealed class AssessExportTests : IDisposable
{
    // A name with a comma, a quote and a non-ASCII letter: CSV must quote it, JSON must escape it.
    private const string PhotoName = "a, \"q\" é.png";

    private readonly string _dir = Directory.CreateTempSubdirectory("fd-assess-export-").FullName;

    public AssessExportTests()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", "astronaut.png"), Path.Combine(_dir, PhotoName));
        File.WriteAllText(Path.Combine(_dir, "b.jpg"), "not an image");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private OcularAssessment Expected()
    {
        using DecodedImage decoded = FaceImageDecoder.Decode(Path.Combine(_dir, PhotoName));
        using var detector = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });
        DetectedFace face = detector.Detect(decoded.Image).Face!;
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(face.Landmarks, face.Pose);

        // The checks below only see a dropped finding, flag or concern if the photo has some.
        a.Findings.Should().NotBeEmpty("the astronaut portrait has findings (4 at the time of writing)");
        a.QualityFlags.Should().NotBeEmpty("the astronaut portrait's face is small (3 flags at the time of writing)");
        return a;
    }

    /// <summary>Every (measure, eye, unit) of the catalogue, with its value, for one assessment.</summary>
    private static IEnumerable<(DiagnosticMeasure Measure, EyeSide Eye, MeasureUnit Unit, double Value)> CatalogValues(OcularMeasurements m) =>
        from measure in Enum.GetValues<DiagnosticMeasure>()
        from eye in MeasureCatalog.IsInterEye(measure) ? [EyeSide.Both] : new[] { EyeSide.Right, EyeSide.Left }
        from unit in MeasureCatalog.Units(measure)
        select (measure, eye, unit, MeasureCatalog.Value(m, measure, eye, unit));

    /// <summary>The lengths with their millimetre uncertainty, read from the library's own properties.</summary>
    private static IEnumerable<(string Measure, EyeSide Eye, MeasuredValue Value)> Lengths(OcularMeasurements m)
    {
        foreach (EyeMeasurements e in new[] { m.Right, m.Left })
        {
            yield return ("irisToInnerCanthus", e.Side, e.IrisToInnerCanthus);
            yield return ("fissureHeight", e.Side, e.FissureHeight);
            yield return ("fissureWidth", e.Side, e.FissureWidth);
            yield return ("irisWidth", e.Side, e.IrisWidth);
            yield return ("mrd1", e.Side, e.Mrd1);
            yield return ("mrd2", e.Side, e.Mrd2);
            yield return ("decentrationNasal", e.Side, e.DecentrationNasal);
            yield return ("decentrationUp", e.Side, e.DecentrationUp);
        }

        yield return ("irisToInnerCanthusDifference", EyeSide.Both, m.D);
        yield return ("horizontalVergence", EyeSide.Both, m.HorizontalVergence);
        yield return ("nasalDecentrationDifference", EyeSide.Both, m.NasalDecentrationDifference);
        yield return ("verticalDifference", EyeSide.Both, m.VerticalDifference);
        yield return ("mrd1Asymmetry", EyeSide.Both, m.Mrd1Asymmetry);
        yield return ("fissureHeightAsymmetry", EyeSide.Both, m.FissureHeightAsymmetry);
        yield return ("interPupillaryDistance", EyeSide.Both, m.InterPupillaryDistance);
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string Unit(MeasureUnit unit) => unit switch
    {
        MeasureUnit.Pixels => "px",
        MeasureUnit.IrisDiameters => "iris",
        MeasureUnit.Millimetres => "mm",
        MeasureUnit.Ratio => "ratio",
        MeasureUnit.Degrees => "deg",
        MeasureUnit.PrismDioptres => "pd",
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };

    // Numbers are written in shortest round-trip form, so they come back exactly; the tolerance only allows for that
    // form's last digit.
    private static void Same(double actual, double expected, string what)
    {
        if (double.IsNaN(expected))
        {
            actual.Should().Be(double.NaN, what + " (not measured: written as null or an empty cell)");
            return;
        }

        actual.Should().BeApproximately(expected, 1e-12 * Math.Max(1, Math.Abs(expected)), what);
    }

    [Fact]
    public void Json_holds_every_measurement_finding_and_flag_of_the_library_with_stable_camel_case_names()
    {
        var stdout = new StringWriter();
        AssessCommand.Run(_dir, stdout, new StringWriter(), AssessFormat.Json).Should().Be(Program.SomeFailed, "b.jpg is not an image");
        OcularAssessment expected = Expected();
        OcularMeasurements m = expected.Measurements;

        using JsonDocument doc = JsonDocument.Parse(stdout.ToString());
        doc.RootElement.GetProperty("formatVersion").GetInt32().Should().Be(1);
        JsonElement[] images = [.. doc.RootElement.GetProperty("images").EnumerateArray()];
        images.Select(i => i.GetProperty("file").GetString()).Should().Equal(PhotoName, "b.jpg");
        JsonElement bad = images[1];
        bad.GetProperty("status").GetString().Should().Be("unreadableImage");
        bad.GetProperty("message").GetString().Should().StartWith("UnknownFormat: ");
        bad.GetProperty("assessment").ValueKind.Should().Be(JsonValueKind.Null);

        images[0].GetProperty("status").GetString().Should().Be("success");
        images[0].GetProperty("truncated").GetBoolean().Should().BeFalse();
        JsonElement a = images[0].GetProperty("assessment");
        a.GetProperty("standard").GetString().Should().Be(expected.StandardName);
        Same(a.GetProperty("assumedIrisDiameter").GetProperty("mm").ToDoubleOrNaN(), m.IrisDiameterMm, "assumed iris diameter");
        Same(a.GetProperty("assumedIrisDiameter").GetProperty("sd").ToDoubleOrNaN(), m.IrisDiameterSdMm, "its SD");

        JsonElement Measure(string measure, EyeSide eye) => eye == EyeSide.Both
            ? a.GetProperty("interEye").GetProperty(measure)
            : a.GetProperty("eyes").GetProperty(eye == EyeSide.Right ? "right" : "left").GetProperty(measure);

        foreach ((DiagnosticMeasure measure, EyeSide eye, MeasureUnit unit, double value) in CatalogValues(m))
        {
            Same(Measure(Camel(measure.ToString()), eye).GetProperty(Unit(unit)).ToDoubleOrNaN(), value, $"{measure} {eye} {unit}");
        }

        foreach ((string measure, EyeSide eye, MeasuredValue v) in Lengths(m))
        {
            JsonElement e = Measure(measure, eye);
            Same(e.GetProperty("px").ToDoubleOrNaN(), v.Pixels, $"{measure} {eye} px");
            Same(e.GetProperty("iris").ToDoubleOrNaN(), v.IrisDiameters, $"{measure} {eye} iris");
            Same(e.GetProperty("mm").ToDoubleOrNaN(), v.Millimetres, $"{measure} {eye} mm");
            Same(e.GetProperty("mmUncertainty").ToDoubleOrNaN(), v.MillimetresUncertainty, $"{measure} {eye} mm uncertainty");
        }

        foreach (EyeMeasurements eye in new[] { m.Right, m.Left })
        {
            JsonElement e = a.GetProperty("eyes").GetProperty(eye.Side == EyeSide.Right ? "right" : "left");
            Same(e.GetProperty("irisDiameterPx").ToDoubleOrNaN(), eye.IrisDiameterPixels, $"{eye.Side} iris diameter px");
            Same(e.GetProperty("millimetresPerPixel").ToDoubleOrNaN(), eye.MillimetresPerPixel, $"{eye.Side} mm per px");
        }

        Same(Measure("horizontalVergence", EyeSide.Both).GetProperty("pdLow").ToDoubleOrNaN(), m.HorizontalVergencePrism.Low, "vergence PD low");
        Same(Measure("verticalDifference", EyeSide.Both).GetProperty("pdHigh").ToDoubleOrNaN(), m.VerticalDifferencePrism.High, "vertical PD high");
        Same(Measure("eyeLineRoll", EyeSide.Both).GetProperty("deg").ToDoubleOrNaN(), m.EyeLineRollDegrees, "eye-line roll");
        JsonElement pose = a.GetProperty("pose");
        pose.GetProperty("rollDeg").GetSingle().Should().Be(m.Pose.Roll);
        pose.GetProperty("yawDeg").GetSingle().Should().Be(m.Pose.Yaw);
        pose.GetProperty("pitchDeg").GetSingle().Should().Be(m.Pose.Pitch);
        pose.GetProperty("source").GetString().Should().Be(m.PoseFromDetector ? "detector" : "landmarks");

        JsonElement[] findings = [.. a.GetProperty("findings").EnumerateArray()];
        findings.Should().HaveCount(expected.Findings.Count);
        for (int i = 0; i < findings.Length; i++)
        {
            DiagnosticFinding f = expected.Findings[i];
            JsonElement j = findings[i];
            j.GetProperty("kind").GetString().Should().Be(Camel(f.Kind.ToString()));
            j.GetProperty("eye").GetString().Should().Be(Camel(f.Eye.ToString()));
            j.GetProperty("measure").GetString().Should().Be(Camel(f.Measure.ToString()));
            j.GetProperty("unit").GetString().Should().Be(Unit(f.Range.Unit));
            Same(j.GetProperty("value").ToDoubleOrNaN(), f.Value, $"finding {i} value");
            Same(j.GetProperty("excess").ToDoubleOrNaN(), f.Excess, $"finding {i} excess");
            j.GetProperty("reliable").GetBoolean().Should().Be(f.IsReliable);
            j.GetProperty("concerns").EnumerateArray().Select(c => c.GetString()).Should()
                .Equal(f.CaptureConcerns.Select(q => Camel(q.Issue.ToString())).Distinct());
            j.GetProperty("description").GetString().Should().Be(f.Description);
        }

        JsonElement[] flags = [.. a.GetProperty("qualityFlags").EnumerateArray()];
        flags.Select(q => (q.GetProperty("issue").GetString()!, q.GetProperty("eye").GetString()!, q.GetProperty("value").ToDoubleOrNaN(), q.GetProperty("limit").ToDoubleOrNaN()))
            .Should().Equal(expected.QualityFlags.Select(q => (Camel(q.Issue.ToString()), Camel(q.Eye.ToString()), q.Value, q.Limit)));
    }

    [Fact]
    public void Csv_is_rfc_4180_with_one_row_per_measure_and_unit_holding_the_librarys_values()
    {
        var stdout = new StringWriter();
        AssessCommand.Run(_dir, stdout, new StringWriter(), AssessFormat.Csv).Should().Be(Program.SomeFailed);
        OcularAssessment expected = Expected();
        OcularMeasurements m = expected.Measurements;

        string text = stdout.ToString();
        text.Replace("\r\n", string.Empty, StringComparison.Ordinal).Should().NotContain("\n", "every record ends in CRLF");
        List<string[]> records = ParseCsv(text);
        string[] header = records[0];
        header.Should().Equal(AssessmentExport.CsvHeader.Split(','));
        records.Should().OnlyContain(r => r.Length == header.Length, "every record has every field");
        Dictionary<string, int> col = header.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i);
        string Get(string[] r, string c) => r[col[c]];
        // An empty cell is a value the library could not measure (NaN), such as the alignment without corneal reflexes.
        double Num(string[] r, string c) => Get(r, c) is { Length: > 0 } cell ? double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture) : double.NaN;

        string[][] rows = [.. records.Skip(1)];
        rows.Select(r => Get(r, "file")).Distinct().Should().Equal(PhotoName, "b.jpg");
        string[] bad = rows.Where(r => Get(r, "file") == "b.jpg").Should().ContainSingle().Subject;
        Get(bad, "status").Should().Be("unreadableImage");
        Get(bad, "record").Should().Be("image");
        Get(bad, "description").Should().StartWith("UnknownFormat: ");

        string[][] photo = [.. rows.Where(r => Get(r, "file") == PhotoName)];
        photo.Select(r => Get(r, "status")).Should().OnlyContain(s => s == "success");
        string[][] measurements = [.. photo.Where(r => Get(r, "record") == "measurement")];
        string[] Row(string measure, string eye, string unit) => measurements
            .Where(r => Get(r, "measure") == measure && Get(r, "eye") == eye && Get(r, "unit") == unit).Should().ContainSingle($"{measure} {eye} {unit}").Subject;

        foreach ((DiagnosticMeasure measure, EyeSide eye, MeasureUnit unit, double value) in CatalogValues(m))
        {
            Same(Num(Row(Camel(measure.ToString()), Camel(eye.ToString()), Unit(unit)), "value"), value, $"{measure} {eye} {unit}");
        }

        foreach ((string measure, EyeSide eye, MeasuredValue v) in Lengths(m))
        {
            string[] mm = Row(measure, Camel(eye.ToString()), "mm");
            Same(Num(mm, "uncertainty"), v.MillimetresUncertainty, $"{measure} {eye} mm uncertainty");
            Same(Num(Row(measure, Camel(eye.ToString()), "px"), "value"), v.Pixels, $"{measure} {eye} px");
        }

        Same(Num(Row("irisDiameter", "left", "px"), "value"), m.Left.IrisDiameterPixels, "left iris diameter px");
        Same(Num(Row("horizontalVergence", "both", "pd"), "low"), m.HorizontalVergencePrism.Low, "vergence PD low");
        Same(Num(Row("assumedIrisDiameter", "both", "mm"), "uncertainty"), m.IrisDiameterSdMm, "assumed iris SD");
        float.Parse(Get(Row("headYaw", "both", "deg"), "value"), CultureInfo.InvariantCulture).Should().Be(m.Pose.Yaw);
        float.Parse(Get(Row("headPitch", "both", "deg"), "value"), CultureInfo.InvariantCulture).Should().Be(m.Pose.Pitch);

        string[][] findings = [.. photo.Where(r => Get(r, "record") == "finding")];
        findings.Select(r => (Get(r, "kind"), Get(r, "eye"), Get(r, "measure"), Get(r, "unit"), Num(r, "value"), Get(r, "reliable"), Get(r, "concerns"), Get(r, "description")))
            .Should().Equal(expected.Findings.Select(f => (Camel(f.Kind.ToString()), Camel(f.Eye.ToString()), Camel(f.Measure.ToString()), Unit(f.Range.Unit), f.Value,
                f.IsReliable ? "true" : "false", string.Join(';', f.CaptureConcerns.Select(q => Camel(q.Issue.ToString())).Distinct()), f.Description)));

        // Each finding's measure has its measurement rows, so the two join.
        findings.Select(f => Get(f, "measure")).Should().BeSubsetOf(measurements.Select(r => Get(r, "measure")));

        photo.Where(r => Get(r, "record") == "quality").Select(r => (Get(r, "kind"), Get(r, "eye"), Num(r, "value"), Num(r, "limit")))
            .Should().Equal(expected.QualityFlags.Select(q => (Camel(q.Issue.ToString()), Camel(q.Eye.ToString()), q.Value, q.Limit)));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\rhere", "\"cr\rhere\"")]
    public void Csv_fields_are_quoted_as_rfc_4180_requires(string field, string written) =>
        AssessmentExport.CsvField(field).Should().Be(written);

    [Fact]
    public void Csv_text_cells_a_spreadsheet_would_run_as_a_formula_get_a_leading_apostrophe_and_numbers_do_not()
    {
        AssessmentExport.CsvField("=SUM(A1)").Should().Be("'=SUM(A1)");
        AssessmentExport.CsvField("+1").Should().Be("'+1");
        AssessmentExport.CsvField("-x.jpg").Should().Be("'-x.jpg");
        AssessmentExport.CsvField("@me").Should().Be("'@me");
        AssessmentExport.CsvField("\tx").Should().Be("'\tx");
        AssessmentExport.CsvField("=a,b").Should().Be("\"'=a,b\"", "quoting still applies after the apostrophe");
        AssessmentExport.CsvField("photo.jpg").Should().Be("photo.jpg");

        // Negative numbers are numbers: written without an apostrophe.
        var stdout = new StringWriter();
        AssessCommand.Run(_dir, stdout, new StringWriter(), AssessFormat.Csv);
        stdout.ToString().Should().NotContain(",'-").And.MatchRegex(",-[0-9]");
    }

    [Fact]
    public void Json_and_csv_together_are_a_usage_error()
    {
        Program.Main(["assess", Path.Combine(_dir, PhotoName), "--json", "--csv"]).Should().Be(Program.Usage);
    }

    /// <summary>An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(text[i++]);
                    }
                }

                (i >= text.Length || text[i] == ',' || text[i] == '\r').Should().BeTrue("a closing quote ends the field");
            }
            else if (text[i] == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i += 2;
            }
            else
            {
                field.Append(text[i++]);
            }
        }

        fields.Count.Should().Be(0, "the last record ends in CRLF");
        return records;
    }
}

/// <summary>Reading JSON numbers the exporter writes as null when the library's value is not finite.</summary>
internal static class JsonNumber
{
    public static double ToDoubleOrNaN(this System.Text.Json.JsonElement e) => e.ValueKind == System.Text.Json.JsonValueKind.Null ? double.NaN : e.GetDouble();
}
