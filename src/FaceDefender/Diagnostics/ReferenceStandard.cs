using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using FaceDefender.Abstractions;

namespace FaceDefender.Diagnostics;

/// <summary>
/// A set of reference ranges, one per (measure, eye): what normal looks like. Immutable; checked on
/// construction; serialisable to and from JSON (<see cref="ToJson"/>, <see cref="FromJson"/>).
/// The documented default is <see cref="Default"/>; build your own from a cohort with
/// <see cref="ReferenceStandardBuilder"/>.
/// </summary>
public sealed class ReferenceStandard
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Creates a standard.</summary>
    /// <param name="name">Short name (reported in every assessment).</param>
    /// <param name="description">What it is and how it was made.</param>
    /// <param name="ranges">The ranges; at most one per (measure, eye), where a Right or Left range overrides a Both range for that eye.</param>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    /// <exception cref="ArgumentException">Empty name, an invalid range, or two ranges for the same measure and eye.</exception>
    [JsonConstructor]
    public ReferenceStandard(string name, string description, IReadOnlyList<ReferenceRange> ranges)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(ranges);
        var seen = new HashSet<(DiagnosticMeasure, EyeSide)>();
        foreach (ReferenceRange r in ranges)
        {
            if (r is null)
            {
                throw new ArgumentException("A range is null.", nameof(ranges));
            }

            r.Validate();
            if (!seen.Add((r.Measure, r.Eye)))
            {
                throw new ArgumentException($"Two ranges for {r.Measure} / {r.Eye}; keep one.", nameof(ranges));
            }
        }

        Name = name;
        Description = description;
        Ranges = [.. ranges];
    }

    /// <summary>Short name.</summary>
    public string Name { get; }

    /// <summary>What it is and how it was made.</summary>
    public string Description { get; }

    /// <summary>The ranges.</summary>
    public ImmutableArray<ReferenceRange> Ranges { get; }

    /// <summary>
    /// The range that applies to <paramref name="measure"/> for <paramref name="eye"/>: the eye's own
    /// range, else the Both range; null when the standard has none.
    /// </summary>
    public ReferenceRange? Find(DiagnosticMeasure measure, EyeSide eye)
    {
        ReferenceRange? both = null;
        foreach (ReferenceRange r in Ranges)
        {
            if (r.Measure != measure)
            {
                continue;
            }

            if (r.Eye == eye)
            {
                return r;
            }

            if (r.Eye == EyeSide.Both)
            {
                both = r;
            }
        }

        return both;
    }

    /// <summary>Indented camelCase JSON, enums as strings.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dto(Name, Description, Ranges), JsonOptions);

    /// <summary>Reads a standard written by <see cref="ToJson"/> (or by hand in the same shape).</summary>
    /// <exception cref="ArgumentNullException">Null text.</exception>
    /// <exception cref="FaceDefenderException">Not valid JSON of a standard, or a range fails validation (the message says which).</exception>
    public static ReferenceStandard FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            Dto dto = JsonSerializer.Deserialize<Dto>(json, JsonOptions) ?? throw new JsonException("The JSON text is 'null'.");
            return new ReferenceStandard(dto.Name ?? string.Empty, dto.Description ?? string.Empty, dto.Ranges ?? []);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new FaceDefenderException($"Not a valid reference standard: {e.Message} Fix the JSON (see docs/diagnostics.md for the shape).", e);
        }
    }

    /// <summary>Reads a standard from a JSON file.</summary>
    /// <exception cref="ArgumentException">Empty path.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="FaceDefenderException">Not a valid standard.</exception>
    public static ReferenceStandard Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return FromJson(File.ReadAllText(path));
    }

    /// <summary>Writes <see cref="ToJson"/> to a file.</summary>
    /// <exception cref="ArgumentException">Empty path.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllText(path, ToJson());
    }

    /// <summary>
    /// The documented default standard (see docs/diagnostics.md): the paper's published ranges
    /// re-expressed in iris diameters, literature norms for MRD1, MRD2, fissure height and MRD1
    /// asymmetry, and stated library defaults for the inter-eye (Hirschberg) deviations.
    /// </summary>
    public static ReferenceStandard Default => DefaultReferenceStandard.Instance;

    private sealed record Dto(string? Name, string? Description, IReadOnlyList<ReferenceRange>? Ranges);
}
