using System.Globalization;
using System.Text.RegularExpressions;
using FaceDefender.Abstractions;

namespace FaceDefender.Cli.Tests;

/// <summary>
/// The numbers of one assessment as <see cref="AssessmentPrinter"/> prints it, read back from the text and checked against the
/// library's own values: every row's right-eye and left-eye value and uncertainty in millimetres, the iris diameter, |L - R|,
/// the inter-pupil distance and the head pose. A swapped column, a wrong unit or a wrong row fails the check.
/// </summary>
internal static partial class PrintedAssessment
{
    /// <summary>The rows in print order, each with the library value it must show.</summary>
    public static readonly (string Label, Func<EyeMeasurements, MeasuredValue> Get)[] Rows =
    [
        ("iris to inner canthus (L/R)", e => e.IrisToInnerCanthus),
        ("palpebral fissure height", e => e.FissureHeight),
        ("fissure width", e => e.FissureWidth),
        ("MRD1", e => e.Mrd1),
        ("MRD2", e => e.Mrd2),
        ("iris decentration, nasal", e => e.DecentrationNasal),
        ("iris decentration, up", e => e.DecentrationUp),
    ];

    /// <summary>Checks the first assessment printed in <paramref name="text"/> against <paramref name="expected"/>.</summary>
    public static void ShouldShow(string text, OcularAssessment expected)
    {
        OcularMeasurements m = expected.Measurements;
        Match header = Header().Match(text);
        header.Success.Should().BeTrue($"the header line is printed:\n{text}");
        Number(header, "iris").Should().BeApproximately(m.IrisDiameterMm, 0.05 + 1e-9, "iris diameter, mm (F1)");
        Number(header, "irisSd").Should().BeApproximately(m.IrisDiameterSdMm, 0.005 + 1e-9, "iris diameter SD, mm (F2)");

        foreach ((string label, Func<EyeMeasurements, MeasuredValue> get) in Rows)
        {
            Match row = new Regex($@"^  {Regex.Escape(label)} +(?<r>-?\d+\.\d\d) mm ±(?<ru>\d+\.\d\d)  +(?<l>-?\d+\.\d\d) mm ±(?<lu>\d+\.\d\d)\r?$", RegexOptions.Multiline).Match(text);
            row.Success.Should().BeTrue($"the row '{label}' is printed with a right and a left value in mm:\n{text}");
            Number(row, "r").Should().BeApproximately(get(m.Right).Millimetres, 0.005 + 1e-9, $"{label}: the right-eye column is the right eye's value in mm");
            Number(row, "ru").Should().BeApproximately(get(m.Right).MillimetresUncertainty, 0.005 + 1e-9, $"{label}: the right eye's uncertainty in mm");
            Number(row, "l").Should().BeApproximately(get(m.Left).Millimetres, 0.005 + 1e-9, $"{label}: the left-eye column is the left eye's value in mm");
            Number(row, "lu").Should().BeApproximately(get(m.Left).MillimetresUncertainty, 0.005 + 1e-9, $"{label}: the left eye's uncertainty in mm");
        }

        Match summary = Summary().Match(text);
        summary.Success.Should().BeTrue($"the |L - R| / IPD / pose line is printed:\n{text}");
        Number(summary, "d").Should().BeApproximately(m.D.Millimetres, 0.005 + 1e-9, "|L - R|, mm (F2)");
        Number(summary, "ipd").Should().BeApproximately(m.InterPupillaryDistance.Millimetres, 0.05 + 1e-9, "inter-pupil distance, mm (F1)");
        Number(summary, "roll").Should().BeApproximately(m.Pose.Roll, 0.05 + 1e-6, "roll, degrees (F1)");
        Number(summary, "yaw").Should().BeApproximately(m.Pose.Yaw, 0.05 + 1e-6, "yaw, degrees (F1)");
        Number(summary, "pitch").Should().BeApproximately(m.Pose.Pitch, 0.05 + 1e-6, "pitch, degrees (F1)");
    }

    private static double Number(Match m, string group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"iris diameter (?<iris>\d+\.\d) ± (?<irisSd>\d+\.\d\d) mm\)")]
    private static partial Regex Header();

    [GeneratedRegex(@"^  \|L - R\| (?<d>\d+\.\d\d) mm; inter-pupil distance (?<ipd>\d+\.\d) mm; head roll (?<roll>-?\d+\.\d)° yaw (?<yaw>-?\d+\.\d)° pitch (?<pitch>-?\d+\.\d)°\r?$", RegexOptions.Multiline)]
    private static partial Regex Summary();
}
