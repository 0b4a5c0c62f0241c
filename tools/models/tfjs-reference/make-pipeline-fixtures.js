'use strict';
// Reference landmark pipeline in TensorFlow.js: the same algorithm as FaceDefender's
// MediaPipeLandmarkDetector (BlazeFace anchors + weighted NMS, rotated 1.5x face crop with one
// refinement pass and mirror averaging, 2.3x eye crops with the subject-left eye mirrored), written
// independently on tf.image.transform and run with the original TFJS models. Writes the 478 landmarks
// found on each test portrait to <output dir>/pipeline.<image>.json.
// Usage: node make-pipeline-fixtures.js <package/models dir> <faces dir> <output dir>
const fs = require('fs');
const path = require('path');
const { tf, initTf, loadGraphModel, decodeImage, round } = require('./common');

const IMAGES = ['astronaut.png', 'grace_hopper.jpg'];
const MIN_SCORE = 0.5;
const IOU = 0.3;
const REFINED_CROP_SCALE = 1.275; // MediaPipeLandmarkDetectorOptions.RefinedCropScale default

// Affine map as {m11, m12, m21, m22, m31, m32}: p.x = q.x m11 + q.y m21 + m31, p.y = q.x m12 + q.y m22 + m32.
function cropToSource(cx, cy, side, angle, size, mirror) {
  const k = side / size;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const sx = mirror ? -k : k;
  // p = centre + R(angle) * diag(sx, k) * (q - size/2)
  const m11 = sx * c, m12 = sx * s, m21 = -k * s, m22 = k * c;
  const h = size / 2;
  return { m11, m12, m21, m22, m31: cx - h * (m11 + m21), m32: cy - h * (m12 + m22) };
}

function apply(m, x, y) {
  return [x * m.m11 + y * m.m21 + m.m31, x * m.m12 + y * m.m22 + m.m32];
}

function supersampleFor(ratio) {
  return Math.min(8, Math.max(1, Math.ceil(ratio - 0.25)));
}

// Bilinear crop (black outside), averaged over ss x ss sub-positions per output pixel.
function sample(image, m, size, ss, scale, offset) {
  return tf.tidy(() => {
    const big = size * ss;
    const t = [
      m.m11 / ss, m.m21 / ss, ((m.m11 + m.m21) * 0.5) / ss + m.m31 - 0.5,
      m.m12 / ss, m.m22 / ss, ((m.m12 + m.m22) * 0.5) / ss + m.m32 - 0.5,
      0, 0,
    ];
    let out = tf.image.transform(image, tf.tensor2d([t]), 'bilinear', 'constant', 0, [big, big]);
    if (ss > 1) out = tf.avgPool(out, ss, ss, 'valid');
    return out.div(255).mul(scale).add(offset);
  });
}

function boxDownscale(image, k) {
  return tf.tidy(() => {
    const [, h, w] = image.shape;
    const ph = Math.ceil(h / k) * k - h;
    const pw = Math.ceil(w / k) * k - w;
    const padded = tf.pad(image, [[0, 0], [0, ph], [0, pw], [0, 0]]);
    const ones = tf.pad(tf.ones([1, h, w, 1]), [[0, 0], [0, ph], [0, pw], [0, 0]]);
    const sum = tf.avgPool(padded, k, k, 'valid').mul(k * k).round();
    const count = tf.avgPool(ones, k, k, 'valid').mul(k * k).round();
    return tf.floor(sum.add(tf.floor(count.div(2))).div(count));
  });
}

function anchors() {
  const list = [];
  for (const [grid, per] of [[16, 2], [8, 6]]) {
    for (let y = 0; y < grid; y++) for (let x = 0; x < grid; x++) for (let k = 0; k < per; k++) list.push([(x + 0.5) / grid, (y + 0.5) / grid]);
  }
  return list;
}

function iou(a, b) {
  const ix = Math.max(0, Math.min(a.cx + a.w / 2, b.cx + b.w / 2) - Math.max(a.cx - a.w / 2, b.cx - b.w / 2));
  const iy = Math.max(0, Math.min(a.cy + a.h / 2, b.cy + b.h / 2) - Math.max(a.cy - a.h / 2, b.cy - b.h / 2));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

function detect(detector, image, width, height) {
  const side = Math.max(width, height);
  const m = { m11: side / 256, m12: 0, m21: 0, m22: side / 256, m31: (width - side) / 2, m32: (height - side) / 2 };
  const shrink = Math.floor(side / 256);
  let input;
  if (shrink >= 2) {
    // Integer box downscale first (blocks clipped at the right/bottom edges, rounded to bytes).
    const small = boxDownscale(image, shrink);
    const ms = { m11: m.m11 / shrink, m12: 0, m21: 0, m22: m.m22 / shrink, m31: m.m31 / shrink, m32: m.m32 / shrink };
    input = sample(small, ms, 256, supersampleFor(side / 256 / shrink), 2, -1);
    small.dispose();
  } else {
    input = sample(image, m, 256, supersampleFor(side / 256), 2, -1);
  }
  const out = detector.execute({ input }, ['Identity', 'Identity_1', 'Identity_2', 'Identity_3']);
  const logits = [...out[0].dataSync(), ...out[1].dataSync()];
  const regs = [...out[2].dataSync(), ...out[3].dataSync()];
  tf.dispose([input, ...out]);
  const a = anchors();
  let cands = [];
  for (let i = 0; i < 896; i++) {
    const score = 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, logits[i]))));
    if (score < MIN_SCORE) continue;
    const r = regs.slice(i * 16, i * 16 + 16);
    if (r[2] <= 0 || r[3] <= 0) continue;
    const kps = [];
    for (let k = 0; k < 6; k++) kps.push([a[i][0] + r[4 + 2 * k] / 256, a[i][1] + r[5 + 2 * k] / 256]);
    cands.push({ score, cx: a[i][0] + r[0] / 256, cy: a[i][1] + r[1] / 256, w: r[2] / 256, h: r[3] / 256, kps });
  }
  cands.sort((p, q) => q.score - p.score);
  const merged = [];
  while (cands.length) {
    const best = cands[0];
    const cluster = cands.filter((d) => iou(best, d) >= IOU);
    if (!cluster.includes(best)) cluster.push(best);
    let tot = 0;
    const acc = { cx: 0, cy: 0, w: 0, h: 0, kps: Array.from({ length: 6 }, () => [0, 0]) };
    for (const d of cluster) {
      tot += d.score;
      acc.cx += d.cx * d.score; acc.cy += d.cy * d.score; acc.w += d.w * d.score; acc.h += d.h * d.score;
      d.kps.forEach((k, j) => { acc.kps[j][0] += k[0] * d.score; acc.kps[j][1] += k[1] * d.score; });
    }
    const toSrc = (x, y) => apply(m, x * 256, y * 256);
    const [cx, cy] = toSrc(acc.cx / tot, acc.cy / tot);
    merged.push({
      score: best.score, cx, cy, w: (acc.w / tot) * side, h: (acc.h / tot) * side,
      kps: acc.kps.map((k) => toSrc(k[0] / tot, k[1] / tot)),
    });
    cands = cands.filter((d) => !cluster.includes(d));
  }
  return merged;
}

function mirrorMap(objPath) {
  const v = fs.readFileSync(objPath, 'utf8').split('\n').filter((l) => l.startsWith('v ')).map((l) => l.trim().split(/\s+/).slice(1, 4).map(Number));
  return v.map(([x, y, z]) => {
    let best = 0; let bd = Infinity;
    v.forEach(([a, b, c], j) => { const d = (a + x) ** 2 + (b - y) ** 2 + (c - z) ** 2; if (d < bd) { bd = d; best = j; } });
    return best;
  });
}

function runMesh(mesh, image, width, height, cx, cy, side, angle, partner) {
  const ms = [cropToSource(cx, cy, side, angle, 192, false), cropToSource(cx, cy, side, angle, 192, true)];
  const ss = supersampleFor(side / 192);
  const crops = ms.map((m) => sample(image, m, 192, ss, 1, 0));
  const batch = tf.concat(crops, 0);
  const [flag, pts] = mesh.execute({ input_1: batch }, ['Identity_1', 'Identity_2']);
  const raw = pts.dataSync();
  const scores = flag.dataSync();
  tf.dispose([...crops, batch, flag, pts]);
  const out = Array.from({ length: 468 }, () => [0, 0, 0]);
  for (let b = 0; b < 2; b++) {
    for (let i = 0; i < 468; i++) {
      const o = b * 1404 + 3 * i;
      const [x, y] = apply(ms[b], raw[o], raw[o + 1]);
      const t = b === 0 ? i : partner[i];
      out[t][0] += x / 2; out[t][1] += y / 2; out[t][2] += (raw[o + 2] * side) / 192 / 2;
    }
  }
  return { points: out, score: (scores[0] + scores[1]) / 2 };
}

function roiFromLandmarks(points) {
  const a = points[33]; const b = points[263];
  const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
  const c = Math.cos(-angle); const s = Math.sin(-angle);
  let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
  for (const p of points) {
    const lx = p[0] * c - p[1] * s; const ly = p[0] * s + p[1] * c;
    minX = Math.min(minX, lx); maxX = Math.max(maxX, lx); minY = Math.min(minY, ly); maxY = Math.max(maxY, ly);
  }
  const mx = (minX + maxX) / 2; const my = (minY + maxY) / 2;
  const ci = Math.cos(angle); const si = Math.sin(angle);
  return { cx: mx * ci - my * si, cy: mx * si + my * ci, side: Math.max(maxX - minX, maxY - minY) * REFINED_CROP_SCALE, angle };
}

function runIris(iris, image, mesh, leftIdx, rightIdx, mirror) {
  const a = mesh[leftIdx]; const b = mesh[rightIdx];
  const side = Math.hypot(b[0] - a[0], b[1] - a[1]) * 2.3;
  const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
  const m = cropToSource((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, Math.max(side, 1e-3), angle, 64, mirror);
  const crop = sample(image, m, 64, supersampleFor(side / 64), 1, 0);
  const out = iris.execute({ input_1: crop }, 'Identity');
  const raw = out.dataSync();
  tf.dispose([crop, out]);
  let contourZ = 0;
  for (let i = 0; i < 71; i++) contourZ += raw[3 * i + 2];
  contourZ /= 71;
  const meshZ = (a[2] + b[2]) / 2;
  const pts = [];
  for (let k = 0; k < 5; k++) {
    const o = (71 + k) * 3;
    const [x, y] = apply(m, raw[o], raw[o + 1]);
    pts.push([x, y, meshZ + ((raw[o + 2] - contourZ) * side) / 64]);
  }
  return pts;
}

async function main() {
  const [modelsDir, facesDir, outDir] = process.argv.slice(2);
  if (!outDir) throw new Error('usage: node make-pipeline-fixtures.js <models dir> <faces dir> <output dir>');
  await initTf();
  const detector = await loadGraphModel(path.join(modelsDir, 'blazeface.json'));
  const mesh = await loadGraphModel(path.join(modelsDir, 'facemesh.json'));
  const iris = await loadGraphModel(path.join(modelsDir, 'iris.json'));
  const partner = mirrorMap(path.join(__dirname, '..', '..', '..', 'src', 'FaceDefender', 'Models', 'canonical_face_model.obj'));
  for (const file of IMAGES) {
    const img = decodeImage(path.join(facesDir, file));
    const image = tf.tensor4d(Float32Array.from(img.data), [1, img.height, img.width, 3]);
    const dets = detect(detector, image, img.width, img.height);
    const faces = [];
    for (const d of dets) {
      const angle = Math.atan2(d.kps[1][1] - d.kps[0][1], d.kps[1][0] - d.kps[0][0]);
      let r = runMesh(mesh, image, img.width, img.height, d.cx, d.cy, Math.max(d.w, d.h) * 1.5, angle, partner);
      const roi = roiFromLandmarks(r.points);
      r = runMesh(mesh, image, img.width, img.height, roi.cx, roi.cy, roi.side, roi.angle, partner);
      const points = [
        ...r.points,
        ...runIris(iris, image, r.points, 33, 133, false),
        ...runIris(iris, image, r.points, 362, 263, true),
      ];
      faces.push({
        detectorScore: Number(d.score.toPrecision(6)),
        box: round([d.cx - d.w / 2, d.cy - d.h / 2, d.w, d.h]),
        meshScore: Number(r.score.toPrecision(6)),
        landmarks: points.map((p) => round(p)),
      });
    }
    image.dispose();
    const fixture = {
      description: 'TensorFlow.js reference pipeline (tools/models/tfjs-reference/make-pipeline-fixtures.js): 478 landmarks in source pixels (continuous coordinates), x, y, z.',
      runtime: `@tensorflow/tfjs@${tf.version.tfjs} backend ${tf.getBackend()}; decoders pngjs / jpeg-js`,
      image: file,
      width: img.width,
      height: img.height,
      faces,
    };
    const out = path.join(outDir, `pipeline.${file.replace(/\.[^.]+$/, '')}.json`);
    fs.writeFileSync(out, JSON.stringify(fixture) + '\n');
    console.log(`wrote ${out}: ${faces.length} face(s)`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
