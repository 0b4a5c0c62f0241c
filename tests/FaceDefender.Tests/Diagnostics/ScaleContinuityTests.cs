using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Landmarks;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Diagnostics;

[Collection(DetectorCollection.Name)]
public sealed class ScaleContinuityTests(DetectorFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Explore()
    {
        string? spec = Environment.GetEnvironmentVariable("FD_SWEEP");
        if (spec is null)
        {
            return;
        }

        float[] scales = ScaleSweep.Ladder();
        var sweeps = new List<ScaleSweep.Sweep>();
        foreach (string item in spec.Split(','))
        {
            string[] p = item.Split(':');
            if (p[0] == "kit")
            {
                using GroundTruthRender r = ScaleSweep.KitRender(int.Parse(p[1]), int.Parse(p[2]), int.Parse(p[3]));
                sweeps.Add(ScaleSweep.Run(fixture.Detector, item, r.Image, scales));
            }
            else
            {
                using Image<Rgb24> photo = ScaleSweep.Portrait(p[0]);
                sweeps.Add(ScaleSweep.Run(fixture.Detector, item, photo, scales));
            }

            ScaleSweep.Sweep s = sweeps[^1];
            for (int k = 0; k < scales.Length; k++)
            {
                if (s.Measurements[k] is { } m && Environment.GetEnvironmentVariable("FD_SWEEP_VERBOSE") is not null)
                {
                    string R = string.Join(" ", ScaleSweep.Values(m.Right).Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
                    string L = string.Join(" ", ScaleSweep.Values(m.Left).Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
                    output.WriteLine(ScaleSweep.F($"{item} {scales[k]:F3} R iris {m.Right.IrisDiameterPixels:F1} eff {s.Effective[k].Right:F1} {R} | L iris {m.Left.IrisDiameterPixels:F1} eff {s.Effective[k].Left:F1} {L}"));
                }
            }
        }

        output.WriteLine(ScaleSweep.Table(sweeps));
        foreach (ScaleSweep.Sweep s in sweeps)
        {
            output.WriteLine(s.Name + " eff R: " + string.Join(" ", s.Effective.Select(e => e.Right.ToString("F0", System.Globalization.CultureInfo.InvariantCulture))));
            output.WriteLine(s.Name + " eff L: " + string.Join(" ", s.Effective.Select(e => e.Left.ToString("F0", System.Globalization.CultureInfo.InvariantCulture))));
        }
    }
}
