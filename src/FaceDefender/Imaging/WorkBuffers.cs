using System.Buffers;

namespace FaceDefender.Imaging;

/// <summary>
/// The pools the fusion's image-sized working buffers come from (warped and colour-corrected copies, blurred planes, masks).
/// </summary>
/// <remarks>
/// The shared array pool keeps its arrays per thread and per core and lets go of those not used for a while; a pipeline whose
/// stages hop between thread-pool threads then misses it now and again and allocates a new array of up to 16 MB on the
/// large-object heap, which only a blocking full collection compacts. Over a long video that grew the process by tens of
/// megabytes a minute. These pools hand arrays back whatever thread returns them and never trim, so a video's steady state
/// allocates nothing large: what they keep is what the busiest moment needed (for fusion onto the 1024 x 1024 canvas about
/// 60 MB: two 16 MB colour planes, a few 4 MB masks and 3 MB pixel copies), at most <see cref="ArraysPerSize"/> arrays of each
/// size. Requests beyond <see cref="MaxLength"/> elements are allocated and dropped as before.
/// </remarks>
internal static class WorkBuffers
{
    /// <summary>Longest array pooled, in elements: an RGB plane of 1024 x 1024 (3,145,728) rounds up to it.</summary>
    public const int MaxLength = 1 << 22;

    /// <summary>Arrays kept per size.</summary>
    public const int ArraysPerSize = 6;

    public static ArrayPool<float> Floats { get; } = ArrayPool<float>.Create(MaxLength, ArraysPerSize);

    public static ArrayPool<byte> Bytes { get; } = ArrayPool<byte>.Create(MaxLength, ArraysPerSize);
}
