using System.Numerics;
using FaceDefender.Imaging;
using FaceDefender.Imaging.Processors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Tests.Imaging;

[Trait("Category", "Kernels")]
public class ColorTransferTests
{
    private static (byte[] A, byte[] B, int W, int H) TwoPortraits()
    {
        (byte[] a, int w, int h) = TestImages.LoadRgb("opencv/input_astronaut.png");
        (byte[] b, _, _) = TestImages.LoadRgb("opencv/input_grace_hopper.png");
        return (a, b, w, h);
    }

    [Fact]
    public void Transfer_onto_itself_is_the_identity()
    {
        (byte[] a, _, int w, int h) = TwoPortraits();
        byte[] dst = new byte[a.Length];
        ColorTransfer.Apply(a, a, default, dst, w, h, 20f, ColorTransferBlur.Exact);
        dst.Should().Equal(a);
    }

    [Theory]
    [InlineData(23f)]
    [InlineData(30f)]
    public void Fast_blur_is_within_one_grey_level_of_the_exact_blur(float sigma)
    {
        // A 512 canvas (portraits side by side, upscaled) with the eye-sized mask in the interior.
        (byte[] a, byte[] b, int w, int h) = TwoPortraits();
        byte[] warped = Upscale(a, w, h), reference = Upscale(b, w, h);
        int W = 2 * w, H = 2 * h;
        float[] mask = new float[W * H];
        PolygonRasterizer.FillPolygon([new(150, 200), new(360, 200), new(360, 300), new(150, 300)], mask, W, H);
        byte[] exact = new byte[warped.Length], fast = new byte[warped.Length];
        Rectangle r1 = ColorTransfer.Apply(warped, reference, mask, exact, W, H, sigma, ColorTransferBlur.Exact);
        Rectangle r2 = ColorTransfer.Apply(warped, reference, mask, fast, W, H, sigma, ColorTransferBlur.Fast);
        r1.Should().Be(Rectangle.FromLTRB(150, 200, 360, 300)).And.Be(r2);
        TestImages.MaxAbsDiff(exact, fast).Should().BeLessThanOrEqualTo(1);
    }

    [Fact]
    public void Dark_denominators_are_guarded_and_output_is_clamped()
    {
        int w = 40, h = 30;
        byte[] black = new byte[w * h * 3];
        byte[] white = Enumerable.Repeat((byte)255, w * h * 3).ToArray();
        byte[] dst = new byte[black.Length];
        ColorTransfer.Apply(black, white, default, dst, w, h, 3f, ColorTransferBlur.Exact);
        dst.Should().OnlyContain(v => v == 0, "0 · 255 / (0 + 128) = 0, never NaN");
        byte[] grey = Enumerable.Repeat((byte)200, w * h * 3).ToArray();
        byte[] dim = Enumerable.Repeat((byte)50, w * h * 3).ToArray();
        ColorTransfer.Apply(grey, white, default, dst, w, h, 3f, ColorTransferBlur.Exact);
        dst.Should().OnlyContain(v => v == 255);
        ColorTransfer.Apply(grey, dim, default, dst, w, h, 3f, ColorTransferBlur.Exact);
        dst.Should().OnlyContain(v => v == 50);
    }

    [Fact]
    public void Image_level_helpers_and_processors_match_the_span_kernels()
    {
        using var img = Image.Load<Rgb24>(TestImages.FixturePath("opencv", "input_astronaut.png"));
        (byte[] raw, int w, int h) = TestImages.LoadRgb("opencv/input_astronaut.png");

        byte[] expected = new byte[raw.Length];
        SeparableGaussianBlur.BlurRgb24(raw, expected, w, h, GaussianKernel.Create(3f));
        using Image<Rgb24> viaProcessor = img.Clone(ctx => ctx.ExactGaussianBlur(3f));
        Bytes(viaProcessor).Should().Equal(expected);

        // Other pixel formats go through Rgb24 and back.
        using Image<Rgba32> rgba = img.CloneAs<Rgba32>();
        rgba.Mutate(ctx => ctx.ExactGaussianBlur(3f));
        Bytes(rgba.CloneAs<Rgb24>()).Should().Equal(expected);

        Matrix3x2 m = Matrix3x2.CreateRotation(0.2f, new Vector2(128, 128));
        byte[] warpExpected = new byte[raw.Length];
        AffineWarp.WarpRgb24(raw, w, h, warpExpected, w, h, m);
        using Image<Rgb24> warped = ImageKernels.Warp(img, m, new Size(w, h));
        Bytes(warped).Should().Equal(warpExpected);
        using Image<Rgb24> warped2 = img.Clone(ctx => ctx.WarpAffineBilinear(m));
        Bytes(warped2).Should().Equal(warpExpected);

        FluentActions.Invoking(() => img.Clone(ctx => ctx.WarpAffineBilinear(new Matrix3x2(0, 0, 0, 0, 1, 1))))
            .Should().Throw<ArgumentException>().WithMessage("*singular*");
        FluentActions.Invoking(() => ImageKernels.Blend(img, new Image<Rgb24>(3, 3), new float[9]))
            .Should().Throw<ArgumentException>().WithMessage("*differ in size*");
        FluentActions.Invoking(() => ImageKernels.Warp(null!, m, new Size(3, 3)))
            .Should().Throw<ArgumentNullException>().WithParameterName("source");
    }

    private static byte[] Bytes(Image<Rgb24> image)
    {
        var b = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(b.AsSpan()));
        return b;
    }

    private static byte[] Upscale(byte[] src, int w, int h)
    {
        byte[] dst = new byte[src.Length * 4];
        AffineWarp.WarpRgb24(src, w, h, dst, 2 * w, 2 * h, Matrix3x2.CreateScale(2f), WarpBorderMode.Replicate);
        return dst;
    }
}
