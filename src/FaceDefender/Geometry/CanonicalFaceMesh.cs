using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;

namespace FaceDefender.Geometry;

/// <summary>
/// MediaPipe's canonical 3-D face model (Apache-2.0, see THIRD-PARTY-NOTICES.md): 468 vertices in
/// Face Mesh landmark order, one texture coordinate per vertex and the 898-triangle Face Mesh
/// tessellation. Parsed once, on first use, from the embedded resource
/// <c>FaceDefender.Models.canonical_face_model.obj</c>.
/// </summary>
/// <remarks>
/// Model space: units of roughly centimetres, X towards the image's right (the subject's left),
/// Y up, Z towards the camera (the nose tip has the largest Z). Vertex <c>i</c> is landmark <c>i</c>.
/// The single instance is immutable and thread-safe.
/// </remarks>
public sealed class CanonicalFaceMesh
{
    /// <summary>Name of the embedded resource the mesh is parsed from.</summary>
    public const string ResourceName = "FaceDefender.Models.canonical_face_model.obj";

    /// <summary>Number of vertices (equals the number of Face Mesh landmarks without the iris).</summary>
    public const int VertexCount = 468;

    /// <summary>Number of triangles in the tessellation.</summary>
    public const int TriangleCount = 898;

    private static readonly Lazy<CanonicalFaceMesh> LazyInstance =
        new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private CanonicalFaceMesh(ImmutableArray<Vector3> vertices, ImmutableArray<Vector2> uvs, ImmutableArray<int> indices)
    {
        Vertices = vertices;
        TextureCoordinates = uvs;
        TriangleIndices = indices;
    }

    /// <summary>The shared instance, parsed on first access.</summary>
    /// <exception cref="FaceDefenderException">The embedded resource is missing or malformed.</exception>
    public static CanonicalFaceMesh Instance => LazyInstance.Value;

    /// <summary>The 468 vertices in model space; index <c>i</c> is Face Mesh landmark <c>i</c>.</summary>
    public ImmutableArray<Vector3> Vertices { get; }

    /// <summary>
    /// The texture coordinate of each vertex (index <c>i</c> belongs to vertex <c>i</c>), as stored in
    /// the OBJ file: U to the right, V up, both in 0..1.
    /// </summary>
    public ImmutableArray<Vector2> TextureCoordinates { get; }

    /// <summary>
    /// The triangles as a flat list of 0-based vertex indices, three per triangle
    /// (<see cref="TriangleCount"/> x 3 entries), wound as in the source file.
    /// </summary>
    public ImmutableArray<int> TriangleIndices { get; }

    /// <summary>The three 0-based vertex indices of triangle <paramref name="triangle"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Index outside 0..897.</exception>
    public (int A, int B, int C) GetTriangle(int triangle)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(triangle);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(triangle, TriangleCount);
        int k = 3 * triangle;
        return (TriangleIndices[k], TriangleIndices[k + 1], TriangleIndices[k + 2]);
    }

    private static CanonicalFaceMesh Load()
    {
        using Stream? stream = typeof(CanonicalFaceMesh).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null)
        {
            throw new FaceDefenderException(
                $"The embedded resource '{ResourceName}' is missing from {typeof(CanonicalFaceMesh).Assembly.GetName().Name}; rebuild the library with Models/canonical_face_model.obj present.");
        }

        using var reader = new StreamReader(stream);
        return Parse(reader);
    }

    /// <summary>Parses the OBJ subset MediaPipe uses (v, vt, f with v/vt pairs). Internal for tests.</summary>
    internal static CanonicalFaceMesh Parse(TextReader reader)
    {
        var positions = new List<Vector3>(VertexCount);
        var texcoords = new List<Vector2>(VertexCount);
        var faces = new List<(int V, int T)>(TriangleCount * 3);
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            switch (parts[0])
            {
                case "v" when parts.Length >= 4:
                    positions.Add(new Vector3(ParseFloat(parts[1], lineNumber), ParseFloat(parts[2], lineNumber), ParseFloat(parts[3], lineNumber)));
                    break;
                case "vt" when parts.Length >= 3:
                    texcoords.Add(new Vector2(ParseFloat(parts[1], lineNumber), ParseFloat(parts[2], lineNumber)));
                    break;
                case "f" when parts.Length == 4:
                    for (int k = 1; k <= 3; k++)
                    {
                        string[] pair = parts[k].Split('/');
                        int v = ParseIndex(pair[0], lineNumber);
                        int t = pair.Length > 1 && pair[1].Length > 0 ? ParseIndex(pair[1], lineNumber) : v;
                        faces.Add((v - 1, t - 1));
                    }

                    break;
                case "f":
                    throw Malformed(lineNumber, "only triangles are supported");
                default:
                    break; // mtllib, usemtl, comments: irrelevant to the geometry
            }
        }

        if (positions.Count != VertexCount || faces.Count != TriangleCount * 3)
        {
            throw new FaceDefenderException(
                $"The canonical face model has {positions.Count} vertices and {faces.Count / 3} triangles; expected {VertexCount} and {TriangleCount}. Restore the unmodified MediaPipe file.");
        }

        var uv = new Vector2[VertexCount];
        var seen = new bool[VertexCount];
        var indices = ImmutableArray.CreateBuilder<int>(faces.Count);
        foreach ((int v, int t) in faces)
        {
            if ((uint)v >= VertexCount || (uint)t >= texcoords.Count)
            {
                throw new FaceDefenderException($"The canonical face model has a face index out of range ({v + 1}/{t + 1}).");
            }

            // MediaPipe pairs each vertex with exactly one texture coordinate; keep the first.
            if (!seen[v])
            {
                uv[v] = texcoords[t];
                seen[v] = true;
            }

            indices.Add(v);
        }

        for (int i = 0; i < VertexCount; i++)
        {
            if (!seen[i] && i < texcoords.Count)
            {
                uv[i] = texcoords[i];
            }
        }

        return new CanonicalFaceMesh([.. positions], [.. uv], indices.MoveToImmutable());
    }

    private static float ParseFloat(string s, int line) =>
        float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) && float.IsFinite(f)
            ? f
            : throw Malformed(line, $"'{s}' is not a number");

    private static int ParseIndex(string s, int line) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) && i > 0
            ? i
            : throw Malformed(line, $"'{s}' is not a positive 1-based index");

    private static FaceDefenderException Malformed(int line, string what) =>
        new($"The canonical face model is malformed at line {line}: {what}. Restore the unmodified MediaPipe file.");
}
