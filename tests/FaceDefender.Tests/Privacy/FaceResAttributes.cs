using FaceDefender.Privacy;

namespace FaceDefender.Tests.Privacy;

/// <summary>
/// A fact that needs FaceRes in the local model cache (tools/models/fetch-faceres.sh); skipped, with the reason,
/// when it is not there. Tests using it also carry [Trait("Requires", "FaceRes")].
/// </summary>
public sealed class FaceResFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when FaceRes is not available.</summary>
    public FaceResFactAttribute()
    {
        if (!FaceResModel.IsAvailable(null, out string? reason))
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs FaceRes in the local model cache; skipped with the reason when it is not there.</summary>
public sealed class FaceResTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets Skip when FaceRes is not available.</summary>
    public FaceResTheoryAttribute()
    {
        if (!FaceResModel.IsAvailable(null, out string? reason))
        {
            Skip = reason;
        }
    }
}
