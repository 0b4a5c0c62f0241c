using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Statistics;

namespace FaceDefender.Diagnostics;

/// <summary>How per-eye labels are grouped before computing agreement.</summary>
public enum AgreementLabels
{
    /// <summary>normal / abnormal (as the paper's comparison with ophthalmologists).</summary>
    Binary,

    /// <summary>normal, esotropia, exotropia, hypertropia, hypotropia, ptosis, lid retraction (one primary label per eye).</summary>
    Condition,
}

/// <summary>
/// Agreement between the benchmark's findings and clinicians' labels, per eye, by Cohen's kappa
/// (from the statistics package) with its P value, confidence interval and the confusion matrix.
/// Thread-safe: no state.
/// </summary>
/// <remarks>
/// The labels CSV has a header <c>id,right,left</c> (more columns are ignored); each cell is a label:
/// <c>normal</c>, <c>abnormal</c>, or a condition (<c>esotropia</c>, <c>exotropia</c>, <c>hypertropia</c>,
/// <c>hypotropia</c>, <c>ptosis</c>, <c>lid retraction</c>); empty or <c>NA</c> cells are skipped.
/// An eye's benchmark label comes from its own findings (asymmetry and out-of-range findings excluded):
/// in <see cref="AgreementLabels.Condition"/> mode strabismus first (the largest deviation), then
/// ptosis, then lid retraction.
/// </remarks>
public static class ClinicianAgreement
{
    private static readonly string[] BinaryCategories = ["normal", "abnormal"];
    private static readonly string[] ConditionCategories = ["normal", "esotropia", "exotropia", "hypertropia", "hypotropia", "ptosis", "lid retraction"];

    /// <summary>Compares assessments (by id) with the labels in a CSV file.</summary>
    /// <exception cref="ArgumentException">Empty path.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Malformed CSV or an unknown label (line given).</exception>
    public static AgreementReport Compare(IReadOnlyDictionary<string, OcularAssessment> assessments, string labelsCsvPath, AgreementLabels mode = AgreementLabels.Binary)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(labelsCsvPath);
        using var reader = new StreamReader(labelsCsvPath);
        return Compare(assessments, reader, mode);
    }

    /// <summary>Compares assessments (by id) with the labels read from <paramref name="labelsCsv"/>.</summary>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    /// <exception cref="InvalidDataException">Malformed CSV or an unknown label (line given).</exception>
    public static AgreementReport Compare(IReadOnlyDictionary<string, OcularAssessment> assessments, TextReader labelsCsv, AgreementLabels mode = AgreementLabels.Binary)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        ArgumentNullException.ThrowIfNull(labelsCsv);
        string[] categories = mode == AgreementLabels.Binary ? BinaryCategories : ConditionCategories;
        string header = labelsCsv.ReadLine() ?? throw new InvalidDataException("The labels CSV is empty; the first line must be the header id,right,left.");
        string[] names = [.. header.Split(',').Select(h => h.Trim().Trim('"').ToLowerInvariant())];
        int idCol = Array.IndexOf(names, "id"), rightCol = Array.IndexOf(names, "right"), leftCol = Array.IndexOf(names, "left");
        if (idCol < 0 || rightCol < 0 || leftCol < 0)
        {
            throw new InvalidDataException($"The labels CSV header must contain id, right and left (found: {header}).");
        }

        var pairs = new Dictionary<EyeSide, (List<int> Clinician, List<int> Benchmark)>
        {
            [EyeSide.Right] = ([], []),
            [EyeSide.Left] = ([], []),
        };
        var unmatched = new List<string>();
        int lineNumber = 1;
        string? line;
        while ((line = labelsCsv.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            if (cells.Length != names.Length)
            {
                throw new InvalidDataException($"Line {lineNumber} has {cells.Length} fields; the header has {names.Length}.");
            }

            string id = cells[idCol].Trim().Trim('"');
            if (!assessments.TryGetValue(id, out OcularAssessment? assessment))
            {
                unmatched.Add(id);
                continue;
            }

            foreach ((EyeSide eye, int col) in (ReadOnlySpan<(EyeSide, int)>)[(EyeSide.Right, rightCol), (EyeSide.Left, leftCol)])
            {
                string cell = cells[col].Trim().Trim('"');
                if (cell.Length == 0 || cell.Equals("NA", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                int clinician = Code(cell, mode, lineNumber);
                int benchmark = Array.IndexOf(categories, BenchmarkLabel(assessment, eye, mode));
                pairs[eye].Clinician.Add(clinician);
                pairs[eye].Benchmark.Add(benchmark);
            }
        }

        return new AgreementReport(Eye(pairs[EyeSide.Right], categories), Eye(pairs[EyeSide.Left], categories), categories, unmatched);
    }

    /// <summary>The benchmark's label for one eye in the given mode.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="assessment"/> is null.</exception>
    public static string BenchmarkLabel(OcularAssessment assessment, EyeSide eye, AgreementLabels mode)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        DiagnosticFinding[] clinical = [.. assessment.FindingsFor(eye).Where(f => f.Kind is not (FindingKind.Asymmetry or FindingKind.OutOfRange))];
        if (clinical.Length == 0)
        {
            return "normal";
        }

        if (mode == AgreementLabels.Binary)
        {
            return "abnormal";
        }

        DiagnosticFinding? squint = clinical.Where(f => f.Kind is FindingKind.Esotropia or FindingKind.Exotropia or FindingKind.Hypertropia or FindingKind.Hypotropia)
            .OrderByDescending(f => f.DeviationMm ?? f.Excess).FirstOrDefault();
        FindingKind kind = squint?.Kind ?? (clinical.Any(f => f.Kind == FindingKind.Ptosis) ? FindingKind.Ptosis : FindingKind.LidRetraction);
        return kind == FindingKind.LidRetraction ? "lid retraction" : kind.ToString().ToLowerInvariant();
    }

    private static int Code(string label, AgreementLabels mode, int lineNumber)
    {
        string l = label.ToLowerInvariant().Replace('_', ' ');
        if (mode == AgreementLabels.Binary)
        {
            if (l == "normal")
            {
                return 0;
            }

            if (l == "abnormal" || Array.IndexOf(ConditionCategories, l) > 0)
            {
                return 1;
            }
        }
        else
        {
            int i = Array.IndexOf(ConditionCategories, l);
            if (i >= 0)
            {
                return i;
            }
        }

        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
            $"Line {lineNumber}: unknown label '{label}'. Use {(mode == AgreementLabels.Binary ? "normal, abnormal or a condition" : string.Join(", ", ConditionCategories))}."));
    }

    private static EyeAgreement Eye((List<int> Clinician, List<int> Benchmark) p, string[] categories)
    {
        int k = categories.Length;
        var table = new long[k, k];
        for (int i = 0; i < p.Clinician.Count; i++)
        {
            table[p.Clinician[i], p.Benchmark[i]]++;
        }

        KappaResult? kappa = null;
        string? note = null;
        if (p.Clinician.Count == 0)
        {
            note = "No labelled eyes.";
        }
        else
        {
            try
            {
                kappa = CohenKappa.FromTable(table);
            }
            catch (StatisticsException e)
            {
                note = e.Message;
            }
        }

        return new EyeAgreement(p.Clinician.Count, table, kappa, note);
    }
}

/// <summary>Agreement for both eyes. Immutable.</summary>
/// <param name="Right">The subject's right eyes.</param>
/// <param name="Left">The subject's left eyes.</param>
/// <param name="Categories">The label categories, in the confusion matrices' order.</param>
/// <param name="UnmatchedIds">Ids in the labels file with no assessment.</param>
public sealed record AgreementReport(EyeAgreement Right, EyeAgreement Left, IReadOnlyList<string> Categories, IReadOnlyList<string> UnmatchedIds);

/// <summary>Agreement for one eye. Immutable.</summary>
/// <param name="N">Number of labelled eyes compared.</param>
/// <param name="Confusion">Counts: rows = clinician's label, columns = benchmark's label, in <see cref="AgreementReport.Categories"/> order.</param>
/// <param name="Kappa">Cohen's kappa with its SE, z, P and 95 % CI; null when undefined (see <paramref name="Note"/>).</param>
/// <param name="Note">Why kappa is missing, else null.</param>
public sealed record EyeAgreement(int N, long[,] Confusion, KappaResult? Kappa, string? Note);
