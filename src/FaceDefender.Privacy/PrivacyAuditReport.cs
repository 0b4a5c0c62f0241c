using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaceDefender.Privacy;

/// <summary>A threshold set on the impostor distribution, with the genuine (raw vs raw, same person) accept rate there.</summary>
/// <param name="FalseAcceptRate">The target FAR.</param>
/// <param name="Threshold">Cosine threshold: the (1 - FAR) quantile (R type 7) of impostor scores.</param>
/// <param name="ImpostorPairs">Impostor pairs behind it (fewer than 1 / FAR makes the threshold coarse).</param>
/// <param name="GenuineAcceptRate">Raw-vs-raw same-person pairs at or above the threshold; null without such pairs.</param>
public sealed record ThresholdAtFar(double FalseAcceptRate, double Threshold, int ImpostorPairs, ProportionEstimate? GenuineAcceptRate);

/// <summary>Share of protected images accepted as their raw photo at a threshold.</summary>
/// <param name="FalseAcceptRate">The FAR that set the threshold.</param>
/// <param name="Threshold">The threshold.</param>
/// <param name="AcceptRate">Protected images whose cosine to their own raw photo reaches the threshold.</param>
public sealed record TrueAcceptAtFar(double FalseAcceptRate, double Threshold, ProportionEstimate AcceptRate);

/// <summary>Identification: probe ranked against a gallery of identities.</summary>
/// <param name="GallerySize">Identities in the gallery.</param>
/// <param name="Rank1">Probes whose true identity scores highest.</param>
/// <param name="Rank5">Probes whose true identity is among the 5 highest.</param>
/// <param name="ChanceRank1">Rank-1 rate of a random guess (1 / gallery size).</param>
/// <param name="ChanceRank5">Rank-5 rate of a random guess.</param>
public sealed record IdentificationResult(int GallerySize, ProportionEstimate Rank1, ProportionEstimate Rank5, double ChanceRank1, double ChanceRank5);

/// <summary>Everything measured for one protection method.</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Protected">Photos protected and embedded.</param>
/// <param name="Failed">Photos the method or the embedder could not handle (left out of this method's figures).</param>
/// <param name="CosineToRaw">Cosine similarity of each protected image to its own raw photo.</param>
/// <param name="TrueAccept">Protected images accepted as their raw photo, per FAR threshold.</param>
/// <param name="RawGallery">Probe = protected image, gallery = raw photos.</param>
/// <param name="SameToolAttack">Probe = protected image, gallery = photos protected by the same method with other variant keys (fresh avatars); null when not run.</param>
/// <param name="SameToolSameImageProbes">Same-tool probes whose identity had one photo only, so the gallery entry is the same photo protected with another key.</param>
/// <param name="PeriocularCosineToRaw">Eye strip of the protected image (rest grey) vs the full raw photo; null when not run.</param>
/// <param name="PeriocularRawGallery">Eye strip of the protected image ranked against full raw photos.</param>
/// <param name="PeriocularStripGallery">Eye strip of the protected image ranked against the eye strips of the raw photos (an attacker who crops the gallery alike).</param>
public sealed record MethodAuditResult(
    string Method, int Protected, int Failed, ScoreSummary? CosineToRaw, IReadOnlyList<TrueAcceptAtFar> TrueAccept,
    IdentificationResult? RawGallery, IdentificationResult? SameToolAttack, int SameToolSameImageProbes,
    ScoreSummary? PeriocularCosineToRaw, IdentificationResult? PeriocularRawGallery, IdentificationResult? PeriocularStripGallery);

/// <summary>
/// The result of a privacy audit. It measures re-identification risk with one embedder on one set
/// of photos; it never certifies that a method is safe.
/// </summary>
/// <param name="Embedder">The embedder's name.</param>
/// <param name="Images">Raw photos embedded.</param>
/// <param name="FailedImages">Raw photos the embedder could not handle.</param>
/// <param name="Identities">Distinct identities (the gallery size of the identification figures).</param>
/// <param name="Impostor">Raw vs raw cosines of different people.</param>
/// <param name="Genuine">Raw vs raw cosines of the same person (null when every identity has one photo).</param>
/// <param name="GenuineImpostorAuc">Area under the ROC curve separating genuine from impostor pairs (Mann-Whitney), null without genuine pairs.</param>
/// <param name="Thresholds">Thresholds at the requested FARs.</param>
/// <param name="Methods">Per-method results.</param>
public sealed record PrivacyAuditReport(
    string Embedder, int Images, int FailedImages, int Identities, ScoreSummary Impostor, ScoreSummary? Genuine, double? GenuineImpostorAuc,
    IReadOnlyList<ThresholdAtFar> Thresholds, IReadOnlyList<MethodAuditResult> Methods)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>
    /// Whether the photos of one person are copies of one capture (<see cref="NearDuplicateCheck"/>); when they are, the
    /// same-tool figures are an upper bound from copies. Null when the check was not made (a report built by hand).
    /// </summary>
    public NearDuplicateCheck? NearDuplicates { get; init; }

    /// <summary>Whether the same-tool figures of this report are an upper bound from copies of one capture.</summary>
    public bool SameToolIsUpperBoundFromCopies => NearDuplicates?.SameToolIsUpperBoundFromCopies ?? false;

    /// <summary>The report as indented JSON (camelCase).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The report as Markdown tables with every interval and the gallery size.</summary>
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"# Privacy audit ({Embedder})");
        sb.AppendLine();
        sb.AppendLine(c, $"{Images} raw photos of {Identities} identities ({FailedImages} could not be embedded). Gallery size for identification: {Identities} (chance Rank-1 {1.0 / Math.Max(1, Identities):P1}). Intervals are 95 %: Wilson for rates, percentile bootstrap for means.");
        sb.AppendLine();
        sb.AppendLine("This report measures re-identification risk with one face-recognition model on these photos. It does not show that any method is safe: a stronger model or attacker may do better.");
        sb.AppendLine();
        sb.AppendLine(c, $"- impostor cosine (raw vs raw, different people): {Fmt(Impostor)}");
        if (Genuine is not null)
        {
            sb.AppendLine(c, $"- genuine cosine (raw vs raw, same person): {Fmt(Genuine)}; AUC genuine vs impostor {GenuineImpostorAuc:F3}");
        }

        foreach (ThresholdAtFar t in Thresholds)
        {
            string gar = t.GenuineAcceptRate is { } g ? $"; genuine accept {Rate(g)}" : "";
            sb.AppendLine(c, $"- threshold at FAR {t.FalseAcceptRate:0.###}: {t.Threshold:F3} (from {t.ImpostorPairs} impostor pairs{(t.ImpostorPairs * t.FalseAcceptRate < 1 ? ", too few for this FAR: the threshold is the largest impostor score region" : "")}){gar}");
        }

        if (NearDuplicates is { } dup)
        {
            sb.AppendLine();
            sb.AppendLine(dup.Summary());
        }

        sb.AppendLine();
        sb.Append("| method | n | cosine to raw: mean [95 % CI] | median |");
        foreach (ThresholdAtFar t in Thresholds)
        {
            sb.Append(c, $" TAR @ FAR {t.FalseAcceptRate:0.###} |");
        }

        string bound = SameToolIsUpperBoundFromCopies ? " (upper bound from copies)" : "";
        sb.AppendLine(c, $" Rank-1 vs raw gallery | Rank-5 vs raw gallery | same-tool Rank-1{bound} | same-tool Rank-5{bound} |");
        sb.Append("|---|---|---|---|");
        foreach (ThresholdAtFar unused in Thresholds)
        {
            sb.Append("---|");
        }

        sb.AppendLine("---|---|---|---|");
        foreach (MethodAuditResult m in Methods)
        {
            sb.Append(c, $"| {m.Method} | {m.Protected}{(m.Failed > 0 ? $" ({m.Failed} failed)" : "")} | {(m.CosineToRaw is { } s ? $"{s.Mean:F3} [{s.MeanLow:F3}, {s.MeanHigh:F3}]" : "-")} | {(m.CosineToRaw is { } s2 ? s2.Median.ToString("F3", c) : "-")} |");
            foreach (TrueAcceptAtFar t in m.TrueAccept)
            {
                sb.Append(c, $" {Rate(t.AcceptRate)} |");
            }

            sb.AppendLine(c, $" {Rate(m.RawGallery?.Rank1)} | {Rate(m.RawGallery?.Rank5)} | {Rate(m.SameToolAttack?.Rank1)} | {Rate(m.SameToolAttack?.Rank5)} |");
        }

        if (Methods.Any(m => m.PeriocularCosineToRaw is not null))
        {
            sb.AppendLine();
            sb.AppendLine("Leakage of the eye strip alone (the protected image with everything but a strip over brows and eyes painted grey):");
            sb.AppendLine();
            sb.AppendLine("| method | strip vs raw: cosine mean [95 % CI] | Rank-1 vs raw gallery | Rank-1 vs raw-strip gallery | Rank-5 vs raw-strip gallery |");
            sb.AppendLine("|---|---|---|---|---|");
            foreach (MethodAuditResult m in Methods.Where(m => m.PeriocularCosineToRaw is not null))
            {
                ScoreSummary s = m.PeriocularCosineToRaw!;
                sb.AppendLine(c, $"| {m.Method} | {s.Mean:F3} [{s.MeanLow:F3}, {s.MeanHigh:F3}] | {Rate(m.PeriocularRawGallery?.Rank1)} | {Rate(m.PeriocularStripGallery?.Rank1)} | {Rate(m.PeriocularStripGallery?.Rank5)} |");
            }
        }

        if (Methods.Any(m => m.SameToolSameImageProbes > 0))
        {
            sb.AppendLine();
            sb.AppendLine("Same-tool attack: where an identity has one photo only, its gallery entry is that photo protected again with another key (another avatar); for deterministic baselines that entry equals the probe.");
        }

        return sb.ToString();
    }

    private static string Fmt(ScoreSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"mean {s.Mean:F3} [{s.MeanLow:F3}, {s.MeanHigh:F3}], sd {s.StandardDeviation:F3}, median {s.Median:F3}, range {s.Min:F3}..{s.Max:F3}, n = {s.Count}");

    private static string Rate(ProportionEstimate? p) => p is null
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{p.Successes}/{p.Trials} = {p.Value:P0} [{p.Low:P0}, {p.High:P0}]");
}
