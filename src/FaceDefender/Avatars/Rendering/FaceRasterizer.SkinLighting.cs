using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static FaceDefender.Avatars.Rendering.RenderMath;

namespace FaceDefender.Avatars.Rendering;

/// <summary>The skin-like lighting (face, skull, ears, neck, clothing), 8 pixels at a time.</summary>
internal sealed partial class FaceRasterizer
{
    /// <summary>What the lighting needs of one skin-like pixel: albedo, world normal, occlusion, specular amount and power, wrap.</summary>
    private readonly record struct SkinSample(Vector3 Albedo, Vector3 Normal, float Ao, float Spec, float Gloss, Vector3 Wrap);

    /// <summary>
    /// One pixel of <see cref="SkinLightBatch"/>, scalar: wrap diffuse with more wrap in red than blue
    /// (a cheap subsurface look), fill and sky/ground ambient, Blinn-Phong specular with a rim.
    /// </summary>
    private static Vector3 ShadeSkinLike(in SkinSample s)
    {
        Vector3 n = s.Normal;
        float nk = Vector3.Dot(n, KeyDir);
        Vector3 diffKey = Vector3.Clamp((new Vector3(nk) + s.Wrap) / (Vector3.One + s.Wrap), Vector3.Zero, Vector3.One);
        diffKey *= diffKey * new Vector3(0.55f) + new Vector3(0.45f); // soften the falloff
        float nf = SaturateFast((Vector3.Dot(n, FillDir) + 0.2f) / 1.2f);
        float hemi = 0.5f + 0.5f * n.Y;
        Vector3 ambient = Lerp(GroundColour, SkyColour, hemi);
        Vector3 light = KeyColour * diffKey + FillColour * nf + ambient * (0.5f + 0.5f * s.Ao);
        Vector3 col = s.Albedo * light * (0.35f + 0.65f * s.Ao);

        // Blinn-Phong specular with a Schlick-like rim, as if the camera were at infinity.
        float nh = SaturateFast(Vector3.Dot(n, KeyHalfway));
        float rim = 1f - SaturateFast(n.Z);
        float rim2 = rim * rim;
        float fres = 0.6f + 0.4f * rim2 * rim2 * rim;
        col += KeyColour * (s.Spec * fres * PowUnit(nh, s.Gloss) * s.Ao);
        return col;
    }

    /// <summary>
    /// The skin-like pixels of one row, collected by the shading pass and lit together: the lighting
    /// is the same arithmetic for every pixel, so with 256-bit vectors it runs 8 pixels per
    /// instruction (structure of arrays). The specular power is exp(gloss ln(n.h)) with the vector
    /// exp and log instead of the scalar tables (the same value to about 1e-6). Without hardware
    /// vectors, <see cref="ShadeSkinLike"/> pixel by pixel.
    /// </summary>
    private sealed class SkinLightBatch
    {
        private const int Fields = 16; // albedo (3), normal (3), ao, spec, gloss, wrap (3), canonical x and y, plain-skin and stubble masks
        private readonly float[] _data; // Fields planes of _stride floats
        private readonly int[] _pixel;
        private readonly int _stride;
        private int _count;

        public SkinLightBatch(int width)
        {
            _stride = (width + 8) & ~7;
            _data = new float[Fields * _stride];
            _pixel = new int[_stride];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int pixel, in SkinSample s)
        {
            int i = _count++;
            int st = _stride;
            float[] d = _data;
            _pixel[i] = pixel;
            d[i] = s.Albedo.X;
            d[st + i] = s.Albedo.Y;
            d[(2 * st) + i] = s.Albedo.Z;
            d[(3 * st) + i] = s.Normal.X;
            d[(4 * st) + i] = s.Normal.Y;
            d[(5 * st) + i] = s.Normal.Z;
            d[(6 * st) + i] = s.Ao;
            d[(7 * st) + i] = s.Spec;
            d[(8 * st) + i] = s.Gloss;
            d[(9 * st) + i] = s.Wrap.X;
            d[(10 * st) + i] = s.Wrap.Y;
            d[(11 * st) + i] = s.Wrap.Z;
            d[(14 * st) + i] = 0f;
            d[(15 * st) + i] = 0f;
        }

        /// <summary>
        /// Adds a face pixel with no painted feature: its tint goes where the albedo will be, and
        /// <see cref="PaintPlainSkin"/> turns it into the albedo.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void AddPlain(int pixel, Vector3 normal, float ao, float spec, Vector3 tint, float x, float y, Vector3 wrap)
        {
            int i = _count++;
            int st = _stride;
            float[] d = _data;
            _pixel[i] = pixel;
            d[i] = tint.X;
            d[st + i] = tint.Y;
            d[(2 * st) + i] = tint.Z;
            d[(3 * st) + i] = normal.X;
            d[(4 * st) + i] = normal.Y;
            d[(5 * st) + i] = normal.Z;
            d[(6 * st) + i] = ao;
            d[(7 * st) + i] = spec;
            d[(8 * st) + i] = 22f;
            d[(9 * st) + i] = wrap.X;
            d[(10 * st) + i] = wrap.Y;
            d[(11 * st) + i] = wrap.Z;
            d[(12 * st) + i] = x;
            d[(13 * st) + i] = y;
            d[(14 * st) + i] = BitConverter.Int32BitsToSingle(-1);
            d[(15 * st) + i] = 0f;
        }

        /// <summary>
        /// <see cref="AddPlain"/> for the 8 consecutive pixels from <paramref name="pixel"/>, except the lanes set in
        /// <paramref name="painted"/>, which are stored the same way but not marked plain (the caller then sets their
        /// albedo with <see cref="SetAlbedo"/>). Returns the first entry's index.
        /// </summary>
        public int AddPlain8(
            int pixel, Vector256<float> nx, Vector256<float> ny, Vector256<float> nz, Vector256<float> ao, Vector256<float> spec,
            Vector256<float> tr, Vector256<float> tg, Vector256<float> tb, Vector256<float> x, Vector256<float> y, uint painted, uint stubble, Vector3 wrap)
        {
            int i = _count;
            _count += 8;
            int st = _stride;
            ref float d = ref MemoryMarshal.GetArrayDataReference(_data);
            (Vector256.Create(pixel) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7)).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_pixel), (nuint)i);
            tr.StoreUnsafe(ref d, (nuint)i);
            tg.StoreUnsafe(ref d, (nuint)(st + i));
            tb.StoreUnsafe(ref d, (nuint)((2 * st) + i));
            nx.StoreUnsafe(ref d, (nuint)((3 * st) + i));
            ny.StoreUnsafe(ref d, (nuint)((4 * st) + i));
            nz.StoreUnsafe(ref d, (nuint)((5 * st) + i));
            ao.StoreUnsafe(ref d, (nuint)((6 * st) + i));
            spec.StoreUnsafe(ref d, (nuint)((7 * st) + i));
            Vector256.Create(22f).StoreUnsafe(ref d, (nuint)((8 * st) + i));
            Vector256.Create(wrap.X).StoreUnsafe(ref d, (nuint)((9 * st) + i));
            Vector256.Create(wrap.Y).StoreUnsafe(ref d, (nuint)((10 * st) + i));
            Vector256.Create(wrap.Z).StoreUnsafe(ref d, (nuint)((11 * st) + i));
            x.StoreUnsafe(ref d, (nuint)((12 * st) + i));
            y.StoreUnsafe(ref d, (nuint)((13 * st) + i));
            Vector256<int> lane = Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128);
            Vector256<int> isPainted = Vector256.Equals(Vector256.Create((int)painted) & lane, lane);
            (~isPainted).AsSingle().StoreUnsafe(ref d, (nuint)((14 * st) + i));
            Vector256.Equals(Vector256.Create((int)stubble) & lane, lane).AsSingle().StoreUnsafe(ref d, (nuint)((15 * st) + i));
            return i;
        }

        /// <summary><see cref="Add"/> of 8 consecutive pixels from <paramref name="pixel"/> with the same specular amount, power and wrap.</summary>
        public void Add8(
            int pixel, Vector256<float> ar, Vector256<float> ag, Vector256<float> ab, Vector256<float> nx, Vector256<float> ny, Vector256<float> nz,
            Vector256<float> ao, float spec, float gloss, Vector3 wrap)
        {
            int i = _count;
            _count += 8;
            int st = _stride;
            ref float d = ref MemoryMarshal.GetArrayDataReference(_data);
            (Vector256.Create(pixel) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7)).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_pixel), (nuint)i);
            ar.StoreUnsafe(ref d, (nuint)i);
            ag.StoreUnsafe(ref d, (nuint)(st + i));
            ab.StoreUnsafe(ref d, (nuint)((2 * st) + i));
            nx.StoreUnsafe(ref d, (nuint)((3 * st) + i));
            ny.StoreUnsafe(ref d, (nuint)((4 * st) + i));
            nz.StoreUnsafe(ref d, (nuint)((5 * st) + i));
            ao.StoreUnsafe(ref d, (nuint)((6 * st) + i));
            Vector256.Create(spec).StoreUnsafe(ref d, (nuint)((7 * st) + i));
            Vector256.Create(gloss).StoreUnsafe(ref d, (nuint)((8 * st) + i));
            Vector256.Create(wrap.X).StoreUnsafe(ref d, (nuint)((9 * st) + i));
            Vector256.Create(wrap.Y).StoreUnsafe(ref d, (nuint)((10 * st) + i));
            Vector256.Create(wrap.Z).StoreUnsafe(ref d, (nuint)((11 * st) + i));
            Vector256<float>.Zero.StoreUnsafe(ref d, (nuint)((14 * st) + i));
            Vector256<float>.Zero.StoreUnsafe(ref d, (nuint)((15 * st) + i));
        }

        /// <summary>Sets the albedo, occlusion, specular amount and power of entry <paramref name="i"/> (a painted pixel).</summary>
        public void SetAlbedo(int i, Vector3 albedo, float ao, float spec, float gloss)
        {
            int st = _stride;
            float[] d = _data;
            d[i] = albedo.X;
            d[st + i] = albedo.Y;
            d[(2 * st) + i] = albedo.Z;
            d[(6 * st) + i] = ao;
            d[(7 * st) + i] = spec;
            d[(8 * st) + i] = gloss;
        }

        /// <summary>
        /// The albedo of the pixels added by <see cref="AddPlain"/>, 8 at a time (AVX2 gathers for the noise):
        /// <see cref="SkinAlbedo"/>'s arithmetic where no feature is painted, skin x (1 + amount x pores) x tint,
        /// with the pores' value noise at 28 cycles per cm of canonical x and y plus the look's noise offset; then,
        /// on the pixels <see cref="AddPlain8"/> marked, SkinAlbedo's stubble (<paramref name="stubble"/>, towards
        /// <paramref name="hairColour"/>).
        /// </summary>
        public void PaintPlainSkin(Vector3 skin, float amount, Vector2 noiseOffset, float stubble, Vector3 hairColour)
        {
            int n = _count;
            int st = _stride;
            ref float d = ref MemoryMarshal.GetArrayDataReference(_data);
            for (int i = 0; i < n; i += 8)
            {
                Vector256<float> plain = Load(ref d, (14 * st) + i);
                if (plain == Vector256<float>.Zero)
                {
                    continue;
                }

                Vector256<float> nx = Load(ref d, (12 * st) + i) + Vector256.Create(noiseOffset.X);
                Vector256<float> ny = Load(ref d, (13 * st) + i) + Vector256.Create(noiseOffset.Y);
                Vector256<float> shade = Vector256<float>.One + (Vector256.Create(amount) * ValueNoise.Sample8(nx * 28f, ny * 28f));
                Vector256<float> tr = Load(ref d, i), tg = Load(ref d, st + i), tb = Load(ref d, (2 * st) + i);
                Vector256<float> ar = skin.X * (shade * tr), ag = skin.Y * (shade * tg), ab = skin.Z * (shade * tb);
                Vector256<float> beardy = Load(ref d, (15 * st) + i);
                if (beardy != Vector256<float>.Zero)
                {
                    Vector256<float> x = Load(ref d, (12 * st) + i), y = Load(ref d, (13 * st) + i), ax = Vector256.Abs(x), zero = Vector256<float>.Zero;
                    Vector256<float> line = Vector256.Create(-1.8f) + (Vector256.Create(0.55f) * Vector256.Max(zero, ax - Vector256.Create(2.4f)));
                    Vector256<float> e0 = line + Vector256.Create(0.3f), e1 = line - Vector256.Create(1.4f);
                    Vector256<float> t = HairShadeBatch.Saturate((y - e0) * (Vector256<float>.One / (e1 - e0)));
                    Vector256<float> beard = t * t * (Vector256.Create(3f) - (Vector256.Create(2f) * t)) * HairShadeBatch.Smoothstep(7.6f, 6.0f, ax);
                    beard *= Vector256<float>.One - HairShadeBatch.Smoothstep(0.6f, 0.3f, (Vector256.Abs(y + Vector256.Create(4.45f)) / 1.05f) + Vector256.Max(zero, ax - Vector256.Create(2.2f)));
                    Vector256<float> dots = HairShadeBatch.Saturate(Vector256.Create(0.5f) + (Vector256.Create(0.8f) * ValueNoise.Sample8(nx * 55f, ny * 55f)));
                    Vector256<float> s = stubble * beard * (Vector256.Create(0.05f) + (Vector256.Create(0.12f) * dots));
                    Vector256<float> apply = beardy & Vector256.LessThan(y, Vector256.Create(1.5f)) & Vector256.GreaterThan(beard, zero);
                    ar = Vector256.ConditionalSelect(apply, ar + (((Vector256.Create(hairColour.X * 0.5f) + (ar * 0.35f)) - ar) * s), ar);
                    ag = Vector256.ConditionalSelect(apply, ag + (((Vector256.Create(hairColour.Y * 0.5f) + (ag * 0.35f)) - ag) * s), ag);
                    ab = Vector256.ConditionalSelect(apply, ab + (((Vector256.Create(hairColour.Z * 0.5f) + (ab * 0.35f)) - ab) * s), ab);
                }

                Vector256.ConditionalSelect(plain, ar, tr).StoreUnsafe(ref d, (nuint)i);
                Vector256.ConditionalSelect(plain, ag, tg).StoreUnsafe(ref d, (nuint)(st + i));
                Vector256.ConditionalSelect(plain, ab, tb).StoreUnsafe(ref d, (nuint)((2 * st) + i));
            }
        }

        /// <summary>Lights the collected pixels into <paramref name="colour"/> (linear RGB, 3 floats per pixel) and empties the batch.</summary>
        public void Light(float[] colour)
        {
            int n = _count;
            _count = 0;
            if (n == 0)
            {
                return;
            }

            if (!Vector256.IsHardwareAccelerated)
            {
                for (int i = 0; i < n; i++)
                {
                    Vector3 c = ShadeSkinLike(Sample(i));
                    int k = 3 * _pixel[i];
                    colour[k] = c.X;
                    colour[k + 1] = c.Y;
                    colour[k + 2] = c.Z;
                }

                return;
            }

            // Lanes past the end hold stale or zero inputs: computed (harmlessly) and not written.
            int st = _stride;
            ref float d = ref MemoryMarshal.GetArrayDataReference(_data);
            Span<float> outR = stackalloc float[8], outG = stackalloc float[8], outB = stackalloc float[8];
            Vector256<float> zero = Vector256<float>.Zero, one = Vector256<float>.One;
            for (int i = 0; i < n; i += 8)
            {
                Vector256<float> ar = Load(ref d, i), ag = Load(ref d, st + i), ab = Load(ref d, (2 * st) + i);
                Vector256<float> nx = Load(ref d, (3 * st) + i), ny = Load(ref d, (4 * st) + i), nz = Load(ref d, (5 * st) + i);
                Vector256<float> ao = Load(ref d, (6 * st) + i), spec = Load(ref d, (7 * st) + i), gloss = Load(ref d, (8 * st) + i);
                Vector256<float> wr = Load(ref d, (9 * st) + i), wg = Load(ref d, (10 * st) + i), wb = Load(ref d, (11 * st) + i);

                Vector256<float> nk = (nx * KeyDir.X) + (ny * KeyDir.Y) + (nz * KeyDir.Z);
                Vector256<float> dr = Vector256.Min(Vector256.Max((nk + wr) / (one + wr), zero), one);
                Vector256<float> dg = Vector256.Min(Vector256.Max((nk + wg) / (one + wg), zero), one);
                Vector256<float> db = Vector256.Min(Vector256.Max((nk + wb) / (one + wb), zero), one);
                Vector256<float> c055 = Vector256.Create(0.55f), c045 = Vector256.Create(0.45f);
                dr *= (dr * c055) + c045;
                dg *= (dg * c055) + c045;
                db *= (db * c055) + c045;
                Vector256<float> nf = Vector256.Min(Vector256.Max(((nx * FillDir.X) + (ny * FillDir.Y) + (nz * FillDir.Z) + Vector256.Create(0.2f)) / 1.2f, zero), one);
                Vector256<float> hemi = Vector256.Create(0.5f) + (Vector256.Create(0.5f) * ny);
                Vector256<float> amb = Vector256.Create(0.5f) + (Vector256.Create(0.5f) * ao);
                Vector256<float> occ = Vector256.Create(0.35f) + (Vector256.Create(0.65f) * ao);
                Vector256<float> lr = (KeyColour.X * dr) + (FillColour.X * nf) + ((Vector256.Create(GroundColour.X) + ((SkyColour.X - GroundColour.X) * hemi)) * amb);
                Vector256<float> lg = (KeyColour.Y * dg) + (FillColour.Y * nf) + ((Vector256.Create(GroundColour.Y) + ((SkyColour.Y - GroundColour.Y) * hemi)) * amb);
                Vector256<float> lb = (KeyColour.Z * db) + (FillColour.Z * nf) + ((Vector256.Create(GroundColour.Z) + ((SkyColour.Z - GroundColour.Z) * hemi)) * amb);

                Vector256<float> nh = Vector256.Min(Vector256.Max((nx * KeyHalfway.X) + (ny * KeyHalfway.Y) + (nz * KeyHalfway.Z), zero), one);
                Vector256<float> rim = one - Vector256.Min(Vector256.Max(nz, zero), one);
                Vector256<float> rim2 = rim * rim;
                Vector256<float> fres = Vector256.Create(0.6f) + (Vector256.Create(0.4f) * rim2 * rim2 * rim);
                Vector256<float> positive = Vector256.GreaterThan(nh, zero);
                Vector256<float> lobe = Vector256.ConditionalSelect(positive, Vector256.Exp(gloss * Vector256.Log(Vector256.Max(nh, Vector256.Create(1e-30f)))), zero);
                Vector256<float> s = spec * fres * lobe * ao;

                ((ar * lr * occ) + (KeyColour.X * s)).CopyTo(outR);
                ((ag * lg * occ) + (KeyColour.Y * s)).CopyTo(outG);
                ((ab * lb * occ) + (KeyColour.Z * s)).CopyTo(outB);
                int lanes = Math.Min(8, n - i);
                for (int k = 0; k < lanes; k++)
                {
                    int q = 3 * _pixel[i + k];
                    colour[q] = outR[k];
                    colour[q + 1] = outG[k];
                    colour[q + 2] = outB[k];
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Load(ref float d, int offset) => Vector256.LoadUnsafe(ref d, (nuint)offset);

        private SkinSample Sample(int i)
        {
            int st = _stride;
            float[] d = _data;
            return new SkinSample(
                new Vector3(d[i], d[st + i], d[(2 * st) + i]),
                new Vector3(d[(3 * st) + i], d[(4 * st) + i], d[(5 * st) + i]),
                d[(6 * st) + i],
                d[(7 * st) + i],
                d[(8 * st) + i],
                new Vector3(d[(9 * st) + i], d[(10 * st) + i], d[(11 * st) + i]));
        }
    }
}
