using FaceDefender.Decoding;

namespace FaceDefender.Tests.Hostile;

/// <summary>The decoding options' validation at each boundary, and the declared-size check of the opt-in formats.</summary>
public sealed class DecodingOptionsTests
{
    private static readonly ImageDecodingOptions D = ImageDecodingOptions.Default;

    public static TheoryData<string, ImageDecodingOptions> Invalid() => new()
    {
        { "no format", D with { AllowedFormats = ImageFormats.None } },
        { "unknown format bit", D with { AllowedFormats = (ImageFormats)256 } },
        { "unknown bit with a known one", D with { AllowedFormats = ImageFormats.Jpeg | (ImageFormats)512 } },
        { "zero pixels", D with { MaxPixels = 0 } },
        { "negative pixels", D with { MaxPixels = -1 } },
        { "zero bytes", D with { MaxEncodedBytes = 0 } },
        { "bytes beyond an array", D with { MaxEncodedBytes = int.MaxValue - 63 } },
        { "negative metadata", D with { MaxMetadataBytes = -1 } },
        { "zero scans", D with { MaxJpegScans = 0 } },
        { "zero time", D with { Timeout = TimeSpan.Zero } },
        { "negative time", D with { Timeout = TimeSpan.FromSeconds(-1) } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_are_refused(string what, ImageDecodingOptions options) =>
        FluentActions.Invoking(options.Validate).Should().Throw<ArgumentOutOfRangeException>(what);

    [Fact]
    public void Refusals_say_what_is_expected()
    {
        FluentActions.Invoking((D with { AllowedFormats = ImageFormats.None }).Validate)
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least one known format*").Which.ParamName.Should().Be("AllowedFormats");
        FluentActions.Invoking((D with { Timeout = TimeSpan.FromSeconds(-2) }).Validate)
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*positive*InfiniteTimeSpan*").Which.ParamName.Should().Be("Timeout");
    }

    public static TheoryData<string, ImageDecodingOptions> Valid() => new()
    {
        { "defaults", D },
        { "one format", D with { AllowedFormats = ImageFormats.Pbm } },
        { "every format", D with { AllowedFormats = ImageFormats.All } },
        { "one pixel", D with { MaxPixels = 1 } },
        { "one byte", D with { MaxEncodedBytes = 1 } },
        { "largest array", D with { MaxEncodedBytes = int.MaxValue - 64 } },
        { "no metadata", D with { MaxMetadataBytes = 0 } },
        { "one scan", D with { MaxJpegScans = 1 } },
        { "a tick", D with { Timeout = TimeSpan.FromTicks(1) } },
        { "no time limit", D with { Timeout = Timeout.InfiniteTimeSpan } },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_options_pass(string what, ImageDecodingOptions options) =>
        FluentActions.Invoking(options.Validate).Should().NotThrow(what);

    [Fact]
    public void The_defaults_are_the_documented_values()
    {
        (D.AllowedFormats, D.MaxPixels, D.MaxEncodedBytes, D.MaxMetadataBytes, D.MaxJpegScans, D.Timeout, D.RejectTruncated)
            .Should().Be((ImageFormats.Jpeg | ImageFormats.Png, 64L * 1024 * 1024, 200L * 1024 * 1024, 16L * 1024 * 1024, 100, TimeSpan.FromSeconds(30), false));
    }

    [Theory]
    [InlineData("bmp")]
    [InlineData("gif")]
    [InlineData("tiff")]
    [InlineData("pbm")]
    public void Opt_in_formats_are_held_to_the_pixel_limit_from_their_own_header(string format)
    {
        byte[] data = format switch
        {
            "bmp" => HostileImages.Bmp(40, 30),
            "gif" => HostileImages.Gif(40, 30),
            "tiff" => HostileImages.Tiff(40, 30),
            _ => HostileImages.Pbm(40, 30),
        };
        var all = D with { AllowedFormats = ImageFormats.All };
        using (DecodedImage d = FaceImageDecoder.Decode(new MemoryStream(data), all with { MaxPixels = 1200 }))
        {
            d.Image.Width.Should().Be(40);
        }

        FluentActions.Invoking(() => FaceImageDecoder.Decode(new MemoryStream(data), all with { MaxPixels = 1199 }))
            .Should().Throw<ImageDecodingException>().Which.Failure.Should().Be(ImageDecodingFailure.TooManyPixels);
    }
}
