using System.Numerics;
using FaceDefender.Fusion;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Fusion;

/// <summary>
/// The fuser on a real portrait with its detected landmarks, onto a flat synthetic "avatar" whose landmarks
/// are the patient's under a known similarity: the geometry is then known exactly.
/// </summary>
public sealed class PeriocularFaceFuserTests : IClassFixture<PeriocularFaceFuserTests.Portrait>
{
    private readonly Portrait _p;
    private readonly ITestOutputHelper _output;

    public PeriocularFaceFuserTests(Portrait p, ITestOutputHelper output)
    {
        _p = p;
        _output = output;
    }

    public sealed class Portrait : IDisposable
    {
        public Portrait()
        {
            Image = SixLabors.ImageSharp.Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", "astronaut.png"));
            using var detector = new MediaPipeLandmarkDetector();
            Landmarks = detector.Detect(Image).Face!.Landmarks;
        }

        public Image<Rgb24> Image { get; }

        public FaceLandmarks Landmarks { get; }

        public void Dispose() => Image.Dispose();
    }

    private static readonly SimilarityTransform Known = new(2.1, 0.12, new Vector2(-60, -80), 0);

    private (Image<Rgb24> Avatar, FaceLandmarks Landmarks) FlatAvatar()
    {
        var avatar = new Image<Rgb24>(1024, 1024, new Rgb24(205, 160, 140));
        return (avatar, _p.Landmarks.Transform(Known.ToMatrix(), CoordinateSpace.Source));
    }

    [Theory]
    [InlineData(RoiPreset.EyesOnly)]
    [InlineData(RoiPreset.EyesAndBrows)]
    [InlineData(RoiPreset.Paper)]
    public void Recovers_the_transform_and_keeps_every_avatar_pixel_outside_the_mask(RoiPreset roi)
    {
        (Image<Rgb24> avatar, FaceLandmarks avatarLm) = FlatAvatar();
        using (avatar)
        using (FusionResult r = new PeriocularFaceFuser().Fuse(_p.Image, _p.Landmarks, avatar, avatarLm, new FusionOptions { Roi = roi }))
        {
            _output.WriteLine(FormattableString.Invariant($"{roi}: scale error {Math.Abs(r.Transform.Scale - Known.Scale):E2}, rotation error {Math.Abs(r.Transform.Rotation - Known.Rotation):E2} rad, iris 468 {Vector2.Distance(r.PatientLandmarks[468], avatarLm[468]):E2} px"));
            // Measured (all three presets): scale error 2.75e-8, rotation error 2.65e-9 rad, iris 468 1.53e-5 px; bounds 2x those
            // (float rounding of the landmark transform and of the fit; any real misfit is orders of magnitude larger).
            r.Transform.Scale.Should().BeApproximately(Known.Scale, 5.5e-8);
            r.Transform.Rotation.Should().BeApproximately(Known.Rotation, 5.3e-9);
            Vector2.Distance(r.PatientLandmarks[468], avatarLm[468]).Should().BeLessThan(3.1e-5f);
            r.PatientLandmarks.Space.Should().Be(CoordinateSpace.Output);

            float[] mask = r.Mask.ToArray();
            int leaked = 0, kept = 0;
            r.Image.ProcessPixelRows(acc =>
            {
                for (int y = 0; y < acc.Height; y++)
                {
                    Span<Rgb24> row = acc.GetRowSpan(y);
                    for (int x = 0; x < acc.Width; x++)
                    {
                        if (mask[(y * 1024) + x] == 0)
                        {
                            if (row[x] != new Rgb24(205, 160, 140))
                            {
                                leaked++;
                            }
                        }
                        else if (mask[(y * 1024) + x] > 0.99f && row[x] != new Rgb24(205, 160, 140))
                        {
                            kept++;
                        }
                    }
                }
            });
            leaked.Should().Be(0, "outside the mask the output is the avatar, bit for bit");
            kept.Should().BeGreaterThan(1000, "inside the mask the patient's pixels are kept");

            // The mask covers both irises and never the nose tip or the mouth.
            Value(mask, r.PatientLandmarks[468]).Should().BeGreaterThan(0.99f);
            Value(mask, r.PatientLandmarks[473]).Should().BeGreaterThan(0.99f);
            Value(mask, r.PatientLandmarks[4]).Should().Be(0f);
            Value(mask, r.PatientLandmarks[13]).Should().Be(0f);
        }
    }

    [Fact]
    public void Larger_presets_keep_more_pixels()
    {
        (Image<Rgb24> avatar, FaceLandmarks lm) = FlatAvatar();
        using (avatar)
        {
            double Area(RoiPreset p)
            {
                using FusionResult r = new PeriocularFaceFuser().Fuse(_p.Image, _p.Landmarks, avatar, lm, new FusionOptions { Roi = p });
                return r.Mask.ToArray().Sum();
            }

            double eyes = Area(RoiPreset.EyesOnly), brows = Area(RoiPreset.EyesAndBrows), paper = Area(RoiPreset.Paper);
            eyes.Should().BeLessThan(brows);
            brows.Should().BeLessThan(paper);
        }
    }

    [Fact]
    public void Normalizer_levels_the_eyes_and_puts_about_a_quarter_canvas_between_them()
    {
        (Image<Rgb24> canvas, FaceLandmarks lm, _) = FaceNormalizer.Normalize(_p.Image, _p.Landmarks);
        using (canvas)
        {
            canvas.Width.Should().Be(1024);
            Vector2 r = (lm[33] + lm[133]) / 2, l = (lm[263] + lm[362]) / 2;
            MathF.Abs(r.Y - l.Y).Should().BeLessThan(3f, "the eye line is level");
            (l.X - r.X).Should().BeInRange(200f, 300f);
        }

        // Landmarks shifted 200 px left put the face's frame past the photo's left edge: white padding.
        FaceLandmarks shifted = _p.Landmarks.Transform(Matrix3x2.CreateTranslation(-200, 0), CoordinateSpace.Source);
        (Image<Rgb24> padded, _, _) = FaceNormalizer.Normalize(_p.Image, shifted);
        using (padded)
        {
            padded[5, 512].Should().Be(new Rgb24(255, 255, 255), "padding is white");
        }
    }

    [Fact]
    public void The_mask_is_the_images_size_and_is_gone_once_the_result_is_disposed()
    {
        // The mask is a pooled buffer (4 MB a frame in a video): after Dispose it goes back to the pool, so reading it
        // must fail rather than show whatever the next fusion wrote there.
        (Image<Rgb24> avatar, FaceLandmarks avatarLm) = FlatAvatar();
        using (avatar)
        {
            FusionResult r = new PeriocularFaceFuser().Fuse(_p.Image, _p.Landmarks, avatar, avatarLm);
            r.Mask.Length.Should().Be(r.Image.Width * r.Image.Height);
            r.Mask.Span.ToArray().Max().Should().Be(1f);
            r.Dispose();
            FluentActions.Invoking(() => r.Mask).Should().Throw<ObjectDisposedException>().WithMessage("*Copy the mask before disposing*");
            r.Dispose(); // twice is harmless
        }
    }

    [Fact]
    public void Bad_arguments_fail_clearly()
    {
        var fuser = new PeriocularFaceFuser();
        FluentActions.Invoking(() => fuser.Fuse(null!, _p.Landmarks, _p.Image, _p.Landmarks)).Should().Throw<ArgumentNullException>().WithParameterName("patient");
        FluentActions.Invoking(() => new FusionOptions { FeatherSigmaFraction = 0 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("FeatherSigmaFraction");
        FluentActions.Invoking(() => new FusionOptions { Roi = (RoiPreset)42 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Roi");
    }

    private static float Value(float[] mask, Vector2 p) => mask[((int)MathF.Round(p.Y) * 1024) + (int)MathF.Round(p.X)];
}
