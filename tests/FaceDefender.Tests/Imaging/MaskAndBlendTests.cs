using System.Numerics;
using FaceDefender.Imaging;
using SixLabors.ImageSharp;

namespace FaceDefender.Tests.Imaging;

[Trait("Category", "Kernels")]
public class MaskAndBlendTests
{
    [Fact]
    public void Axis_aligned_integer_rectangle_fills_exactly()
    {
        float[] mask = new float[20 * 10];
        PolygonRasterizer.FillPolygon([new(2, 3), new(7, 3), new(7, 8), new(2, 8)], mask, 20, 10);
        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 20; x++)
            {
                mask[(y * 20) + x].Should().Be(x >= 2 && x < 7 && y >= 3 && y < 8 ? 1f : 0f);
            }
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.37)]
    [InlineData(1.1)]
    public void Rasterised_area_of_a_rotated_triangle_matches_the_analytic_area(double angle)
    {
        Vector2 c = new(50.3f, 40.7f);
        Vector2[] tri = new Vector2[3];
        for (int i = 0; i < 3; i++)
        {
            double a = angle + (i * 2 * Math.PI / 3);
            tri[i] = c + new Vector2((float)(30 * Math.Cos(a)), (float)(25 * Math.Sin(a)));
        }

        double area = Math.Abs(((tri[1].X - tri[0].X) * (tri[2].Y - tri[0].Y)) - ((tri[2].X - tri[0].X) * (tri[1].Y - tri[0].Y))) / 2;
        float[] mask = new float[100 * 100];
        PolygonRasterizer.FillPolygon(tri, mask, 100, 100);
        mask.Sum().Should().BeApproximately((float)area, (float)area * 0.005f);
        mask.Should().OnlyContain(v => v >= 0 && v <= 1);
    }

    [Fact]
    public void Convex_hull_drops_interior_points_and_keeps_corners()
    {
        Vector2[] pts = [new(0, 0), new(4, 0), new(4, 4), new(0, 4), new(2, 2), new(1, 3), new(2, 0)];
        Vector2[] hull = ConvexHull.Compute(pts);
        hull.Should().HaveCount(4).And.Contain([new(0, 0), new(4, 0), new(4, 4), new(0, 4)]);
        ConvexHull.Compute([new(1, 1), new(1, 1)]).Should().HaveCount(1);
    }

    [Fact]
    public void Dilated_hull_contains_the_offset_disk()
    {
        Vector2[] sq = [new(10, 10), new(20, 10), new(20, 20), new(10, 20)];
        Vector2[] grown = ConvexHull.Dilate(sq, 3);
        float[] mask = new float[40 * 40];
        PolygonRasterizer.FillPolygon(grown, mask, 40, 40);
        // Pixel x covers [x, x+1): the grown square spans [7, 23) up to the 32-gon's 0.015 px overshoot.
        mask[(15 * 40) + 7].Should().Be(1f);
        mask[(15 * 40) + 22].Should().Be(1f);
        mask[(15 * 40) + 23].Should().BeInRange(0f, 0.02f);
        mask[(15 * 40) + 6].Should().BeInRange(0f, 0.02f);
        mask[(15 * 40) + 24].Should().Be(0f);
        mask.Sum().Should().BeApproximately((float)(100 + (4 * 10 * 3) + (Math.PI * 9)), 3f);
    }

    [Fact]
    public void Square_dilation_and_union_behave_as_max_filters()
    {
        float[] m = new float[9 * 7];
        m[(3 * 9) + 4] = 0.8f;
        float[] d = new float[m.Length];
        MaskOperations.Dilate(m, d, 9, 7, 1);
        d.Count(v => v == 0.8f).Should().Be(9);
        float[] other = new float[m.Length];
        other[0] = 0.5f;
        MaskOperations.UnionInPlace(other, d);
        d[0].Should().Be(0.5f);
        d[(3 * 9) + 4].Should().Be(0.8f);
        MaskOperations.NonZeroBounds(d, 9, 7).Should().Be(Rectangle.FromLTRB(0, 0, 6, 5));
    }

    [Fact]
    public void Feathered_mask_stays_in_unit_range_and_keeps_its_mass()
    {
        float[] m = new float[64 * 64];
        PolygonRasterizer.FillPolygon([new(20, 20), new(44, 20), new(44, 44), new(20, 44)], m, 64, 64);
        float[] f = new float[m.Length];
        MaskOperations.Feather(m, f, 64, 64, 2.5f);
        f.Should().OnlyContain(v => v >= 0 && v <= 1.0001f);
        f.Sum().Should().BeApproximately(m.Sum(), 0.01f * m.Sum());
        f[(32 * 64) + 32].Should().BeApproximately(1f, 1e-4f);
        f[(32 * 64) + 20].Should().BeInRange(0.3f, 0.7f);
    }

    [Fact]
    public void Blend_vector_path_equals_scalar_path_and_is_exact_where_the_mask_is_0_or_1()
    {
        int n = 1000 + 7;
        byte[] bg = TestImages.Random(n, 1, 3, 21), fg = TestImages.Random(n, 1, 3, 22);
        float[] mask = TestImages.RandomFloats(n, 23, 1.4f);
        for (int i = 0; i < 64; i++)
        {
            mask[i] = 0;
            mask[100 + i] = 1;
        }

        mask[500] = float.NaN;
        mask[501] = -3;
        byte[] simd = new byte[n * 3], scalar = new byte[n * 3];
        AlphaBlend.BlendCore(bg, fg, mask, simd, allowSimd: true);
        AlphaBlend.BlendCore(bg, fg, mask, scalar, allowSimd: false);
        simd.Should().Equal(scalar);
        simd.AsSpan(0, 64 * 3).ToArray().Should().Equal(bg.AsSpan(0, 64 * 3).ToArray());
        simd.AsSpan(300, 64 * 3).ToArray().Should().Equal(fg.AsSpan(300, 64 * 3).ToArray());
        simd.AsSpan(1500, 6).ToArray().Should().Equal(bg.AsSpan(1500, 6).ToArray());
        byte expected = (byte)Math.Floor((bg[3000] * (1 - Math.Clamp(mask[1000], 0, 1))) + (fg[3000] * Math.Clamp(mask[1000], 0, 1)) + 0.5);
        ((int)simd[3000]).Should().BeCloseTo(expected, 1);
    }

    [Fact]
    public void Blend_with_long_runs_of_0_and_1_equals_the_scalar_path_out_of_place_and_in_place()
    {
        // Runs longer than the 64-pixel skip steps, starting off the 16-pixel grid, with single fractional, NaN,
        // negative-zero and above-1 values inside them, so that every skip loop stops early and resumes.
        int n = 5000 + 9;
        byte[] bg = TestImages.Random(n, 1, 3, 41), fg = TestImages.Random(n, 1, 3, 42);
        float[] mask = TestImages.RandomFloats(n, 43, 1f);
        for (int i = 0; i < n; i++)
        {
            int seg = (i + 37) % 1000;
            mask[i] = seg < 400 ? 0 : seg < 800 ? 1 + (seg % 3) : mask[i];
        }

        foreach (int i in new[] { 200, 650, 1100, 1515, 2390, 4090 })
        {
            mask[i] = 0.5f;
        }

        mask[2100] = -0f;
        mask[2200] = float.NaN;
        mask[1700] = 0.999f;
        mask[1701] = float.NegativeInfinity;
        mask[1702] = -1e30f;
        mask[1703] = 1e30f;
        mask[1704] = 1f;
        mask[1705] = 0.99997f; // within half a step of 16384
        mask[1706] = -1e-5f;
        byte[] scalar = new byte[n * 3], simd = new byte[n * 3];
        AlphaBlend.BlendCore(bg, fg, mask, scalar, allowSimd: false);
        AlphaBlend.BlendCore(bg, fg, mask, simd, allowSimd: true);
        simd.Should().Equal(scalar);
        byte[] intoBg = (byte[])bg.Clone();
        AlphaBlend.BlendCore(intoBg, fg, mask, intoBg, allowSimd: true);
        intoBg.Should().Equal(scalar);
        byte[] intoFg = (byte[])fg.Clone();
        AlphaBlend.BlendCore(bg, intoFg, mask, intoFg, allowSimd: true);
        intoFg.Should().Equal(scalar);
    }

    [Fact]
    public void Blend_is_within_0_51_of_the_exact_blend_and_in_place_equals_out_of_place()
    {
        // An eye-like mask: long runs of 0, runs of 1, feathered edges, and a few odd values; odd length.
        int n = (257 * 129) + 5;
        byte[] bg = TestImages.Random(n, 1, 3, 31), fg = TestImages.Random(n, 1, 3, 32);
        float[] mask = new float[n];
        var rng = new Random(33);
        for (int i = 0; i < n; i++)
        {
            int x = i % 257;
            mask[i] = x < 60 ? 0 : x < 80 ? (x - 60) / 20f : x < 150 ? 1 : x < 170 ? (float)rng.NextDouble() : 0;
        }

        mask[1000] = float.NaN;
        mask[1001] = -0f;
        mask[1002] = 7f;
        mask[1003] = float.PositiveInfinity;
        byte[] outOfPlace = new byte[n * 3];
        AlphaBlend.Blend(bg, fg, mask, outOfPlace);
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            double m = float.IsNaN(mask[i]) ? 0 : Math.Clamp(mask[i], 0, 1);
            for (int c = 0; c < 3; c++)
            {
                int k = (i * 3) + c;
                worst = Math.Max(worst, Math.Abs(outOfPlace[k] - ((bg[k] * (1 - m)) + (fg[k] * m))));
            }
        }

        worst.Should().BeLessThanOrEqualTo(0.51);

        byte[] intoBg = (byte[])bg.Clone();
        AlphaBlend.Blend(intoBg, fg, mask, intoBg);
        intoBg.Should().Equal(outOfPlace);
        byte[] intoFg = (byte[])fg.Clone();
        AlphaBlend.Blend(bg, intoFg, mask, intoFg);
        intoFg.Should().Equal(outOfPlace);
        byte[] scalar = new byte[n * 3];
        AlphaBlend.BlendCore(bg, fg, mask, scalar, allowSimd: false);
        scalar.Should().Equal(outOfPlace);
    }

    [Fact]
    public void Bad_arguments_fail_with_specific_errors()
    {
        FluentActions.Invoking(() => PolygonRasterizer.FillPolygon([new(1, 1), new(2, 2)], new float[100], 10, 10))
            .Should().Throw<ArgumentException>().WithParameterName("polygon");
        FluentActions.Invoking(() => ConvexHull.Compute([])).Should().Throw<ArgumentException>().WithParameterName("points");
        FluentActions.Invoking(() => AlphaBlend.Blend(new byte[30], new byte[33], new float[10], new byte[30]))
            .Should().Throw<ArgumentException>().WithMessage("*3 bytes a pixel*");
        FluentActions.Invoking(() => MaskOperations.UnionInPlace(new float[3], new float[4])).Should().Throw<ArgumentException>()
            .WithParameterName("other").WithMessage("Masks differ in size (3 vs 4 values)*");
        FluentActions.Invoking(() => MaskOperations.NonZeroBounds(new float[10], 0, 10)).Should().Throw<ArgumentException>().WithParameterName("width");
        FluentActions.Invoking(() => MaskOperations.NonZeroBounds(new float[11], 4, 3)).Should().Throw<ArgumentException>().WithParameterName("mask");
        FluentActions.Invoking(() => MaskOperations.Dilate(new float[12], new float[12], 4, 0, 1)).Should().Throw<ArgumentException>().WithParameterName("height");
        FluentActions.Invoking(() => MaskOperations.Dilate(new float[11], new float[12], 4, 3, 1)).Should().Throw<ArgumentException>().WithParameterName("source");
        FluentActions.Invoking(() => MaskOperations.Dilate(new float[12], new float[11], 4, 3, 1)).Should().Throw<ArgumentException>().WithParameterName("destination");
        FluentActions.Invoking(() => MaskOperations.Dilate(new float[12], new float[12], 4, 3, -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("radius");
    }

    [Fact]
    public void Non_zero_bounds_hold_every_positive_value_and_nothing_else()
    {
        const int w = 11, h = 7;
        float[] m = new float[w * h];
        MaskOperations.NonZeroBounds(m, w, h).Should().Be(Rectangle.Empty, "an all-zero mask has no bounds");
        m[(2 * w) + 4] = -1f;
        m[(3 * w) + 6] = -0f;
        MaskOperations.NonZeroBounds(m, w, h).Should().Be(Rectangle.Empty, "negative values and -0 are not kept");

        m[0] = 1e-30f; // the first pixel alone: the first row and column count
        MaskOperations.NonZeroBounds(m, w, h).Should().Be(new Rectangle(0, 0, 1, 1));
        m[0] = 0;
        m[(h * w) - 1] = 0.5f; // the last pixel alone
        MaskOperations.NonZeroBounds(m, w, h).Should().Be(new Rectangle(w - 1, h - 1, 1, 1));

        // Rows of different extents, a zero row between them, and zeros and negatives before the first positive value of a row.
        Array.Clear(m);
        m[(1 * w) + 5] = 0.2f;
        m[(1 * w) + 3] = -2f;
        m[(3 * w) + 2] = 1f;
        m[(3 * w) + 4] = 1f;
        m[(4 * w) + 7] = 0.01f;
        m[(4 * w) + 8] = -1f;
        MaskOperations.NonZeroBounds(m, w, h).Should().Be(Rectangle.FromLTRB(2, 1, 8, 5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(40)]
    public void Square_dilation_equals_the_maximum_over_each_neighbourhood(int radius)
    {
        // A sparse random mask touching every edge, against the brute-force maximum over the clipped square.
        const int w = 13, h = 9;
        var rng = new Random(7 + radius);
        float[] m = new float[w * h];
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = rng.Next(6) == 0 ? (float)rng.NextDouble() : 0f;
        }

        m[0] = 0.9f;
        m[w - 1] = 0.3f;
        m[(h - 1) * w] = 0.7f;
        m[(h * w) - 1] = 0.6f;
        float[] d = new float[w * h];
        Array.Fill(d, 5f); // stale values in the destination must not survive
        MaskOperations.Dilate(m, d, w, h, radius);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                float max = 0;
                for (int yy = Math.Max(0, y - radius); yy <= Math.Min(h - 1, y + radius); yy++)
                {
                    for (int xx = Math.Max(0, x - radius); xx <= Math.Min(w - 1, x + radius); xx++)
                    {
                        max = Math.Max(max, m[(yy * w) + xx]);
                    }
                }

                d[(y * w) + x].Should().Be(max, $"pixel ({x}, {y}) at radius {radius}");
            }
        }
    }

    [Fact]
    public void Feathering_replicates_the_edges_and_any_thread_count_gives_the_same_mask()
    {
        // A full mask stays full to the last pixel (edges replicated, not faded to zero as a constant border would).
        float[] ones = new float[40 * 30];
        Array.Fill(ones, 1f);
        float[] f = new float[ones.Length];
        MaskOperations.Feather(ones, f, 40, 30, 3f);
        f.Should().OnlyContain(v => Math.Abs(v - 1f) < 1e-5f);

        float[] m = new float[64 * 48];
        PolygonRasterizer.FillPolygon([new(5, 5), new(40, 9), new(30, 40)], m, 64, 48);
        float[] one = new float[m.Length], two = new float[m.Length];
        MaskOperations.Feather(m, one, 64, 48, 2f, 1);
        MaskOperations.Feather(m, two, 64, 48, 2f, 2);
        two.Should().Equal(one);
    }
}
