using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace FaceDefender.Statistics;

/// <summary>
/// Reads numeric columns from a cohort CSV: first line a header, comma-separated, fields optionally in double quotes
/// (RFC 4180; "" inside quotes is a quote), numbers in invariant culture (a dot as decimal separator). Empty cells,
/// NA and NaN are missing (as R's <c>read.csv</c>) and reported, never turned into a silent NaN value.
/// </summary>
public static class CohortCsv
{
    /// <summary>Reads one column from a file.</summary>
    /// <param name="path">Path of the CSV file.</param>
    /// <param name="column">Header name (exact, case-sensitive).</param>
    /// <exception cref="ArgumentException">Empty path or column name.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">No header, unknown column, wrong field count, unterminated quote, or a non-numeric cell (line number given).</exception>
    public static CohortColumn ReadColumn(string path, string column)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return ReadColumn(reader, column);
    }

    /// <summary>Reads one column from a reader positioned at the header line.</summary>
    /// <param name="reader">CSV text.</param>
    /// <param name="column">Header name (exact, case-sensitive).</param>
    /// <exception cref="ArgumentNullException">No reader.</exception>
    /// <exception cref="ArgumentException">Empty column name.</exception>
    /// <exception cref="InvalidDataException">Malformed CSV, unknown column, or a non-numeric cell.</exception>
    public static CohortColumn ReadColumn(TextReader reader, string column)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        string? headerLine = reader.ReadLine();
        if (headerLine is null)
        {
            throw new InvalidDataException("The CSV is empty; the first line must be a header.");
        }

        List<string> header = SplitLine(headerLine, 1);
        int index = header.IndexOf(column);
        if (index < 0)
        {
            throw new InvalidDataException($"Column '{column}' is not in the CSV header ({string.Join(", ", header)}).");
        }

        var values = ImmutableArray.CreateBuilder<double>();
        var missing = ImmutableArray.CreateBuilder<int>();
        int lineNumber = 1;
        int dataRow = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            dataRow++;
            List<string> fields = SplitLine(line, lineNumber);
            if (fields.Count != header.Count)
            {
                throw new InvalidDataException($"Line {lineNumber} has {fields.Count} fields; the header has {header.Count}.");
            }

            string cell = fields[index].Trim();
            if (cell.Length == 0 || cell == "NA" || cell.Equals("NaN", StringComparison.OrdinalIgnoreCase))
            {
                missing.Add(dataRow);
                continue;
            }

            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            {
                throw new InvalidDataException($"Line {lineNumber}, column '{column}': '{cell}' is not a finite number (use a dot as decimal separator; leave missing cells empty or NA).");
            }

            values.Add(v);
        }

        return new CohortColumn(column, values.ToImmutable(), missing.ToImmutable());
    }

    private static List<string> SplitLine(string line, int lineNumber)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        sb.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"Line {lineNumber} has an unterminated quoted field (multi-line fields are not supported).");
        }

        fields.Add(sb.ToString());
        return fields;
    }
}
