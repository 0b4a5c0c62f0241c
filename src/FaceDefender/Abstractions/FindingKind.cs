namespace FaceDefender.Abstractions;

/// <summary>What a diagnostic finding suggests (a screening flag for a clinician, not a diagnosis).</summary>
public enum FindingKind
{
    /// <summary>The eye turns in: iris decentred towards the nose relative to the fellow eye, or the paper's L/R below range.</summary>
    Esotropia,

    /// <summary>The eye turns out: iris decentred towards the temple, or the paper's L/R above range.</summary>
    Exotropia,

    /// <summary>The eye sits higher than the fellow eye.</summary>
    Hypertropia,

    /// <summary>The eye sits lower than the fellow eye.</summary>
    Hypotropia,

    /// <summary>Low upper lid: MRD1, fissure height or the height/iris ratio below range.</summary>
    Ptosis,

    /// <summary>Lid retraction: MRD1 or MRD2, fissure height or the height/iris ratio above range (e.g. thyroid eye disease).</summary>
    LidRetraction,

    /// <summary>The two eyes differ more than the range allows (MRD1 or fissure height).</summary>
    Asymmetry,

    /// <summary>Outside the range with no specific clinical reading (e.g. MRD2 low, canthal tilt).</summary>
    OutOfRange,
}
