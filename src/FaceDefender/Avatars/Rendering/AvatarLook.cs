using System.Numerics;
using FaceDefender.Abstractions;
using static FaceDefender.Avatars.Rendering.RenderMath;

namespace FaceDefender.Avatars.Rendering;

/// <summary>
/// Every appearance parameter of one procedural avatar: colours (linear light), shape coefficients
/// and hair style. Derived deterministically from sex, age, skin tone and an identity seed; the
/// identity seed does not depend on age, so one identity ages consistently across age buckets.
/// </summary>
internal sealed record AvatarLook
{
    public required AvatarSex Sex { get; init; }
    public required float Age { get; init; }
    public required SkinTone Tone { get; init; }
    public required ulong Seed { get; init; }

    // Colours (linear light).
    public required Vector3 SkinAlbedo { get; init; }
    public required Vector3 LipColour { get; init; }
    public required Vector3 IrisOuter { get; init; }
    public required Vector3 IrisInner { get; init; }
    public required Vector3 HairColour { get; init; }
    public required Vector3 BrowColour { get; init; }
    public required Vector3 BackgroundTop { get; init; }
    public required Vector3 BackgroundBottom { get; init; }
    public required Vector3 Clothing { get; init; }

    // Shape (dimensionless factors around 1, or offsets in cm).
    public required float FaceWidth { get; init; }
    public required float JawWidth { get; init; }
    public required float LowerFaceLength { get; init; }
    public required float UpperFaceLength { get; init; }
    public required float NoseSize { get; init; }
    public required float NoseLength { get; init; }
    public required float LipFullness { get; init; }
    public required float BrowRidge { get; init; }
    public required float CheekFullness { get; init; }
    public required float ChinWidth { get; init; }
    public required float NeckWidth { get; init; }

    /// <summary>
    /// 1 for a young child (5 years and under) .. 0 from 20 years: drives the child's proportions
    /// (larger cranium, rounder and fuller face, smaller nose, jaw and chin, larger eyes) and smoother skin.
    /// </summary>
    public required float Youth { get; init; }

    /// <summary>Cranium (skull and hair shell) size relative to an adult's of the same face width, 1 for adults.</summary>
    public required float CraniumScale { get; init; }

    /// <summary>0 (young) .. 1 (85 years): drives sagging, wrinkles and greying.</summary>
    public required float Ageing { get; init; }

    /// <summary>Iris radius in model cm (adult 0.585, larger relative to a child's face).</summary>
    public required float IrisRadius { get; init; }
    public required float PupilRadius { get; init; }

    // Eye opening (the avatar's normal lids), mm relative to the canonical mesh.
    public required float UpperLidUpMm { get; init; }
    public required float LowerLidDownMm { get; init; }

    /// <summary>
    /// Measurement realism (the ground-truth kit): palpebral fissures with adult anthropometric proportions (the canonical
    /// mesh's inner canthi moved 2 mm towards the nose) and a thin lid-margin contact line instead of a lash band over the
    /// eyeball. Off for the embedded avatars, whose look (and the fusion and privacy figures measured with them) is unchanged.
    /// </summary>
    public bool MeasurementEyes { get; init; }

    // Brows.
    public required float BrowThickness { get; init; }
    public required float BrowDensity { get; init; }

    // Hair.
    public required float HairlineY { get; init; }
    public required float HairBottomY { get; init; }
    public required float HairVolume { get; init; }
    public required float Balding { get; init; }
    public required float PartingX { get; init; }
    public required float Stubble { get; init; }
    public required float Grey { get; init; }

    // Noise offsets so two identities do not share skin texture.
    public required Vector2 NoiseOffset { get; init; }

    /// <summary>Builds the look of identity <paramref name="identitySeed"/> at the given sex, age and tone.</summary>
    public static AvatarLook Create(AvatarSex sex, float age, SkinTone tone, ulong identitySeed)
    {
        var rng = new SeededRandom(SeededRandom.Mix(identitySeed, (ulong)sex + 1, (ulong)tone + 11));
        bool male = sex == AvatarSex.Male;
        // 1 at 5 years (and younger), 2/3 at 10, 1/3 at 15, 0 from 20: a 15-year-old keeps a third of a child's proportions.
        float child = Saturate((20f - age) / 15f);
        float ageing = Saturate((age - 30f) / 55f);
        float sag = Saturate((age - 35f) / 50f);

        // Skin base colours (sRGB) per tone, with a little per-identity variation in hue and value.
        Vector3 skinSrgb = tone switch
        {
            SkinTone.Light => new Vector3(236, 196, 172),
            SkinTone.Medium => new Vector3(205, 152, 112),
            _ => new Vector3(120, 80, 58),
        };
        float value = rng.Range(0.93f, 1.05f);
        float warm = rng.Range(-0.04f, 0.04f);
        skinSrgb = new Vector3(skinSrgb.X * value * (1f + warm), skinSrgb.Y * value, skinSrgb.Z * value * (1f - warm));
        skinSrgb *= 1f - 0.05f * sag; // older skin slightly sallower
        Vector3 skin = Srgb(skinSrgb.X, skinSrgb.Y, skinSrgb.Z);

        Vector3 lipSrgb = tone switch
        {
            SkinTone.Light => male ? new Vector3(196, 122, 116) : new Vector3(200, 100, 105),
            SkinTone.Medium => male ? new Vector3(168, 98, 86) : new Vector3(176, 86, 84),
            _ => new Vector3(104, 56, 52),
        };
        lipSrgb *= rng.Range(0.94f, 1.04f);
        lipSrgb = Lerp(lipSrgb, skinSrgb * new Vector3(0.97f, 0.8f, 0.8f), 0.35f * child); // children's lips: paler, closer to the skin

        // Hair: dark tones mostly black / dark brown; light tones span blond to dark brown.
        Vector3[] hairPalette = tone switch
        {
            SkinTone.Light => [new(60, 40, 28), new(104, 72, 46), new(160, 120, 76), new(40, 28, 22), new(130, 70, 40), new(190, 160, 110)],
            SkinTone.Medium => [new(30, 22, 18), new(52, 36, 26), new(80, 56, 38), new(24, 18, 16)],
            _ => [new(22, 18, 16), new(30, 24, 20), new(18, 15, 14)],
        };
        Vector3 hairSrgb = hairPalette[rng.Next(hairPalette.Length)];
        float fairChild = rng.NextFloat(); // drawn for everyone, so later draws do not depend on age
        if (child > 0.5f && tone == SkinTone.Light && fairChild < 0.4f)
        {
            hairSrgb = new Vector3(170, 130, 80); // many light-skinned children are fairer
        }

        float grey = Saturate((age - 40f) / 40f);
        grey = grey * grey * rng.Range(0.8f, 1.1f);
        Vector3 greySrgb = new(200, 198, 196);
        Vector3 hairFinal = Lerp(hairSrgb, greySrgb, Saturate(grey));
        // Brows grey later than scalp hair and always stay darker than the skin around them.
        Vector3 browFinal = Lerp(hairSrgb * 0.8f, greySrgb * 0.7f, Saturate(grey * 0.35f));
        browFinal = Vector3.Min(browFinal, skinSrgb * 0.55f);

        Vector3[] irisPalette = tone switch
        {
            SkinTone.Light => [new(70, 100, 130), new(90, 110, 80), new(95, 62, 35), new(60, 40, 25), new(110, 130, 140)],
            SkinTone.Medium => [new(70, 45, 25), new(90, 60, 32), new(55, 35, 22)],
            _ => [new(45, 28, 18), new(60, 38, 22)],
        };
        Vector3 irisSrgb = irisPalette[rng.Next(irisPalette.Length)];

        Vector3[] backgrounds =
        [
            new(196, 200, 204), new(176, 186, 196), new(210, 204, 192), new(160, 170, 168), new(188, 180, 186), new(140, 150, 165),
        ];
        Vector3 bg = backgrounds[rng.Next(backgrounds.Length)];
        Vector3[] clothes =
        [
            new(40, 50, 80), new(120, 30, 40), new(60, 70, 60), new(200, 200, 200), new(30, 30, 35), new(90, 110, 140), new(150, 120, 90),
        ];
        Vector3 cloth = clothes[rng.Next(clothes.Length)];

        // Every identity draws the same sequence of numbers whatever its sex and age.
        float hairStyle = rng.NextFloat(), shortLength = rng.Range(0f, 1f), longLength = rng.Range(-16f, -7f), bobLength = rng.Range(-4f, 0f);
        float maleLong = rng.Range(-8f, -4f), baldingDraw = rng.Range(0f, 1f);
        bool longHair = male ? child <= 0.5f && hairStyle < 0.1f : hairStyle < 0.85f;
        float hairBottom = male ? (longHair ? maleLong : 3.0f - shortLength) : (longHair ? longLength : bobLength);
        float balding = male ? Saturate((age - 45f) / 35f) * baldingDraw : 0f;

        return new AvatarLook
        {
            Sex = sex,
            Age = age,
            Tone = tone,
            Seed = identitySeed,
            SkinAlbedo = skin,
            LipColour = Srgb(lipSrgb.X, lipSrgb.Y, lipSrgb.Z),
            IrisOuter = Srgb(irisSrgb.X * 0.7f, irisSrgb.Y * 0.7f, irisSrgb.Z * 0.7f),
            IrisInner = Srgb(MathF.Min(255, irisSrgb.X * 1.35f), MathF.Min(255, irisSrgb.Y * 1.25f), MathF.Min(255, irisSrgb.Z * 1.1f)),
            HairColour = Srgb(hairFinal.X, hairFinal.Y, hairFinal.Z),
            BrowColour = Srgb(browFinal.X, browFinal.Y, browFinal.Z),
            BackgroundTop = Srgb(bg.X * 1.04f, bg.Y * 1.04f, bg.Z * 1.04f),
            BackgroundBottom = Srgb(bg.X * 0.86f, bg.Y * 0.86f, bg.Z * 0.86f),
            Clothing = Srgb(cloth.X, cloth.Y, cloth.Z),
            FaceWidth = (male ? 0.99f : 0.94f) * rng.Range(0.97f, 1.03f) * (1f + 0.02f * child),
            JawWidth = (male ? 0.04f : -0.08f) * (1f - child) - 0.16f * child + rng.Range(-0.03f, 0.03f) + 0.03f * sag,
            LowerFaceLength = (male ? 1.02f : 0.97f) * (1f - 0.22f * child) * rng.Range(0.97f, 1.03f),
            UpperFaceLength = 1f + 0.1f * child,
            NoseSize = (male ? 1.08f : 0.95f) * (1f - 0.26f * child) * rng.Range(0.93f, 1.07f),
            NoseLength = (1f - 0.2f * child) * rng.Range(0.95f, 1.05f) * (1f + 0.04f * sag),
            LipFullness = (male ? 0.0f : 0.12f) * (1f - child) + rng.Range(-0.06f, 0.08f) - 0.08f * ageing + 0.1f * child,
            BrowRidge = (male ? 0.22f : 0.02f) * (1f - child) + rng.Range(0f, 0.08f),
            CheekFullness = 0.3f * child + rng.Range(-0.05f, 0.12f) - 0.1f * ageing,
            ChinWidth = (male ? 0.08f : -0.06f) * (1f - child) + rng.Range(-0.04f, 0.04f) + 0.04f * child,
            NeckWidth = (male ? 5.6f : 4.7f) * (1f - 0.2f * child),
            Youth = child,
            CraniumScale = 1f + 0.09f * child,
            Ageing = ageing,
            IrisRadius = 0.585f * (1f + 0.18f * child),
            PupilRadius = 0.585f * (1f + 0.18f * child) * rng.Range(0.30f, 0.38f),
            UpperLidUpMm = 1.9f - 1.2f * sag + 0.6f * child + rng.Range(-0.3f, 0.3f),
            LowerLidDownMm = 0.5f + 0.5f * sag + rng.Range(-0.2f, 0.2f),
            BrowThickness = (male ? 1.05f : 0.75f) * rng.Range(0.9f, 1.1f) * (1f - 0.2f * child),
            BrowDensity = (male ? 0.9f : 0.8f) * (1f - 0.25f * grey) * (1f - 0.2f * child),
            HairlineY = 9.3f + rng.Range(0f, 0.8f) + 1.6f * balding,
            HairBottomY = hairBottom,
            HairVolume = male ? rng.Range(0.35f, 0.8f) : rng.Range(0.6f, 1.1f),
            Balding = balding,
            PartingX = rng.Range(-2.5f, 2.5f),
            Stubble = (male && child < 0.1f ? 1f : 0f) * rng.Range(0f, 1f) * (1f - 0.3f * ageing),
            Grey = Saturate(grey),
            NoiseOffset = new Vector2(rng.Range(0f, 200f), rng.Range(0f, 200f)),
        };
    }
}
