using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Decoding;
using FaceDefender.Fusion;
using FaceDefender.Hosting;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using FaceDefender.Tests.Landmarks;
using FaceDefender.Tests.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Tests.Hosting;

/// <summary>What a host relies on: the service registration, options from configuration, and the pipeline's log lines.</summary>
[Collection(DetectorCollection.Name)]
public sealed class HostingTests(DetectorFixture fixture) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fd-hosting-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void The_service_registration_shares_one_pipeline_and_keeps_a_hosts_own_services()
    {
        var services = new ServiceCollection();
        var own = new ProceduralAvatarProvider();
        services.AddSingleton<IAvatarProvider>(own);
        services.AddSingleton(typeof(ILogger<>), typeof(RecordingLogger<>));
        services.AddFaceDefender(o => o.Detector = new MediaPipeLandmarkDetectorOptions { SeveralFaces = SeveralFacesPolicy.Fail });
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IAvatarProvider>().Should().BeSameAs(own, "a service registered first is kept");
        provider.GetRequiredService<FaceDeidentifier>().Should().BeSameAs(provider.GetRequiredService<FaceDeidentifier>());
        provider.GetRequiredService<ILandmarkDetector>().Should().BeSameAs(provider.GetRequiredService<MediaPipeLandmarkDetector>());
        provider.GetRequiredService<MediaPipeLandmarkDetector>().Options.SeveralFaces.Should().Be(SeveralFacesPolicy.Fail, "the configured options reach the detector");
        provider.GetRequiredService<BatchDeidentifier>().Should().NotBeNull();
    }

    [Fact]
    public void Options_bound_from_configuration_reach_the_pipeline_the_detector_and_the_avatars_and_leave_the_shared_defaults_alone()
    {
        byte[] key = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];
        IConfiguration configuration = Configuration(new()
        {
            ["FaceDefender:Deidentification:MaxYawDegrees"] = "12",
            ["FaceDefender:Deidentification:DefaultAgeYears"] = "64",
            ["FaceDefender:Deidentification:Fusion:Roi"] = "EyesAndBrows",
            ["FaceDefender:Deidentification:Decoding:MaxPixels"] = "1000000",
            ["FaceDefender:Detector:MinFaceSize"] = "48",
            ["FaceDefender:Avatars:IdentitiesPerGroup"] = "3",
            ["FaceDefender:Avatars:PseudonymHmacKey"] = Convert.ToBase64String(key),
        });
        var services = new ServiceCollection();
        services.AddFaceDefender();
        services.AddOptions<FaceDefenderServiceOptions>().Bind(configuration.GetSection("FaceDefender"));
        using ServiceProvider provider = services.BuildServiceProvider();

        DeidentificationOptions options = provider.GetRequiredService<FaceDeidentifier>().Options;
        options.MaxYawDegrees.Should().Be(12);
        options.DefaultAgeYears.Should().Be(64);
        options.Fusion.Roi.Should().Be(RoiPreset.EyesAndBrows);
        options.Decoding.MaxPixels.Should().Be(1_000_000);
        provider.GetRequiredService<MediaPipeLandmarkDetector>().Options.MinFaceSize.Should().Be(48f);

        // The bound key and group size reach the avatars: every pseudonym gets what a provider built with them gives.
        var expected = new ProceduralAvatarProvider(new ProceduralAvatarOptions { PseudonymHmacKey = key, IdentitiesPerGroup = 3 });
        var withDefaults = new ProceduralAvatarProvider();
        IAvatarProvider bound = provider.GetRequiredService<IAvatarProvider>();
        string[] pseudonyms = [.. Enumerable.Range(0, 12).Select(i => $"patient-{i:D3}")];
        string Id(IAvatarProvider p, string pseudonym)
        {
            using Avatar a = p.Select(new AvatarQuery(AvatarSex.Female, 40, SkinTone.Medium, pseudonym));
            return a.Metadata.Id;
        }

        pseudonyms.Select(p => Id(bound, p)).Should().Equal(pseudonyms.Select(p => Id(expected, p)));
        pseudonyms.Select(p => Id(bound, p)).Should().NotEqual(pseudonyms.Select(p => Id(withDefaults, p)), "the default key and 8 identities choose differently");

        // Binding sets init properties on the instances it finds: those must be the service options' own, never the shared defaults.
        DeidentificationOptions.Default.MaxYawDegrees.Should().Be(20);
        DeidentificationOptions.Default.Fusion.Roi.Should().Be(RoiPreset.EyesOnly);
        FusionOptions.Default.Roi.Should().Be(RoiPreset.EyesOnly);
        ImageDecodingOptions.Default.MaxPixels.Should().NotBe(1_000_000);
        new FaceDefenderServiceOptions().Deidentification.Should().Be(DeidentificationOptions.Default, "a new instance starts from the defaults' values");
    }

    [Fact]
    public void Bad_options_are_refused_with_what_is_wrong_when_the_pipeline_is_first_resolved()
    {
        var services = new ServiceCollection();
        services.AddFaceDefender(o => o.AvatarFolder = Path.Combine(_root, "no-avatars"));
        using (ServiceProvider provider = services.BuildServiceProvider())
        {
            FluentActions.Invoking(() => provider.GetRequiredService<IAvatarProvider>())
                .Should().Throw<OptionsValidationException>().WithMessage("*avatar folder*no-avatars*does not exist*");
        }

        services = new ServiceCollection();
        services.AddFaceDefender(o => o.Deidentification = null!);
        using (ServiceProvider provider = services.BuildServiceProvider())
        {
            FluentActions.Invoking(() => provider.GetRequiredService<FaceDeidentifier>())
                .Should().Throw<OptionsValidationException>().WithMessage("*Deidentification may not be null*");
        }

        // A value out of range is refused by the option's own check while binding, naming the option.
        services = new ServiceCollection();
        services.AddFaceDefender();
        services.AddOptions<FaceDefenderServiceOptions>().Bind(Configuration(new() { ["FaceDefender:Deidentification:MaxYawDegrees"] = "200" }).GetSection("FaceDefender"));
        using (ServiceProvider provider = services.BuildServiceProvider())
        {
            FluentActions.Invoking(() => provider.GetRequiredService<FaceDeidentifier>())
                .Should().Throw<Exception>().Where(e => Flatten(e).Contains("MaxYawDegrees"));
        }
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);

    [Fact]
    public void The_pipeline_logs_each_outcome_without_file_names()
    {
        var logger = new RecordingLogger();
        using var pipeline = new FaceDeidentifier(fixture.Detector, logger: logger);

        using (DeidentificationResult r = pipeline.Deidentify(ModelFixture.FixturePath("faces", "astronaut.png")))
        {
            r.Status.Should().Be(DeidentificationStatus.Success);
            logger.Entries.Should().ContainSingle();
            logger.Entries[0].Level.Should().Be(LogLevel.Debug);
            logger.Entries[0].Message.Should().StartWith($"De-identified onto avatar {r.Avatar!.Id} (EyesOnly) in ");
        }

        string named = Path.Combine(_root, "Jane-Doe-1957.jpg"); // never created
        using (DeidentificationResult r = pipeline.Deidentify(named))
        {
            r.Status.Should().Be(DeidentificationStatus.UnreadableImage);
            r.Message.Should().Contain("Jane-Doe", "the result's message may name the file; the log line must not");
            logger.Entries.Should().HaveCount(2);
            logger.Entries[1].Level.Should().Be(LogLevel.Information);
            logger.Entries[1].Message.Should().Contain("UnreadableImage").And.Contain(r.DecodingFailure!.Value.ToString()).And.NotContain("Jane");
        }

        using var blank = new Image<Rgb24>(320, 240, new Rgb24(128, 128, 128));
        using (DeidentificationResult r = pipeline.Deidentify(blank))
        {
            r.Status.Should().Be(DeidentificationStatus.NoFace);
            logger.Entries.Should().HaveCount(3);
            logger.Entries[2].Should().Be((LogLevel.Information, "Photo not de-identified: NoFace; warnings: None"));
        }
    }
}
