using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Diagnostics;
using FaceDefender.Fusion;
using FaceDefender.Hosting;
using FaceDefender.Landmarks;
using FaceDefender.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers FaceDefender with a host's service container.</summary>
public static class FaceDefenderServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons shared by every request: the landmark detector (<see cref="MediaPipeLandmarkDetector"/>, also
    /// as <see cref="ILandmarkDetector"/>), the avatars (<see cref="IAvatarProvider"/>: the built-in procedural avatars, or
    /// the set in <see cref="FaceDefenderServiceOptions.AvatarFolder"/>), the fuser (<see cref="IFaceFuser"/>), the eye
    /// measurements (<see cref="IDiagnosticBenchmark"/>), <see cref="FaceDeidentifier"/> and <see cref="BatchDeidentifier"/>
    /// (which logs through the container's <see cref="ILogger{TCategoryName}"/> when there is one). All are thread-safe.
    /// A service registered before this call is kept (for example your own <see cref="IAvatarProvider"/>). The models load
    /// when the detector is first resolved, not here.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configure">Sets the options; null for the defaults. Bind configuration into the options here, for
    /// example <c>o =&gt; o.AvatarFolder = configuration["FaceDefender:AvatarFolder"]</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddFaceDefender(this IServiceCollection services, Action<FaceDefenderServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new FaceDefenderServiceOptions();
        configure?.Invoke(options);
        options.Validate();
        services.TryAddSingleton(options);
        services.TryAddSingleton(_ => new MediaPipeLandmarkDetector(options.Detector));
        services.TryAddSingleton<ILandmarkDetector>(sp => sp.GetRequiredService<MediaPipeLandmarkDetector>());
        services.TryAddSingleton<IAvatarProvider>(sp => options.AvatarFolder is { } folder
            ? DirectoryAvatarProvider.Open(folder, sp.GetRequiredService<ILandmarkDetector>())
            : new ProceduralAvatarProvider());
        services.TryAddSingleton<IFaceFuser>(_ => new PeriocularFaceFuser());
        services.TryAddSingleton<IDiagnosticBenchmark>(_ => new LandmarkDiagnosticBenchmark());
        services.TryAddSingleton(sp => new FaceDeidentifier(sp.GetRequiredService<ILandmarkDetector>(), sp.GetRequiredService<IAvatarProvider>(),
            sp.GetRequiredService<IFaceFuser>(), options.Deidentification, sp.GetRequiredService<IDiagnosticBenchmark>()));
        services.TryAddSingleton(sp => new BatchDeidentifier(sp.GetRequiredService<FaceDeidentifier>(), sp.GetService<ILogger<BatchDeidentifier>>()));
        return services;
    }
}
