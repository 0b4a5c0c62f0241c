using System.Numerics;
using FaceDefender.Imaging;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Fusion;

/// <summary>
/// FFHQ-style normalisation of a face photo: eyes levelled, scaled and cropped to a square canvas
/// (about a quarter of the canvas between the eye centres), padded with white.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class FaceNormalizer
{
    /// <summary>The canvas size of the method (and of the avatars).</summary>
    public const int CanvasSize = 1024;

    /// <summary>
    /// The similarity transform from source pixels to the normalised canvas. Eye centres are the means
    /// of {33,159,158,133,153,144} and {362,385,386,263,373,380}, the mouth the mean of {61,308};
    /// x = eye_to_eye − rot90(eye_to_mouth), scaled to max(2·|eye_to_eye|, 1.8·|eye_to_mouth|);
    /// the quad centred at mid-eye + 0.1·eye_to_mouth with half-axes x and y = rot90(x) maps onto the canvas.
    /// </summary>
    /// <param name="landmarks">The face's landmarks.</param>
    /// <param name="canvasSize">Output side in pixels.</param>
    /// <exception cref="ArgumentException">Degenerate landmarks (eyes or mouth coincide).</exception>
    public static Matrix3x2 ComputeTransform(FaceLandmarks landmarks, int canvasSize = CanvasSize)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        ArgumentOutOfRangeException.ThrowIfLessThan(canvasSize, 16);
        Vector2 imageLeftEye = Mean(landmarks, FusionLandmarkSets.NormalizationRightEye);
        Vector2 imageRightEye = Mean(landmarks, FusionLandmarkSets.NormalizationLeftEye);
        Vector2 mouth = Mean(landmarks, FusionLandmarkSets.NormalizationMouth);
        Vector2 eyeAvg = (imageLeftEye + imageRightEye) * 0.5f;
        Vector2 eyeToEye = imageRightEye - imageLeftEye;
        Vector2 eyeToMouth = mouth - eyeAvg;
        Vector2 x = eyeToEye - new Vector2(-eyeToMouth.Y, eyeToMouth.X);
        float len = x.Length();
        if (!(len > 1e-3f) || !(eyeToEye.Length() > 1e-3f))
        {
            throw new ArgumentException("The eye and mouth landmarks coincide: the face cannot be normalised.", nameof(landmarks));
        }

        x /= len;
        x *= MathF.Max(eyeToEye.Length() * 2.0f, eyeToMouth.Length() * 1.8f);
        var y = new Vector2(-x.Y, x.X);
        Vector2 c = eyeAvg + (eyeToMouth * 0.1f);
        Vector2 topLeft = c - x - y;

        // Map topLeft -> (0,0), topLeft + 2x -> (S,0), topLeft + 2y -> (0,S).
        float s = canvasSize / (2 * x.Length());
        Vector2 ux = Vector2.Normalize(x);
        Vector2 uy = Vector2.Normalize(y);
        var rot = new Matrix3x2(ux.X * s, uy.X * s, ux.Y * s, uy.Y * s, 0, 0);
        Vector2 t = -Vector2.Transform(topLeft, rot);
        rot.M31 = t.X;
        rot.M32 = t.Y;
        return rot;
    }

    /// <summary>Normalises a photo and maps its landmarks (no re-detection). The caller disposes the image.</summary>
    /// <param name="image">The photo.</param>
    /// <param name="landmarks">Its landmarks.</param>
    /// <param name="canvasSize">Output side in pixels.</param>
    public static (Image<Rgb24> Image, FaceLandmarks Landmarks, Matrix3x2 Transform) Normalize(Image<Rgb24> image, FaceLandmarks landmarks, int canvasSize = CanvasSize)
    {
        ArgumentNullException.ThrowIfNull(image);
        Matrix3x2 m = ComputeTransform(landmarks, canvasSize);
        Image<Rgb24> canvas = ImageKernels.Warp(image, AffineWarp.FromContinuousCoordinates(m), new Size(canvasSize, canvasSize), WarpBorderMode.Constant, new Rgb24(255, 255, 255));
        return (canvas, landmarks.Transform(m, CoordinateSpace.Normalized), m);
    }

    private static Vector2 Mean(FaceLandmarks l, ReadOnlySpan<int> idx)
    {
        Vector2 s = Vector2.Zero;
        foreach (int i in idx)
        {
            s += l[i];
        }

        return s / idx.Length;
    }
}
