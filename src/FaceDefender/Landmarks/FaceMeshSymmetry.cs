using System.Numerics;
using FaceDefender.Geometry;

namespace FaceDefender.Landmarks;

/// <summary>
/// The left/right pairing of the 468 Face Mesh points, derived from MediaPipe's canonical face model
/// (symmetric about X = 0): point i pairs with the vertex nearest to vertex i mirrored. Midline
/// points pair with themselves. Thread-safe (computed once).
/// </summary>
internal static class FaceMeshSymmetry
{
    private static readonly Lazy<int[]> LazyMap = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Mirror partner of each mesh point (468 entries).</summary>
    public static ReadOnlySpan<int> Map => LazyMap.Value;

    private static int[] Build()
    {
        var v = CanonicalFaceMesh.Instance.Vertices;
        int n = CanonicalFaceMesh.VertexCount;
        var map = new int[n];
        for (int i = 0; i < n; i++)
        {
            Vector3 mirrored = v[i] with { X = -v[i].X };
            int best = 0;
            float bestDistance = float.MaxValue;
            for (int j = 0; j < n; j++)
            {
                float d = Vector3.DistanceSquared(v[j], mirrored);
                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = j;
                }
            }

            map[i] = best;
        }

        for (int i = 0; i < n; i++)
        {
            if (map[map[i]] != i)
            {
                throw new FaceDefenderException($"The canonical face model is not symmetric at vertex {i}; the embedded resource is damaged.");
            }
        }

        return map;
    }
}
