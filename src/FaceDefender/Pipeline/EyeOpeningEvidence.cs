using System.Numerics;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using FaceDefender.Synthesis;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Pipeline;

/// <summary>
/// Whether the image shows an open eye where the landmarks put one. The landmark model draws an eye opening from the
/// face's context, also over an eye that is closed, painted over or covered; the image itself says otherwise: in an open
/// eye the iris disc is darker than the exposed sclera beside it. The evidence is the luma difference (BT.601, 0-255)
/// between the median of the opening outside the iris (beyond 1.15 iris radii) and the median of the iris core (within 0.7
/// radii). Over a closed lid, skin paint or a bar both medians are the same material and the difference is near 0.
/// </summary>
internal static class EyeOpeningEvidence
{
    /// <summary>Fewest pixels in each of the two regions for a verdict; fewer gives <see cref="double.NaN"/> (no evidence either way).</summary>
    public const int MinSamples = 6;

    /// <summary>
    /// The sclera-minus-iris luma difference of one eye; where the opening is too small to hold both regions, the spread of
    /// luma inside it; NaN when the opening covers fewer than <see cref="MinSamples"/> pixels (no verdict).
    /// </summary>
    public static double ScleraIrisContrast(Image<Rgb24> photo, EyeLandmarks eye)
    {
        Vector2[] polygon = [.. eye.Contour];
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (Vector2 p in polygon)
        {
            minX = MathF.Min(minX, p.X);
            minY = MathF.Min(minY, p.Y);
            maxX = MathF.Max(maxX, p.X);
            maxY = MathF.Max(maxY, p.Y);
        }

        float r = eye.IrisDiameter / 2;
        if (!(r > 0.5f) || !float.IsFinite(minX) || !float.IsFinite(maxY))
        {
            return double.NaN;
        }

        int x0 = Math.Max(0, (int)MathF.Floor(minX)), x1 = Math.Min(photo.Width - 1, (int)MathF.Ceiling(maxX));
        int y0 = Math.Max(0, (int)MathF.Floor(minY)), y1 = Math.Min(photo.Height - 1, (int)MathF.Ceiling(maxY));
        var iris = new List<float>();
        var sclera = new List<float>();
        float inner = 0.7f * r, outer = 1.15f * r;
        photo.ProcessPixelRows(rows =>
        {
            for (int y = y0; y <= y1; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = x0; x <= x1; x++)
                {
                    var c = new Vector2(x + 0.5f, y + 0.5f);
                    if (!PolygonMath.Contains(polygon, c))
                    {
                        continue;
                    }

                    Rgb24 px = row[x];
                    float luma = Luma.Of(px);
                    float d = Vector2.Distance(c, eye.IrisCentre);
                    if (d <= inner)
                    {
                        iris.Add(luma);
                    }
                    else if (d >= outer)
                    {
                        sclera.Add(luma);
                    }
                }
            }
        });

        if (iris.Count >= MinSamples && sclera.Count >= MinSamples)
        {
            return Median(sclera) - Median(iris);
        }

        // An opening too small to split into iris and sclera: its spread of luma (90th minus 10th percentile) stands in,
        // which a flat bar or paint also lacks.
        var all = new List<float>(iris.Count + sclera.Count);
        all.AddRange(iris);
        all.AddRange(sclera);
        if (all.Count < MinSamples)
        {
            return double.NaN;
        }

        all.Sort();
        return all[(int)(0.9 * (all.Count - 1))] - all[(int)(0.1 * (all.Count - 1))];
    }

    private static double Median(List<float> v)
    {
        v.Sort();
        int n = v.Count;
        return n % 2 == 1 ? v[n / 2] : (v[(n / 2) - 1] + v[n / 2]) / 2.0;
    }
}
