using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FaceDefender.Avatars.Rendering;

/// <summary>The hair pass's cheap rejections, 8 pixels at a time.</summary>
internal sealed partial class FaceRasterizer
{
    /// <summary>
    /// Most pixels of the hair boxes show neither hair layer: the ray misses the curtain or the
    /// shell, or meets them only in front of the face (where the curtain is cut away and the shell
    /// is below the hairline) and then behind the head. This runs exactly those first tests of
    /// <see cref="CurtainHit"/> and <see cref="ShellHit"/> (same arithmetic) for 8 pixels at a time
    /// and leaves the rest to them, so the result is unchanged; it also supplies each pixel's ray direction.
    /// Without hardware vectors it rejects nothing.
    /// </summary>
    private sealed class HairPrefilter
    {
        private readonly FaceRasterizer _r;
        private readonly bool _curtain;
        private readonly float[] _dx = new float[8], _dy = new float[8], _dz = new float[8], _zl = new float[8];
        private readonly float[] _alphaNear = new float[8];
        private readonly float[] _tCurtain = new float[8], _aCurtain = new float[8];
        private readonly float[] _tShell = new float[8], _aShell = new float[8];
        private uint _curtainHit;

        // The last block's vectors, for Resolve.
        private Vector256<float> _vdx, _vdy, _vdz, _vzLimit, _vtNear, _vtFar, _vtCurtain, _vaCurtain;
        private Vector256<float> _vnx, _vny, _vnz, _vnearHair; // the shell's near points, and the lanes not bare there
        private Vector256<float> _vpx, _vpy, _vpz, _vaShell; // the last resolved block's shell hits
        private bool _vectorRoots;

        // Shell: the hair ellipsoid in unit-sphere coordinates.
        private readonly Vector3 _invR, _o;
        private readonly float _cShell;

        // Curtain: the base-radius elliptic cylinder, scaled as in CurtainHit.
        private readonly float _ox, _oz, _rx2, _rz2, _c0;

        public HairPrefilter(FaceRasterizer r, bool curtain)
        {
            _r = r;
            _curtain = curtain;
            FaceModel m = r._model;
            _invR = Vector3.One / m.HairRadii;
            _o = (r._camHead - m.HairCentre) * _invR;
            _cShell = Vector3.Dot(_o, _o) - 1f;
            Vector3 c = m.HairCentre;
            _ox = r._camHead.X - c.X;
            _oz = r._camHead.Z - c.Z;
            float rx0 = m.HairRadii.X + 0.15f, rz0 = m.HairRadii.Z + 0.1f;
            _rx2 = rx0 * rx0;
            _rz2 = rz0 * rz0;
            _c0 = (_ox * _ox * _rz2) + (_oz * _oz * _rx2) - (_rx2 * _rz2);
        }

        public Vector3 Direction(int lane) => _vectorRoots
            ? new(_vdx.GetElement(lane), _vdy.GetElement(lane), _vdz.GetElement(lane))
            : new(_dx[lane], _dy[lane], _dz[lane]);

        /// <summary>The shell's near-side hair coverage at pixel <paramref name="lane"/> of the last block, or NaN if not computed.</summary>
        public float ShellAlphaNear(int lane) => _alphaNear[lane];

        /// <summary>
        /// <see cref="CurtainHit"/> of pixel <paramref name="lane"/> of the last block: from the
        /// vector pass where it ran, else <see cref="SolveCurtain"/> and <see cref="CurtainHit"/>.
        /// </summary>
        public bool CurtainHitAt(int lane, Vector3 d, float zLimit, out float t, out float alpha)
        {
            if (_vectorRoots)
            {
                t = _tCurtain[lane];
                alpha = _aCurtain[lane];
                return (_curtainHit & (1u << lane)) != 0;
            }

            t = alpha = 0f;
            return Curtain(lane, d, out CurtainRoots roots) && _r.CurtainHit(d, zLimit, roots, out t, out alpha);
        }

        /// <summary>The curtain roots of pixel <paramref name="lane"/> of the last block (false: the ray misses the curtain).</summary>
        public bool Curtain(int lane, Vector3 d, out CurtainRoots roots)
        {
            return _r.SolveCurtain(d, out roots);
        }

        /// <summary>Pixels x .. x + lanes - 1 of row y: bit k set where the curtain (shell) may show at pixel x + k.</summary>
        public (uint Curtain, uint Shell) Block(int x, int y, int lanes, bool curtainRow, bool shellRow)
        {
            FaceRasterizer r = _r;
            uint all = (1u << lanes) - 1u;
            _vectorRoots = false;
            _curtainHit = 0;
            if (!Vector256.IsHardwareAccelerated || !Avx2.IsSupported)
            {
                Array.Fill(_alphaNear, float.NaN);
                for (int k = 0; k < lanes; k++)
                {
                    Vector3 d = r.RayDirHead(x + k + 0.5f, y + 0.5f);
                    _dx[k] = d.X;
                    _dy[k] = d.Y;
                    _dz[k] = d.Z;
                }

                return (curtainRow ? all : 0u, shellRow ? all : 0u);
            }

            Vector256<float> px = Vector256.Create(x + 0.5f) + Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
            float py = y + 0.5f;
            Vector3 a = r._rayA, b = r._rayB, cr = r._rayC;
            Vector256<float> dx = Vector256.Create(a.X) + (px * b.X) + Vector256.Create(py * cr.X);
            Vector256<float> dy = Vector256.Create(a.Y) + (px * b.Y) + Vector256.Create(py * cr.Y);
            Vector256<float> dz = Vector256.Create(a.Z) + (px * b.Z) + Vector256.Create(py * cr.Z);
            _vdx = dx;
            _vdy = dy;
            _vdz = dz;
            Vector256<float> zLimit;
            int o = (y * r._w) + x;
            if (lanes == 8)
            {
                zLimit = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(r._zbuf), (nuint)o);
            }
            else
            {
                Array.Clear(_zl);
                Array.Copy(r._zbuf, o, _zl, 0, lanes);
                zLimit = Vector256.Create(_zl);
            }

            _vzLimit = zLimit;
            Vector3 cam = r._camHead;
            uint curtainBits = 0, shellBits = 0;
            if (shellRow)
            {
                Vector256<float> sx = dx * _invR.X, sy = dy * _invR.Y, sz = dz * _invR.Z;
                Vector256<float> qa = (sx * sx) + (sy * sy) + (sz * sz);
                Vector256<float> qb = (sx * _o.X) + (sy * _o.Y) + (sz * _o.Z);
                Vector256<float> disc = (qb * qb) - (qa * _cShell);
                Vector256<float> hasRoot = Vector256.GreaterThanOrEqual(disc, Vector256<float>.Zero);
                if (hasRoot != Vector256<float>.Zero) // else every ray misses the shell: no lane may show it
                {
                    Vector256<float> sq = Vector256.Sqrt(Vector256.Max(disc, Vector256<float>.Zero));
                    Vector256<float> tNear = (-qb - sq) / qa, tFar = (-qb + sq) / qa;

                    // HairAlpha's first test: a near point in the front half, below any hairline, is bare face.
                    AvatarLook look = r._look;
                    Vector3 c = r._model.HairCentre;
                    float side = look.Sex == Abstractions.AvatarSex.Male || look.HairBottomY > 2.5f ? 3.6f : 1.0f;
                    Vector256<float> pX = Vector256.Create(cam.X) + (tNear * dx);
                    Vector256<float> pY = Vector256.Create(cam.Y) + (tNear * dy);
                    Vector256<float> pZ = Vector256.Create(cam.Z) + (tNear * dz);
                    Vector256<float> front = Vector256.Create(look.HairlineY) - (Vector256.Create(0.07f) * pX * pX * (1f + (0.4f * look.Balding)));
                    Vector256<float> bare = Vector256.GreaterThan(pZ, Vector256.Create(c.Z))
                        & Vector256.LessThan(pY, Vector256.Min(front, Vector256.Create(side)) - Vector256.Create(0.45f));
                    Vector256<float> may = hasRoot
                        & Vector256.LessThan(tNear, zLimit)
                        & (~bare | Vector256.LessThan(tFar, zLimit));
                    shellBits = may.ExtractMostSignificantBits() & all;
                    if (shellBits != 0)
                    {
                        // Bare lanes have no hair on the near side (HairAlpha's first test); the others' coverage
                        // is left to Resolve, which needs it only where no curtain hides the near point.
                        _vnearHair = may & ~bare;
                        _vnx = pX;
                        _vny = pY;
                        _vnz = pZ;
                        _vtNear = tNear;
                        _vtFar = tFar;
                    }
                }
            }

            if (_curtain && curtainRow)
            {
                Vector256<float> rx2 = Vector256.Create(_rx2), rz2 = Vector256.Create(_rz2);
                Vector256<float> a0 = (dx * dx * rz2) + (dz * dz * rx2);
                Vector256<float> b0 = (dx * _ox * rz2) + (dz * _oz * rx2);
                Vector256<float> disc0 = (b0 * b0) - (a0 * _c0);
                Vector256<float> hasRoot0 = Vector256.GreaterThanOrEqual(disc0, Vector256<float>.Zero);
                if (hasRoot0 == Vector256<float>.Zero)
                {
                    _vectorRoots = true; // every ray misses the curtain: no lane may show it
                    return (0u, shellBits);
                }

                Vector256<float> sq0 = Vector256.Sqrt(Vector256.Max(disc0, Vector256<float>.Zero));
                Vector256<float> t0 = (-b0 - sq0) / a0, t1 = (-b0 + sq0) / a0;
                Vector256<float> z0 = Vector256.Create(cam.Z) + (t0 * dz);

                // In front of the face (no flare refinement there): the front hit is cut away or
                // hidden, and the back one is behind the head.
                Vector256<float> no = Vector256.GreaterThan(z0, Vector256.Create(1.3f))
                    & (Vector256.LessThanOrEqual(t0, Vector256<float>.Zero) | Vector256.GreaterThanOrEqual(t0, zLimit) | Vector256.GreaterThanOrEqual(t1, zLimit));
                Vector256<float> may = hasRoot0 & ~no;
                curtainBits = may.ExtractMostSignificantBits() & all;
                if (curtainBits != 0)
                {
                    // SolveCurtain's flare refinement: the front root only beside or behind the face
                    // (refined only if some lane is there).
                    Vector256<float> near = Vector256.LessThanOrEqual(z0, Vector256.Create(1.3f));
                    (Vector256<float> t0r, Vector256<float> bad0) = near == Vector256<float>.Zero ? (t0, Vector256<float>.Zero) : Refine(t0, dx, dy, dz, front: true);

                    // CurtainHit: the front root if its hair shows, else (unless the front root
                    // already ended the search) the back root. Each coverage is computed only if
                    // some lane needs it.
                    Vector256<float> t0f = Vector256.ConditionalSelect(near, t0r, t0);
                    Vector256<float> fail0 = near & bad0;
                    Vector256<float> inRange0 = may & ~fail0 & Vector256.GreaterThan(t0f, Vector256<float>.Zero) & Vector256.LessThan(t0f, zLimit);
                    Vector256<float> alpha0 = Vector256<float>.Zero, shows0 = Vector256<float>.Zero;
                    if ((inRange0 & CurtainMayShow(t0f, dy, dz)) != Vector256<float>.Zero)
                    {
                        alpha0 = CurtainAlpha8(t0f, dx, dy, dz, out shows0);
                    }

                    Vector256<float> hit0 = inRange0 & shows0;
                    Vector256<float> back = inRange0 & ~shows0 & Vector256.LessThan(t1, zLimit);
                    Vector256<float> t1r = t1, reach1 = Vector256<float>.Zero;
                    if (back != Vector256<float>.Zero)
                    {
                        // The back root is refined only if some lane goes on to it (elsewhere its depth is not read).
                        (t1r, Vector256<float> bad1) = Refine(t1, dx, dy, dz, front: false);
                        reach1 = back & ~bad1 & Vector256.GreaterThan(t1r, Vector256<float>.Zero) & Vector256.LessThan(t1r, zLimit);
                    }

                    Vector256<float> alpha1 = Vector256<float>.Zero, hit1 = Vector256<float>.Zero;
                    if ((reach1 & CurtainMayShow(t1r, dy, dz)) != Vector256<float>.Zero)
                    {
                        alpha1 = CurtainAlpha8(t1r, dx, dy, dz, out Vector256<float> shows1);
                        hit1 = reach1 & shows1;
                    }

                    _vtCurtain = Vector256.ConditionalSelect(hit0, t0f, t1r);
                    _vaCurtain = Vector256.ConditionalSelect(hit0, alpha0, alpha1);
                    _vtCurtain.CopyTo(_tCurtain);
                    _vaCurtain.CopyTo(_aCurtain);
                    _curtainHit = (hit0 | hit1).ExtractMostSignificantBits();
                }
            }

            _vectorRoots = true;
            return (curtainBits, shellBits);
        }

        /// <summary>Whether <see cref="Resolve"/> can run (the last <see cref="Block"/> took the vector path).</summary>
        public bool Vectorised => _vectorRoots;

        /// <summary>The curtain's hit depth and coverage at pixel <paramref name="lane"/> of the last resolved block.</summary>
        public (float T, float Alpha) CurtainAt(int lane) => (_tCurtain[lane], _aCurtain[lane]);

        /// <summary>The shell's hit depth and coverage (after the silhouette fuzz) at pixel <paramref name="lane"/> of the last resolved block.</summary>
        public (float T, float Alpha) ShellAt(int lane) => (_tShell[lane], _aShell[lane]);

        /// <summary>
        /// The per-pixel decisions of the hair pass for the last block, 8 pixels at a time (after a vector
        /// <see cref="Block"/>): the curtain hit (<see cref="CurtainHitAt"/>) of the lanes in <paramref name="curtainLanes"/>,
        /// then the shell hit (<see cref="ShellHit"/>: the near side, else the far side showing round the head, times
        /// <see cref="SilhouetteFuzz"/>) of the lanes in <paramref name="shellLanes"/>, behind a curtain more than half
        /// opaque. The same arithmetic as the scalar functions; read the hits with <see cref="CurtainAt"/> and <see cref="ShellAt"/>.
        /// </summary>
        public (uint Curtain, uint Shell) Resolve(uint curtainLanes, uint shellLanes)
        {
            uint curtainHits = curtainLanes & _curtainHit;
            if (shellLanes == 0)
            {
                return (curtainHits, 0u);
            }

            FaceRasterizer r = _r;
            Vector256<float> zl = _vzLimit;
            if (curtainHits != 0)
            {
                zl = Vector256.ConditionalSelect(MaskOf(curtainHits) & Vector256.GreaterThan(_vaCurtain, Vector256.Create(0.5f)), _vtCurtain, zl);
            }

            Vector256<float> nearOk = MaskOf(shellLanes) & Vector256.LessThan(_vtNear, zl);
            Vector256<float> alphaNear = (nearOk & _vnearHair) == Vector256<float>.Zero ? Vector256<float>.Zero : HairAlpha8(_vnx, _vny, _vnz);
            Vector256<float> useNear = nearOk & Vector256.GreaterThan(alphaNear, Vector256.Create(0.01f));
            Vector256<float> farCand = nearOk & ~useNear & Vector256.LessThan(_vtFar, zl);
            Vector256<float> t = Vector256.ConditionalSelect(useNear, _vtNear, _vtFar);
            Vector3 cam = r._camHead;
            Vector256<float> px = Vector256.Create(cam.X) + (t * _vdx);
            Vector256<float> py = Vector256.Create(cam.Y) + (t * _vdy);
            Vector256<float> pz = Vector256.Create(cam.Z) + (t * _vdz);
            Vector256<float> alpha = alphaNear, hit = useNear;
            if (farCand != Vector256<float>.Zero)
            {
                Vector256<float> alphaFar = HairAlpha8(px, py, pz);
                alpha = Vector256.ConditionalSelect(useNear, alpha, alphaFar);
                hit |= farCand & Vector256.GreaterThan(alphaFar, Vector256.Create(0.01f));
            }

            uint shellHits = hit.ExtractMostSignificantBits();
            if (shellHits != 0)
            {
                alpha *= SilhouetteFuzz8(px, py, pz);
                t.CopyTo(_tShell);
                alpha.CopyTo(_aShell);
                _vpx = px;
                _vpy = py;
                _vpz = pz;
                _vaShell = alpha;
            }

            return (curtainHits, shellHits);
        }

        /// <summary>
        /// The hair pass's bookkeeping for a resolved block whose 8 pixels all show the shell and none the curtain,
        /// 8 pixels at a time (<see cref="AddHairPixel"/>'s arithmetic): zero premultiplied colour, transmittance
        /// 1 - alpha, the hair class where alpha &gt; 0.5, and the 8 hits into the shading batch.
        /// </summary>
        public void AddShellBlock(int idx, int flag, HairShadeBatch batch)
        {
            FaceRasterizer r = _r;
            batch.AddShell8(idx, _vpx, _vpy, _vpz, _vdx, _vdy, _vdz, _vaShell);
            ref float rgb = ref MemoryMarshal.GetArrayDataReference(r._hairRgb);
            Vector256<float>.Zero.StoreUnsafe(ref rgb, (nuint)(3 * idx));
            Vector256<float>.Zero.StoreUnsafe(ref rgb, (nuint)((3 * idx) + 8));
            Vector256<float>.Zero.StoreUnsafe(ref rgb, (nuint)((3 * idx) + 16));
            (Vector256<float>.One - _vaShell).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(r._hairT), (nuint)idx);
            uint opaque = Vector256.GreaterThan(_vaShell, Vector256.Create(0.5f)).ExtractMostSignificantBits();
            for (int k = 0; k < 8; k++)
            {
                r._hairFlag[flag + k] = ((opaque >> k) & 1u) != 0;
            }
        }

        /// <summary>Lane k set where bit k of <paramref name="bits"/> is.</summary>
        private static Vector256<float> MaskOf(uint bits)
        {
            Vector256<int> lane = Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128);
            return Vector256.Equals(Vector256.Create((int)bits) & lane, lane).AsSingle();
        }

        /// <summary><see cref="SilhouetteFuzz"/> of the shell at 8 points, along the last block's rays (the same arithmetic).</summary>
        private Vector256<float> SilhouetteFuzz8(Vector256<float> px, Vector256<float> py, Vector256<float> pz)
        {
            FaceModel m = _r._model;
            Vector3 c = m.HairCentre, r2 = m.HairRadii * m.HairRadii;
            Vector256<float> ex = px - Vector256.Create(c.X), ez = pz - Vector256.Create(c.Z);
            Vector256<float> nx = ex / r2.X, ny = (py - Vector256.Create(c.Y)) / r2.Y, nz = ez / r2.Z;
            Vector256<float> nl = Vector256.Sqrt((nx * nx) + (ny * ny) + (nz * nz));
            Vector256<float> dx = _vdx, dy = _vdy, dz = _vdz;
            Vector256<float> dl = Vector256.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
            Vector256<float> dot = ((nx / nl) * (dx / dl)) + ((ny / nl) * (dy / dl)) + ((nz / nl) * (dz / dl));
            Vector256<float> grazing = Vector256<float>.One - Vector256.Abs(dot);
            Vector256<float> fuzzy = Vector256.GreaterThan(grazing, Vector256.Create(0.8f));
            if (fuzzy == Vector256<float>.Zero)
            {
                return Vector256<float>.One;
            }

            Vector256<float> az = HairShadeBatch.Atan2(ex, ez);
            Vector256<float> tufts = Vector256.Create(0.5f) + (Vector256.Create(0.5f) * ValueNoise.Sample8((az * 40f) + (py * 3f), (py * 2f) + Vector256.Create(11f)));
            Vector256<float> fuzz = Vector256<float>.One - (HairShadeBatch.Smoothstep(0.80f, 0.995f, grazing) * (Vector256.Create(0.35f) + (Vector256.Create(0.65f) * tufts)));
            return Vector256.ConditionalSelect(fuzzy, fuzz, Vector256<float>.One);
        }

        /// <summary>
        /// False where <see cref="CurtainAlpha8"/> cannot show hair at the hits t whatever its noise: above the curtain's
        /// top, in front of the face, or more than 1.55 cm (the ragged end's lowest reach and its fade) below the hair's
        /// bottom; there the noise is not evaluated.
        /// </summary>
        private Vector256<float> CurtainMayShow(Vector256<float> t, Vector256<float> dy, Vector256<float> dz)
        {
            Vector3 o = _r._camHead;
            Vector256<float> py = Vector256.Create(o.Y) + (t * dy), pz = Vector256.Create(o.Z) + (t * dz);
            return Vector256.LessThanOrEqual(py, Vector256.Create(_r._model.HairCentre.Y + _r._look.CurtainTopCm)) & Vector256.LessThanOrEqual(pz, Vector256.Create(1.3f))
                & Vector256.GreaterThanOrEqual(py, Vector256.Create(_r._look.HairBottomY - 1.6f));
        }

        /// <summary>
        /// The curtain's coverage at the hits t along the rays (<see cref="CurtainHit"/>'s arithmetic
        /// after the roots); <paramref name="shows"/> is set where CurtainHit would take the hit.
        /// </summary>
        private Vector256<float> CurtainAlpha8(Vector256<float> t, Vector256<float> dx, Vector256<float> dy, Vector256<float> dz, out Vector256<float> shows)
        {
            AvatarLook look = _r._look;
            Vector3 c = _r._model.HairCentre, o = _r._camHead;
            Vector256<float> zero = Vector256<float>.Zero, one = Vector256<float>.One;
            Vector256<float> px = Vector256.Create(o.X) + (t * dx), py = Vector256.Create(o.Y) + (t * dy), pz = Vector256.Create(o.Z) + (t * dz);
            Vector256<float> ok = Vector256.LessThanOrEqual(py, Vector256.Create(c.Y + look.CurtainTopCm)) & Vector256.LessThanOrEqual(pz, Vector256.Create(1.3f));
            Vector256<float> az = HairShadeBatch.Atan2(px, pz - Vector256.Create(c.Z));
            Vector256<float> cut = Vector256.Create(0.3f) - (Vector256.Create(0.1f) * Vector256.Max(zero, Vector256.Create(2f) - py))
                + (Vector256.Create(0.45f) * ValueNoise.Sample8(py * 1.1f, (az * 3f) + Vector256.Create(40f)));
            ok &= Vector256.LessThanOrEqual(pz, cut + Vector256.Create(0.5f));
            Vector256<float> ragged = (Vector256.Create(look.HairEdgeWaveCm) * ValueNoise.Sample8((az * look.HairEdgeWaveFrequency) + Vector256.Create(look.NoiseOffset.X), Vector256.Create(3.3f)))
                + (Vector256.Create(0.15f) * ValueNoise.Sample8(az * 23f, Vector256.Create(7.7f)));
            Vector256<float> end = Vector256.Create(look.HairBottomY) + ragged;
            ok &= Vector256.GreaterThanOrEqual(py, end - Vector256.Create(0.6f));
            Vector256<float> strands = Vector256.Create(0.5f) + (Vector256.Create(0.5f) * ValueNoise.Sample8(az * 150f, py * 0.3f));
            Vector256<float> alpha = Smoothstep(end - Vector256.Create(0.6f), end + Vector256.Create(0.8f), py)
                * Smoothstep(cut + Vector256.Create(0.5f), cut - Vector256.Create(0.3f), pz)
                * (look.CurtainTopCm > 1f ? Smoothstep(Vector256.Create(c.Y + look.CurtainTopCm), Vector256.Create(c.Y + 1f), py) : one);
            alpha = HairShadeBatch.Saturate((alpha * (Vector256.Create(1.3f) + (Vector256.Create(0.4f) * strands))) - (Vector256.Create(0.3f) * (one - alpha) * strands));
            shows = ok & Vector256.GreaterThan(alpha, Vector256.Create(0.01f));
            return alpha;
        }

        /// <summary>SmoothstepFast with per-lane edges.</summary>
        private static Vector256<float> Smoothstep(Vector256<float> edge0, Vector256<float> edge1, Vector256<float> x)
        {
            Vector256<float> t = HairShadeBatch.Saturate((x - edge0) * (Vector256<float>.One / (edge1 - edge0)));
            return t * t * (Vector256.Create(3f) - (Vector256.Create(2f) * t));
        }

        /// <summary><see cref="HairAlpha"/> at 8 points: the same arithmetic (value noise by gathers, the crown's Gaussian by the vector exp).</summary>
        private Vector256<float> HairAlpha8(Vector256<float> px, Vector256<float> py, Vector256<float> pz)
        {
            AvatarLook look = _r._look;
            Vector3 c = _r._model.HairCentre;
            Vector256<float> zero = Vector256<float>.Zero, one = Vector256<float>.One;
            Vector256<float> front = Vector256.Create(look.HairlineY) - (Vector256.Create(0.07f) * px * px * (1f + (0.4f * look.Balding)));
            float side = look.Sex == Abstractions.AvatarSex.Male || look.HairBottomY > 2.5f ? 3.6f : 1.0f;
            Vector256<float> sideV = Vector256.Create(side);
            Vector256<float> bare = Vector256.GreaterThan(pz, Vector256.Create(c.Z)) & Vector256.LessThan(py, Vector256.Min(front, sideV) - Vector256.Create(0.45f));
            Vector256<float> dzc = pz - Vector256.Create(c.Z);
            Vector256<float> az = HairShadeBatch.Atan2(px, dzc);
            Vector256<float> aaz = Vector256.Abs(az);
            Vector256<float> toSide = front + ((sideV - front) * HairShadeBatch.Smoothstep(0.35f, 1.45f, aaz));
            Vector256<float> toBack = sideV + ((Vector256.Create(-3.5f) - sideV) * HairShadeBatch.Smoothstep(1.45f, 2.4f, aaz));
            Vector256<float> line = Vector256.ConditionalSelect(Vector256.LessThan(aaz, Vector256.Create(1.45f)), toSide, toBack);
            Vector256<float> below = Vector256.LessThan(py, line - Vector256.Create(0.41f));
            line += Vector256.Create(0.25f) * ValueNoise.Sample8((az * 9f) + Vector256.Create(look.NoiseOffset.Y), Vector256.Create(1.7f));
            Vector256<float> strands = ValueNoise.Sample8(az * 160f, py * 0.5f);
            Vector256<float> e0 = line - Vector256.Create(0.15f), e1 = line + Vector256.Create(0.7f);
            Vector256<float> t = HairShadeBatch.Saturate((py - e0) * (one / (e1 - e0)));
            Vector256<float> alpha = t * t * (Vector256.Create(3f) - (Vector256.Create(2f) * t));
            alpha = HairShadeBatch.Saturate((alpha * (Vector256.Create(1.15f) + (Vector256.Create(0.35f) * strands)))
                - (Vector256.Create(0.25f) * (one - alpha) * (Vector256.Create(0.5f) + (Vector256.Create(0.5f) * strands))));
            if (look.Balding > 0f)
            {
                Vector256<float> gx = px, gy = dzc + Vector256.Create(1.5f);
                Vector256<float> crown = Vector256.Exp(-(Vector256.Create(0.5f) * (((gx * gx) / (4.5f * 4.5f)) + ((gy * gy) / (5.5f * 5.5f)))))
                    * HairShadeBatch.Smoothstep(c.Y + 5f, c.Y + 8f, py);
                alpha *= one - HairShadeBatch.Smoothstep(0.3f, 0.7f, crown * look.Balding);
            }

            return Vector256.ConditionalSelect(bare | below, zero, alpha);
        }

        /// <summary>Two flare refinements of a curtain root, as in <see cref="SolveCurtain"/>; lanes where one finds no root are flagged.</summary>
        private (Vector256<float> T, Vector256<float> Failed) Refine(Vector256<float> t, Vector256<float> dx, Vector256<float> dy, Vector256<float> dz, bool front)
        {
            FaceModel m = _r._model;
            Vector3 c = m.HairCentre, o = _r._camHead;
            float rx0 = m.HairRadii.X + 0.15f, rz0 = m.HairRadii.Z + 0.1f;
            Vector256<float> dxx = dx * dx, dzz = dz * dz, oxd = dx * _ox, ozd = dz * _oz;
            float oxx = _ox * _ox, ozz = _oz * _oz;
            Vector256<float> failed = Vector256<float>.Zero;
            for (int it = 1; it < 3; it++)
            {
                Vector256<float> flare = Vector256.Max(Vector256<float>.Zero, Vector256.Create(c.Y - 1f) - (Vector256.Create(o.Y) + (t * dy)));
                Vector256<float> rx = Vector256.Create(rx0) + (Vector256.Create(0.10f) * flare);
                Vector256<float> rz = Vector256.Create(rz0) + (Vector256.Create(0.05f) * flare);
                Vector256<float> rx2 = rx * rx, rz2 = rz * rz;
                Vector256<float> a = (dxx * rz2) + (dzz * rx2);
                Vector256<float> b = (oxd * rz2) + (ozd * rx2);
                Vector256<float> cc = (oxx * rz2) + (ozz * rx2) - (rx2 * rz2);
                Vector256<float> disc = (b * b) - (a * cc);
                Vector256<float> bad = Vector256.LessThan(disc, Vector256<float>.Zero);
                Vector256<float> sq = Vector256.Sqrt(Vector256.Max(disc, Vector256<float>.Zero));
                Vector256<float> next = front ? (-b - sq) / a : (-b + sq) / a;
                t = Vector256.ConditionalSelect(failed | bad, t, next);
                failed |= bad;
            }

            return (t, failed);
        }
    }
}
