using System.Collections.Immutable;
using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Statistics;
using FaceDefender.Synthesis;

namespace FaceDefender.Privacy;

/// <summary>
/// What the kept eye geometry reveals to an attacker who measures eyes, on a synthetic population: each person's
/// measurements are drawn from the reference standard's distributions, each visit adds a documented test-retest noise,
/// the protected probe carries the measurements rounded to a <see cref="GeometryPrecision"/>, and the attacker matches
/// it to a gallery of other visits by the <see cref="EyeGeometryEmbedder"/> descriptor. Reproducible from a seed.
/// </summary>
/// <remarks>
/// <para><b>Population</b> (<see cref="Measures"/>): per eye MRD1, MRD2, fissure width, iris to inner canthus (L/R), upward
/// decentration and canthal tilt, and the inter-pupillary distance, each normal. Centre and standard deviation come from
/// <see cref="ReferenceStandard.Default"/> where it has a range (the range's centre, its half-width / 1.96, the ranges
/// being central 95 % ranges): MRD1, MRD2, L, R, upward decentration. The others take the coarse adult figures of
/// <see cref="EyeGeometryEmbedder.FeatureScales"/>. The right and left MRD1 correlate with the coefficient implied by
/// the standard's MRD1-asymmetry range (a difference within ±2 mm for 95 % of people: rho = 1 - var(diff) / (2 var)
/// = 0.35); every other pair is drawn independently, which gives the attacker more independent information than a real
/// population would (the estimate errs on the attacker's side). Fissure height is MRD1 + MRD2 and nasal decentration
/// is L/R minus half the horizontal canthal span, as in the rounding.</para>
/// <para><b>Revisits</b>: each visit adds independent normal noise per measure. MRD1 and MRD2: 0.25 and 0.24 mm per
/// visit, from the 95 % limits of agreement between automated photographic and manual measurement (-0.66 to 0.71 mm and
/// -0.54 to 0.80 mm; Bodnar, Neimkin and Holds, JAMA Ophthalmol 2016;134:146-150), i.e. the spread of a difference
/// divided by the square root of 2. The other measures: the noise that gives a test-retest intraclass correlation of
/// <see cref="GeometryAttackSimulationOptions.Reliability"/> (default 0.9, within the 0.66-1.0 reported for periorbital
/// photographic measurements by Rajyalakshmi, Prakash, Ali and Naik, J Cutan Aesthet Surg 2017;10:190-197). Both leave
/// out day-to-day changes of the lids themselves (fatigue, gaze, head pose), so real revisits differ more: again the
/// attacker's favour.</para>
/// <para><b>Attackers</b>: the descriptor of <see cref="EyeGeometryEmbedder.Describe"/> (standardised, L2-normalised,
/// cosine) and the nearest neighbour on the standardised values before normalisation (Euclidean); each probe is the
/// rounded measurement of one visit, the gallery holds one other visit of every person: raw (unrounded; the attacker
/// measured a photo) or protected too (rounded; the same-tool attack). Rank-1 is the fraction of probes whose nearest
/// gallery entry is their own person.</para>
/// </remarks>
public static class GeometryAttackSimulation
{
    private const double Iris = 11.7;

    /// <summary>The simulated population: each measure's centre, standard deviation and per-visit noise, with sources.</summary>
    public static ImmutableArray<SimulatedMeasure> Measures { get; } = BuildMeasures(0.9);

    /// <summary>The correlation of the right and left MRD1 implied by the default standard's MRD1-asymmetry range.</summary>
    public static double Mrd1InterEyeCorrelation { get; } = Mrd1Correlation();

    /// <summary>Runs the simulation.</summary>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>One row per precision, gallery size and gallery kind.</returns>
    public static GeometryAttackSimulationReport Run(GeometryAttackSimulationOptions? options = null)
    {
        options ??= new GeometryAttackSimulationOptions();
        ImmutableArray<SimulatedMeasure> measures = BuildMeasures(options.Reliability);
        var rows = new List<GeometryAttackSimulationRow>();
        foreach (int size in options.GallerySizes)
        {
            int trials = Math.Max(options.MinimumTrials, (int)Math.Ceiling(options.ProbesPerGallerySize / (double)size));
            // One random stream per gallery size, so adding a size does not change the others' figures.
            var rng = new Random(HashCode.Combine(options.Seed, size) & int.MaxValue);
            var rank1 = new double[options.Precisions.Length, 2, 2][];
            for (int p = 0; p < options.Precisions.Length; p++)
            {
                for (int k = 0; k < 2; k++)
                {
                    rank1[p, k, 0] = new double[trials];
                    rank1[p, k, 1] = new double[trials];
                }
            }

            for (int t = 0; t < trials; t++)
            {
                var truth = new double[size][];
                var probeVisit = new double[size][];
                var galleryVisit = new double[size][];
                for (int i = 0; i < size; i++)
                {
                    truth[i] = DrawPerson(rng, measures);
                    probeVisit[i] = Visit(rng, truth[i], measures);
                    galleryVisit[i] = Visit(rng, truth[i], measures);
                }

                float[][] rawGallery = [.. galleryVisit.Select(v => Raw(v, GeometryPrecision.Exact))];
                for (int p = 0; p < options.Precisions.Length; p++)
                {
                    GeometryPrecision precision = options.Precisions[p];
                    float[][] probes = [.. probeVisit.Select(v => Raw(v, precision))];
                    float[][] protectedGallery = [.. galleryVisit.Select(v => Raw(v, precision))];
                    (rank1[p, 0, 0][t], rank1[p, 0, 1][t]) = Rank1(probes, rawGallery);
                    (rank1[p, 1, 0][t], rank1[p, 1, 1][t]) = Rank1(probes, protectedGallery);
                }
            }

            for (int p = 0; p < options.Precisions.Length; p++)
            {
                foreach (SimulatedGallery kind in new[] { SimulatedGallery.Raw, SimulatedGallery.Protected })
                {
                    double[] cosine = rank1[p, (int)kind, 0], nearest = rank1[p, (int)kind, 1];
                    rows.Add(new GeometryAttackSimulationRow(options.Precisions[p], size, kind, trials, 1.0 / size,
                        Summary(cosine), Summary(nearest), options.Precisions[p].LargestChangeMillimetres));
                }
            }
        }

        return new GeometryAttackSimulationReport(options.Seed, options.Reliability, measures, rows);
    }

    private static SimulatedRank1 Summary(double[] perTrial)
    {
        double mean = perTrial.Average();
        Interval ci = perTrial.Length >= 2 && perTrial.Any(v => v != perTrial[0])
            ? NormalIntervals.MeanConfidenceIntervalT(perTrial)
            : new Interval(mean, mean, 0.95, IntervalKind.MeanConfidenceInterval, "degenerate: every trial gave the same value");
        Interval range = NormalIntervals.PercentileReferenceInterval(perTrial);
        return new SimulatedRank1(mean, ci, range);
    }

    /// <summary>Rank-1 of the cosine attacker and of the Euclidean nearest neighbour (on the standardised values).</summary>
    private static (double Cosine, double Nearest) Rank1(float[][] probes, float[][] gallery)
    {
        float[][] unitProbes = [.. probes.Select(Unit)], unitGallery = [.. gallery.Select(Unit)];
        int cosineHits = 0, nearestHits = 0;
        for (int i = 0; i < probes.Length; i++)
        {
            int bestCos = -1, bestNear = -1;
            double cosBest = double.NegativeInfinity, nearBest = double.PositiveInfinity;
            for (int j = 0; j < gallery.Length; j++)
            {
                double dot = 0, d2 = 0;
                float[] a = unitProbes[i], b = unitGallery[j], x = probes[i], y = gallery[j];
                for (int k = 0; k < a.Length; k++)
                {
                    dot += a[k] * b[k];
                    double d = x[k] - y[k];
                    d2 += d * d;
                }

                // Ties go to the later index, so a probe identical to several entries is not counted as found by luck of order.
                if (dot >= cosBest)
                {
                    cosBest = dot;
                    bestCos = j;
                }

                if (d2 <= nearBest)
                {
                    nearBest = d2;
                    bestNear = j;
                }
            }

            cosineHits += bestCos == i ? 1 : 0;
            nearestHits += bestNear == i ? 1 : 0;
        }

        return (cosineHits / (double)probes.Length, nearestHits / (double)probes.Length);
    }

    private static float[] Unit(float[] z)
    {
        double n = Math.Sqrt(z.Sum(v => (double)v * v));
        return n < 1e-12 ? [.. z] : [.. z.Select(v => (float)(v / n))];
    }

    // Person vector layout (independent parameters): per eye [MRD1, MRD2, fissure width, L/R, decentration up, tilt] right then left, then IPD.
    private const int PerEye = 6;

    private static double[] DrawPerson(Random rng, ImmutableArray<SimulatedMeasure> m)
    {
        var v = new double[(2 * PerEye) + 1];
        double rho = Mrd1InterEyeCorrelation;
        double shared = Normal(rng), own1 = Normal(rng), own2 = Normal(rng);
        for (int eye = 0; eye < 2; eye++)
        {
            for (int k = 0; k < PerEye; k++)
            {
                SimulatedMeasure s = m[(eye * PerEye) + k];
                double z = k == 0 ? (Math.Sqrt(rho) * shared) + (Math.Sqrt(1 - rho) * (eye == 0 ? own1 : own2)) : Normal(rng);
                v[(eye * PerEye) + k] = s.Centre + (s.StandardDeviation * z);
            }
        }

        SimulatedMeasure ipd = m[2 * PerEye];
        v[2 * PerEye] = ipd.Centre + (ipd.StandardDeviation * Normal(rng));
        return v;
    }

    private static double[] Visit(Random rng, double[] truth, ImmutableArray<SimulatedMeasure> m)
    {
        var v = new double[truth.Length];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = truth[i] + (m[i].VisitNoise * Normal(rng));
        }

        return v;
    }

    /// <summary>The standardised (not normalised) attacker descriptor of one visit, rounded to <paramref name="p"/>.</summary>
    private static float[] Raw(double[] visit, GeometryPrecision p)
    {
        var raw = new List<double>(17);
        for (int eye = 0; eye < 2; eye++)
        {
            int o = eye * PerEye;
            double mrd1 = GeometryPrecision.Round(visit[o], p.Millimetres);
            double mrd2 = GeometryPrecision.Round(visit[o + 1], p.Millimetres);
            double width = GeometryPrecision.Round(visit[o + 2], p.Millimetres);
            double toInner = GeometryPrecision.Round(visit[o + 3], p.Millimetres);
            double up = GeometryPrecision.Round(visit[o + 4], p.Millimetres);
            double tilt = GeometryPrecision.Round(visit[o + 5], p.Degrees);
            double nasal = toInner - (width * Math.Cos(tilt * Math.PI / 180) / 2);
            raw.AddRange([mrd1 / Iris, mrd2 / Iris, (mrd1 + mrd2) / Iris, width / Iris, toInner / Iris, nasal / Iris, up / Iris, tilt]);
        }

        raw.Add(GeometryPrecision.Round(visit[2 * PerEye], p.InterPupillaryMillimetres) / Iris);
        var z = new float[raw.Count];
        for (int i = 0; i < z.Length; i++)
        {
            (_, double centre, double scale) = EyeGeometryEmbedder.FeatureScales[i];
            z[i] = (float)((raw[i] - centre) / scale);
        }

        return z;
    }

    private static double Normal(Random rng)
    {
        // Box-Muller; 1 - NextDouble() is in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Mrd1Correlation()
    {
        ReferenceStandard std = ReferenceStandard.Default;
        (double _, double sd) = FromRange(std.Find(DiagnosticMeasure.Mrd1, EyeSide.Right)!);
        (double _, double diffSd) = FromRange(std.Find(DiagnosticMeasure.Mrd1Asymmetry, EyeSide.Both)!);
        return Math.Clamp(1 - (diffSd * diffSd / (2 * sd * sd)), 0, 1);
    }

    private static (double Centre, double Sd) FromRange(ReferenceRange r)
    {
        double scale = r.Unit == MeasureUnit.IrisDiameters ? Iris : 1;
        return ((r.Lower!.Value + r.Upper!.Value) / 2 * scale, (r.Upper.Value - r.Lower.Value) / 2 / 1.96 * scale);
    }

    private static ImmutableArray<SimulatedMeasure> BuildMeasures(double reliability)
    {
        ReferenceStandard std = ReferenceStandard.Default;
        const string Embedder = "coarse adult figure of EyeGeometryEmbedder.FeatureScales (not in the reference standard)";
        const string Bodnar = "Bodnar, Neimkin, Holds, JAMA Ophthalmol 2016;134:146-150: 95 % limits of agreement / 1.96 / sqrt 2";
        string icc = FormattableString.Invariant($"test-retest ICC {reliability:0.##} (Rajyalakshmi et al., J Cutan Aesthet Surg 2017;10:190-197: 0.66-1.0)");
        double IccNoise(double sd) => sd * Math.Sqrt((1 - reliability) / reliability);
        SimulatedMeasure FromStandard(string name, DiagnosticMeasure measure, EyeSide eye, double? noise = null, string? noiseSource = null)
        {
            ReferenceRange r = std.Find(measure, eye) ?? throw new InvalidOperationException($"The default standard has no {measure} range.");
            (double c, double sd) = FromRange(r);
            return new SimulatedMeasure(name, "mm", c, sd, $"default reference standard: {r.Source}", noise ?? IccNoise(sd), noiseSource ?? icc);
        }

        SimulatedMeasure FromEmbedder(string name, int index, string unit)
        {
            (_, double centre, double scale) = EyeGeometryEmbedder.FeatureScales[index];
            double f = unit == "mm" ? Iris : 1;
            return new SimulatedMeasure(name, unit, centre * f, scale * f, Embedder, IccNoise(scale * f), icc);
        }

        var list = new List<SimulatedMeasure>();
        foreach ((string side, EyeSide eye, int offset) in new[] { ("right", EyeSide.Right, 0), ("left", EyeSide.Left, 8) })
        {
            list.Add(FromStandard($"{side} MRD1", DiagnosticMeasure.Mrd1, eye, (0.71 + 0.66) / 2 / 1.96 / Math.Sqrt(2), Bodnar));
            list.Add(FromStandard($"{side} MRD2", DiagnosticMeasure.Mrd2, eye, (0.80 + 0.54) / 2 / 1.96 / Math.Sqrt(2), Bodnar));
            list.Add(FromEmbedder($"{side} fissure width", offset + 3, "mm"));
            list.Add(FromStandard($"{side} iris to inner canthus", DiagnosticMeasure.IrisToInnerCanthus, eye));
            list.Add(FromStandard($"{side} decentration up", DiagnosticMeasure.DecentrationUp, eye));
            list.Add(FromEmbedder($"{side} canthal tilt", offset + 7, "degrees"));
        }

        list.Add(FromEmbedder("inter-pupillary distance", 16, "mm"));
        return [.. list];
    }
}

/// <summary>Options of <see cref="GeometryAttackSimulation"/>. Immutable; each value is checked when it is set.</summary>
public sealed record GeometryAttackSimulationOptions
{
    /// <summary>The default precisions: exact, <see cref="GeometryPrecision.Default"/>, and every step 1 mm / 2 PD / 2 deg / 2 mm and 2 mm / 5 PD / 5 deg / 5 mm.</summary>
    public static ImmutableArray<GeometryPrecision> DefaultPrecisions { get; } =
        [GeometryPrecision.Exact, GeometryPrecision.Default, new GeometryPrecision(1, 2, 2, 2), new GeometryPrecision(2, 5, 5, 5)];

    /// <summary>Seed of the population and visits (default 1): the same seed and options give the same report.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gallery sizes (people), one or more, each 2 .. 100,000; default 10, 100 and 1,000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No size, or a size outside 2 .. 100,000.</exception>
    public ImmutableArray<int> GallerySizes
    {
        get;
        init => field = !value.IsDefaultOrEmpty && value.All(s => s is >= 2 and <= 100_000)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(GallerySizes), "Give at least one gallery size, each between 2 and 100,000.");
    } = [10, 100, 1000];

    /// <summary>Precisions of the protected probe, one or more; default <see cref="DefaultPrecisions"/>.</summary>
    /// <exception cref="ArgumentException">No precision, or a null one.</exception>
    public ImmutableArray<GeometryPrecision> Precisions
    {
        get;
        init => field = !value.IsDefaultOrEmpty && value.All(p => p is not null)
            ? value
            : throw new ArgumentException("Give at least one precision and no null.", nameof(Precisions));
    } = DefaultPrecisions;

    /// <summary>About this many probes per gallery size (trials = this / size, at least <see cref="MinimumTrials"/>);
    /// 10 .. 10,000,000, default 20,000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 10 .. 10,000,000.</exception>
    public int ProbesPerGallerySize
    {
        get;
        init => field = value is >= 10 and <= 10_000_000 ? value : throw new ArgumentOutOfRangeException(nameof(ProbesPerGallerySize), value, "Must be between 10 and 10,000,000.");
    } = 20_000;

    /// <summary>Fewest independent galleries per size, 2 .. 100,000; default 20.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 2 .. 100,000.</exception>
    public int MinimumTrials
    {
        get;
        init => field = value is >= 2 and <= 100_000 ? value : throw new ArgumentOutOfRangeException(nameof(MinimumTrials), value, "Must be between 2 and 100,000.");
    } = 20;

    /// <summary>Test-retest intraclass correlation of the measures without a published noise, 0.5 .. 0.999; default 0.9.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0.5 .. 0.999.</exception>
    public double Reliability
    {
        get;
        init => field = value >= 0.5 && value <= 0.999 ? value : throw new ArgumentOutOfRangeException(nameof(Reliability), value, "Must be between 0.5 and 0.999.");
    } = 0.9;
}

/// <summary>One simulated measure.</summary>
/// <param name="Name">Name (e.g. "right MRD1").</param>
/// <param name="Unit">"mm" or "degrees".</param>
/// <param name="Centre">Population mean.</param>
/// <param name="StandardDeviation">Population standard deviation.</param>
/// <param name="Source">Where centre and spread come from.</param>
/// <param name="VisitNoise">Standard deviation of one visit's measurement around the person's own value.</param>
/// <param name="NoiseSource">Where the visit noise comes from.</param>
public sealed record SimulatedMeasure(string Name, string Unit, double Centre, double StandardDeviation, string Source, double VisitNoise, string NoiseSource);

/// <summary>What the attacker's gallery holds.</summary>
public enum SimulatedGallery
{
    /// <summary>Raw measurements of another visit (a photo the attacker measured).</summary>
    Raw = 0,

    /// <summary>Another visit's measurements rounded like the probe (the same-tool attack).</summary>
    Protected = 1,
}

/// <summary>A simulated Rank-1 rate.</summary>
/// <param name="Mean">Expected Rank-1 (mean over the simulated galleries).</param>
/// <param name="MeanInterval">95 % confidence interval of the expected Rank-1 (t interval over the galleries).</param>
/// <param name="SingleGalleryRange">Central 95 % of the Rank-1 of a single gallery: what one audit of that size could show.</param>
public sealed record SimulatedRank1(double Mean, Interval MeanInterval, Interval SingleGalleryRange);

/// <summary>One row of the simulation.</summary>
/// <param name="Precision">Precision of the protected probe.</param>
/// <param name="GallerySize">People in the gallery.</param>
/// <param name="Gallery">What the gallery holds.</param>
/// <param name="Trials">Independent galleries simulated.</param>
/// <param name="Chance">Chance Rank-1 (1 / gallery size).</param>
/// <param name="Cosine">Rank-1 of the <see cref="EyeGeometryEmbedder"/> descriptor (cosine).</param>
/// <param name="Nearest">Rank-1 of the nearest neighbour on the standardised values.</param>
/// <param name="LargestChangeMillimetres">The clinical cost: the largest change of a kept length, mm.</param>
public sealed record GeometryAttackSimulationRow(GeometryPrecision Precision, int GallerySize, SimulatedGallery Gallery, int Trials, double Chance,
    SimulatedRank1 Cosine, SimulatedRank1 Nearest, double LargestChangeMillimetres)
{
    /// <summary>The stronger attacker's expected Rank-1.</summary>
    public double BestMean => Math.Max(Cosine.Mean, Nearest.Mean);
}

/// <summary>The simulation's result.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Reliability">The test-retest intraclass correlation used where no noise was published.</param>
/// <param name="Measures">The population and noise of every measure.</param>
/// <param name="Rows">One row per precision, gallery size and gallery kind.</param>
public sealed record GeometryAttackSimulationReport(int Seed, double Reliability, ImmutableArray<SimulatedMeasure> Measures, IReadOnlyList<GeometryAttackSimulationRow> Rows)
{
    /// <summary>A Markdown table of the rows.</summary>
    public string ToMarkdown()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(FormattableString.Invariant($"Geometry attacker on a synthetic population (seed {Seed}; noise ICC {Reliability:0.##} where none is published)."));
        sb.AppendLine();
        sb.AppendLine("| precision | largest change | gallery | people | chance | Rank-1 cosine [95 % CI] | Rank-1 nearest [95 % CI] | one gallery, 95 % range (best attacker) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (GeometryAttackSimulationRow r in Rows)
        {
            SimulatedRank1 best = r.Nearest.Mean >= r.Cosine.Mean ? r.Nearest : r.Cosine;
            sb.AppendLine(FormattableString.Invariant(
                $"| {r.Precision} | {r.LargestChangeMillimetres:0.##} mm | {(r.Gallery == SimulatedGallery.Raw ? "raw" : "same-tool")} | {r.GallerySize} | {r.Chance:P1} | {r.Cosine.Mean:P1} [{r.Cosine.MeanInterval.Lower:P1}, {r.Cosine.MeanInterval.Upper:P1}] | {r.Nearest.Mean:P1} [{r.Nearest.MeanInterval.Lower:P1}, {r.Nearest.MeanInterval.Upper:P1}] | {best.SingleGalleryRange.Lower:P1}-{best.SingleGalleryRange.Upper:P1} |"));
        }

        return sb.ToString();
    }
}
