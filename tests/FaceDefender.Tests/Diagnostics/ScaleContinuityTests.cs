using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Landmarks;
using FaceDefender.Tests.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// Continuity with image scale: one photo resized (bicubic) from 0.5x to 3x in steps of 5 %, each size through
/// <see cref="MediaPipeLandmarkDetector"/> and the default measurements; the largest change of each eye measure between
/// neighbouring sizes must stay small. A size at which a method switches on or off (the eye refinement used to switch
/// at an iris radius of 10 px and moved MRD2, fissure height and decentration by up to 2 mm between two sizes 5 % apart)
/// shows up as a jump.
/// </summary>
/// <remarks>
/// Kit scenes: seed 77, scenes 0 and 1 (<see cref="KitScenes.Random"/>, 640 px, irises about 29 px at 1x), the set the
/// refinement's blend and softness were tuned on. FD_CONTINUITY_SEED and FD_CONTINUITY_N select another (held-out) set
/// for <see cref="Held_out_table"/>, which prints the table docs/diagnostics.md shows and asserts nothing.
/// </remarks>
[Collection(DetectorCollection.Name)]
public sealed class ScaleContinuityTests(DetectorFixture fixture, ITestOutputHelper output)
{
    private const int TuningSeed = 77;

    /// <summary>MRD1, MRD2, fissure height, fissure width, decentration nasal, decentration up, iris to inner canthus (mm), canthal tilt (degrees).</summary>
    private static void Check(ScaleSweep.Sweep sweep, double[] bounds, ITestOutputHelper output)
    {
        (double Change, float From, FaceDefender.Abstractions.EyeSide Eye)[] worst = sweep.WorstSteps();
        for (int k = 0; k < sweep.Scales.Length; k++)
        {
            if (sweep.Scales[k] >= 0.7f)
            {
                sweep.Measurements[k].Should().NotBeNull($"{sweep.Name}: a face is found at every size from 0.7x to 3x ({sweep.Scales[k]:F2}x)");
            }
        }

        for (int j = 0; j < worst.Length; j++)
        {
            worst[j].Change.Should().BeLessThan(bounds[j], ScaleSweep.F($"{sweep.Name}: {ScaleSweep.Measures[j]} between neighbouring sizes (worst at {worst[j].From:F2}x, {worst[j].Eye} eye)"));
        }

        output.WriteLine(ScaleSweep.Table([sweep]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Kit_render_measurements_change_continuously_from_half_to_three_times_the_size(int scene)
    {
        using GroundTruthRender r = ScaleSweep.KitRender(TuningSeed, scene, 640);
        ScaleSweep.Sweep sweep = ScaleSweep.Run(fixture.Detector, ScaleSweep.F($"kit {TuningSeed}/{scene}"), r.Image, ScaleSweep.Ladder());
        // Measured worst steps (mm; tilt in degrees), scene 0 / scene 1: MRD1 0.53 / 0.71, MRD2 0.28 / 0.59, fissure
        // height 0.41 / 1.08, fissure width 0.75 / 1.40, decentration nasal 0.10 / 0.32, decentration up 0.33 / 0.54,
        // iris to inner canthus 0.44 / 0.38, canthal tilt 1.9 / 2.5. With the refinement switched on at an iris radius of
        // 10 px (before the blend): 1.79 / 1.95, 0.62 / 1.33, 1.23 / 1.58, 2.49 / 2.17, 0.26 / 0.47, 0.72 / 0.75,
        // 1.41 / 1.52 mm, 5.3 / 2.7 degrees. The 0.3 mm target is not met (docs/diagnostics.md); the bounds are 1.5x the
        // larger of the two scenes' values.
        Check(sweep, [1.07, 0.88, 1.62, 2.1, 0.48, 0.81, 0.66, 3.75], output);
    }

    [Theory]
    [InlineData("grace_hopper.jpg")]
    [InlineData("astronaut.png")]
    public void Portrait_measurements_change_continuously_from_half_to_three_times_the_size(string file)
    {
        using Image<Rgb24> photo = TestImages.Portrait(file);
        ScaleSweep.Sweep sweep = ScaleSweep.Run(fixture.Detector, file, photo, ScaleSweep.Ladder());
        // Measured worst steps (mm; tilt in degrees), grace_hopper / astronaut: MRD1 0.41 / 0.39, MRD2 0.25 / 0.21,
        // fissure height 0.43 / 0.30, fissure width 0.75 / 0.87, decentration nasal 0.42 / 0.47, decentration up
        // 0.26 / 0.25, iris to inner canthus 0.49 / 0.25, canthal tilt 0.34 / 0.20; each worst step lies below 0.8x, where
        // the irises are 7-12 px wide and the models' own points move by half a pixel from one size to the next. With the
        // 10 px switch: grace_hopper 0.76, 1.44, 1.46, 3.85, 1.00, 1.80, 1.41 mm, 2.4 degrees, all above 1.3x. Bounds 1.5x
        // the larger value.
        Check(sweep, [0.61, 0.38, 0.64, 1.3, 0.7, 0.39, 0.74, 0.52], output);
    }

    [Fact]
    public void Held_out_table()
    {
        if (Environment.GetEnvironmentVariable("FD_CONTINUITY_SEED") is not { } seedText)
        {
            return;
        }

        int seed = int.Parse(seedText, System.Globalization.CultureInfo.InvariantCulture);
        int n = int.TryParse(Environment.GetEnvironmentVariable("FD_CONTINUITY_N"), out int v) ? v : 4;
        var sweeps = new List<ScaleSweep.Sweep>();
        for (int i = 0; i < n; i++)
        {
            using GroundTruthRender r = ScaleSweep.KitRender(seed, i, 640);
            sweeps.Add(ScaleSweep.Run(fixture.Detector, ScaleSweep.F($"kit {seed}/{i}"), r.Image, ScaleSweep.Ladder()));
        }

        foreach (string file in new[] { "grace_hopper.jpg", "astronaut.png" })
        {
            using Image<Rgb24> photo = TestImages.Portrait(file);
            sweeps.Add(ScaleSweep.Run(fixture.Detector, file, photo, ScaleSweep.Ladder()));
        }

        output.WriteLine(ScaleSweep.Table(sweeps));
        output.WriteLine("| all | " + string.Join(" | ", Enumerable.Range(0, ScaleSweep.Measures.Length)
            .Select(j => sweeps.Max(s => s.WorstSteps()[j].Change).ToString("F3", System.Globalization.CultureInfo.InvariantCulture))) + " |");
    }
}
