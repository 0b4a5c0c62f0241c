using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FaceDefender.Avatars.Rendering;

/// <summary>The hair layers' shading, 8 hits at a time.</summary>
internal sealed partial class FaceRasterizer
{
    /// <summary>
    /// The hair hits of one row (curtain and shell), collected by the hair pass and shaded together
    /// with 256-bit vectors: <see cref="ShadeHair"/>'s arithmetic 8 hits per instruction, the value
    /// noise read by gathers. Each hit adds its colour times its weight (the layer's share of the
    /// premultiplied hair colour) to the pixel. Without AVX2, <see cref="ShadeHair"/> hit by hit.
    /// </summary>
    private sealed class HairShadeBatch
    {
        private readonly FaceRasterizer _r;
        private readonly int _stride;
        private readonly float[] _px, _py, _pz, _dx, _dy, _dz, _weight;
        private readonly int[] _pixel;
        private readonly bool[] _curtain;
        private readonly float[] _outR = new float[8], _outG = new float[8], _outB = new float[8];
        private int _count;

        public HairShadeBatch(FaceRasterizer r, int width)
        {
            _r = r;
            _stride = (2 * width) + 8; // at most two layers per pixel
            _px = new float[_stride];
            _py = new float[_stride];
            _pz = new float[_stride];
            _dx = new float[_stride];
            _dy = new float[_stride];
            _dz = new float[_stride];
            _weight = new float[_stride];
            _pixel = new int[_stride];
            _curtain = new bool[_stride];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int pixel, bool curtain, Vector3 p, Vector3 d, float weight)
        {
            int i = _count++;
            _pixel[i] = pixel;
            _curtain[i] = curtain;
            _px[i] = p.X;
            _py[i] = p.Y;
            _pz[i] = p.Z;
            _dx[i] = d.X;
            _dy[i] = d.Y;
            _dz[i] = d.Z;
            _weight[i] = weight;
        }

        /// <summary><see cref="Add"/> of 8 shell hits at the consecutive pixels from <paramref name="pixel"/> (hit points p, ray directions d).</summary>
        public void AddShell8(
            int pixel, Vector256<float> px, Vector256<float> py, Vector256<float> pz,
            Vector256<float> dx, Vector256<float> dy, Vector256<float> dz, Vector256<float> weight)
        {
            int i = _count;
            _count += 8;
            (Vector256.Create(pixel) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7)).CopyTo(_pixel, i);
            Array.Clear(_curtain, i, 8);
            px.CopyTo(_px, i);
            py.CopyTo(_py, i);
            pz.CopyTo(_pz, i);
            dx.CopyTo(_dx, i);
            dy.CopyTo(_dy, i);
            dz.CopyTo(_dz, i);
            weight.CopyTo(_weight, i);
        }

        /// <summary>Shades the collected hits, adds them to <paramref name="hairRgb"/> and empties the batch.</summary>
        public void Shade(float[] hairRgb)
        {
            int n = _count;
            _count = 0;
            if (!Avx2.IsSupported)
            {
                for (int i = 0; i < n; i++)
                {
                    Vector3 c = _r.ShadeHair(_curtain[i], new Vector3(_px[i], _py[i], _pz[i]), new Vector3(_dx[i], _dy[i], _dz[i])) * _weight[i];
                    int k = 3 * _pixel[i];
                    hairRgb[k] += c.X;
                    hairRgb[k + 1] += c.Y;
                    hairRgb[k + 2] += c.Z;
                }

                return;
            }

            Span<float> curtainMask = stackalloc float[8];
            for (int i = 0; i < n; i += 8)
            {
                int lanes = Math.Min(8, n - i);
                for (int k = 0; k < 8; k++)
                {
                    curtainMask[k] = k < lanes && _curtain[i + k] ? BitConverter.Int32BitsToSingle(-1) : 0f;
                }

                Vector256<float> curtain = Vector256.Create((ReadOnlySpan<float>)curtainMask);
                ShadeHair8(
                    Vector256.Create(_px, i), Vector256.Create(_py, i), Vector256.Create(_pz, i),
                    Vector256.Create(_dx, i), Vector256.Create(_dy, i), Vector256.Create(_dz, i),
                    curtain,
                    out Vector256<float> r,
                    out Vector256<float> g,
                    out Vector256<float> b);
                Vector256<float> w = Vector256.Create(_weight, i);
                (r * w).CopyTo(_outR);
                (g * w).CopyTo(_outG);
                (b * w).CopyTo(_outB);
                for (int k = 0; k < lanes; k++)
                {
                    int q = 3 * _pixel[i + k];
                    hairRgb[q] += _outR[k];
                    hairRgb[q + 1] += _outG[k];
                    hairRgb[q + 2] += _outB[k];
                }
            }
        }

        /// <summary><see cref="ShadeHair"/> for 8 hits; lanes set in <paramref name="curtain"/> are on the curtain, the others on the shell.</summary>
        private void ShadeHair8(
            Vector256<float> px, Vector256<float> py, Vector256<float> pz,
            Vector256<float> dx, Vector256<float> dy, Vector256<float> dz,
            Vector256<float> curtain,
            out Vector256<float> outR, out Vector256<float> outG, out Vector256<float> outB)
        {
            FaceRasterizer r = _r;
            FaceModel m = r._model;
            AvatarLook look = r._look;
            Vector3 c = m.HairCentre, rad = m.HairRadii;
            Vector256<float> zero = Vector256<float>.Zero, one = Vector256<float>.One;

            // Normal: the shell ellipsoid's, or the curtain cylinder's (flattened in depth).
            Vector256<float> ex = px - Vector256.Create(c.X), ey = py - Vector256.Create(c.Y), ez = pz - Vector256.Create(c.Z);
            Vector256<float> nx = Vector256.ConditionalSelect(curtain, ex, ex / (rad.X * rad.X));
            Vector256<float> ny = Vector256.ConditionalSelect(curtain, zero, ey / (rad.Y * rad.Y));
            Vector256<float> nz = Vector256.ConditionalSelect(curtain, ez * 0.8f, ez / (rad.Z * rad.Z));
            Normalize(ref nx, ref ny, ref nz);
            Vector256<float> inner = Vector256.GreaterThan((nx * dx) + (ny * dy) + (nz * dz), zero);
            nx = Vector256.ConditionalSelect(inner, -nx, nx);
            ny = Vector256.ConditionalSelect(inner, -ny, ny);
            nz = Vector256.ConditionalSelect(inner, -nz, nz);

            // Strands radiating from above the parting (see ShadeHair).
            Vector256<float> sx = px - Vector256.Create(look.PartingX);
            Vector256<float> sy = Vector256.Create(c.Y + rad.Y + 3f) - py;
            Vector256<float> along = Vector256.Sqrt((sx * sx) + (sy * sy));
            Vector256<float> across = Atan2(sx, sy) * along;
            Vector256<float> strands = (Vector256.Create(0.6f) * Noise((across * 7f) + Vector256.Create(look.NoiseOffset.X), along * 0.25f))
                + (Vector256.Create(0.4f) * Noise(across * 19f, (along * 0.6f) + Vector256.Create(7f)));
            Vector256<float> clumps = Noise(across * 1.5f, (along * 0.2f) + Vector256.Create(3f));
            Vector256<float> parting = Smoothstep(0.25f, 0f, Vector256.Abs(px - Vector256.Create(look.PartingX)))
                * Smoothstep(c.Y + 5f, c.Y + 8f, py) * Smoothstep(-2f, 2f, pz - Vector256.Create(c.Z));
            clumps -= Vector256.Create(1.2f) * parting;
            Vector256<float> shade = Vector256.Create(0.8f) + (Vector256.Create(0.35f) * strands) + (Vector256.Create(0.15f) * clumps);

            // World normal and view direction.
            Vector256<float> vx = -dx, vy = -dy, vz = -dz;
            if (r._posed)
            {
                Rotate(r._rot, ref nx, ref ny, ref nz);
                Rotate(r._rot, ref vx, ref vy, ref vz);
            }

            Normalize(ref vx, ref vy, ref vz);
            Vector3 down = r._downWorld;
            Vector256<float> dn = (nx * down.X) + (ny * down.Y) + (nz * down.Z);
            Vector256<float> tx = Vector256.Create(down.X) - (dn * nx) + Vector256.Create(1e-4f);
            Vector256<float> ty = Vector256.Create(down.Y) - (dn * ny);
            Vector256<float> tz = Vector256.Create(down.Z) - (dn * nz);
            Normalize(ref tx, ref ty, ref tz);
            Vector256<float> hx = Vector256.Create(KeyDir.X) + vx, hy = Vector256.Create(KeyDir.Y) + vy, hz = Vector256.Create(KeyDir.Z) + vz;
            Normalize(ref hx, ref hy, ref hz);
            Vector256<float> th = (tx * hx) + (ty * hy) + (tz * hz);
            Vector256<float> s1 = Saturate(one - (th * th)), s2 = s1 * s1, s4 = s2 * s2, s8 = s4 * s4, s16 = s8 * s8;
            Vector256<float> sheen = s16 * s8 * s4 * (Vector256.Create(0.6f) + (Vector256.Create(0.4f) * strands));
            Vector256<float> diffuse = Saturate(((nx * KeyDir.X) + (ny * KeyDir.Y) + (nz * KeyDir.Z) + Vector256.Create(0.4f)) / 1.4f);
            Vector256<float> fill = Saturate((nx * FillDir.X) + (ny * FillDir.Y) + (nz * FillDir.Z));
            Vector256<float> ao = Vector256.ConditionalSelect(inner, Vector256.Create(0.35f), one);
            ao *= Vector256.ConditionalSelect(curtain, Vector256.Create(0.75f) + (Vector256.Create(0.25f) * Smoothstep(look.HairBottomY, look.HairBottomY + 4f, py)), one);
            float specAmount = 0.10f + (0.12f * look.Grey);
            Vector256<float> specular = sheen * specAmount * ao;
            Vector3 hc = look.HairColour;
            outR = (Vector256.Create(hc.X) * shade * ((KeyColour.X * diffuse * 0.9f) + (FillColour.X * fill) + Vector256.Create(SkyColour.X * 0.8f)) * ao) + (KeyColour.X * specular);
            outG = (Vector256.Create(hc.Y) * shade * ((KeyColour.Y * diffuse * 0.9f) + (FillColour.Y * fill) + Vector256.Create(SkyColour.Y * 0.8f)) * ao) + (KeyColour.Y * specular);
            outB = (Vector256.Create(hc.Z) * shade * ((KeyColour.Z * diffuse * 0.9f) + (FillColour.Z * fill) + Vector256.Create(SkyColour.Z * 0.8f)) * ao) + (KeyColour.Z * specular);
        }

        private static void Rotate(Mat3 rot, ref Vector256<float> x, ref Vector256<float> y, ref Vector256<float> z)
        {
            Vector3 cx = rot.Apply(Vector3.UnitX), cy = rot.Apply(Vector3.UnitY), cz = rot.Apply(Vector3.UnitZ);
            Vector256<float> rx = (x * cx.X) + (y * cy.X) + (z * cz.X);
            Vector256<float> ry = (x * cx.Y) + (y * cy.Y) + (z * cz.Y);
            Vector256<float> rz = (x * cx.Z) + (y * cy.Z) + (z * cz.Z);
            x = rx;
            y = ry;
            z = rz;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Normalize(ref Vector256<float> x, ref Vector256<float> y, ref Vector256<float> z)
        {
            Vector256<float> len = Vector256.Sqrt((x * x) + (y * y) + (z * z));
            x /= len;
            y /= len;
            z /= len;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<float> Saturate(Vector256<float> v) => Vector256.Min(Vector256.Max(v, Vector256<float>.Zero), Vector256<float>.One);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<float> Smoothstep(float edge0, float edge1, Vector256<float> x)
        {
            Vector256<float> t = Saturate((x - Vector256.Create(edge0)) * (1f / (edge1 - edge0)));
            return t * t * (Vector256.Create(3f) - (Vector256.Create(2f) * t));
        }

        /// <summary><see cref="FastAtan2"/> for 8 lanes (the same polynomial and quadrant folding, without branches).</summary>
        internal static Vector256<float> Atan2(Vector256<float> y, Vector256<float> x)
        {
            Vector256<float> ax = Vector256.Abs(x), ay = Vector256.Abs(y);
            Vector256<float> mx = Vector256.Max(ax, ay), mn = Vector256.Min(ax, ay);
            Vector256<float> isZero = Vector256.Equals(mx, Vector256<float>.Zero);
            Vector256<float> a = mn / Vector256.ConditionalSelect(isZero, Vector256<float>.One, mx);
            Vector256<float> s = a * a;
            Vector256<float> r = (((((Vector256.Create(-0.0464964749f) * s) + Vector256.Create(0.15931422f)) * s) - Vector256.Create(0.327622764f)) * s * a) + a;
            r = Vector256.ConditionalSelect(Vector256.GreaterThan(ay, ax), Vector256.Create(1.57079637f) - r, r);
            r = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256.Create(3.14159274f) - r, r);
            r = Vector256.ConditionalSelect(Vector256.LessThan(y, Vector256<float>.Zero), -r, r);
            return Vector256.ConditionalSelect(isZero, Vector256<float>.Zero, r);
        }

        /// <summary><see cref="ValueNoise.Sample"/> for 8 points (lattice read by gathers).</summary>
        private static Vector256<float> Noise(Vector256<float> x, Vector256<float> y) => ValueNoise.Sample8(x, y);
    }
}
