using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>Which points the measurements read when the landmarks carry the iris model's fine eye contour.</summary>
public sealed class FineContourMeasurementTests
{
    private static readonly HeadPose Frontal = new(0, 0, 0);

    /// <summary>A contour equal to the constructed mesh's eye ring, shifted by <paramref name="shift"/> (rings left at the iris centre).</summary>
    private static EyeContour Contour(FaceLandmarks mesh, bool right, Vector2 shift)
    {
        ReadOnlySpan<int> map = right ? EyeContour.RightEyeMeshIndices : EyeContour.LeftEyeMeshIndices;
        var points = new Vector3[EyeContour.Count];
        for (int i = 0; i < EyeContour.Count; i++)
        {
            Vector2 p = i < 16 ? mesh[map[i]] + shift : mesh[right ? 468 : 473];
            points[i] = new Vector3(p, 0);
        }

        return new EyeContour(points);
    }

    [Fact]
    public void Lids_come_from_the_contour_by_default_and_canthi_from_the_mesh()
    {
        FaceLandmarks plain = ConstructedFaces.Level();
        // Contour 3 px higher than the mesh everywhere (so its canthi differ from the mesh's too).
        var face = new FaceLandmarks(plain.Points.ToArray(), CoordinateSpace.Source,
            Contour(plain, true, new Vector2(0, -3)), Contour(plain, false, new Vector2(0, -3)));
        var image = new DiagnosticOptions { Frame = MeasurementFrame.Image };
        OcularMeasurements meshOnly = new LandmarkDiagnosticBenchmark(options: image).Measure(plain, Frontal);
        OcularMeasurements m = new LandmarkDiagnosticBenchmark(options: image).Measure(face, Frontal);

        // Upper lid from the contour (point 12): MRD1 18 + 3 px. Lower lid from the contour (point 4): MRD2 22 - 3 px.
        m.Right.Mrd1.Pixels.Should().BeApproximately(21, 1e-4);
        m.Right.Mrd2.Pixels.Should().BeApproximately(19, 1e-4);
        m.Right.FissureHeight.Pixels.Should().BeApproximately(40, 1e-4);

        // The lower lid as the mean of contour point 4 and mesh 145 when asked: MRD2 22 - 1.5 px.
        var averageLower = image with { LowerLidSource = EyePointSource.Average };
        new LandmarkDiagnosticBenchmark(options: averageLower).Measure(face, Frontal).Right.Mrd2.Pixels.Should().BeApproximately(20.5, 1e-4);
        m.Right.Points.UpperLid.Should().Be(face.RightEyeContour!.UpperLid[4]);

        // Canthi from the mesh: decentration and fissure width unchanged.
        m.Right.DecentrationUp.Pixels.Should().BeApproximately(meshOnly.Right.DecentrationUp.Pixels, 1e-4);
        m.Left.FissureWidth.Pixels.Should().BeApproximately(meshOnly.Left.FissureWidth.Pixels, 1e-4);

        // All from the mesh when asked, or when the landmarks carry no contour.
        var mesh = image with { UpperLidSource = EyePointSource.Mesh, LowerLidSource = EyePointSource.Mesh };
        new LandmarkDiagnosticBenchmark(options: mesh).Measure(face, Frontal).Right.Mrd1.Pixels.Should().BeApproximately(18, 1e-4);
        meshOnly.Right.Mrd1.Pixels.Should().BeApproximately(18, 1e-4);

        // Canthi from the contour: the canthal midpoint moves up 3 px, so the iris is 3 px lower relative to it.
        var canthi = image with { CanthusSource = EyePointSource.FineContour };
        new LandmarkDiagnosticBenchmark(options: canthi).Measure(face, Frontal).Right.DecentrationUp.Pixels
            .Should().BeApproximately(meshOnly.Right.DecentrationUp.Pixels - 3, 1e-4);
        var average = image with { CanthusSource = EyePointSource.Average };
        new LandmarkDiagnosticBenchmark(options: average).Measure(face, Frontal).Right.DecentrationUp.Pixels
            .Should().BeApproximately(meshOnly.Right.DecentrationUp.Pixels - 1.5, 1e-4);
    }

    [Fact]
    public void Undefined_sources_are_rejected()
    {
        FluentActions.Invoking(() => new DiagnosticOptions { UpperLidSource = (EyePointSource)7 })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("UpperLidSource");
    }
}
