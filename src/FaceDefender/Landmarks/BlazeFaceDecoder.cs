using System.Numerics;

namespace FaceDefender.Landmarks;

/// <summary>A raw face detection in the detector's normalised input frame (0..1 over the 256 x 256 input).</summary>
internal readonly record struct BlazeFaceDetection(float Score, Vector2 Center, Vector2 Size, Vector2[] Keypoints)
{
    public float Area => Size.X * Size.Y;

    public float IntersectionOverUnion(BlazeFaceDetection other)
    {
        Vector2 lo = Vector2.Max(Center - (Size / 2), other.Center - (other.Size / 2));
        Vector2 hi = Vector2.Min(Center + (Size / 2), other.Center + (other.Size / 2));
        Vector2 overlap = Vector2.Max(hi - lo, Vector2.Zero);
        float intersection = overlap.X * overlap.Y;
        float union = Area + other.Area - intersection;
        return union > 0 ? intersection / union : 0;
    }
}

/// <summary>
/// Decodes MediaPipe BlazeFace (back camera, 256 x 256) outputs: 896 SSD anchors (16 x 16 cells with
/// 2 anchors, then 8 x 8 cells with 6 anchors; unit-size anchors at cell centres), box and six
/// keypoints (subject's right eye, left eye, nose tip, mouth, right and left ear tragion) regressed
/// in input pixels, sigmoid scores, then weighted non-maximum suppression. Thread-safe: no state.
/// </summary>
internal static class BlazeFaceDecoder
{
    public const int InputSize = 256;
    public const int AnchorCount = 896;
    public const int KeypointCount = 6;

    private static readonly Vector2[] Anchors = CreateAnchors();

    private static Vector2[] CreateAnchors()
    {
        var anchors = new List<Vector2>(AnchorCount);
        foreach ((int grid, int perCell) in new[] { (16, 2), (8, 6) })
        {
            for (int y = 0; y < grid; y++)
            {
                for (int x = 0; x < grid; x++)
                {
                    for (int k = 0; k < perCell; k++)
                    {
                        anchors.Add(new Vector2((x + 0.5f) / grid, (y + 0.5f) / grid));
                    }
                }
            }
        }

        return anchors.ToArray();
    }

    /// <summary>Decodes detections scoring at least <paramref name="minScore"/> and merges overlapping ones.</summary>
    /// <param name="regressors">[896 x 16]: the 512 first-layer rows then the 384 second-layer rows.</param>
    /// <param name="logits">[896] raw classifier outputs, same order.</param>
    /// <param name="minScore">Minimum sigmoid score.</param>
    /// <param name="iouThreshold">Overlap above which detections merge.</param>
    public static List<BlazeFaceDetection> Decode(ReadOnlySpan<float> regressors, ReadOnlySpan<float> logits, float minScore, float iouThreshold)
    {
        var candidates = new List<BlazeFaceDetection>();
        for (int i = 0; i < AnchorCount; i++)
        {
            float score = 1f / (1f + MathF.Exp(-Math.Clamp(logits[i], -100f, 100f)));
            if (score < minScore)
            {
                continue;
            }

            ReadOnlySpan<float> r = regressors.Slice(i * 16, 16);
            Vector2 anchor = Anchors[i];
            var keypoints = new Vector2[KeypointCount];
            for (int k = 0; k < KeypointCount; k++)
            {
                keypoints[k] = anchor + (new Vector2(r[4 + (2 * k)], r[5 + (2 * k)]) / InputSize);
            }

            Vector2 size = new Vector2(r[2], r[3]) / InputSize;
            if (size.X <= 0 || size.Y <= 0)
            {
                continue;
            }

            candidates.Add(new BlazeFaceDetection(score, anchor + (new Vector2(r[0], r[1]) / InputSize), size, keypoints));
        }

        return WeightedNonMaximumSuppression(candidates, iouThreshold);
    }

    /// <summary>
    /// MediaPipe's weighted NMS: the best remaining detection absorbs every other one overlapping it
    /// by at least <paramref name="iouThreshold"/>; the merged box and keypoints are the score-weighted
    /// means of the cluster, the merged score is the best score.
    /// </summary>
    public static List<BlazeFaceDetection> WeightedNonMaximumSuppression(List<BlazeFaceDetection> detections, float iouThreshold)
    {
        var remaining = detections.OrderByDescending(d => d.Score).ToList();
        var result = new List<BlazeFaceDetection>();
        while (remaining.Count > 0)
        {
            BlazeFaceDetection best = remaining[0];
            var cluster = remaining.Where(d => best.IntersectionOverUnion(d) >= iouThreshold).ToList();
            if (!cluster.Contains(best))
            {
                cluster.Add(best);
            }

            float total = 0;
            Vector2 center = Vector2.Zero, size = Vector2.Zero;
            var keypoints = new Vector2[KeypointCount];
            foreach (BlazeFaceDetection d in cluster)
            {
                total += d.Score;
                center += d.Center * d.Score;
                size += d.Size * d.Score;
                for (int k = 0; k < KeypointCount; k++)
                {
                    keypoints[k] += d.Keypoints[k] * d.Score;
                }
            }

            for (int k = 0; k < KeypointCount; k++)
            {
                keypoints[k] /= total;
            }

            result.Add(new BlazeFaceDetection(best.Score, center / total, size / total, keypoints));
            remaining.RemoveAll(cluster.Contains);
        }

        return result;
    }
}
