using System.Numerics;
using FaceDefender.Landmarks;

namespace FaceDefender.Tests.Diagnostics;

/// <summary>
/// Landmark sets built point by point with round numbers, so every measurement can be worked out by
/// hand. Level face, subject's right eye on the image's left; all unused points sit at the face centre.
/// </summary>
internal static class ConstructedFaces
{
    /// <summary>Iris 40 px wide in both eyes: 11.7 mm / 40 px = 0.2925 mm per px.</summary>
    public const float IrisPx = 40;

    public static Vector3[] LevelPoints()
    {
        var p = new Vector3[FaceLandmarks.Count];
        Array.Fill(p, new Vector3(500, 560, 0));

        // Right eye: outer (33) at (340, 496), inner (133) at (440, 500), canthal midpoint (390, 498).
        Set(p, 33, 340, 496); Set(p, 133, 440, 500);
        Set(p, 468, 392, 498);                              // iris centre: 2 px nasal, level with the canthi
        Set(p, 469, 412, 498); Set(p, 470, 392, 478); Set(p, 471, 372, 498); Set(p, 472, 392, 518);
        Set(p, 159, 390, 480); Set(p, 145, 390, 520);       // lid midpoints: MRD1 18 px, MRD2 22 px
        Lid(p, [33, 246, 161, 160, 159, 158, 157, 173, 133], 340, 440, 480);
        Lid(p, [33, 7, 163, 144, 145, 153, 154, 155, 133], 340, 440, 520);

        // Left eye: inner (362) at (560, 500), outer (263) at (664, 496), midpoint (612, 498).
        Set(p, 362, 560, 500); Set(p, 263, 664, 496);
        Set(p, 473, 606, 501);                              // iris centre: 6 px nasal, 3 px down
        Set(p, 474, 626, 501); Set(p, 475, 606, 481); Set(p, 476, 586, 501); Set(p, 477, 606, 521);
        Set(p, 386, 612, 485); Set(p, 374, 612, 517);
        Lid(p, [263, 466, 388, 387, 386, 385, 384, 398, 362], 664, 560, 485);
        Lid(p, [263, 249, 390, 373, 374, 380, 381, 382, 362], 664, 560, 517);
        return p;
    }

    public static FaceLandmarks Level() => new(LevelPoints());

    /// <summary>Applies a similarity (scale, rotation in degrees counter-clockwise on screen, translation).</summary>
    public static FaceLandmarks Transformed(FaceLandmarks face, float scale, float rollDegrees, Vector2 shift)
    {
        float a = -rollDegrees * MathF.PI / 180; // image y points down: counter-clockwise on screen is a negative angle
        Matrix3x2 m = Matrix3x2.CreateTranslation(-500, -500) * Matrix3x2.CreateRotation(a) * Matrix3x2.CreateScale(scale) * Matrix3x2.CreateTranslation(new Vector2(500, 500) + shift);
        return face.Transform(m, CoordinateSpace.Output);
    }

    public static void Set(Vector3[] p, int i, float x, float y) => p[i] = new Vector3(x, y, 0);

    /// <summary>
    /// The face with a corneal reflex in each eye, placed against its limbus centre (468 / 473) by a displacement in mm
    /// along the image axes (x right, y down) at 0.2925 mm per px.
    /// </summary>
    public static FaceLandmarks WithReflexes(FaceLandmarks face, Vector2 rightMm, Vector2 leftMm)
    {
        const float mmPerPx = 11.7f / IrisPx;
        // The limbus centre "measured beside the reflex" is the landmarks' own, as on a sharp, centred eye.
        return face.WithReflexes(new CornealReflexes(
            new CornealReflex(face[468] + (rightMm / mmPerPx), 1.5f, 150) { LimbusCentre = face[468] },
            new CornealReflex(face[473] + (leftMm / mmPerPx), 1.5f, 150) { LimbusCentre = face[473] }));
    }

    // Interior lid points on a straight line between the canthi at height y (the canthi themselves are left alone).
    private static void Lid(Vector3[] p, int[] chain, float xOuter, float xInner, float y)
    {
        for (int k = 1; k < chain.Length - 1; k++)
        {
            if (chain[k] is 159 or 145 or 386 or 374)
            {
                continue;
            }

            float t = k / (float)(chain.Length - 1);
            p[chain[k]] = new Vector3(xOuter + ((xInner - xOuter) * t), y, 0);
        }
    }
}
