using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaceDefender.Statistics;

/// <summary>
/// A reference interval and the record of every decision that produced it. Immutable; serialisable to and from
/// JSON with <see cref="ToJson"/> / <see cref="FromJson"/> (System.Text.Json, enums as strings).
/// </summary>
/// <param name="Measurement">Name of the measurement (e.g. the CSV column), or null.</param>
/// <param name="Lower">Lower reference limit.</param>
/// <param name="Upper">Upper reference limit.</param>
/// <param name="Coverage">Central fraction of the population covered (e.g. 0.95).</param>
/// <param name="Method">The method used.</param>
/// <param name="MethodReason">Why that method was chosen.</param>
/// <param name="CountBefore">Number of values before outlier removal.</param>
/// <param name="CountAfter">Number of values the interval was estimated from.</param>
/// <param name="FirstQuartile">Q1 of the input, or null when outlier removal was off.</param>
/// <param name="ThirdQuartile">Q3 of the input, or null when outlier removal was off.</param>
/// <param name="LowerFence">Lower Tukey fence, or null when outlier removal was off.</param>
/// <param name="UpperFence">Upper Tukey fence, or null when outlier removal was off.</param>
/// <param name="RemovedValues">The values removed as outliers, in input order.</param>
/// <param name="ShapiroWilkW">W of the kept values, or null when n was outside 3..5000.</param>
/// <param name="ShapiroWilkP">p of the kept values, or null when not tested.</param>
/// <param name="NormalityAlpha">Level the p-value was compared with.</param>
/// <param name="Mean">Mean of the kept values.</param>
/// <param name="StandardDeviation">Sample SD (n - 1) of the kept values.</param>
/// <param name="BootstrapReplicates">B for the bootstrap method, else null.</param>
/// <param name="Seed">Bootstrap seed, else null.</param>
/// <param name="LowerLimitConfidenceInterval">Bootstrap percentile CI of the lower limit, else null.</param>
/// <param name="UpperLimitConfidenceInterval">Bootstrap percentile CI of the upper limit, else null.</param>
/// <param name="Decisions">Human-readable log of each step, in order.</param>
public sealed record ReferenceIntervalResult(
    string? Measurement,
    double Lower,
    double Upper,
    double Coverage,
    ReferenceIntervalMethod Method,
    string MethodReason,
    int CountBefore,
    int CountAfter,
    double? FirstQuartile,
    double? ThirdQuartile,
    double? LowerFence,
    double? UpperFence,
    ImmutableArray<double> RemovedValues,
    double? ShapiroWilkW,
    double? ShapiroWilkP,
    double NormalityAlpha,
    double Mean,
    double StandardDeviation,
    int? BootstrapReplicates,
    ulong? Seed,
    Interval? LowerLimitConfidenceInterval,
    Interval? UpperLimitConfidenceInterval,
    ImmutableArray<string> Decisions)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The limits as an <see cref="Interval"/> of kind <see cref="IntervalKind.ReferenceInterval"/>.</summary>
    [JsonIgnore]
    public Interval Interval => new(Lower, Upper, Coverage, IntervalKind.ReferenceInterval, $"{Method} reference interval");

    /// <summary>Indented camelCase JSON with enums as strings.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a result written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="ArgumentNullException">Null text.</exception>
    /// <exception cref="JsonException">Not a valid result.</exception>
    public static ReferenceIntervalResult FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<ReferenceIntervalResult>(json, JsonOptions)
            ?? throw new JsonException("The JSON text is 'null', not a reference-interval result.");
    }
}
