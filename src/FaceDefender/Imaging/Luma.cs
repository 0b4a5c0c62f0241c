using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Imaging;

/// <summary>BT.601 luma (0.299 R + 0.587 G + 0.114 B) in single precision, the one formula the image code reads brightness with.</summary>
internal static class Luma
{
    /// <summary>The luma of red, green and blue levels (0-255 or any other scale).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Of(float r, float g, float b) => (0.299f * r) + (0.587f * g) + (0.114f * b);

    /// <summary>The luma of a pixel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Of(Rgb24 p) => Of(p.R, p.G, p.B);

    /// <summary>The luma of the packed RGB24 pixel at byte offset <paramref name="o"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float At(ReadOnlySpan<byte> rgb, int o) => Of(rgb[o], rgb[o + 1], rgb[o + 2]);
}
