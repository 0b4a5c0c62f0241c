using FaceDefender.Fusion;
using FaceDefender.Imaging;
using FaceDefender.Synthesis;

namespace FaceDefender.Tests.Fusion;

/// <summary>Every <see cref="FusionOptions"/> value at the edges of its range, the undefined enum values, and the documented
/// defaults (including the dilation that depends on the preset).</summary>
public sealed class FusionOptionsTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var o = new FusionOptions();
        o.Roi.Should().Be(RoiPreset.EyesOnly);
        o.MaskDilationFraction.Should().Be(0.08f);
        o.FeatherSigmaFraction.Should().Be(0.015f);
        o.ColorCorrectionSigmaFraction.Should().Be(0.09f);
        o.CaptureMatching.Should().Be(CaptureMatching.None);
        o.ColorReference.Should().Be(ColorReferenceRegion.BlurSupport);
        o.ColorTransferMode.Should().Be(ColorTransferMode.Additive);
        o.ColorTransferBlur.Should().Be(ColorTransferBlur.Fast);
        o.SyntheticEyes.Should().BeSameAs(SyntheticEyeOptions.Default);
        FusionOptions.Default.Should().Be(o);
    }

    [Theory]
    [InlineData(RoiPreset.EyesOnly, 0.08f)]
    [InlineData(RoiPreset.EyesAndBrows, 0.008f)]
    [InlineData(RoiPreset.Paper, 0.008f)]
    [InlineData(RoiPreset.GeometryOnly, 0.008f)]
    public void The_dilation_follows_the_preset_until_it_is_set(RoiPreset roi, float expected)
    {
        new FusionOptions { Roi = roi }.MaskDilationFraction.Should().Be(expected);

        // Once set, it no longer depends on the preset, whichever is set first.
        new FusionOptions { Roi = roi, MaskDilationFraction = 0.2f }.MaskDilationFraction.Should().Be(0.2f);
        new FusionOptions { MaskDilationFraction = 0.2f, Roi = roi }.MaskDilationFraction.Should().Be(0.2f);
        (new FusionOptions { MaskDilationFraction = 0f } with { Roi = roi }).MaskDilationFraction.Should().Be(0f);
    }

    [Theory]
    [InlineData(nameof(FusionOptions.MaskDilationFraction), 0f, true)]
    [InlineData(nameof(FusionOptions.MaskDilationFraction), 0.5f, true)]
    [InlineData(nameof(FusionOptions.MaskDilationFraction), -0.0001f, false)]
    [InlineData(nameof(FusionOptions.MaskDilationFraction), 0.5001f, false)]
    [InlineData(nameof(FusionOptions.MaskDilationFraction), float.NaN, false)]
    [InlineData(nameof(FusionOptions.FeatherSigmaFraction), 0.0005f, true)]
    [InlineData(nameof(FusionOptions.FeatherSigmaFraction), 0.2f, true)]
    [InlineData(nameof(FusionOptions.FeatherSigmaFraction), 0.0004f, false)]
    [InlineData(nameof(FusionOptions.FeatherSigmaFraction), 0.2001f, false)]
    [InlineData(nameof(FusionOptions.FeatherSigmaFraction), float.NaN, false)]
    [InlineData(nameof(FusionOptions.ColorCorrectionSigmaFraction), 0.01f, true)]
    [InlineData(nameof(FusionOptions.ColorCorrectionSigmaFraction), 1f, true)]
    [InlineData(nameof(FusionOptions.ColorCorrectionSigmaFraction), 0.0099f, false)]
    [InlineData(nameof(FusionOptions.ColorCorrectionSigmaFraction), 1.0001f, false)]
    [InlineData(nameof(FusionOptions.ColorCorrectionSigmaFraction), float.PositiveInfinity, false)]
    public void Each_fraction_is_checked_at_its_edges(string name, float value, bool valid)
    {
        Func<FusionOptions> make = name switch
        {
            nameof(FusionOptions.MaskDilationFraction) => () => new FusionOptions { MaskDilationFraction = value },
            nameof(FusionOptions.FeatherSigmaFraction) => () => new FusionOptions { FeatherSigmaFraction = value },
            nameof(FusionOptions.ColorCorrectionSigmaFraction) => () => new FusionOptions { ColorCorrectionSigmaFraction = value },
            _ => throw new ArgumentException(name),
        };

        if (valid)
        {
            typeof(FusionOptions).GetProperty(name)!.GetValue(make()).Should().Be(value);
        }
        else
        {
            make.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(name)
                .WithMessage("Must be between * and * (a fraction of the inter-pupil distance).*")
                .Which.ActualValue.Should().Be(value);
        }
    }

    [Fact]
    public void Undefined_enum_values_are_refused_by_name()
    {
        FluentActions.Invoking(() => new FusionOptions { CaptureMatching = (CaptureMatching)2 }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName(nameof(FusionOptions.CaptureMatching)).WithMessage("Unknown capture matching.*");
        FluentActions.Invoking(() => new FusionOptions { ColorReference = (ColorReferenceRegion)(-1) }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName(nameof(FusionOptions.ColorReference)).WithMessage("Unknown colour reference region.*");
        FluentActions.Invoking(() => new FusionOptions { Roi = (RoiPreset)4 }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName(nameof(FusionOptions.Roi)).WithMessage("Unknown ROI preset.*");

        // The last defined values are accepted.
        new FusionOptions { CaptureMatching = CaptureMatching.BlurAndNoise }.CaptureMatching.Should().Be(CaptureMatching.BlurAndNoise);
        new FusionOptions { ColorReference = ColorReferenceRegion.SurroundingSkin }.ColorReference.Should().Be(ColorReferenceRegion.SurroundingSkin);
        new FusionOptions { Roi = RoiPreset.GeometryOnly }.Roi.Should().Be(RoiPreset.GeometryOnly);
    }

    [Fact]
    public void Synthetic_eye_options_are_checked_as_a_pair_when_set()
    {
        FluentActions.Invoking(() => new FusionOptions { SyntheticEyes = null! }).Should().Throw<ArgumentNullException>().WithParameterName(nameof(FusionOptions.SyntheticEyes));

        // The falloff must lie at least 0.02 IPD beyond the rigid radius: 0.1 and 0.11 do not fit together, 0.1 and 0.13 do.
        var tooClose = new SyntheticEyeOptions { RigidRadiusFraction = 0.1f, FalloffRadiusFraction = 0.11f };
        FluentActions.Invoking(() => new FusionOptions { SyntheticEyes = tooClose }).Should().Throw<ArgumentException>()
            .WithMessage("*must exceed RigidRadiusFraction*");
        var apart = new SyntheticEyeOptions { RigidRadiusFraction = 0.1f, FalloffRadiusFraction = 0.13f };
        new FusionOptions { SyntheticEyes = apart }.SyntheticEyes.Should().BeSameAs(apart);
    }
}
