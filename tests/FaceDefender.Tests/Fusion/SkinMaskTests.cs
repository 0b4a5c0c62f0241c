using System.Globalization;
using FaceDefender.Fusion;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Fusion;

/// <summary>
/// Regression bounds of the paper region's skin-following mask on painted captures of the development seed
/// (<see cref="SkinMaskHarness"/>): five faces, as painted and reduced to an inter-pupil distance of 60 px with JPEG.
/// The bounds sit between what the mask gives and what its failure modes give (the hull unchanged, true skin dropped,
/// pixels added, the texture term or the whole-support colour reference lost); docs/fusion.md has the full table.
/// </summary>
public sealed class SkinMaskTests(SkinMaskTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<SkinMaskTests.Fixture>
{
    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            Harness = new SkinMaskHarness(SkinMaskTableTests.DevelopmentSeed);
            Cases = [.. Harness.AllCases().Where(c => c.Degradation.Ipd is 0 or 60)];
            foreach (SkinCase c in Cases)
            {
                (SkinMeasures m, FusionResult r, float[] hull) = Harness.RunWithHull(c, Paper);
                using (r)
                {
                    Masks.Add(r.Mask.ToArray());
                }

                HullMasks.Add(hull);
                Measures.Add(m);
            }
        }

        public SkinMaskHarness Harness { get; }

        public SkinCase[] Cases { get; }

        public List<SkinMeasures> Measures { get; } = [];

        public List<float[]> Masks { get; } = [];

        public List<float[]> HullMasks { get; } = [];

        public void Dispose() => Harness.Dispose();
    }

    private static FusionOptions Paper => new() { Roi = RoiPreset.Paper };

    [Fact]
    public void The_skin_mask_is_on_by_default_for_the_paper_region_only()
    {
        FusionOptions.Default.SkinFollowingMask.Should().BeTrue();
        Paper.FollowsSkin.Should().BeTrue();
        (Paper with { SkinFollowingMask = false }).FollowsSkin.Should().BeFalse();
        new FusionOptions { Roi = RoiPreset.EyesOnly }.FollowsSkin.Should().BeFalse();
        new FusionOptions { Roi = RoiPreset.EyesAndBrows }.FollowsSkin.Should().BeFalse();
    }

    [Fact]
    public void The_skin_mask_only_removes_patient_pixels_never_adds_any()
    {
        int removedSomewhere = 0;
        for (int k = 0; k < fixture.Cases.Length; k++)
        {
            float[] on = fixture.Masks[k], off = fixture.HullMasks[k];
            on.Length.Should().Be(off.Length);
            int above = 0;
            double removed = 0;
            for (int i = 0; i < on.Length; i++)
            {
                if (on[i] > off[i] + 1e-6f)
                {
                    above++;
                }

                removed += off[i] - on[i];
            }

            above.Should().Be(0, $"{fixture.Cases[k]}: the skin mask may only lower the hull mask");
            removedSomewhere += removed > 1 ? 1 : 0;
        }

        removedSomewhere.Should().BeGreaterThan(fixture.Cases.Length / 2, "the painted hair, frames and background are removed on most captures");
    }

    [Fact]
    public void The_eye_openings_are_kept_as_the_hull_keeps_them()
    {
        int checkedPixels = 0;
        for (int k = 0; k < fixture.Cases.Length; k++)
        {
            (_, FusionResult r) = fixture.Harness.Run(fixture.Cases[k], Paper);
            using (r)
            {
                int w = r.Image.Width, h = r.Image.Height;
                float ipd = AvatarLandmarks(k).InterPupillaryDistance;
                // The eye openings (lid contours of the patient, mapped, and of the avatar) grown by the eyes-only margin, drawn
                // here rather than by the code under test.
                var core = new float[w * h];
                foreach (bool left in new[] { true, false })
                {
                    int[] eye = FusionLandmarkSets.MaskGroup(RoiPreset.EyesOnly, left);
                    foreach (FaceDefender.Landmarks.FaceLandmarks lm in new[] { r.PatientLandmarks, AvatarLandmarks(k) })
                    {
                        FaceDefender.Imaging.PolygonRasterizer.FillPolygon(
                            FaceDefender.Imaging.ConvexHull.Dilate(FaceDefender.Imaging.ConvexHull.Compute(lm.Select(eye)), 0.08f * ipd), core, w, h);
                    }
                }

                // The core's interior, farther from its edge than the feather reaches: there the skin mask cannot change the mask.
                var outside = new float[w * h];
                for (int i = 0; i < outside.Length; i++)
                {
                    outside[i] = core[i] >= 1f ? 0f : 1f;
                }

                var near = new float[w * h];
                FaceDefender.Imaging.MaskOperations.Dilate(outside, near, w, h, (int)MathF.Ceiling(4 * Paper.FeatherSigmaFraction * ipd));
                float[] on = fixture.Masks[k], off = fixture.HullMasks[k];
                for (int i = 0; i < near.Length; i++)
                {
                    if (near[i] == 0f && off[i] > 0f)
                    {
                        on[i].Should().Be(off[i], $"{fixture.Cases[k]}: pixel {i} lies in the protected core");
                        checkedPixels++;
                    }
                }
            }
        }

        checkedPixels.Should().BeGreaterThan(1000);
    }

    [Fact]
    public void Painted_hair_frames_and_background_mostly_drop_out()
    {
        double ghost = fixture.Measures.Average(m => m.Ghost);
        output.WriteLine(F($"ghost mean {ghost:0.000}; per case {string.Join(", ", fixture.Measures.Select(m => m.Ghost.ToString("0.00", CultureInfo.InvariantCulture)))}"));

        // Measured 0.32 on these captures; the hull (skin mask off) carries 0.94.
        ghost.Should().BeLessThan(0.5);
        fixture.Measures.Count(m => m.Ghost < 0.5).Should().BeGreaterThanOrEqualTo(6, "most captures lose most of their painting");
    }

    [Fact]
    public void True_skin_is_rarely_dropped()
    {
        double dropped = fixture.Measures.Average(m => m.FalseRemoval);
        output.WriteLine(F($"true skin dropped, mean {dropped:0.000}; per case {string.Join(", ", fixture.Measures.Select(m => m.FalseRemoval.ToString("0.000", CultureInfo.InvariantCulture)))}"));

        // Measured 0.043 on these captures (one capture 0.30: Grace Hopper at an inter-pupil distance of 60 px).
        dropped.Should().BeLessThan(0.10);
    }

    [Fact]
    public void Unpainted_faces_keep_their_skin()
    {
        var dropped = new List<double>();
        foreach (SkinCase c in fixture.Cases)
        {
            (SkinMeasures m, FusionResult r) = fixture.Harness.Run(c, Paper, paint: false);
            r.Dispose();
            dropped.Add(m.FalseRemoval);
        }

        output.WriteLine(F($"unpainted: true skin dropped, mean {dropped.Average():0.000}, max {dropped.Max():0.000}"));
        // Measured 0.067 (at most 0.155, Grace Hopper's lid creases and highlights).
        dropped.Average().Should().BeLessThan(0.10);
    }

    [Fact]
    public void The_texture_term_removes_hair_the_colour_terms_miss()
    {
        FusionOptions noTexture = Paper with { SkinTerms = PeriocularSkinMask.Terms.Chroma | PeriocularSkinMask.Terms.Lightness };
        var with = new List<double>();
        var without = new List<double>();
        for (int k = 0; k < fixture.Cases.Length; k++)
        {
            (SkinMeasures m, FusionResult r) = fixture.Harness.Run(fixture.Cases[k], noTexture);
            r.Dispose();
            if (double.IsFinite(m.GhostHair) && double.IsFinite(fixture.Measures[k].GhostHair))
            {
                with.Add(fixture.Measures[k].GhostHair);
                without.Add(m.GhostHair);
            }
        }

        output.WriteLine(F($"hair carried: all terms {with.Average():0.000}, without texture {without.Average():0.000}"));
        with.Average().Should().BeLessThan(without.Average() - 0.03, "hair strands are thin high-contrast structures");
    }

    [Fact]
    public void The_seam_colour_step_stays_near_the_hull_masks()
    {
        var hull = new List<double>();
        foreach (SkinCase c in fixture.Cases)
        {
            (SkinMeasures m, FusionResult r) = fixture.Harness.Run(c, Paper with { SkinFollowingMask = false });
            r.Dispose();
            hull.Add(m.Seam.DeltaE);
        }

        double[] on = [.. fixture.Measures.Select(m => m.Seam.DeltaE).Order()];
        double medianOn = (on[(on.Length - 1) / 2] + on[on.Length / 2]) / 2;
        double[] off = [.. hull.Order()];
        double medianOff = (off[(off.Length - 1) / 2] + off[off.Length / 2]) / 2;
        output.WriteLine(F($"colour step (ΔE2000) median: skin mask {medianOn:0.00}, hull {medianOff:0.00}"));

        // The boundary now runs along hair and frames, where the ring outside is the avatar's skin: a step of up to 1.5 more
        // than the hull's is accepted (measured: 5.2 against 4.1; the skin-only colour reference, which was tried, gave more).
        medianOn.Should().BeLessThan(medianOff + 1.5);
    }

    [Fact]
    public void The_skin_mask_is_deterministic_and_leaves_other_presets_alone()
    {
        SkinCase c = fixture.Cases[0];
        (_, FusionResult again) = fixture.Harness.Run(c, Paper);
        using (again)
        {
            again.Mask.ToArray().Should().Equal(fixture.Masks[0]);
        }

        foreach (RoiPreset roi in new[] { RoiPreset.EyesOnly, RoiPreset.EyesAndBrows })
        {
            (_, FusionResult a) = fixture.Harness.Run(c, new FusionOptions { Roi = roi });
            (_, FusionResult b) = fixture.Harness.Run(c, new FusionOptions { Roi = roi, SkinFollowingMask = false });
            using (a)
            using (b)
            {
                a.Mask.ToArray().Should().Equal(b.Mask.ToArray(), $"{roi} ignores the switch");
                Pixels(a).Should().Equal(Pixels(b));
            }
        }
    }

    private FaceDefender.Landmarks.FaceLandmarks AvatarLandmarks(int k) => fixture.Harness.AvatarFor(fixture.Cases[k].Source).Landmarks;

    private static byte[] Pixels(FusionResult r)
    {
        var bytes = new byte[r.Image.Width * r.Image.Height * 3];
        r.Image.CopyPixelDataTo(bytes);
        return bytes;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
