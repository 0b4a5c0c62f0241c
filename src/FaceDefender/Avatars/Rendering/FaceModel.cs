using System.Numerics;
using FaceDefender.Geometry;
using static FaceDefender.Avatars.Rendering.RenderMath;

namespace FaceDefender.Avatars.Rendering;

/// <summary>Per-eye controls in millimetres, added to the avatar's own lid positions.</summary>
internal readonly record struct EyeSettings(float IrisNasalMm, float IrisUpMm, float UpperLidUpMm, float LowerLidDownMm)
{
    /// <summary>
    /// Palpebral fissure height at the lid middle in mm (head frame), reached by moving the upper lid towards the lower
    /// one after the other lid settings; 0 closes the eye (the upper margin lies on the lower one). Null: lids as set.
    /// </summary>
    public float? FissureHeightMm { get; init; }
}

/// <summary>
/// The schematic eye's orientation (ground-truth kit): both eyes rotate about their centres of rotation, first to
/// their fixation direction, then by the conjugate gaze plus each eye's own deviation (Fick angles, radians).
/// </summary>
/// <param name="FixateCamera">True: with no gaze each visual axis passes through <paramref name="CameraHead"/>; false: parallel to the head's +Z.</param>
/// <param name="CameraHead">The camera (and light) position in the head frame, cm.</param>
/// <param name="GazeRight">Conjugate gaze towards +X (image right), radians.</param>
/// <param name="GazeUp">Conjugate gaze up, radians.</param>
/// <param name="RightNasal">Right eye's own horizontal deviation towards its nose (eso), radians.</param>
/// <param name="RightUp">Right eye's own vertical deviation up (hyper), radians.</param>
/// <param name="LeftNasal">Left eye's own horizontal deviation towards its nose, radians.</param>
/// <param name="LeftUp">Left eye's own vertical deviation up, radians.</param>
internal sealed record SchematicEyeSettings(bool FixateCamera, Vector3 CameraHead, float GazeRight, float GazeUp, float RightNasal, float RightUp, float LeftNasal, float LeftUp)
{
    /// <summary>Angle kappa of each eye, radians (positive: the optical axis turned towards the temple from the visual axis).</summary>
    public float RightKappa { get; init; }

    /// <summary>Angle kappa of the left eye, radians.</summary>
    public float LeftKappa { get; init; }
}

/// <summary>One eyeball: a sphere whose visible cap in front of the limbus is a transparent cornea over a flat iris.</summary>
internal sealed class EyeballModel
{
    public required Vector3 Centre { get; init; }
    public required float Radius { get; init; }
    public required Vector3 Gaze { get; init; }
    public required Vector3 AxisX { get; init; }
    public required Vector3 AxisY { get; init; }
    public required Vector3 IrisCentre { get; init; }
    public required float IrisRadius { get; init; }
    public required float PupilRadius { get; init; }

    /// <summary>Cosine of the angle between the gaze and the limbus, seen from the eye centre.</summary>
    public float CosLimbus => MathF.Sqrt(1f - (IrisRadius / Radius) * (IrisRadius / Radius));

    /// <summary>
    /// The schematic eye (ground-truth kit alignment features): a corneal cap of its own curvature over the globe, the
    /// pupil drawn at the entrance pupil's depth, rotation about <see cref="RotationCentre"/>. False: the original eye.
    /// </summary>
    public bool Schematic { get; init; }

    /// <summary>Centre of the anterior corneal sphere (schematic eye).</summary>
    public Vector3 CorneaCentre { get; init; }

    /// <summary>Radius of the anterior corneal sphere (schematic eye).</summary>
    public float CorneaRadius { get; init; }

    /// <summary>Centre of the entrance pupil, on the optical axis behind the limbus plane (schematic eye).</summary>
    public Vector3 PupilCentre { get; init; }

    /// <summary>Centre of rotation (schematic eye).</summary>
    public Vector3 RotationCentre { get; init; }

    /// <summary>Fick angles of the visual axis in the head frame, radians: towards +X and up (schematic eye).</summary>
    public Vector2 AxisAngles { get; init; }

    /// <summary>Cosine of the corneal cap's half angle seen from <see cref="CorneaCentre"/> (the limbus is its edge).</summary>
    public float CosCorneaCap => MathF.Sqrt(1f - (IrisRadius / CorneaRadius) * (IrisRadius / CorneaRadius));
}

/// <summary>
/// The avatar's head in its own frame (cm; X to the image's right, Y up, Z towards the camera),
/// before head pose: the canonical mesh deformed by sex, age, identity and lid settings, per-vertex
/// normals and ambient occlusion, both eyeballs and the analytic parts (skull, ears, neck, hair).
/// </summary>
internal sealed class FaceModel
{
    /// <summary>Eye-opening rings (lid margins), closed, starting at the outer canthus: upper lid then lower lid.</summary>
    public static readonly int[] RightEyeRing = [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7];

    /// <inheritdoc cref="RightEyeRing"/>
    public static readonly int[] LeftEyeRing = [263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249];

    /// <summary>Inner lip contour (the mouth opening), closed.</summary>
    public static readonly int[] InnerLips = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95];

    /// <summary>Outer lip contour, closed.</summary>
    public static readonly int[] OuterLips = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146];

    /// <summary>Face oval (the mesh border), closed.</summary>
    public static readonly int[] FaceOval =
        [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109];

    private static readonly int[] RightUpperMargin = [33, 246, 161, 160, 159, 158, 157, 173, 133];
    private static readonly int[] RightLowerMargin = [33, 7, 163, 144, 145, 153, 154, 155, 133];
    private static readonly int[] LeftUpperMargin = [263, 466, 388, 387, 386, 385, 384, 398, 362];
    private static readonly int[] LeftLowerMargin = [263, 249, 390, 373, 374, 380, 381, 382, 362];

    private static readonly Lazy<int[][]> Neighbours = new(BuildNeighbours);

    private FaceModel() { }

    /// <summary>Deformed vertices (head frame).</summary>
    public required Vector3[] Vertices { get; init; }

    /// <summary>Undeformed canonical vertices: material coordinates for painting.</summary>
    public required Vector3[] Canonical { get; init; }

    /// <summary>Smooth vertex normals of the deformed mesh.</summary>
    public required Vector3[] Normals { get; init; }

    /// <summary>Ambient occlusion per vertex, 0..1 (1 = open).</summary>
    public required float[] Occlusion { get; init; }

    public required EyeballModel RightEye { get; init; }
    public required EyeballModel LeftEye { get; init; }

    public required Vector3 SkullCentre { get; init; }
    public required Vector3 SkullRadii { get; init; }

    /// <summary>The skull's Y radius below its centre (equal to <see cref="SkullRadii"/>.Y for adults).</summary>
    public required float SkullLowerRadiusY { get; init; }
    public required Vector3 HairCentre { get; init; }
    public required Vector3 HairRadii { get; init; }
    public required Vector3 NeckCentre { get; init; }
    public required Vector2 NeckRadii { get; init; }
    public required float NeckTopY { get; init; }
    public required Vector3 TorsoCentre { get; init; }
    public required Vector3 TorsoRadii { get; init; }
    public required Vector3 EarCentre { get; init; }
    public required Vector3 EarRadii { get; init; }

    // Anthropometric canthi (see Deform): the medial canthus moves 2 mm towards the nose, the lateral 0.5 mm outwards.
    private const float MedialCanthusShift = 0.2f;
    private const float MedialCanthusSigmaX = 0.5f;
    private const float LateralCanthusShift = 0.05f;

    /// <summary>Builds the head of <paramref name="look"/> with extra per-eye settings.</summary>
    public static FaceModel Build(AvatarLook look, EyeSettings rightEye, EyeSettings leftEye, SchematicEyeSettings? schematic = null)
    {
        CanonicalFaceMesh mesh = CanonicalFaceMesh.Instance;
        var canonical = mesh.Vertices.ToArray();
        var v = new Vector3[canonical.Length];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = Deform(canonical[i], look);
        }

        // The avatar's own lids first; the eyeballs are placed in that opening, so extra lid
        // settings (ptosis, retraction) move the lids and not the eyes.
        MoveLids(v, canonical, RightUpperMargin, RightLowerMargin, look.UpperLidUpMm / 10f, look.LowerLidDownMm / 10f);
        MoveLids(v, canonical, LeftUpperMargin, LeftLowerMargin, look.UpperLidUpMm / 10f, look.LowerLidDownMm / 10f);
        EyeballModel rightBall = schematic is null
            ? BuildEye(v, RightUpperMargin, RightLowerMargin, look, rightEye, nasalSign: 1f)
            : BuildSchematicEye(v, RightUpperMargin, RightLowerMargin, look, schematic, schematic.RightNasal - schematic.RightKappa, schematic.RightUp, nasalSign: 1f);
        EyeballModel leftBall = schematic is null
            ? BuildEye(v, LeftUpperMargin, LeftLowerMargin, look, leftEye, nasalSign: -1f)
            : BuildSchematicEye(v, LeftUpperMargin, LeftLowerMargin, look, schematic, schematic.LeftNasal - schematic.LeftKappa, schematic.LeftUp, nasalSign: -1f);
        MoveLids(v, canonical, RightUpperMargin, RightLowerMargin, rightEye.UpperLidUpMm / 10f, rightEye.LowerLidDownMm / 10f);
        MoveLids(v, canonical, LeftUpperMargin, LeftLowerMargin, leftEye.UpperLidUpMm / 10f, leftEye.LowerLidDownMm / 10f);
        if (rightEye.FissureHeightMm is float rightFissure)
        {
            SetFissure(v, canonical, RightUpperMargin, RightLowerMargin, rightFissure / 10f);
        }

        if (leftEye.FissureHeightMm is float leftFissure)
        {
            SetFissure(v, canonical, LeftUpperMargin, LeftLowerMargin, leftFissure / 10f);
        }

        // A child's larger cranium grows up and back (the vault), hardly at the cheeks, so its
        // centre rises with it and it stays behind the face's border.
        float cranium = look.CraniumScale - 1f;
        Vector3 skullCentre = new(0f, 2.0f + (8f * cranium), -3.3f - (3f * cranium));
        Vector3 skullRadii = new(look.SkullHalfWidthCm * look.FaceWidth * (1f + (0.3f * cranium)), 9.9f * (0.5f + 0.5f * look.UpperFaceLength) * look.CraniumScale, 9.9f * look.CraniumScale);

        // Below its centre the skull follows the face: shorter for a child's shorter lower face.
        float skullLowerY = look.Youth > 0f ? 9.9f * (1f - (0.25f * look.Youth)) : skullRadii.Y;
        Vector3[] normals = ComputeNormals(v, mesh);
        BlendBorderNormals(v, normals, skullCentre, skullRadii, skullLowerY);
        float[] ao = ComputeOcclusion(v, normals);

        float hairLift = 0.35f + 0.9f * look.HairVolume;
        return new FaceModel
        {
            Vertices = v,
            Canonical = canonical,
            Normals = normals,
            Occlusion = ao,
            RightEye = rightBall,
            LeftEye = leftBall,
            SkullCentre = skullCentre,
            SkullRadii = skullRadii,
            SkullLowerRadiusY = skullLowerY,
            HairCentre = skullCentre + new Vector3(0f, 0.3f + 0.6f * look.HairVolume, -0.3f),
            HairRadii = skullRadii + new Vector3(hairLift, hairLift, hairLift),
            NeckCentre = new Vector3(0f, 0f, -3.2f),
            NeckRadii = new Vector2(look.NeckWidth, look.NeckWidth * 0.95f),
            NeckTopY = -3f,
            TorsoCentre = new Vector3(0f, -27f, -4.5f),
            TorsoRadii = new Vector3(look.Sex == Abstractions.AvatarSex.Male ? 22f : 19f, 12.5f, 10f),
            EarCentre = new Vector3((7.35f * look.FaceWidth * (0.5f + 0.5f * look.CraniumScale)) + look.EarOutset, 1.0f, -3.6f),
            EarRadii = new Vector3(0.9f, 3.0f * (1f + 0.12f * look.Sagging), 1.7f),
        };
    }

    /// <summary>Smooth, symmetric shape changes for sex, age and identity (canonical cm in, cm out).</summary>
    private static Vector3 Deform(Vector3 p, AvatarLook look)
    {
        const float eyeY = 2.63f, mouthY = -4.34f;
        float x = p.X, y = p.Y, z = p.Z;
        float ax = MathF.Abs(x), sx = MathF.Sign(x);

        // Children: rounder forehead, low concave nose bridge with an upturned tip, larger eye
        // openings, round lower cheeks, a small receding chin and a narrower mouth (the shorter
        // lower face, smaller nose, narrow jaw and larger cranium come from the shared terms below
        // and from the look's proportions).
        float c = look.Youth;
        if (c > 0f)
        {
            float boss = Gauss(ax - 2.4f, y - 6.3f, 2.4f, 1.7f);
            z += 0.4f * c * boss;
            x += sx * 0.3f * c * Smoothstep(3.5f, 7.5f, y) * Smoothstep(3f, 7f, ax);

            float bridge = Gauss(x, y - 2.1f, 1.1f, 1.5f) * Smoothstep(3.5f, 5.2f, z);
            z -= 0.7f * c * bridge;
            float tipUp = Gauss(x, y + 0.7f, 1.1f, 0.9f) * Smoothstep(5.5f, 7.2f, z);
            y += 0.25f * c * tipUp;
            z -= 0.2f * c * tipUp;

            // Eye openings scaled about the eye centre (fading out towards the midline).
            float eye = 0.13f * c * Gauss(ax - 3.15f, y - 2.63f, 1.5f, 1.0f) * Smoothstep(0.3f, 1.7f, ax);
            x += sx * (ax - 3.15f) * eye;
            y += (y - 2.63f) * eye;

            float buccal = Gauss(ax - 4.1f, y + 2.7f, 1.7f, 1.6f);
            x += sx * 0.1f * c * buccal;
            z += 0.35f * c * buccal;

            // Narrow, soft lower jaw and a small chin set back.
            x *= 1f - 0.08f * c * Gauss(0f, y + 5.5f, 1f, 2.2f);
            z -= 0.4f * c * Smoothstep(-6.0f, -9.4f, y) * Smoothstep(5f, 1f, ax);
            x *= 1f - 0.1f * c * Gauss(x, y - mouthY, 2.8f, 1.1f);
            ax = MathF.Abs(x);
        }

        // Jaw and chin width grow towards the bottom of the face.
        float jaw = Smoothstep(-0.5f, -6.5f, y);
        x *= 1f + look.JawWidth * jaw;
        float chin = Smoothstep(-6.5f, -9.4f, y) * Smoothstep(4.5f, 0.5f, ax);
        x *= 1f + look.ChinWidth * chin;

        // Cheeks: fuller (children, some adults) or hollower (age).
        float cheek = Gauss(ax - 4.4f, y + 1.2f, 1.6f, 1.8f);
        x += sx * 0.35f * look.CheekFullness * cheek;
        z += 0.45f * look.CheekFullness * cheek;

        // Nose: size around its base, length along Y.
        float nose = Gauss(x, y + 0.2f, 1.5f, 2.4f) * Smoothstep(3.5f, 5.5f, z);
        x *= 1f + (look.NoseSize - 1f) * nose;
        z += (look.NoseSize - 1f) * 1.6f * nose;
        float tip = Gauss(x, y + 1.0f, 1.2f, 1.2f) * Smoothstep(4.5f, 6.5f, z);
        y -= (look.NoseLength - 1f) * 1.5f * tip;

        // Brow ridge.
        float brow = Gauss(ax - 3.2f, y - 4.9f, 2.6f, 0.6f);
        z += look.BrowRidge * brow;

        // Lips: fuller lips bulge forwards and away from the lip line.
        float lips = Gauss(x, y - mouthY, 2.1f, 0.9f);
        y = mouthY + (y - mouthY) * (1f + look.LipFullness * lips);
        z += 0.5f * look.LipFullness * lips;

        // Ageing: jowls and cheek fat descend, lower lids bag.
        float sag = look.Ageing;
        float jowl = Gauss(ax - 5.0f, y + 5.8f, 1.6f, 1.6f);
        y -= 0.5f * sag * jowl;
        x += sx * 0.2f * sag * jowl;
        float midCheek = Gauss(ax - 3.3f, y + 0.8f, 1.4f, 1.3f);
        y -= 0.25f * sag * midCheek;
        float bags = Gauss(ax - 3.1f, y - 1.75f, 0.9f, 0.35f);
        z += 0.18f * sag * bags;

        // Identity shape (avatars only; all zero in the kit). Every term fades out before the eye openings, so the
        // periocular geometry the patient's eye region is fused onto stays the canonical one.
        // (Exact no-ops when the terms are zero, as in the kit: x + 0 and x * 1.)
        {
            float bx = MathF.Abs(x); // ax itself stays as the kit has always read it in the terms below
            // Cheekbones: the zygomatic arch wider and more forward (or flatter), below and lateral to the orbit.
            float zyg = Gauss(bx - 5.4f, y - 0.3f, 1.5f, 1.0f);
            x += sx * 0.6f * look.Cheekbones * zyg;
            z += 0.5f * look.Cheekbones * Gauss(bx - 4.6f, y - 0.2f, 1.3f, 0.9f);

            // Nose: a higher or flatter dorsum, wider or narrower alae.
            float dorsum = Gauss(x, y - 0.6f, 0.7f, 1.3f) * Smoothstep(4.2f, 5.6f, z);
            z += 0.55f * look.NoseBridge * dorsum;
            float alae = Gauss(x, y + 1.3f, 2.0f, 0.8f) * Smoothstep(3.0f, 4.8f, z);
            x *= 1f + 0.3f * look.NoseWidth * alae;

            // Mouth width, and the share of the upper lip in the lip height.
            x *= 1f + 0.2f * look.MouthWidth * Gauss(x, y - mouthY, 3.2f, 0.9f);
            y += 0.2f * look.UpperLipShare * Gauss(x, y + 3.7f, 2.0f, 0.35f);

            // Longer or shorter philtrum: everything below the nose moves down or up.
            y -= 0.6f * look.PhiltrumLength * Smoothstep(-2.1f, -3.5f, y);

            // Chin: height and projection; jaw angle: the gonial flare.
            y -= 0.7f * look.ChinHeight * Smoothstep(-5.6f, -9.4f, y) * Smoothstep(6f, 2f, bx);
            z += 0.8f * look.ChinProjection * Smoothstep(-6.5f, -8.8f, y) * Smoothstep(3.8f, 0.8f, bx);
            x += sx * 0.65f * look.JawAngle * Gauss(bx - 6.3f, y + 5.6f, 1.6f, 1.7f);

            // Forehead height (above the brows only).
            y += 1.2f * look.ForeheadHeight * Smoothstep(5.6f, 8.3f, y);
        }

        // Avatars' further ageing (zero in the kit): deeper jowls and a softer jaw line, the cheek mass bulging over the
        // nasolabial fold, hollow temples.
        float ptosis = 2.2f * look.Sagging;
        if (ptosis > 0f)
        {
            // The jowls move less than the rest (0.8): moved further, the landmark detector no longer follows the jaw line.
            float jowl2 = Gauss(ax - 4.4f, y + 6.4f, 1.5f, 1.2f);
            y -= 0.45f * 0.8f * look.Sagging * jowl2;
            x += sx * 0.3f * 0.8f * look.Sagging * jowl2;
            z -= 0.15f * ptosis * Gauss(ax - 5.8f, y + 5.6f, 1.2f, 1.0f);
            z += 0.32f * ptosis * Gauss(ax - 2.9f, y + 2.7f, 0.55f, 1.0f);
            z -= 0.3f * ptosis * Gauss(ax - 6.3f, y - 4.6f, 0.9f, 1.2f) * Smoothstep(4.5f, 5.5f, ax);
            ax = MathF.Abs(x);
        }

        // Palpebral fissures (ground-truth kit only, AvatarLook.MeasurementEyes): the canonical mesh's inner canthi
        // are 37 mm apart and its fissures 26 mm long, where adults average about 31-34 mm and 28-31 mm
        // (anthropometric norms). Moving the medial canthal region towards the nose gives the usual proportions,
        // and the detector then agrees with the projected canthi (docs/diagnostics.md).
        if (look.MeasurementEyes)
        {
            float medial = Gauss(ax - 1.86f, y - 2.59f, MedialCanthusSigmaX, 0.35f);
            x -= sx * MedialCanthusShift * medial;
            float lateral = Gauss(ax - 4.45f, y - 2.66f, 0.5f, 0.35f);
            x += sx * LateralCanthusShift * lateral;
            ax = MathF.Abs(x);
        }

        // Face proportions about the eye line.
        y = y < eyeY ? eyeY + (y - eyeY) * look.LowerFaceLength : eyeY + (y - eyeY) * look.UpperFaceLength;
        x *= look.FaceWidth;
        return new Vector3(x, y, z);
    }

    /// <summary>
    /// Moves the upper lid margin up by <paramref name="upCm"/> and the lower one down by
    /// <paramref name="downCm"/> at the lid middle, tapering to zero at the canthi and away from the margin.
    /// </summary>
    private static void MoveLids(Vector3[] v, Vector3[] canonical, int[] upper, int[] lower, float upCm, float downCm)
    {
        Vector3 outer = canonical[upper[0]], inner = canonical[upper[^1]];
        float x0 = outer.X, x1 = inner.X;
        for (int i = 0; i < v.Length; i++)
        {
            Vector3 c = canonical[i];
            float t = (c.X - x0) / (x1 - x0);
            if (t <= 0f || t >= 1f)
            {
                continue;
            }

            float profile = MathF.Pow(MathF.Sin(MathF.PI * t), 0.6f);
            float yUp = MarginY(canonical, upper, c.X);
            float yLo = MarginY(canonical, lower, c.X);
            if (c.Y >= yUp - 1e-4f)
            {
                float w = 1f - Smoothstep(0f, 0.9f, c.Y - yUp);
                v[i].Y += upCm * profile * w;
            }
            else if (c.Y <= yLo + 1e-4f)
            {
                float w = 1f - Smoothstep(0f, 0.7f, yLo - c.Y);
                v[i].Y -= downCm * profile * w;
            }
        }
    }

    private static float MarginY(Vector3[] canonical, int[] margin, float x)
    {
        for (int k = 0; k < margin.Length - 1; k++)
        {
            Vector3 a = canonical[margin[k]], b = canonical[margin[k + 1]];
            if ((x - a.X) * (x - b.X) <= 0f)
            {
                float t = MathF.Abs(b.X - a.X) < 1e-6f ? 0f : (x - a.X) / (b.X - a.X);
                return a.Y + (b.Y - a.Y) * t;
            }
        }

        return canonical[margin[margin.Length / 2]].Y;
    }

    private static EyeballModel BuildEye(Vector3[] v, int[] upper, int[] lower, AvatarLook look, EyeSettings eye, float nasalSign)
    {
        Vector3 outer = v[upper[0]], inner = v[upper[^1]];
        Vector3 top = v[upper[upper.Length / 2]], bottom = v[lower[lower.Length / 2]];
        float irisR = look.IrisRadius;
        float radius = irisR / 0.4875f; // adult: 1.2 cm eyeball for a 5.85 mm iris radius
        float cx = 0.5f * (outer.X + inner.X);
        float cy = bottom.Y + 0.53f * (top.Y - bottom.Y);
        float apexZ = 0.5f * (top.Z + bottom.Z) - 0.04f;
        var centre = new Vector3(cx, cy, apexZ - radius);
        float cosL = MathF.Sqrt(1f - (irisR / radius) * (irisR / radius));
        float rho = radius * cosL; // eye centre to iris centre

        float hx = nasalSign * eye.IrisNasalMm / 10f, hy = eye.IrisUpMm / 10f;
        if (MathF.Abs(hx) >= 0.95f * rho || MathF.Abs(hy) >= 0.95f * rho)
        {
            throw new ArgumentOutOfRangeException(nameof(eye), $"An iris offset must stay below {0.95f * rho * 10f:F1} mm.");
        }

        float sT = hx / rho, cT = MathF.Sqrt(1f - sT * sT);
        float sP = hy / (rho * cT), cP = MathF.Sqrt(1f - sP * sP);
        var gaze = new Vector3(sT, cT * sP, cT * cP);
        var ax = new Vector3(cT, -sT * sP, -sT * cP);
        var ay = new Vector3(0f, cP, -sP);
        return new EyeballModel
        {
            Centre = centre,
            Radius = radius,
            Gaze = gaze,
            AxisX = ax,
            AxisY = ay,
            IrisCentre = centre + rho * gaze,
            IrisRadius = irisR,
            PupilRadius = look.PupilRadius,
        };
    }

    /// <summary>
    /// Moves the upper lid so that the fissure at the lid middle is <paramref name="heightCm"/>: each upper-margin vertex
    /// goes to lower + f (upper - lower) with the partner lower-margin vertex (same position along the eye), f = height /
    /// current height at the middle, so f = 0 lays the upper margin exactly on the lower one (a closed eye, lash lines
    /// meeting). The skin above follows with a weight that falls to zero over at least twice the largest movement, so it
    /// stretches without folding.
    /// </summary>
    private static void SetFissure(Vector3[] v, Vector3[] canonical, int[] upper, int[] lower, float heightCm)
    {
        int mid = upper.Length / 2;
        float current = v[upper[mid]].Y - v[lower[mid]].Y;
        if (current <= 1e-4f)
        {
            throw new ArgumentOutOfRangeException(nameof(heightCm), "The lids are already closed.");
        }

        float f = heightCm / current;
        var target = new Vector3[upper.Length];
        var move = new Vector3[upper.Length];
        float largest = 0f;
        for (int k = 0; k < upper.Length; k++)
        {
            Vector3 up = v[upper[k]], lo = v[lower[k]];
            target[k] = k == 0 || k == upper.Length - 1 ? up : lo + f * (up - lo);
            move[k] = target[k] - up;
            largest = MathF.Max(largest, move[k].Length());
        }

        float reach = MathF.Max(0.9f, 2f * largest);
        var onMargin = new HashSet<int>(upper);
        Vector3 outer = canonical[upper[0]], inner = canonical[upper[^1]];
        for (int i = 0; i < v.Length; i++)
        {
            Vector3 c = canonical[i];
            float t = (c.X - outer.X) / (inner.X - outer.X);
            if (t <= 0f || t >= 1f || onMargin.Contains(i))
            {
                continue;
            }

            float yUp = MarginY(canonical, upper, c.X);
            if (c.Y >= yUp - 1e-4f)
            {
                float w = 1f - Smoothstep(0f, reach, c.Y - yUp);
                v[i] += w * MarginMove(canonical, upper, move, c.X);
            }
        }

        for (int k = 1; k < upper.Length - 1; k++)
        {
            v[upper[k]] = target[k];
        }
    }

    /// <summary>The margin vertices' movement interpolated along the canonical margin at <paramref name="x"/>.</summary>
    private static Vector3 MarginMove(Vector3[] canonical, int[] margin, Vector3[] move, float x)
    {
        for (int k = 0; k < margin.Length - 1; k++)
        {
            Vector3 a = canonical[margin[k]], b = canonical[margin[k + 1]];
            if ((x - a.X) * (x - b.X) <= 0f)
            {
                float t = MathF.Abs(b.X - a.X) < 1e-6f ? 0f : (x - a.X) / (b.X - a.X);
                return move[k] + (move[k + 1] - move[k]) * t;
            }
        }

        return Vector3.Zero;
    }

    // The schematic eye (ground-truth kit), adult values in mm scaled by the iris radius / 5.85 mm. Sources: anterior
    // corneal radius 7.8 mm (Le Grand's theoretical eye; Gullstrand's exact eye has 7.7 mm), aqueous index 1.336 and the
    // anterior lens surface, where the pupil lies, 3.6 mm behind the corneal apex (the optical constants of an average
    // adult eye as tabulated in Millodot's Dictionary of Optometry and Visual Science); Le Grand and El Hage
    // (Physiological Optics, Springer 1980, ch. 2) describe the eye as a 12 mm sphere capped by a cornea of about 8 mm
    // radius whose centre lies about 5 mm in front of the globe's (here 5.3 mm). The centre of rotation is taken on the optical axis 13.5 mm behind
    // the corneal apex, the usual textbook value (measured centres vary: about 15.3 mm for horizontal and 12.5 mm for
    // vertical movements in Ophthalmic Physiol Opt 2022;42:376-383). The entrance pupil, the image of the real pupil
    // (3.6 mm deep) through the cornea, is at 1 / (1.336 / 3.6 - 0.336 / 7.8) = 3.05 mm behind the apex, magnified
    // 1.13 times (single refracting surface; Gullstrand's exact eye: 3.047 mm).
    internal const float CorneaRadiusMm = 7.8f;
    internal const float RotationCentreDepthMm = 13.5f;
    internal const float EntrancePupilDepthMm = 3.05f;
    private const float SchematicIrisRadiusMm = 5.85f;

    /// <summary>
    /// The schematic eye: the kit's globe (its limbus where the original eye has it) with a corneal cap of radius 7.8 mm
    /// meeting the globe at the limbus, rotated about the centre of rotation to the fixation direction and then by the
    /// gaze and the eye's own deviation (Fick angles: horizontal about the head's vertical axis, then vertical).
    /// </summary>
    private static EyeballModel BuildSchematicEye(Vector3[] v, int[] upper, int[] lower, AvatarLook look, SchematicEyeSettings s, float nasal, float up, float nasalSign)
    {
        Vector3 outer = v[upper[0]], inner = v[upper[^1]];
        Vector3 top = v[upper[upper.Length / 2]], bottom = v[lower[lower.Length / 2]];
        float irisR = look.IrisRadius;
        float radius = irisR / 0.4875f;
        float cx = 0.5f * (outer.X + inner.X);
        float cy = bottom.Y + 0.53f * (top.Y - bottom.Y);
        float apexZ = 0.5f * (top.Z + bottom.Z) - 0.04f;
        var globe = new Vector3(cx, cy, apexZ - radius);
        float rho = radius * MathF.Sqrt(1f - (irisR / radius) * (irisR / radius)); // globe centre to limbus plane

        float mm = irisR / SchematicIrisRadiusMm; // cm per schematic mm
        float corneaR = CorneaRadiusMm * mm;
        float sag = corneaR - MathF.Sqrt(corneaR * corneaR - irisR * irisR); // limbus plane to corneal apex
        float apexFromRotation = RotationCentreDepthMm * mm;
        Vector3 rotation = globe + (rho + sag - apexFromRotation) * Vector3.UnitZ;

        // Fixation direction, then the gaze and deviation in that frame.
        Vector3 b = s.FixateCamera ? Vector3.Normalize(s.CameraHead - rotation) : Vector3.UnitZ;
        float h0 = MathF.Atan2(b.X, b.Z), v0 = MathF.Asin(Math.Clamp(b.Y, -1f, 1f));
        float h = s.GazeRight + nasalSign * nasal, vv = s.GazeUp + up;
        Vector3 Apply(Vector3 p) => Fick(h0, v0, Fick(h, vv, p));
        Vector3 axis = Apply(Vector3.UnitZ);
        Vector3 At(float depthFromRotation) => rotation + depthFromRotation * axis;
        return new EyeballModel
        {
            Centre = At(apexFromRotation - sag - rho),
            Radius = radius,
            Gaze = axis,
            AxisX = Apply(Vector3.UnitX),
            AxisY = Apply(Vector3.UnitY),
            IrisCentre = At(apexFromRotation - sag),
            IrisRadius = irisR,
            PupilRadius = look.PupilRadius,
            Schematic = true,
            CorneaCentre = At(apexFromRotation - corneaR),
            CorneaRadius = corneaR,
            PupilCentre = At(apexFromRotation - (EntrancePupilDepthMm * mm)),
            RotationCentre = rotation,
            AxisAngles = new Vector2(MathF.Atan2(axis.X, axis.Z), MathF.Asin(Math.Clamp(axis.Y, -1f, 1f))),
        };
    }

    /// <summary>Fick rotation: <paramref name="p"/> turned up by <paramref name="v"/> (about X), then towards +X by <paramref name="h"/> (about Y).</summary>
    private static Vector3 Fick(float h, float v, Vector3 p)
    {
        float ch = MathF.Cos(h), sh = MathF.Sin(h), cv = MathF.Cos(v), sv = MathF.Sin(v);
        var x = new Vector3(ch, 0f, -sh);
        var y = new Vector3(-sh * sv, cv, -ch * sv);
        var z = new Vector3(sh * cv, sv, ch * cv);
        return p.X * x + p.Y * y + p.Z * z;
    }

    private static Vector3[] ComputeNormals(Vector3[] v, CanonicalFaceMesh mesh)
    {
        var n = new Vector3[v.Length];
        var idx = mesh.TriangleIndices;
        for (int t = 0; t < idx.Length; t += 3)
        {
            int a = idx[t], b = idx[t + 1], c = idx[t + 2];
            Vector3 fn = Vector3.Cross(v[b] - v[a], v[c] - v[a]);
            n[a] += fn;
            n[b] += fn;
            n[c] += fn;
        }

        for (int i = 0; i < n.Length; i++)
        {
            n[i] = Vector3.Normalize(n[i]);
            if (n[i].Z < -0.99f)
            {
                n[i] = -n[i];
            }
        }

        // The file's winding may be either way: make the nose tip face the camera.
        if (n[4].Z < 0f)
        {
            for (int i = 0; i < n.Length; i++)
            {
                n[i] = -n[i];
            }
        }

        return n;
    }

    /// <summary>Bends the normals along the mesh border towards the skull's so the seam does not show.</summary>
    private static void BlendBorderNormals(Vector3[] v, Vector3[] n, Vector3 skullCentre, Vector3 skullRadii, float lowerRadiusY)
    {
        foreach (int i in FaceOval)
        {
            Vector3 r = v[i].Y >= skullCentre.Y ? skullRadii : skullRadii with { Y = lowerRadiusY };
            Vector3 d = (v[i] - skullCentre) / (r * r);
            Vector3 skullN = Vector3.Normalize(d);
            n[i] = Vector3.Normalize(0.35f * n[i] + 0.65f * skullN);
        }
    }

    /// <summary>Cheap cavity occlusion: a vertex sitting behind the mean of its neighbours is in a hollow.</summary>
    private static float[] ComputeOcclusion(Vector3[] v, Vector3[] n)
    {
        int[][] nb = Neighbours.Value;
        var raw = new float[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            Vector3 mean = Vector3.Zero;
            float spread = 0f;
            foreach (int j in nb[i])
            {
                mean += v[j];
            }

            mean /= nb[i].Length;
            foreach (int j in nb[i])
            {
                spread += Vector3.Distance(v[j], v[i]);
            }

            spread /= nb[i].Length;
            raw[i] = Vector3.Dot(mean - v[i], n[i]) / MathF.Max(spread, 1e-3f);
        }

        var ao = new float[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            // Smooth once over the one-ring so the occlusion is soft.
            float s = raw[i];
            foreach (int j in nb[i])
            {
                s += raw[j];
            }

            s /= nb[i].Length + 1;
            ao[i] = Saturate(1f - 1.6f * MathF.Max(0f, s));
        }

        return ao;
    }

    private static int[][] BuildNeighbours()
    {
        var idx = CanonicalFaceMesh.Instance.TriangleIndices;
        var sets = new HashSet<int>[CanonicalFaceMesh.VertexCount];
        for (int i = 0; i < sets.Length; i++)
        {
            sets[i] = [];
        }

        for (int t = 0; t < idx.Length; t += 3)
        {
            int a = idx[t], b = idx[t + 1], c = idx[t + 2];
            sets[a].Add(b);
            sets[a].Add(c);
            sets[b].Add(a);
            sets[b].Add(c);
            sets[c].Add(a);
            sets[c].Add(b);
        }

        return sets.Select(s => s.Order().ToArray()).ToArray();
    }
}
