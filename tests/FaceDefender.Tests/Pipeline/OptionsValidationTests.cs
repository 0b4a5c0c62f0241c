using FaceDefender.Abstractions;
using FaceDefender.Fusion;
using FaceDefender.Pipeline;

namespace FaceDefender.Tests.Pipeline;

/// <summary>Every <see cref="DeidentificationOptions"/> value at the edges of its range: accepted on the inside, refused with
/// the option's name just outside, and the documented defaults.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var o = new DeidentificationOptions();
        o.MaxYawDegrees.Should().Be(20f);
        o.MaxPitchDegrees.Should().Be(20f);
        o.MaxRollDegrees.Should().Be(30f);
        o.MaxPosedYawDegrees.Should().Be(43f);
        o.MaxPosedPitchDegrees.Should().Be(28f);
        o.TurnPhotosUpright.Should().BeTrue();
        o.MatchSkinColor.Should().BeFalse();
        o.MinEyeOpening.Should().Be(0.12f);
        o.MinEyeContrast.Should().Be(7f);
        o.DefaultSex.Should().Be(AvatarSex.Female);
        o.DefaultAgeYears.Should().Be(40);
        o.MemoryBudget.Should().BeNull();
        o.Fusion.Should().BeSameAs(FusionOptions.Default);
    }

    [Theory]
    [InlineData(nameof(DeidentificationOptions.MaxYawDegrees), 0.001f, true)]
    [InlineData(nameof(DeidentificationOptions.MaxYawDegrees), 90f, true)]
    [InlineData(nameof(DeidentificationOptions.MaxYawDegrees), 0f, false)]
    [InlineData(nameof(DeidentificationOptions.MaxYawDegrees), 90.01f, false)]
    [InlineData(nameof(DeidentificationOptions.MaxYawDegrees), float.NaN, false)]
    [InlineData(nameof(DeidentificationOptions.MaxPitchDegrees), 90f, true)]
    [InlineData(nameof(DeidentificationOptions.MaxPitchDegrees), 0f, false)]
    [InlineData(nameof(DeidentificationOptions.MaxPitchDegrees), -5f, false)]
    [InlineData(nameof(DeidentificationOptions.MaxRollDegrees), 90f, true)]
    [InlineData(nameof(DeidentificationOptions.MaxRollDegrees), 0f, false)]
    [InlineData(nameof(DeidentificationOptions.MaxRollDegrees), 91f, false)]
    [InlineData(nameof(DeidentificationOptions.MaxPosedYawDegrees), 0f, true)]
    [InlineData(nameof(DeidentificationOptions.MaxPosedYawDegrees), 45f, true)]
    [InlineData(nameof(DeidentificationOptions.MaxPosedYawDegrees), -0.01f, false)]
    [InlineData(nameof(DeidentificationOptions.MaxPosedYawDegrees), 45.01f, false)]
    [InlineData(nameof(DeidentificationOptions.MaxPosedPitchDegrees), 0f, true)]
    [InlineData(nameof(DeidentificationOptions.MaxPosedPitchDegrees), 30f, true)]
    [InlineData(nameof(DeidentificationOptions.MaxPosedPitchDegrees), -0.01f, false)]
    [InlineData(nameof(DeidentificationOptions.MaxPosedPitchDegrees), 30.01f, false)]
    [InlineData(nameof(DeidentificationOptions.MinEyeOpening), 0f, true)]
    [InlineData(nameof(DeidentificationOptions.MinEyeOpening), 0.99f, true)]
    [InlineData(nameof(DeidentificationOptions.MinEyeOpening), 1f, false)]
    [InlineData(nameof(DeidentificationOptions.MinEyeOpening), -0.01f, false)]
    [InlineData(nameof(DeidentificationOptions.MinEyeContrast), 0f, true)]
    [InlineData(nameof(DeidentificationOptions.MinEyeContrast), 255f, true)]
    [InlineData(nameof(DeidentificationOptions.MinEyeContrast), 255.5f, false)]
    [InlineData(nameof(DeidentificationOptions.MinEyeContrast), -0.5f, false)]
    [InlineData(nameof(DeidentificationOptions.DefaultAgeYears), 0f, true)]
    [InlineData(nameof(DeidentificationOptions.DefaultAgeYears), 120f, true)]
    [InlineData(nameof(DeidentificationOptions.DefaultAgeYears), -1f, false)]
    [InlineData(nameof(DeidentificationOptions.DefaultAgeYears), 121f, false)]
    public void Each_option_is_checked_at_its_edges(string name, float value, bool valid)
    {
        Func<DeidentificationOptions> make = name switch
        {
            nameof(DeidentificationOptions.MaxYawDegrees) => () => new DeidentificationOptions { MaxYawDegrees = value },
            nameof(DeidentificationOptions.MaxPitchDegrees) => () => new DeidentificationOptions { MaxPitchDegrees = value },
            nameof(DeidentificationOptions.MaxRollDegrees) => () => new DeidentificationOptions { MaxRollDegrees = value },
            nameof(DeidentificationOptions.MaxPosedYawDegrees) => () => new DeidentificationOptions { MaxPosedYawDegrees = value },
            nameof(DeidentificationOptions.MaxPosedPitchDegrees) => () => new DeidentificationOptions { MaxPosedPitchDegrees = value },
            nameof(DeidentificationOptions.MinEyeOpening) => () => new DeidentificationOptions { MinEyeOpening = value },
            nameof(DeidentificationOptions.MinEyeContrast) => () => new DeidentificationOptions { MinEyeContrast = value },
            nameof(DeidentificationOptions.DefaultAgeYears) => () => new DeidentificationOptions { DefaultAgeYears = (int)value },
            _ => throw new ArgumentException(name),
        };

        if (valid)
        {
            DeidentificationOptions o = make();
            typeof(DeidentificationOptions).GetProperty(name)!.GetValue(o).Should().Be(name == nameof(DeidentificationOptions.DefaultAgeYears) ? (object)(int)value : value);
        }
        else
        {
            string range = name switch
            {
                nameof(DeidentificationOptions.MaxPosedYawDegrees) => "[0, 45] degrees",
                nameof(DeidentificationOptions.MaxPosedPitchDegrees) => "[0, 30] degrees",
                nameof(DeidentificationOptions.MinEyeOpening) => "[0, 1): fissure height over fissure width",
                nameof(DeidentificationOptions.MinEyeContrast) => "[0, 255]: a luma difference",
                nameof(DeidentificationOptions.DefaultAgeYears) => "between 0 and 120 years",
                _ => "(0, 90] degrees",
            };
            make.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(name).Which.Message.Should().Contain(range, "the refusal names the range");
        }
    }

    [Fact]
    public void Null_or_invalid_nested_options_are_refused_by_name()
    {
        FluentActions.Invoking(() => new DeidentificationOptions { Fusion = null! }).Should().Throw<ArgumentNullException>().WithParameterName("Fusion");
        FluentActions.Invoking(() => new DeidentificationOptions { Decoding = null! }).Should().Throw<ArgumentNullException>().WithParameterName("Decoding");
        FluentActions.Invoking(() => new DeidentificationOptions { Decoding = new Decoding.ImageDecodingOptions { AllowedFormats = Decoding.ImageFormats.None } })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("AllowedFormats");
    }
}
