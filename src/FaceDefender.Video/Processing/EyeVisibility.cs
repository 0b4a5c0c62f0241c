using System.Numerics;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Video.Processing;

/// <summary>
/// Whether the image shows an open eye where the landmarks put one: its corneal reflex was found, or the lid opening
/// holds both dark iris and bright sclera (the luma spread, 90th minus 10th percentile, inside the 16-point opening is at
/// least <see cref="MinSpread"/>). An occluder, a closed lid or skin paint is one material: a small spread.
/// </summary>
internal static class EyeVisibility
{
    /// <summary>Smallest luma spread (0-255) of an open eye's opening.</summary>
    public const double MinSpread = 40;

    /// <summary>Fewest pixels inside the opening for a verdict from the pixels.</summary>
    public const int MinPixels = 12;

    public static bool ShowsOpenEye(Image<Rgb24> image, EyeLandmarks eye, CornealReflexStatus reflex) =>
        reflex == CornealReflexStatus.Found || LumaSpread(image, eye) >= MinSpread;

    /// <summary>The 90th minus the 10th percentile of luma inside the eye opening; NaN with fewer than <see cref="MinPixels"/> pixels.</summary>
    public static double LumaSpread(Image<Rgb24> image, EyeLandmarks eye)
    {
        Vector2[] polygon = [.. eye.Contour];
        float minX = polygon.Min(p => p.X), maxX = polygon.Max(p => p.X), minY = polygon.Min(p => p.Y), maxY = polygon.Max(p => p.Y);
        int x0 = Math.Max(0, (int)MathF.Floor(minX)), x1 = Math.Min(image.Width - 1, (int)MathF.Ceiling(maxX));
        int y0 = Math.Max(0, (int)MathF.Floor(minY)), y1 = Math.Min(image.Height - 1, (int)MathF.Ceiling(maxY));
        var lumas = new List<double>();
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                if (Inside(polygon, new Vector2(x + 0.5f, y + 0.5f)))
                {
                    Rgb24 p = image[x, y];
                    lumas.Add((0.299 * p.R) + (0.587 * p.G) + (0.114 * p.B));
                }
            }
        }

        if (lumas.Count < MinPixels)
        {
            return double.NaN;
        }

        lumas.Sort();
        return lumas[(int)(0.9 * (lumas.Count - 1))] - lumas[(int)(0.1 * (lumas.Count - 1))];
    }

    private static bool Inside(Vector2[] polygon, Vector2 q)
    {
        bool inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            Vector2 a = polygon[i], b = polygon[j];
            if ((a.Y > q.Y) != (b.Y > q.Y) && q.X < ((b.X - a.X) * (q.Y - a.Y) / (b.Y - a.Y)) + a.X)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}
