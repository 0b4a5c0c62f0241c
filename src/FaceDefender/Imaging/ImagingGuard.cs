using System.Numerics;
using SixLabors.ImageSharp;

namespace FaceDefender.Imaging;

/// <summary>Argument checks shared by the span-level kernels, with messages that name the fix.</summary>
internal static class ImagingGuard
{
    public static void Dimensions(int width, int height, string widthName, string heightName)
    {
        if (width <= 0)
        {
            throw new ArgumentOutOfRangeException(widthName, width, "Image width must be at least 1 pixel.");
        }

        if (height <= 0)
        {
            throw new ArgumentOutOfRangeException(heightName, height, "Image height must be at least 1 pixel.");
        }
    }

    public static void BufferLength(int length, long required, string name, int width, int height, int channels)
    {
        if (length < required)
        {
            throw new ArgumentException(
                $"Buffer '{name}' holds {length} elements but a {width} x {height} image with {channels} channel(s) needs {required}.",
                name);
        }
    }

    public static void Finite(Matrix3x2 m, string name)
    {
        if (!float.IsFinite(m.M11) || !float.IsFinite(m.M12) || !float.IsFinite(m.M21) ||
            !float.IsFinite(m.M22) || !float.IsFinite(m.M31) || !float.IsFinite(m.M32))
        {
            throw new ArgumentException($"Transform '{name}' contains NaN or infinity: {m}. Estimate it from valid points.", name);
        }
    }

    public static void Sigma(float sigma, string name)
    {
        if (!(sigma > 0) || !float.IsFinite(sigma))
        {
            throw new ArgumentOutOfRangeException(name, sigma, "Gaussian sigma must be a finite number greater than zero (in pixels).");
        }
    }

    public static Rectangle Region(Rectangle? region, int width, int height, string name)
    {
        if (region is not { } r)
        {
            return new Rectangle(0, 0, width, height);
        }

        if (r.Width <= 0 || r.Height <= 0 || r.X < 0 || r.Y < 0 || r.Right > width || r.Bottom > height)
        {
            throw new ArgumentOutOfRangeException(
                name, r, $"Region must be non-empty and lie inside the {width} x {height} destination.");
        }

        return r;
    }
}
