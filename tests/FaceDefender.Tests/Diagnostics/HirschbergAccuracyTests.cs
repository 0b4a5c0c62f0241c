using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using FluentAssertions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// The photographic Hirschberg test end to end: random kit scenes (light at the camera, shared gaze up to ±20° / ±15°,
/// one eye deviating 0-40 PD eso / exo and up to ±20 PD vertically, angle kappa) through the default detector and
/// benchmark. Environment: FD_HB_SEED (default 1, the development seed), FD_HB_N (default 8), FD_HB_IRIS (degrade to
/// this iris diameter in px with blur 0.5 px, noise 3 levels, JPEG 80; default: clean 768 px renders, irises about
/// 34 px), FD_HB_KAPPA_SD (spread of each eye's angle kappa around the assumed 3.28°, degrees; default 0).
/// </summary>
public sealed class HirschbergAccuracyTests(ITestOutputHelper output)
{
    private static double Env(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : fallback;

    private static bool IsAlignment(DiagnosticFinding f) =>
        f.Kind is FindingKind.Esotropia or FindingKind.Exotropia or FindingKind.Hypertropia or FindingKind.Hypotropia;

    [Fact]
    public void Random_scenes_through_the_detector() =>
        Run((int)Env("FD_HB_SEED", 1), (int)Env("FD_HB_N", 8), (float)Env("FD_HB_IRIS", 0), Env("FD_HB_KAPPA_SD", 0));

    [Fact]
    public void At_a_degraded_30_px_iris_both_deviations_keep_their_accuracy()
    {
        // The landmark models put a small degraded iris's centre nasal of the true one and off vertically: +7 to +9 PD of
        // eso bias before the chords measured the horizontal limbus centre, a vertical MAE of 5.8 PD here before the
        // ellipse fit measured the vertical one. Development seed, 12 scenes: measured horizontal MAE 1.04 PD (bias
        // -0.23), vertical MAE 1.43 PD, no false or wrong finding (with the landmarks' vertical centre: 1 of 1 scenes
        // without a deviation and 1 of 4 deviations of 15 PD or more wrong). Bounds 2 PD, 1 PD and 3 PD.
        (double maeH, double biasH, double maeV) = Run(1, 12, 30, 0);
        maeH.Should().BeLessThan(2);
        Math.Abs(biasH).Should().BeLessThan(1);
        maeV.Should().BeLessThan(3);
    }

    private (double MaeH, double BiasH, double MaeV) Run(int seed, int n, float iris, double kappaSd)
    {
        var rng = new Random(seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        float[] deviations = [0, 0, 0, 5, -5, 8, -8, 10, -10, 15, -15, 20, -20, 30, -30, 40, -40];
        var bench = new LandmarkDiagnosticBenchmark();
        using var detector = new MediaPipeLandmarkDetector();
        var errH = new List<double>();
        var errV = new List<double>();
        var mrd = new List<double>();
        var mrd1Signed = new List<double>();
        var mrd2Signed = new List<double>();
        int straight = 0, straightFindings = 0, small = 0, smallFindings = 0, large = 0, misclassified = 0, unavailable = 0, reliableFalse = 0, limbusNotMeasured = 0, reliableWrong = 0;
        for (int i = 0; i < n; i++)
        {
            float h = deviations[rng.Next(deviations.Length)], v = rng.NextDouble() < 0.3 ? rng.Next(-4, 5) * 5 : 0;
            bool rightDeviates = rng.NextDouble() < 0.5;
            float gazeRight = (float)((rng.NextDouble() * 40) - 20), gazeUp = (float)((rng.NextDouble() * 30) - 15);
            if (rng.NextDouble() < 0.3)
            {
                (gazeRight, gazeUp) = (0, 0);
            }

            float kappaR = (float)Math.Clamp(3.28 + (kappaSd * Gauss()), -8, 8), kappaL = (float)Math.Clamp(3.28 + (kappaSd * Gauss()), -8, 8);
            var deviating = new EyeControl { HorizontalDeviationPrismDioptres = h, VerticalDeviationPrismDioptres = v };
            var scene = new GroundTruthScene
            {
                ImageSize = 768, Identity = rng.Next(0, 40), Sex = rng.NextDouble() < 0.5 ? AvatarSex.Male : AvatarSex.Female, AgeYears = rng.Next(18, 80),
                CameraLight = CameraLight.Default, Fixation = EyeFixation.Camera, GazeHorizontalDegrees = gazeRight, GazeUpDegrees = gazeUp,
                RightEye = (rightDeviates ? deviating : EyeControl.Neutral) with { AngleKappaDegrees = kappaR },
                LeftEye = (rightDeviates ? EyeControl.Neutral : deviating) with { AngleKappaDegrees = kappaL },
            };
            using GroundTruthRender r = GroundTruthFaceRenderer.Render(scene);
            using DegradedGroundTruth? degraded = iris > 0
                ? GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { TargetIrisDiameterPixels = iris, BlurSigmaPixels = 0.5f, NoiseSigmaLevels = 3, JpegQuality = 80, Seed = (ulong)(seed + i) })
                : null;
            Image<Rgb24> image = degraded?.Image ?? r.Image;
            DetectedFace face = detector.Detect(image).Face ?? throw new InvalidOperationException($"scene {i}: no face");
            OcularAssessment a = bench.Assess(face);
            AlignmentTruth t = r.Truth.Alignment!;
            HirschbergAlignment m = a.Measurements.Hirschberg;
            string found = string.Join(",", a.Findings.Where(IsAlignment).Select(f => $"{f.Kind} {f.Eye}{(f.IsReliable ? string.Empty : " (unreliable)")}"));
            output.WriteLine(FormattableString.Invariant(
                $"{i,3} id {scene.Identity,2} gaze {gazeRight,6:F1} {gazeUp,6:F1} true H {t.HorizontalDeviationPrismDioptres,6:F1} V {t.VerticalDeviationPrismDioptres,6:F1} | measured H {m.HorizontalPrism.Dioptres,6:F1} V {m.VerticalPrism.Dioptres,6:F1} | reflexes {a.Measurements.Right.Reflex.Status}/{a.Measurements.Left.Reflex.Status} | {found}"));
            if (!m.IsAvailable)
            {
                unavailable++;
                a.Findings.Where(IsAlignment).Should().BeEmpty("without both reflexes there is no alignment finding");
                continue;
            }

            limbusNotMeasured += a.QualityFlags.Any(f => f.Issue == CaptureQualityIssue.LimbusNotMeasured) ? 1 : 0;
            reliableWrong += a.Findings.Count(f => f.IsReliable && f.Kind switch
            {
                FindingKind.Esotropia => t.HorizontalDeviationPrismDioptres < 8,
                FindingKind.Exotropia => t.HorizontalDeviationPrismDioptres > -8,
                FindingKind.Hypertropia or FindingKind.Hypotropia => Math.Abs(t.VerticalDeviationPrismDioptres) < 8,
                _ => false,
            });
            errH.Add(m.HorizontalPrism.Dioptres - t.HorizontalDeviationPrismDioptres);
            errV.Add(m.VerticalPrism.Dioptres - t.VerticalDeviationPrismDioptres);
            foreach ((EyeMeasurements e, EyeTruth et) in new[] { (a.Measurements.Right, r.Truth.Right), (a.Measurements.Left, r.Truth.Left) })
            {
                if (e.MrdOrigin == MarginReflexOrigin.CornealReflex)
                {
                    mrd1Signed.Add(e.Mrd1.Millimetres - et.Alignment!.Mrd1FromReflex.Millimetres);
                    mrd2Signed.Add(e.Mrd2.Millimetres - et.Alignment!.Mrd2FromReflex.Millimetres);
                    mrd.Add(Math.Abs(mrd1Signed[^1]));
                    mrd.Add(Math.Abs(mrd2Signed[^1]));
                }
            }

            double th = Math.Abs(t.HorizontalDeviationPrismDioptres), tv = Math.Abs(t.VerticalDeviationPrismDioptres);
            bool any = found.Length > 0;
            if (Math.Max(th, tv) < 8)
            {
                reliableFalse += a.Findings.Count(f => IsAlignment(f) && f.IsReliable);
            }

            if (th == 0 && tv == 0)
            {
                straight++;
                straightFindings += any ? 1 : 0;
            }
            else if (Math.Max(th, tv) < 8)
            {
                small++;
                smallFindings += any ? 1 : 0;
            }

            if (th >= 15)
            {
                large++;
                misclassified += found.Contains(t.HorizontalDeviationPrismDioptres > 0 ? "Esotropia" : "Exotropia", StringComparison.Ordinal) ? 0 : 1;
            }

            if (tv >= 15)
            {
                large++;
                misclassified += found.Contains("Hypertropia", StringComparison.Ordinal) || found.Contains("Hypotropia", StringComparison.Ordinal) ? 0 : 1;
            }
        }

        double maeH = errH.Select(Math.Abs).DefaultIfEmpty(double.NaN).Average(), maeV = errV.Select(Math.Abs).DefaultIfEmpty(double.NaN).Average();
        double maeMrd = mrd.DefaultIfEmpty(double.NaN).Average();
        output.WriteLine(FormattableString.Invariant(
            $"seed {seed}, n {n}, iris {(iris > 0 ? iris.ToString(System.Globalization.CultureInfo.InvariantCulture) + " px degraded" : "clean")}, kappa SD {kappaSd}: horizontal MAE {maeH:F2} PD (bias {errH.DefaultIfEmpty(double.NaN).Average():F2}), vertical MAE {maeV:F2} PD, MRD1/MRD2 from the reflex MAE {maeMrd:F3} mm (n {mrd.Count}; MRD1 MAE {mrd1Signed.Select(Math.Abs).DefaultIfEmpty(double.NaN).Average():F3} bias {mrd1Signed.DefaultIfEmpty(double.NaN).Average():F3}, MRD2 MAE {mrd2Signed.Select(Math.Abs).DefaultIfEmpty(double.NaN).Average():F3} bias {mrd2Signed.DefaultIfEmpty(double.NaN).Average():F3}); findings with no deviation {straightFindings}/{straight}, below 8 PD {smallFindings}/{small} (reliable ones among them: {reliableFalse}); deviations >= 15 PD misclassified {misclassified}/{large}; no alignment (a reflex missing) {unavailable}/{n}; a limbus centre not measured {limbusNotMeasured}; reliable alignment findings of the wrong kind or on a deviation under 8 PD {reliableWrong}"));

        // Regression bounds for the default run (seed 1, 8 clean scenes): measured horizontal MAE 1.39 PD, vertical 0.79 PD
        // (1.13 with the landmarks' vertical iris centre), MRD 0.17 mm, no false or wrong finding. Bounds about 2x the
        // larger of horizontal and vertical; the counts must stay at zero.
        // No reliable alignment finding without a deviation of 8 PD or more, in any condition (a degraded eye's findings
        // carry its IrisTooSmall concern).
        reliableFalse.Should().Be(0);

        // With a spread of angle kappa a deviation below 8 PD can read past 10 PD: the counts are only asserted without it.
        if (kappaSd == 0)
        {
            straightFindings.Should().Be(0);
            smallFindings.Should().Be(0);
            misclassified.Should().Be(0);
        }

        if (iris == 0 && kappaSd == 0)
        {
            maeH.Should().BeLessThan(3);
            maeV.Should().BeLessThan(3);
            maeMrd.Should().BeLessThan(0.5);
        }

        return (maeH, errH.DefaultIfEmpty(double.NaN).Average(), maeV);
    }
}
