using System.Diagnostics;
using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// End to end: ground-truth renders through <see cref="MediaPipeLandmarkDetector"/>, measured, and compared
/// with the same measurement on the kit's exact landmarks. Prints mean and 95th-percentile absolute
/// error per measure (docs/diagnostics.md records a run). The set size is FD_E2E_N (default 6), the
/// render size FD_E2E_SIZE (default 640 px) and the scene seed FD_E2E_SEED (default 20261127; another seed gives a
/// held-out set for choices made on the default one); FD_E2E_LIDCHECK=1 runs the default detector with the lid-opening
/// check on.
/// </summary>
public sealed class EndToEndAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void Detector_measurements_on_ground_truth_renders()
    {
        int n = int.TryParse(Environment.GetEnvironmentVariable("FD_E2E_N"), out int v) ? v : 6;
        int size = int.TryParse(Environment.GetEnvironmentVariable("FD_E2E_SIZE"), out int s) ? s : 640;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("FD_E2E_SEED"), out int sd) ? sd : 20261127;
        var rng = new Random(seed);
        var mesh = new DiagnosticOptions { UpperLidSource = EyePointSource.Mesh, LowerLidSource = EyePointSource.Mesh, CanthusSource = EyePointSource.Mesh };
        var variants = new (string Name, DiagnosticOptions Options)[]
        {
            ("default (contour lids, refined canthi, lid midpoint, per-eye width)", new DiagnosticOptions()),
            ("face mesh only (session 1)", mesh),
            ("mesh canthi (default before session 5)", new DiagnosticOptions { CanthusSource = EyePointSource.Mesh }),
            ("contour upper lid, average lower lid (default before session 4)", new DiagnosticOptions { LowerLidSource = EyePointSource.Average }),
            ("contour lids read above the pupil", new DiagnosticOptions { LidMargin = LidMarginPoint.AbovePupil }),
            ("contour upper lid, mesh lower lid", new DiagnosticOptions { LowerLidSource = EyePointSource.Mesh }),
            ("average lids", new DiagnosticOptions { UpperLidSource = EyePointSource.Average, LowerLidSource = EyePointSource.Average }),
            ("contour canthi", new DiagnosticOptions { CanthusSource = EyePointSource.FineContour }),
            ("average canthi", new DiagnosticOptions { CanthusSource = EyePointSource.Average }),
            ("both-eyes mean diameter scale", new DiagnosticOptions { Scale = IrisScale.BothEyesMeanDiameter }),
            ("both-eyes width scale", new DiagnosticOptions { Scale = IrisScale.BothEyesHorizontalWidth }),
        };
        string[] names = ["MRD1", "MRD2", "fissure height", "decentration nasal", "decentration up", "iris to inner canthus (L/R)", "fissure width", "horizontal vergence", "vertical difference"];
        var errors = variants.Select(_ => names.Select(_ => new List<double>()).ToArray()).ToArray();
        var signed = names.Select(_ => new List<double>()).ToArray();
        var ipdPx = new List<double>();
        int detected = 0;
        var clock = Stopwatch.StartNew();
        using var detector = new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { LidOpeningCheck = Environment.GetEnvironmentVariable("FD_E2E_LIDCHECK") == "1" });
        // The same renders with the other eye image refinements (None: the models alone), default diagnostic options.
        EyeImageRefinement[] others = [.. Enum.GetValues<EyeImageRefinement>().Where(m => m != detector.Options.EyeImageRefinement)];
        MediaPipeLandmarkDetector[] otherDetectors = [.. others.Select(m => new MediaPipeLandmarkDetector(new MediaPipeLandmarkDetectorOptions { EyeImageRefinement = m }))];
        var plainErrors = others.Select(_ => names.Select(_ => new List<double>()).ToArray()).ToArray();
        var plainSigned = others.Select(_ => names.Select(_ => new List<double>()).ToArray()).ToArray();
        for (int i = 0; i < n; i++)
        {
            GroundTruthScene scene = KitScenes.Random(rng, size, () => KitScenes.RandomEye(rng));
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(scene);
            FaceDetection d = detector.Detect(r.Image);
            if (d.Face is not { } face)
            {
                output.WriteLine($"render {i}: {d.Status}");
                continue;
            }

            detected++;
            ipdPx.Add(r.Landmarks.InterPupillaryDistance);
            for (int m = 0; m < others.Length; m++)
            {
                if (otherDetectors[m].Detect(r.Image).Face is not { } plainFace)
                {
                    continue;
                }

                var b0 = new LandmarkDiagnosticBenchmark();
                OcularMeasurements t0 = b0.Measure(r.Landmarks), g0 = b0.Measure(plainFace.Landmarks, plainFace.Pose);
                foreach (EyeSide e in new[] { EyeSide.Right, EyeSide.Left })
                {
                    MeasuredValue[] gv = [g0[e].Mrd1, g0[e].Mrd2, g0[e].FissureHeight, g0[e].DecentrationNasal, g0[e].DecentrationUp, g0[e].IrisToInnerCanthus, g0[e].FissureWidth];
                    MeasuredValue[] tv = [t0[e].Mrd1, t0[e].Mrd2, t0[e].FissureHeight, t0[e].DecentrationNasal, t0[e].DecentrationUp, t0[e].IrisToInnerCanthus, t0[e].FissureWidth];
                    for (int j = 0; j < gv.Length; j++)
                    {
                        Add(plainErrors[m][j], gv[j], tv[j]);
                        plainSigned[m][j].Add(gv[j].Millimetres - tv[j].Millimetres);
                    }
                }

                Add(plainErrors[m][7], g0.HorizontalVergence, t0.HorizontalVergence);
                Add(plainErrors[m][8], g0.VerticalDifference, t0.VerticalDifference);
            }

            for (int k = 0; k < variants.Length; k++)
            {
                var b = new LandmarkDiagnosticBenchmark(options: variants[k].Options);
                OcularMeasurements truth = b.Measure(r.Landmarks);
                OcularMeasurements got = b.Measure(face.Landmarks, face.Pose);
                foreach (EyeSide e in new[] { EyeSide.Right, EyeSide.Left })
                {
                    Add(errors[k][0], got[e].Mrd1, truth[e].Mrd1);
                    Add(errors[k][1], got[e].Mrd2, truth[e].Mrd2);
                    Add(errors[k][2], got[e].FissureHeight, truth[e].FissureHeight);
                    Add(errors[k][3], got[e].DecentrationNasal, truth[e].DecentrationNasal);
                    Add(errors[k][4], got[e].DecentrationUp, truth[e].DecentrationUp);
                    Add(errors[k][5], got[e].IrisToInnerCanthus, truth[e].IrisToInnerCanthus);
                    Add(errors[k][6], got[e].FissureWidth, truth[e].FissureWidth);
                }

                if (k == 0)
                {
                    foreach (EyeSide e in new[] { EyeSide.Right, EyeSide.Left })
                    {
                        signed[0].Add(got[e].Mrd1.Millimetres - truth[e].Mrd1.Millimetres);
                        signed[1].Add(got[e].Mrd2.Millimetres - truth[e].Mrd2.Millimetres);
                        signed[2].Add(got[e].FissureHeight.Millimetres - truth[e].FissureHeight.Millimetres);
                        signed[3].Add(got[e].DecentrationNasal.Millimetres - truth[e].DecentrationNasal.Millimetres);
                        signed[4].Add(got[e].DecentrationUp.Millimetres - truth[e].DecentrationUp.Millimetres);
                        signed[5].Add(got[e].IrisToInnerCanthus.Millimetres - truth[e].IrisToInnerCanthus.Millimetres);
                        signed[6].Add(got[e].FissureWidth.Millimetres - truth[e].FissureWidth.Millimetres);
                        EyeControl c = e == EyeSide.Right ? scene.RightEye : scene.LeftEye;
                        output.WriteLine(F($"  {i} {e}: lid up {c.UpperLidUpMm:F2} down {c.LowerLidDownMm:F2} iris nasal {c.IrisNasalMm:F2} up {c.IrisUpMm:F2} | MRD1 {truth[e].Mrd1.Millimetres:F2} -> {got[e].Mrd1.Millimetres:F2}, MRD2 {truth[e].Mrd2.Millimetres:F2} -> {got[e].Mrd2.Millimetres:F2}, iris px {truth[e].IrisDiameterPixels:F1} -> {got[e].IrisDiameterPixels:F1}, decN {truth[e].DecentrationNasal.Millimetres:F2} -> {got[e].DecentrationNasal.Millimetres:F2}, FW {truth[e].FissureWidth.Millimetres:F2} -> {got[e].FissureWidth.Millimetres:F2}"));
                    }
                }

                Add(errors[k][7], got.HorizontalVergence, truth.HorizontalVergence);
                Add(errors[k][8], got.VerticalDifference, truth.VerticalDifference);
            }
        }

        output.WriteLine(F($"{detected} of {n} renders detected ({size} px, IPD {ipdPx.DefaultIfEmpty().Average():F0} px), {clock.Elapsed.TotalSeconds:F0} s"));
        output.WriteLine("| default: signed mean error (bias) mm | bias | SD |");
        for (int j = 0; j < 7; j++)
        {
            double m = signed[j].Average();
            output.WriteLine(F($"| {names[j]} | {m:F3} | {Math.Sqrt(signed[j].Sum(x => (x - m) * (x - m)) / (signed[j].Count - 1)):F3} |"));
        }

        for (int k = 0; k < variants.Length; k++)
        {
            output.WriteLine($"| {variants[k].Name} | mean abs error mm | 95th percentile mm |");
            for (int j = 0; j < names.Length; j++)
            {
                output.WriteLine(F($"| {names[j]} | {errors[k][j].Average():F3} | {P95(errors[k][j]):F3} |"));
            }
        }

        for (int m = 0; m < others.Length; m++)
        {
            output.WriteLine($"| EyeImageRefinement.{others[m]}, default diagnostic options | mean abs error mm | 95th percentile mm | bias mm |");
            for (int j = 0; j < names.Length; j++)
            {
                string bias = j < 7 ? F($"{plainSigned[m][j].Average():F3}") : "";
                output.WriteLine(F($"| {names[j]} | {plainErrors[m][j].Average():F3} | {P95(plainErrors[m][j]):F3} | {bias} |"));
            }

            otherDetectors[m].Dispose();
        }

        detected.Should().Be(n, "every render is a clear frontal face");

        // Regression bounds. The 0.35 mm target is met on the 40-render set at 768 px and on a held-out 60-render set
        // (docs/diagnostics.md, session 5); this suite's 6 renders at 640 px (irises about 14 px in radius) give MRD1 0.47,
        // MRD2 0.47, decentration nasal 0.48, up 0.41 mm (0.45, 0.43, 0.49, 0.44 before the refinement's blend; other
        // seeds 0.16-0.41). The bounds sit about 1.4x above, so they
        // catch a lost refinement or a broken mapping (wrong eye, wrong axis, px/mm mix-up), not sampling noise.
        errors[0][0].Average().Should().BeLessThan(0.65, "MRD1");
        errors[0][1].Average().Should().BeLessThan(0.65, "MRD2");
        errors[0][3].Average().Should().BeLessThan(0.7, "horizontal decentration");
        errors[0][4].Average().Should().BeLessThan(0.7, "vertical decentration");

        // The iris model's own eye contour places the upper lid better than the face mesh (docs/diagnostics.md).
        errors[0][0].Average().Should().BeLessThan(errors[1][0].Average(), "the fine contour should improve MRD1 over the mesh");
    }

    private static void Add(List<double> list, MeasuredValue got, MeasuredValue truth) => list.Add(Math.Abs(got.Millimetres - truth.Millimetres));

    private static double P95(List<double> x)
    {
        double[] s = [.. x.Order()];
        return FaceDefender.Statistics.Quantiles.FromSorted(s, 0.95);
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
