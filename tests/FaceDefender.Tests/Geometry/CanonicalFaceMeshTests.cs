using System.Numerics;
using FaceDefender.Geometry;

namespace FaceDefender.Tests.Geometry;

public class CanonicalFaceMeshTests
{
    private static readonly CanonicalFaceMesh Mesh = CanonicalFaceMesh.Instance;

    [Fact]
    public void Has_468_vertices_and_uvs_and_898_triangles()
    {
        Mesh.Vertices.Length.Should().Be(468);
        Mesh.TextureCoordinates.Length.Should().Be(468);
        Mesh.TriangleIndices.Length.Should().Be(898 * 3);
        Mesh.TriangleIndices.Should().OnlyContain(i => i >= 0 && i < 468);
    }

    [Fact]
    public void Known_vertices_match_the_file()
    {
        // OBJ lines 4, 5 and 14: "v 0.000000 -3.406404 5.979507", "v 0.000000 -1.126865 7.475604",
        // vertex 10 (forehead centre) "v 0.000000 8.261778 4.481535".
        Mesh.Vertices[0].Should().Be(new Vector3(0f, -3.406404f, 5.979507f));
        Mesh.Vertices[1].Should().Be(new Vector3(0f, -1.126865f, 7.475604f));
        Mesh.Vertices[10].Should().Be(new Vector3(0f, 8.261778f, 4.481535f));
    }

    [Fact]
    public void First_triangle_is_converted_to_zero_based_indices()
    {
        // First face line: "f 174/43 156/119 134/220".
        Mesh.GetTriangle(0).Should().Be((173, 155, 133));
    }

    [Fact]
    public void Uv_follows_the_vertex_texcoord_pairing_not_the_line_order()
    {
        // Vertex 1 (OBJ index 1) is always written as "1/441"; vt line 441 is "0.499977 0.347466".
        Mesh.TextureCoordinates[0].X.Should().BeApproximately(0.499977f, 1e-6f);
        Mesh.TextureCoordinates[0].Y.Should().BeApproximately(0.347466f, 1e-6f);
    }

    [Fact]
    public void Anatomy_is_where_the_topology_says()
    {
        int top = 0, bottom = 0, front = 0;
        for (int i = 1; i < 468; i++)
        {
            if (Mesh.Vertices[i].Y > Mesh.Vertices[top].Y) { top = i; }
            if (Mesh.Vertices[i].Y < Mesh.Vertices[bottom].Y) { bottom = i; }
            if (Mesh.Vertices[i].Z > Mesh.Vertices[front].Z) { front = i; }
        }

        top.Should().Be(10, "landmark 10 is the top of the forehead");
        bottom.Should().Be(152, "landmark 152 is the chin");
        front.Should().Be(4, "landmark 4 is the nose tip, nearest the camera");

        // Subject's right outer canthus (33) is on the image's left (negative X) and mirrors 263.
        Vector3 r = Mesh.Vertices[33], l = Mesh.Vertices[263];
        r.X.Should().BeNegative();
        l.X.Should().BeApproximately(-r.X, 1e-5f);
        l.Y.Should().BeApproximately(r.Y, 1e-5f);
        l.Z.Should().BeApproximately(r.Z, 1e-5f);
    }

    [Fact]
    public void Triangles_are_non_degenerate_and_every_vertex_is_used()
    {
        var used = new bool[468];
        for (int t = 0; t < CanonicalFaceMesh.TriangleCount; t++)
        {
            (int a, int b, int c) = Mesh.GetTriangle(t);
            used[a] = used[b] = used[c] = true;
            Vector3 n = Vector3.Cross(Mesh.Vertices[b] - Mesh.Vertices[a], Mesh.Vertices[c] - Mesh.Vertices[a]);
            n.Length().Should().BeGreaterThan(1e-6f, $"triangle {t} must have an area");
        }

        used.Should().AllBeEquivalentTo(true);
    }

    [Fact]
    public void Instance_is_a_singleton_across_threads()
    {
        var seen = new CanonicalFaceMesh[8];
        Parallel.For(0, seen.Length, i => seen[i] = CanonicalFaceMesh.Instance);
        seen.Should().OnlyContain(m => ReferenceEquals(m, Mesh));
    }

    [Fact]
    public void Malformed_input_throws_a_library_exception_naming_the_line()
    {
        var act = () => CanonicalFaceMesh.Parse(new StringReader("v 0 0 0\nv 1 x 0\n"));
        act.Should().Throw<FaceDefenderException>().WithMessage("*line 2*");

        var tooFew = () => CanonicalFaceMesh.Parse(new StringReader("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"));
        tooFew.Should().Throw<FaceDefenderException>().WithMessage("*expected 468*");
    }
}
