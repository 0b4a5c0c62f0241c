using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Diagnostics;
using FaceDefender.Fusion;
using FaceDefender.Hosting;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers FaceDefender with a host's service container.</summary>
public static class FaceDefenderServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons shared by every request: the landmark detector (<see cref="MediaPipeLandmarkDetector"/>, also
    /// as <see cref="ILandmarkDetector"/>), the avatars (<see cref="IAvatarProvider"/>: the built-in procedural avatars, or
    /// the set in <see cref="FaceDefenderServiceOptions.AvatarFolder"/>), the fuser (<see cref="IFaceFuser"/>), the eye
    /// measurements (<see cref="IDiagnosticBenchmark"/>), <see cref="FaceDeidentifier"/> and <see cref="BatchDeidentifier"/>
    /// (both log through the container's <see cref="ILogger{TCategoryName}"/> when there is one). All are thread-safe.
    /// A service registered before this call is kept (for example your own <see cref="IAvatarProvider"/>). The models load
    /// when the detector is first resolved, not here.
    /// <para>
    /// The options are read through <see cref="IOptions{TOptions}"/> of <see cref="FaceDefenderServiceOptions"/> when the
    /// first service is resolved, so they can also come from configuration:
    /// <c>services.AddOptions&lt;FaceDefenderServiceOptions&gt;().Bind(configuration.GetSection("FaceDefender"))</c>. They are
    /// checked then: a null part or a missing avatar folder throws <see cref="OptionsValidationException"/> naming the
    /// problem (call <c>ValidateOnStart()</c> on that builder to have the host check them at start-up). A value outside its
    /// range throws from the option's setter when it is set or bound.
    /// </para>
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configure">Sets the options; null for the defaults (or for options set elsewhere).</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddFaceDefender(this IServiceCollection services, Action<FaceDefenderServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<FaceDefenderServiceOptions> builder = services.AddOptions<FaceDefenderServiceOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FaceDefenderServiceOptions>, FaceDefenderServiceOptionsValidator>());
        services.TryAddSingleton(sp => Settings(sp));
        services.TryAddSingleton(sp => new MediaPipeLandmarkDetector(Settings(sp).Detector));
        services.TryAddSingleton<ILandmarkDetector>(sp => sp.GetRequiredService<MediaPipeLandmarkDetector>());
        services.TryAddSingleton<IAvatarProvider>(sp => Settings(sp) is { AvatarFolder: { } folder }
            ? DirectoryAvatarProvider.Open(folder, sp.GetRequiredService<ILandmarkDetector>())
            : new ProceduralAvatarProvider(Settings(sp).Avatars));
        services.TryAddSingleton<IFaceFuser>(_ => new PeriocularFaceFuser());
        services.TryAddSingleton<IDiagnosticBenchmark>(_ => new LandmarkDiagnosticBenchmark());
        services.TryAddSingleton(sp => new FaceDeidentifier(sp.GetRequiredService<ILandmarkDetector>(), sp.GetRequiredService<IAvatarProvider>(),
            sp.GetRequiredService<IFaceFuser>(), Settings(sp).Deidentification, sp.GetRequiredService<IDiagnosticBenchmark>(),
            sp.GetService<ILogger<FaceDeidentifier>>()));
        services.TryAddSingleton(sp => new BatchDeidentifier(sp.GetRequiredService<FaceDeidentifier>(), sp.GetService<ILogger<BatchDeidentifier>>()));
        return services;
    }

    private static FaceDefenderServiceOptions Settings(IServiceProvider services) =>
        services.GetRequiredService<IOptions<FaceDefenderServiceOptions>>().Value;
}
