namespace FaceDefender.Avatars.Rendering;

/// <summary>The per-pass profiling hook (used by the benchmarks project's <c>avatarprofile</c> mode; not public API).</summary>
internal sealed partial class FaceRasterizer
{
    /// <summary>
    /// Called on the rendering thread at the start of a render ("start") and after each pass with the pass's name;
    /// null (the default) when nobody profiles. Thread-static, so a profiling thread sees only its own renders.
    /// </summary>
    [ThreadStatic]
    internal static Action<string>? PassCompleted;

    private static void Mark(string pass) => PassCompleted?.Invoke(pass);
}
