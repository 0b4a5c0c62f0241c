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

    /// <summary>Colour of the stubble (the scalp hair's in the kit; darker and greying later in the avatars).</summary>
    public required Vector3 BeardColour { get; init; }
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

    // Identity shape terms of the avatars (each about -1 .. 1; 0 = the canonical shape). The ground-truth kit leaves them
    // at 0. None of them moves the eye openings: they fade out before the periocular region (FaceModel.Deform).
    public float Cheekbones { get; init; }
    public float NoseBridge { get; init; }
    public float NoseWidth { get; init; }
    public float MouthWidth { get; init; }
    public float PhiltrumLength { get; init; }
    public float ChinProjection { get; init; }
    public float ChinHeight { get; init; }
    public float JawAngle { get; init; }
    public float ForeheadHeight { get; init; }
    public float UpperLipShare { get; init; }

    // Ageing detail of the avatars (0 in the ground-truth kit, whose faces keep the look its figures were measured with).

    /// <summary>0 .. 1: soft-tissue descent beyond the shared ageing terms (deeper jowls, a blurred jaw line, a drooping nose tip, hollow temples).</summary>
    public float Sagging { get; init; }

    /// <summary>How far above the hair centre the hair curtain reaches (cm); above 1 it fades in from 1 cm, tucked under the
    /// shell's side edge so no skin or background shows between them at the temples.</summary>
    public float CurtainTopCm { get; init; } = 1f;

    /// <summary>The curtain's bottom edge: amplitude (cm) and angular frequency of its large-scale wave.</summary>
    public float HairEdgeWaveCm { get; init; } = 0.8f;

    /// <inheritdoc cref="HairEdgeWaveCm"/>
    public float HairEdgeWaveFrequency { get; init; } = 5f;

    /// <summary>The skull's half width (cm, before the face width scales it): the catalogue's is wide enough to fill the gap
    /// between the face's side edge and the hair at the temples, where the background showed through as a light rim.</summary>
    public float SkullHalfWidthCm { get; init; } = 7.9f;

    /// <summary>How far the ears stand out beyond the kit's position (cm): men's short hair leaves them in view.</summary>
    public float EarOutset { get; init; }

    /// <summary>Extra depth of the painted wrinkles and folds, 0 = the original depth.</summary>
    public float WrinkleBoost { get; init; }

    /// <summary>0 .. 1: vertical frown lines between the brows.</summary>
    public float Glabella { get; init; }

    /// <summary>Extra amplitude of the broad skin mottling (uneven pigment with age), 0 = the original.</summary>
    public float Mottling { get; init; }

    /// <summary>0 .. 1: shadow of a hooded upper lid below the brow (painted only: the lid margins do not move).</summary>
    public float Hooding { get; init; }

    /// <summary>Extra amplitude of the fine pore texture (coarser skin with age), 0 = the original.</summary>
    public float Pores { get; init; }

    /// <summary>Darkness of the painted lash lines, 1 = the original (the kit); lighter for men and boys, whose dark lash band read as eyeliner.</summary>
    public float LashWeight { get; init; } = 1f;

    /// <summary>Extra darkening of the orbits (hollows and shadows under the eyes with age), 0 = the original.</summary>
    public float OrbitShadow { get; init; }

    /// <summary>Builds the avatar look of identity <paramref name="identitySeed"/> at the given sex, age and tone.</summary>
    public static AvatarLook Create(AvatarSex sex, float age, SkinTone tone, ulong identitySeed) => Create(sex, age, tone, identitySeed, kit: false);

    /// <summary>
    /// The ground-truth kit's look: the avatars' first design (no identity shape terms, ageing from 30 years), kept so that
    /// the kit's renders and the accuracy figures measured on them do not change when the avatars' look does.
    /// </summary>
    public static AvatarLook CreateForKit(AvatarSex sex, float age, SkinTone tone, ulong identitySeed) => Create(sex, age, tone, identitySeed, kit: true);

    private static AvatarLook Create(AvatarSex sex, float age, SkinTone tone, ulong identitySeed, bool kit)
    {
        var rng = new SeededRandom(SeededRandom.Mix(identitySeed, (ulong)sex + 1, (ulong)tone + 11));
        bool male = sex == AvatarSex.Male;
        // 1 at 5 years (and younger), 2/3 at 10, 1/3 at 15, 0 from 20: a 15-year-old keeps a third of a child's proportions.
        float child = Saturate((20f - age) / 15f);

        // Ageing. The avatars age continuously from 18 years, so every bucket from 20 on differs from the next (the
        // kit's first design started at 30 and 35 years, which made 20 and 30 identical).
        float ageing = kit ? Saturate((age - 30f) / 55f) : Saturate((age - 18f) / 67f);
        float sag = kit ? Saturate((age - 35f) / 50f) : MathF.Pow(ageing, 1.3f);
        var idRng = new SeededRandom(SeededRandom.Mix(identitySeed, 0x1D5A9EUL, (ulong)sex + 5, (ulong)tone + 17));
        IdentityShape shape = kit ? default : IdentityShape.Draw(idRng).LimitLowerFace();

        // Skin base colours (sRGB) per tone, with a little per-identity variation in hue and value.
        Vector3 skinSrgb = tone switch
        {
            SkinTone.Light => new Vector3(236, 196, 172),
            SkinTone.Medium => new Vector3(205, 152, 112),
            _ => new Vector3(120, 80, 58),
        };
        float value = rng.Range(0.93f, 1.05f) * (1f + 0.08f * shape.SkinValue);
        float warm = rng.Range(-0.04f, 0.04f) + 0.05f * shape.SkinWarmth;
        skinSrgb = new Vector3(skinSrgb.X * value * (1f + warm), skinSrgb.Y * value, skinSrgb.Z * value * (1f - warm));
        skinSrgb *= 1f - 0.05f * sag; // older skin slightly sallower
        if (!kit)
        {
            // Older skin: less red and saturated, a little yellower; young adults' skin slightly rosier.
            float grey0 = (skinSrgb.X + skinSrgb.Y + skinSrgb.Z) / 3f;
            skinSrgb = Lerp(skinSrgb, new Vector3(grey0 * 1.04f, grey0 * 1.0f, grey0 * 0.9f), 0.22f * ageing);
        }
        if (!kit && male)
        {
            // Men's skin is a little darker and redder than women's of the same group.
            skinSrgb *= new Vector3(0.97f, 0.92f, 0.9f);
        }

        Vector3 skin = Srgb(skinSrgb.X, skinSrgb.Y, skinSrgb.Z);

        Vector3 lipSrgb = tone switch
        {
            SkinTone.Light => male ? new Vector3(196, 122, 116) : new Vector3(200, 100, 105),
            SkinTone.Medium => male ? new Vector3(168, 98, 86) : new Vector3(176, 86, 84),
            _ => new Vector3(104, 56, 52),
        };
        lipSrgb *= rng.Range(0.94f, 1.04f);
        lipSrgb = Lerp(lipSrgb, skinSrgb * new Vector3(0.97f, 0.8f, 0.8f), 0.35f * child); // children's lips: paler, closer to the skin
        if (!kit)
        {
            // Men's and boys' lips are close to the skin colour; everyone's lips lose colour with age.
            lipSrgb = Lerp(lipSrgb, skinSrgb * new Vector3(0.9f, 0.76f, 0.76f), (male ? 0.45f : 0f) + 0.45f * sag * (male ? 0.55f : 1f));
        }

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

        float grey = kit ? Saturate((age - 40f) / 40f) : Saturate((age - 33f) / 42f);
        grey = grey * grey * rng.Range(0.8f, 1.1f);
        Vector3 greySrgb = new(200, 198, 196);
        Vector3 hairFinal = Lerp(hairSrgb, greySrgb, Saturate(grey));
        // Brows grey later than scalp hair and always stay darker than the skin around them.
        Vector3 browFinal = Lerp(hairSrgb * 0.8f, greySrgb * 0.7f, Saturate(grey * 0.35f));
        browFinal = Vector3.Min(browFinal, skinSrgb * 0.55f);
        // Stubble greys later than scalp hair and stays darker than the skin, so it shows on older men too.
        Vector3 beardFinal = Vector3.Min(Lerp(hairSrgb * 0.7f, greySrgb * 0.75f, Saturate(grey * 0.6f)), skinSrgb * 0.5f);

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
        if (!kit && male && !longHair)
        {
            hairBottom = 4.6f - 0.6f * shortLength; // men and boys: short hair, the ears and temples free
        }

        float balding = male ? Saturate((age - 45f) / 35f) * baldingDraw : 0f;
        if (!kit && male)
        {
            balding = Saturate((age - 35f) / 40f) * (0.25f + 0.75f * baldingDraw);
        }

        // Boys keep more of the male brow and jaw and less of the child's full lips, so they read as boys.
        float boy = !kit && male ? child : 0f;
        // Adult men: a wider jaw and chin, a heavier brow ridge and thinner lips than the kit's faces draw.
        float masc = !kit && male ? 1f - child : 0f;

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
            BeardColour = kit ? Srgb(hairFinal.X, hairFinal.Y, hairFinal.Z) : Srgb(beardFinal.X, beardFinal.Y, beardFinal.Z),
            BackgroundTop = Srgb(bg.X * 1.04f, bg.Y * 1.04f, bg.Z * 1.04f),
            BackgroundBottom = Srgb(bg.X * 0.86f, bg.Y * 0.86f, bg.Z * 0.86f),
            Clothing = Srgb(cloth.X, cloth.Y, cloth.Z),
            FaceWidth = (male ? 0.99f : 0.94f) * rng.Range(0.97f, 1.03f) * (1f + 0.02f * child) * (1f + 0.065f * shape.FaceWidth),
            JawWidth = (male ? 0.04f : -0.08f) * (1f - child) - 0.16f * child + rng.Range(-0.03f, 0.03f) + 0.03f * sag + 0.11f * shape.JawWidth + 0.06f * boy + 0.12f * masc * (1f - 0.5f * sag),
            LowerFaceLength = (male ? 1.02f : 0.97f) * (1f - 0.22f * child) * rng.Range(0.97f, 1.03f) * (1f + 0.075f * shape.LowerFaceLength),
            UpperFaceLength = 1f + 0.1f * child,
            NoseSize = (male ? 1.08f : 0.95f) * (1f - 0.26f * child) * rng.Range(0.93f, 1.07f) * (1f + 0.18f * shape.NoseSize),
            NoseLength = (1f - 0.2f * child) * rng.Range(0.95f, 1.05f) * (1f + 0.04f * sag) * (1f + 0.22f * shape.NoseLength + (kit ? 0f : 0.08f * sag)),
            LipFullness = (male ? 0.0f : 0.12f) * (1f - child) + rng.Range(-0.06f, 0.08f) - 0.08f * ageing + 0.1f * child + 0.18f * shape.LipFullness - (kit ? 0f : 0.22f * sag) - 0.1f * boy - 0.15f * masc,
            BrowRidge = (male ? 0.22f : 0.02f) * (1f - child) + rng.Range(0f, 0.08f) + 0.14f * shape.BrowRidge + 0.08f * boy + 0.3f * masc,
            CheekFullness = 0.3f * child + rng.Range(-0.05f, 0.12f) - 0.1f * ageing + 0.24f * shape.CheekFullness - (kit ? 0f : 0.12f * sag),
            ChinWidth = (male ? 0.08f : -0.06f) * (1f - child) + rng.Range(-0.04f, 0.04f) + 0.04f * child + 0.12f * shape.ChinWidth + 0.05f * boy + 0.1f * masc,
            NeckWidth = (male ? 5.6f : 4.7f) * (1f - 0.2f * child),
            Youth = child,
            CraniumScale = 1f + 0.09f * child,
            Ageing = ageing,
            IrisRadius = 0.585f * (1f + 0.18f * child),
            PupilRadius = 0.585f * (1f + 0.18f * child) * rng.Range(0.30f, 0.38f),
            UpperLidUpMm = 1.9f - 1.2f * sag + 0.6f * child + rng.Range(-0.3f, 0.3f),
            LowerLidDownMm = 0.5f + 0.5f * sag + rng.Range(-0.2f, 0.2f),
            BrowThickness = (male ? 1.05f : 0.75f) * rng.Range(0.9f, 1.1f) * (1f - 0.2f * child) * (1f + 0.3f * shape.BrowThickness + 0.12f * boy),
            BrowDensity = (male ? 0.9f : 0.8f) * (1f - 0.25f * grey) * (1f - 0.2f * child) * (1f + 0.1f * boy),
            HairlineY = 9.3f + rng.Range(0f, 0.8f) + 1.6f * balding,
            HairBottomY = hairBottom,
            HairVolume = male ? rng.Range(0.35f, 0.8f) : rng.Range(0.6f, 1.1f),
            Balding = balding,
            PartingX = rng.Range(-2.5f, 2.5f),
            Stubble = (male && child < 0.1f ? 1f : 0f) * (kit ? rng.Range(0f, 1f) : 1.2f + 1.2f * rng.Range(0f, 1f)) * (1f - 0.3f * ageing),
            Grey = Saturate(grey),
            NoiseOffset = new Vector2(rng.Range(0f, 200f), rng.Range(0f, 200f)),
            Cheekbones = shape.Cheekbones,
            NoseBridge = shape.NoseBridge,
            NoseWidth = shape.NoseWidth,
            MouthWidth = shape.MouthWidth,
            PhiltrumLength = shape.PhiltrumLength,
            ChinProjection = shape.ChinProjection,
            ChinHeight = shape.ChinHeight,
            JawAngle = shape.JawAngle,
            ForeheadHeight = shape.ForeheadHeight,
            UpperLipShare = shape.UpperLipShare,
            Sagging = kit ? 0f : sag,
            WrinkleBoost = kit ? 0f : 2.2f * Saturate((age - 24f) / 30f),
            Glabella = kit ? 0f : Saturate((age - 28f) / 40f) * (0.6f + 0.4f * shape.Frown),
            Mottling = kit ? 0f : 0.22f * sag,
            Hooding = kit ? 0f : Saturate((age - 40f) / 40f),
            Pores = kit ? 0f : 0.04f * sag,
            OrbitShadow = kit ? 0f : 0.2f * sag,
            LashWeight = kit || !male ? 1f : 0.6f,
            EarOutset = kit || !male ? 0f : 0.8f * (1f - child), // boys' larger cranium already shows them
            // The catalogue's hair edges: the curtain tucked under the shell and an even bottom edge (the kit keeps its own).
            CurtainTopCm = kit ? 1f : 2.5f,
            SkullHalfWidthCm = !kit && hairBottom < 0f ? 8.3f : 7.9f, // under a curtain of hair only: it would hide short-haired men's ears
            HairEdgeWaveCm = kit ? 0.8f : 0.3f,
            HairEdgeWaveFrequency = kit ? 5f : 3f,
        };
    }

    /// <summary>
    /// One identity's shape and colouring draws, each uniform in -1 .. 1, from a generator of their own (so the look's
    /// other draws, and the kit's faces, are unchanged). All zero for the kit.
    /// </summary>
    private readonly record struct IdentityShape(
        float FaceWidth, float JawWidth, float LowerFaceLength, float NoseSize, float NoseLength, float LipFullness, float BrowRidge,
        float CheekFullness, float ChinWidth, float Cheekbones, float NoseBridge, float NoseWidth, float MouthWidth, float PhiltrumLength,
        float ChinProjection, float ChinHeight, float JawAngle, float ForeheadHeight, float UpperLipShare, float BrowThickness,
        float SkinValue, float SkinWarmth, float Frown)
    {
        /// <summary>
        /// Caps how much a long lower face, a long philtrum and a tall chin add up to: together they put the chin of the
        /// framed canvas (scaled by eye and mouth, not chin) at its bottom edge, where the landmark detector lost it.
        /// </summary>
        public IdentityShape LimitLowerFace()
        {
            float total = MathF.Max(0f, LowerFaceLength) + MathF.Max(0f, PhiltrumLength) + MathF.Max(0f, ChinHeight);
            if (total <= 1f)
            {
                return this;
            }

            float k = 1f / total;
            return this with
            {
                LowerFaceLength = LowerFaceLength > 0f ? LowerFaceLength * k : LowerFaceLength,
                PhiltrumLength = PhiltrumLength > 0f ? PhiltrumLength * k : PhiltrumLength,
                ChinHeight = ChinHeight > 0f ? ChinHeight * k : ChinHeight,
            };
        }

        public static IdentityShape Draw(SeededRandom r)
        {
            float U() => r.Range(-1f, 1f);
            return new IdentityShape(U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U(), U());
        }
    }
}
