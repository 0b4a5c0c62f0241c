using System.Numerics;
using System.Xml.Linq;
using FaceDefender.Abstractions;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using FaceDefender.Statistics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Diagnostics;

public sealed class AgreementAndOverlayTests
{
    private static readonly HeadPose Frontal = new(0, 0, 0);

    [Fact]
    public void Agreement_builds_the_confusion_matrix_and_kappa_per_eye()
    {
        // "abn": right eye lid retraction (ratio), left eye esotropia + hypotropia by the corneal reflexes; "norm": both
        // eyes normal (irises centred on their canthi, lids within range, ratio 0.8, L and R inside the paper's ranges).
        var benchmark = new LandmarkDiagnosticBenchmark();
        OcularAssessment abn = benchmark.Assess(ConstructedFaces.WithReflexes(ConstructedFaces.Level(), new Vector2(0.3f, 0), new Vector2(0.7f, -0.8f)), Frontal);
        Vector3[] p = ConstructedFaces.LevelPoints();
        foreach (int i in new[] { 468, 469, 470, 471, 472 })
        {
            p[i] += new Vector3(-2, 0, 0);
        }

        foreach (int i in new[] { 473, 474, 475, 476, 477 })
        {
            p[i] += new Vector3(6, -3, 0);
        }

        ConstructedFaces.Set(p, 145, 390, 512);   // right ratio 32/40 = 0.8
        ConstructedFaces.Set(p, 362, 566, 500);   // left L = 612 - 566 = 46 px = 1.15 iris (paper's range)
        ConstructedFaces.Set(p, 263, 658, 496);   // keeps the left canthal midpoint at (612, 498)
        OcularAssessment norm = benchmark.Assess(new FaceLandmarks(p), Frontal);
        norm.Findings.Should().BeEmpty();
        ClinicianAgreement.BenchmarkLabel(abn, EyeSide.Left, AgreementLabels.Condition).Should().Be("esotropia");
        ClinicianAgreement.BenchmarkLabel(abn, EyeSide.Right, AgreementLabels.Condition).Should().Be("lid retraction");

        var assessments = new Dictionary<string, OcularAssessment> { ["a1"] = abn, ["a2"] = abn, ["n1"] = norm, ["n2"] = norm, ["n3"] = norm };
        string csv = "id,right,left\na1,abnormal,esotropia\na2,normal,normal\nn1,normal,normal\nn2,ptosis,normal\nn3,normal,NA\nzz,normal,normal\n";
        AgreementReport r = ClinicianAgreement.Compare(assessments, new StringReader(csv));
        r.UnmatchedIds.Should().Equal("zz");

        // Right eye, rows clinician, columns benchmark: a1 (abn, abn), a2 (norm, abn), n1 (norm, norm), n2 (abn, norm), n3 (norm, norm).
        r.Right.N.Should().Be(5);
        r.Right.Confusion.Should().BeEquivalentTo(new long[,] { { 2, 1 }, { 1, 1 } });
        KappaResult expected = CohenKappa.FromTable(new long[,] { { 2, 1 }, { 1, 1 } });
        r.Right.Kappa.Should().Be(expected);

        // By hand: po = 3/5, pe = (3/5)(3/5) + (2/5)(2/5) = 13/25, kappa = (15/25 - 13/25) / (12/25) = 1/6.
        r.Right.Kappa!.Kappa.Should().BeApproximately(1.0 / 6, 1e-12);

        // Left eye: a1 (abn, abn), a2 (norm, abn), n1 (norm, norm), n2 (norm, norm); n3 skipped (NA).
        r.Left.N.Should().Be(4);
        r.Left.Confusion.Should().BeEquivalentTo(new long[,] { { 2, 1 }, { 0, 1 } });

        FluentActions.Invoking(() => ClinicianAgreement.Compare(assessments, new StringReader("id,right,left\na1,squint,normal\n")))
            .Should().Throw<InvalidDataException>().WithMessage("*unknown label 'squint'*");
    }

    [Fact]
    public void Overlay_draws_on_a_copy_and_svg_is_well_formed()
    {
        // Reflexes level with the limbus centres: the left one 1 mm beyond its kappa place (left esotropia).
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(ConstructedFaces.WithReflexes(ConstructedFaces.Level(), new Vector2(0.3f, 0), new Vector2(0.7f, 0)), Frontal);
        using var image = new Image<Rgb24>(1000, 800, new Rgb24(10, 10, 10));
        using Image<Rgb24> drawn = MeasurementOverlay.Draw(image, a);
        image[351, 498].Should().Be(new Rgb24(10, 10, 10), "the input is not modified");

        // The iris circle of the right eye (centre (392, 498), radius 20) passes through (372, 498); the
        // canthus line through (390, 498); MRD1 runs up from the centre.
        drawn[372, 498].Should().NotBe(new Rgb24(10, 10, 10));
        drawn[100, 100].Should().Be(new Rgb24(10, 10, 10));

        // Both reflexes were found, so MRD1 and MRD2 were measured from them and are drawn from them: the right reflex
        // is 0.3 mm (1.03 px) nasal of the limbus centre, at (393.03, 498). A magenta ring of radius 2.5 px marks it.
        Vector2 reflex = a.Measurements.Right.Reflex.Position!.Value;
        a.Measurements.Right.MrdOrigin.Should().Be(MarginReflexOrigin.CornealReflex);
        reflex.X.Should().BeApproximately(393.03f, 0.01f);
        drawn[393, 490].G.Should().BeGreaterThan(90, "MRD1 (green, about half coverage here: 120) runs up from the reflex");
        drawn[391, 490].G.Should().BeLessThan(60, "not from the limbus centre one pixel to the side");
        Rgb24 ring = drawn[393, 500];
        ((int)ring.R).Should().BeGreaterThan(150, "the reflex ring is magenta");
        ((int)ring.B).Should().BeGreaterThan(150, "the reflex ring is magenta");

        string svg = MeasurementOverlay.ToSvg(a, 1000, 800, "photo.png");
        XDocument doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        doc.Root!.Name.Should().Be(ns + "svg");
        doc.Descendants(ns + "circle").Should().HaveCount(4, "two irises and two corneal reflexes");
        doc.Descendants(ns + "line").Should().HaveCount(7);
        XElement mrd1 = doc.Descendants(ns + "line").Single(l => l.Value.StartsWith("right MRD1", StringComparison.Ordinal));
        ((string)mrd1.Attribute("x1")!).Should().Be("393.03", "MRD1 is drawn from the reflex");
        mrd1.Value.Should().Contain("from the corneal reflex");
        svg.Should().Contain("MRD1 4.68 mm").And.Contain("Esotropia (Left)").And.Contain("href=\"photo.png\"")
            .And.Contain($"Hirschberg horizontal {a.Measurements.Hirschberg.HorizontalPrism.Dioptres.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)} PD");
    }

    [Fact]
    public void Overlay_refuses_null_inputs_and_an_empty_size()
    {
        OcularAssessment a = new LandmarkDiagnosticBenchmark().Assess(ConstructedFaces.Level(), Frontal);
        using var image = new Image<Rgb24>(100, 80);
        FluentActions.Invoking(() => MeasurementOverlay.Draw(null!, a)).Should().Throw<ArgumentNullException>().WithParameterName("image");
        FluentActions.Invoking(() => MeasurementOverlay.Draw(image, null!)).Should().Throw<ArgumentNullException>().WithParameterName("assessment");
        FluentActions.Invoking(() => MeasurementOverlay.ToSvg(null!, 100, 80)).Should().Throw<ArgumentNullException>().WithParameterName("assessment");
        FluentActions.Invoking(() => MeasurementOverlay.ToSvg(a, 0, 80)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("width");
        FluentActions.Invoking(() => MeasurementOverlay.ToSvg(a, 100, -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("height");

        // Measures that fall outside a small image are clipped, not an error.
        using Image<Rgb24> drawn = MeasurementOverlay.Draw(image, a);
        drawn.Size().Should().Be(image.Size());
        MeasurementOverlay.ToSvg(a, 100, 80, imageHref: null).Should().NotContain("<image");
    }
}
