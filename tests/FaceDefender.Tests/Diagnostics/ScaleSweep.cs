using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Diagnostics;
using FaceDefender.Landmarks;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// A photo measured at a ladder of sizes (each 5 % larger than the one before, bicubic resampling of the same photo), and
/// the largest change of each eye measure between neighbouring sizes. Shared by <see cref="ScaleContinuityTests"/> and
/// the table it prints.
/// </summary>
internal static class ScaleSweep
{
    /// <summary>The measures compared, per eye; canthal tilt in degrees, the others in millimetres.</summary>
    public static readonly string[] Measures = ["MRD1", "MRD2", "fissure height", "fissure width", "decentration nasal", "decentration up", "iris to inner canthus", "canthal tilt (deg)"];

    /// <summary>Scales 0.5 .. 3, each 5 % above the previous (38 sizes; the last is 2.9 x 1.05 capped at 3).</summary>
    public static float[] Ladder(float from = 0.5f, float to = 3f)
    {
        var scales = new List<float>();
        for (float s = from; s < to * 1.0001f; s *= 1.05f)
        {
            scales.Add(s);
        }

        if (scales[^1] < to * 0.999f)
        {
            scales.Add(to);
        }

        return [.. scales];
    }

    public static double[] Values(EyeMeasurements e) =>
    [
        e.Mrd1.Millimetres, e.Mrd2.Millimetres, e.FissureHeight.Millimetres, e.FissureWidth.Millimetres,
        e.DecentrationNasal.Millimetres, e.DecentrationUp.Millimetres, e.IrisToInnerCanthus.Millimetres, e.CanthalTiltDegrees,
    ];

    /// <summary>One photo's sweep: per scale, both eyes' measures (null where no face was found).</summary>
    public sealed record Sweep(string Name, float[] Scales, OcularMeasurements?[] Measurements, (float Right, float Left)[] Effective)
    {
        /// <summary>Per measure, the largest change between neighbouring scales (both eyes), and where.</summary>
        public (double Change, float From, EyeSide Eye)[] WorstSteps()
        {
            var worst = new (double, float, EyeSide)[Measures.Length];
            for (int k = 1; k < Scales.Length; k++)
            {
                if (Measurements[k - 1] is not { } a || Measurements[k] is not { } b)
                {
                    continue;
                }

                foreach (EyeSide side in new[] { EyeSide.Right, EyeSide.Left })
                {
                    double[] va = Values(a[side]), vb = Values(b[side]);
                    for (int j = 0; j < va.Length; j++)
                    {
                        double d = Math.Abs(vb[j] - va[j]);
                        if (!(d <= worst[j].Item1))
                        {
                            worst[j] = (d, Scales[k - 1], side);
                        }
                    }
                }
            }

            return worst;
        }
    }

    public static Sweep Run(MediaPipeLandmarkDetector detector, string name, Image<Rgb24> photo, float[] scales, DiagnosticOptions? options = null)
    {
        var benchmark = new LandmarkDiagnosticBenchmark(options: options);
        var result = new OcularMeasurements?[scales.Length];
        var effective = new (float, float)[scales.Length];
        for (int k = 0; k < scales.Length; k++)
        {
            int w = Math.Max(8, (int)MathF.Round(photo.Width * scales[k])), h = Math.Max(8, (int)MathF.Round(photo.Height * scales[k]));
            using Image<Rgb24> scaled = photo.Clone(x => x.Resize(w, h, KnownResamplers.Bicubic));
            FaceDetection d = detector.Detect(scaled);
            result[k] = d.Face is { } face ? benchmark.Measure(face.Landmarks, face.Pose) : null;
            effective[k] = d.Face is { } f ? (f.Landmarks.RightEyeContour!.EffectiveIrisDiameterPixels, f.Landmarks.LeftEyeContour!.EffectiveIrisDiameterPixels) : (float.NaN, float.NaN);
        }

        return new Sweep(name, scales, result, effective);
    }

    /// <summary>A kit render of the random scene number <paramref name="index"/> of <paramref name="seed"/> (<see cref="KitScenes.Random"/>).</summary>
    public static GroundTruthRender KitRender(int seed, int index, int size)
    {
        var rng = new Random(seed);
        GroundTruthScene scene = null!;
        for (int i = 0; i <= index; i++)
        {
            scene = KitScenes.Random(rng, size, () => KitScenes.RandomEye(rng));
        }

        return GroundTruthFaceRenderer.Render(scene);
    }

    public static Image<Rgb24> Portrait(string file) => TestImages.Portrait(file);

    /// <summary>A markdown table: per sweep, the worst neighbouring-step change of each measure.</summary>
    public static string Table(IEnumerable<Sweep> sweeps)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("| photo | " + string.Join(" | ", Measures) + " |");
        sb.AppendLine("|---" + string.Concat(Enumerable.Repeat("|---:", Measures.Length)) + "|");
        foreach (Sweep s in sweeps)
        {
            sb.AppendLine($"| {s.Name} | " + string.Join(" | ", s.WorstSteps().Select(w => F($"{w.Change:F3} ({w.From:F2}x {w.Eye})"))) + " |");
        }

        return sb.ToString();
    }

    public static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
