using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using FaceDefender.Synthesis;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Privacy;

/// <summary>
/// Whether the photos of one person in an audit set are separate captures or copies of one capture, and so whether
/// the same-tool attack measured the method or the set.
/// </summary>
/// <remarks>
/// Two photos of one person are a near-duplicate pair when either test says so:
/// <list type="bullet">
/// <item><b>Appearance</b>: the normalised cross-correlation of their eye regions, each aligned on its outer canthi to a
/// 96 x 32 grey strip, is at least <see cref="AppearanceThreshold"/> (0.9). Crops, small rotations, brightness changes
/// and JPEG re-encoding of one photo keep it above that; two captures differ in gaze, lid position, blink, light and
/// pose, all of which lower it.</item>
/// <item><b>Geometry</b>: their kept eye measurements (per eye MRD1, MRD2, fissure width, iris to inner canthus, upward
/// decentration, canthal tilt; the inter-pupillary distance) differ by less than half what two visits differ by: the
/// root mean square over the 13 measures of (difference / (sqrt 2 x per-visit noise)), with the per-visit noise of
/// <see cref="GeometryAttackSimulation.Measures"/>, is below <see cref="GeometryThreshold"/> (0.5). For two real visits
/// that statistic has mean square 1 (chi-square with 13 degrees of freedom over 13), so below 0.5 happens to about
/// 2 in 1,000 pairs of visits even with the literature's smallest (measurement-only) noise.</item>
/// </list>
/// A same-tool probe whose person has a near-duplicate of its photo is matched against a copy of itself: its result is an
/// upper bound from copies, not a measure of the method.
/// </remarks>
/// <param name="PersonsChecked">People with at least two embedded photos.</param>
/// <param name="PairsChecked">Pairs of photos of one person compared.</param>
/// <param name="AppearancePairs">Pairs flagged by appearance.</param>
/// <param name="GeometryPairs">Pairs flagged by geometry (pairs whose geometry could be measured on both photos only).</param>
/// <param name="NearDuplicatePairs">Pairs flagged by either test.</param>
/// <param name="PhotosWithNearDuplicate">Photos that have a near-duplicate among their person's other photos.</param>
/// <param name="Photos">Photos in the check (embedded raw photos).</param>
/// <param name="MedianAppearance">Median appearance correlation of the pairs (null without pairs).</param>
/// <param name="MedianGeometry">Median geometry statistic of the pairs (null without measurable pairs).</param>
public sealed record NearDuplicateCheck(
    int PersonsChecked, int PairsChecked, int AppearancePairs, int GeometryPairs, int NearDuplicatePairs, int PhotosWithNearDuplicate, int Photos,
    double? MedianAppearance, double? MedianGeometry)
{
    /// <summary>The appearance correlation at or above which two photos are near-duplicates.</summary>
    public const double AppearanceThreshold = 0.9;

    /// <summary>The geometry statistic below which two photos are near-duplicates.</summary>
    public const double GeometryThreshold = 0.5;

    /// <summary>Whether same-tool results are an upper bound from copies: some photo has a near-duplicate of the same person.</summary>
    public bool SameToolIsUpperBoundFromCopies => PhotosWithNearDuplicate > 0;

    /// <summary>One line for reports and the CLI summary.</summary>
    public string Summary()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return SameToolIsUpperBoundFromCopies
            ? string.Create(c, $"Near-duplicate captures: {PhotosWithNearDuplicate} of {Photos} photos have a near-copy of the same person ({NearDuplicatePairs} of {PairsChecked} same-person pairs; appearance {AppearancePairs}, identical geometry {GeometryPairs}). Same-tool results on this set are an UPPER BOUND FROM COPIES: they measure the test set, not the method. Collect several visits per person to measure the same-tool attack.")
            : string.Create(c, $"Near-duplicate captures: none among {PairsChecked} same-person pairs of {PersonsChecked} people (median eye-region correlation {MedianAppearance?.ToString("F2", c) ?? "-"}, geometry statistic {MedianGeometry?.ToString("F2", c) ?? "-"}).");
    }

    /// <summary>Per-photo features for the check: the aligned eye strip (zero mean, unit norm) and the kept measures.</summary>
    internal sealed record Features(float[]? Strip, double[]? Measures);

    private const int StripWidth = 96;
    private const int StripHeight = 32;

    /// <summary>Computes a photo's features; never throws for a bad face (the parts that fail are null).</summary>
    internal static Features Extract(Image<Rgb24> image, FaceLandmarks landmarks)
    {
        float[]? strip = null;
        try
        {
            strip = Strip(image, landmarks);
        }
        catch (ArgumentException)
        {
        }

        double[]? measures = null;
        try
        {
            OcularMeasurements m = new LandmarkDiagnosticBenchmark().Measure(landmarks, new HeadPose(0, 0, 0));
            double[] v =
            [
                .. new[] { m.Right, m.Left }.SelectMany(e => new[]
                {
                    e.Mrd1.Millimetres, e.Mrd2.Millimetres, e.FissureWidth.Millimetres, e.IrisToInnerCanthus.Millimetres, e.DecentrationUp.Millimetres, e.CanthalTiltDegrees,
                }),
                m.InterPupillaryDistance.Millimetres,
            ];
            measures = v.All(double.IsFinite) ? v : null;
        }
        catch (ArgumentException)
        {
        }

        return new Features(strip, measures);
    }

    /// <summary>Compares every pair of photos of one person.</summary>
    /// <param name="features">Per photo (null: not embedded).</param>
    /// <param name="identity">Per photo, its person's index.</param>
    internal static NearDuplicateCheck Check(IReadOnlyList<Features?> features, IReadOnlyList<int> identity)
    {
        double[] noise = [.. GeometryAttackSimulation.Measures.Select(m => m.VisitNoise)];
        int[] photos = [.. Enumerable.Range(0, features.Count).Where(i => features[i] is not null)];
        var flagged = new bool[features.Count];
        int pairs = 0, byAppearance = 0, byGeometry = 0, either = 0;
        var appearance = new List<double>();
        var geometry = new List<double>();
        var persons = new HashSet<int>();
        foreach (IGrouping<int, int> person in photos.GroupBy(i => identity[i]))
        {
            int[] p = [.. person];
            if (p.Length >= 2)
            {
                persons.Add(person.Key);
            }

            for (int a = 0; a < p.Length; a++)
            {
                for (int b = a + 1; b < p.Length; b++)
                {
                    Features fa = features[p[a]]!, fb = features[p[b]]!;
                    pairs++;
                    bool dup = false;
                    if (fa.Strip is not null && fb.Strip is not null)
                    {
                        double ncc = System.Numerics.Tensors.TensorPrimitives.Dot(fa.Strip, fb.Strip);
                        appearance.Add(ncc);
                        if (ncc >= AppearanceThreshold)
                        {
                            byAppearance++;
                            dup = true;
                        }
                    }

                    if (fa.Measures is not null && fb.Measures is not null)
                    {
                        double sum = 0;
                        for (int k = 0; k < noise.Length; k++)
                        {
                            double z = (fa.Measures[k] - fb.Measures[k]) / (Math.Sqrt(2) * noise[k]);
                            sum += z * z;
                        }

                        double statistic = Math.Sqrt(sum / noise.Length);
                        geometry.Add(statistic);
                        if (statistic < GeometryThreshold)
                        {
                            byGeometry++;
                            dup = true;
                        }
                    }

                    if (dup)
                    {
                        either++;
                        flagged[p[a]] = flagged[p[b]] = true;
                    }
                }
            }
        }

        return new NearDuplicateCheck(persons.Count, pairs, byAppearance, byGeometry, either, flagged.Count(f => f), photos.Length,
            Median(appearance), Median(geometry));
    }

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    /// <summary>The eye region aligned on the outer canthi (33, 263) to a fixed strip, grey, zero mean and unit norm.</summary>
    private static float[]? Strip(Image<Rgb24> image, FaceLandmarks landmarks)
    {
        Vector2 right = landmarks[33], left = landmarks[263];
        Vector2 d = left - right;
        float len = d.Length();
        if (len < 4f)
        {
            return null;
        }

        // Outer canthi to (16, 16) and (80, 16): the strip spans a little beyond each eye and half an eye-width above and below.
        Vector2 to0 = new(16, StripHeight / 2f), to1 = new(StripWidth - 16, StripHeight / 2f);
        float scale = (to1.X - to0.X) / len;
        float angle = MathF.Atan2(d.Y, d.X);
        Matrix3x2 m = Matrix3x2.CreateTranslation(-right) * Matrix3x2.CreateRotation(-angle) * Matrix3x2.CreateScale(scale) * Matrix3x2.CreateTranslation(to0);
        using Image<Rgb24> chip = ImageKernels.Warp(image, m, new Size(StripWidth, StripHeight), WarpBorderMode.Replicate);
        var grey = new float[StripWidth * StripHeight];
        chip.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    grey[(y * StripWidth) + x] = FaceDefender.Imaging.Luma.Of(row[x]);
                }
            }
        });

        float mean = grey.Average();
        double norm = 0;
        for (int i = 0; i < grey.Length; i++)
        {
            grey[i] -= mean;
            norm += grey[i] * grey[i];
        }

        if (norm < 1e-6)
        {
            return null;
        }

        float inv = (float)(1 / Math.Sqrt(norm));
        for (int i = 0; i < grey.Length; i++)
        {
            grey[i] *= inv;
        }

        return grey;
    }
}
