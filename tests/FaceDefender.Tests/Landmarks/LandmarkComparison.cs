using System.Numerics;
using FaceDefender.Geometry;
using FaceDefender.Landmarks;

namespace FaceDefender.Tests.Landmarks;

/// <summary>Point-by-point comparison of two landmark sets, in pixels and as a fraction of the inter-pupil distance.</summary>
internal sealed record LandmarkComparison(float Ipd, float MeanAll, float MaxAll, float MaxEyes, float MaxBrows, float MaxIrisCentres, int WorstEyeIndex)
{
    /// <summary>Eye indices: both eyes' lids and canthi (iris centres are added separately).</summary>
    public static readonly int[] EyeRegion =
    [
        .. EyeIndices.Right.UpperLid, .. EyeIndices.Right.LowerLid, .. EyeIndices.Left.UpperLid, .. EyeIndices.Left.LowerLid,
    ];

    /// <summary>Brow indices, both sides.</summary>
    public static readonly int[] Brows = [.. FaceLandmarks.RightBrowIndices, .. FaceLandmarks.LeftBrowIndices];

    /// <summary>Compares <paramref name="actual"/> (already mapped into the reference's frame) with <paramref name="reference"/>; <paramref name="indexMap"/>[i] is the reference index matching actual point i (null: identity).</summary>
    public static LandmarkComparison Compare(FaceLandmarks reference, IReadOnlyList<Vector2> actual, int[]? indexMap = null)
    {
        float ipd = reference.InterPupillaryDistance;
        float sum = 0, max = 0, maxEyes = 0, maxIris = 0, maxBrows = 0;
        int worst = -1;
        var eyes = new HashSet<int>(EyeRegion);
        var brows = new HashSet<int>(Brows);
        for (int i = 0; i < FaceLandmarks.MeshCount; i++)
        {
            int j = indexMap?[i] ?? i;
            float d = Vector2.Distance(reference[j], actual[i]);
            sum += d;
            max = Math.Max(max, d);
            if (brows.Contains(j))
            {
                maxBrows = Math.Max(maxBrows, d);
            }

            if (eyes.Contains(j) && d > maxEyes)
            {
                maxEyes = d;
                worst = j;
            }
        }

        foreach (int i in new[] { 468, 473 })
        {
            int j = indexMap is null ? i : (i == 468 ? 473 : 468);
            float d = Vector2.Distance(reference[j], actual[i]);
            maxIris = Math.Max(maxIris, d);
            if (d > maxEyes)
            {
                maxEyes = d;
                worst = j;
            }
        }

        return new LandmarkComparison(ipd, sum / FaceLandmarks.MeshCount / ipd, max / ipd, maxEyes / ipd, maxBrows / ipd, maxIris / ipd, worst);
    }

    public override string ToString() =>
        $"IPD {Ipd:F1}px; mean {MeanAll:P2}, max {MaxAll:P2}, eyes max {MaxEyes:P2}, brows max {MaxBrows:P2}, iris centres max {MaxIrisCentres:P2} of IPD (worst eye point {WorstEyeIndex})";

    /// <summary>
    /// Left/right mirror pairing of the 468 mesh points, derived from MediaPipe's canonical model
    /// (which is symmetric about X = 0): point i pairs with the vertex nearest to i mirrored.
    /// </summary>
    public static int[] MirrorMap()
    {
        var v = CanonicalFaceMesh.Instance.Vertices;
        var map = new int[FaceLandmarks.Count];
        for (int i = 0; i < CanonicalFaceMesh.VertexCount; i++)
        {
            Vector3 mirrored = v[i] with { X = -v[i].X };
            int best = 0;
            for (int j = 1; j < CanonicalFaceMesh.VertexCount; j++)
            {
                if (Vector3.DistanceSquared(v[j], mirrored) < Vector3.DistanceSquared(v[best], mirrored))
                {
                    best = j;
                }
            }

            map[i] = best;
        }

        for (int k = 0; k < 5; k++)
        {
            map[468 + k] = 473 + k;
            map[473 + k] = 468 + k;
        }

        return map;
    }
}
