'use strict';
// Runs face-api's own FaceRecognitionNet (dlib ResNet weights, @vladmandic/face-api@1.7.15) on the
// pure-JavaScript TensorFlow.js CPU backend and writes fixtures for the C# test of the ONNX graph
// built by tools/FaceDefender.DlibModelBuilder:
//   dlib.<name>.png   the exact 150 x 150 RGB input (uint8)
//   dlib.<name>.json  the raw 128-D descriptor that FaceRecognitionNet.forward returns for it
// Inputs: uniform LCG noise, and a fixed square crop of each shared portrait (the face box recorded
// in pipeline.<name>.json, enlarged 1.5x), resized bilinearly by tf.image and rounded to uint8.
// Usage: node make-dlib-fixtures.js <faces dir> <fixtures/models dir> <output dir>
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');

const [facesDir, modelFixturesDir, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node make-dlib-fixtures.js <faces dir> <fixtures/models dir> <output dir>');
  process.exit(2);
}

function decodeRgb(file) {
  const bytes = fs.readFileSync(file);
  const img = file.endsWith('.png') ? PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) {
    rgb[3 * i] = img.data[4 * i];
    rgb[3 * i + 1] = img.data[4 * i + 1];
    rgb[3 * i + 2] = img.data[4 * i + 2];
  }
  return { width: img.width, height: img.height, rgb };
}

function writePng(file, rgb, size) {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) {
    png.data[4 * i] = rgb[3 * i];
    png.data[4 * i + 1] = rgb[3 * i + 1];
    png.data[4 * i + 2] = rgb[3 * i + 2];
    png.data[4 * i + 3] = 255;
  }
  fs.writeFileSync(file, PNG.sync.write(png));
}

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
  await tf.setBackend('cpu');
  await tf.ready();
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'face_recognition_model-weights_manifest.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(modelDir, 'face_recognition_model.bin'));
  const specs = manifest.flatMap((g) => g.weights);
  const weightMap = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), specs);
  const net = new faceapi.FaceRecognitionNet();
  net.loadFromWeightMap(weightMap);

  const size = 150;
  const inputs = [{ name: 'lcg', rgb: lcgBytes(size * size * 3, 12345) }];
  for (const [name, file] of [['astronaut', 'astronaut.png'], ['grace_hopper', 'grace_hopper.jpg']]) {
    const img = decodeRgb(path.join(facesDir, file));
    const ref = JSON.parse(fs.readFileSync(path.join(modelFixturesDir, `pipeline.${name}.json`), 'utf8'));
    const [bx, by, bw, bh] = ref.faces[0].box;
    const side = 1.5 * Math.max(bw, bh);
    const cx = bx + bw / 2;
    const cy = by + bh / 2;
    const y0 = (cy - side / 2) / img.height;
    const x0 = (cx - side / 2) / img.width;
    const y1 = (cy + side / 2) / img.height;
    const x1 = (cx + side / 2) / img.width;
    const crop = tf.tidy(() => {
      const t = tf.tensor4d(img.rgb, [1, img.height, img.width, 3], 'int32').toFloat();
      return tf.image.cropAndResize(t, [[y0, x0, y1, x1]], [0], [size, size], 'bilinear').round().clipByValue(0, 255).toInt();
    });
    inputs.push({ name, rgb: Uint8Array.from(crop.dataSync()) });
    crop.dispose();
  }

  fs.mkdirSync(outDir, { recursive: true });
  for (const input of inputs) {
    const t = tf.tensor3d(input.rgb, [size, size, 3], 'int32');
    const out = await net.forward(t);
    const descriptor = Array.from(out.dataSync());
    t.dispose();
    out.dispose();
    writePng(path.join(outDir, `dlib.${input.name}.png`), input.rgb, size);
    fs.writeFileSync(path.join(outDir, `dlib.${input.name}.json`), `${JSON.stringify({
      description: 'face-api FaceRecognitionNet.forward (dlib ResNet) on the 150 x 150 RGB input in the PNG beside this file: the raw 128-D descriptor (not L2-normalised). Made by tools/models/dlib-reference/make-dlib-fixtures.js.',
      runtime: `@tensorflow/tfjs@${tf.version.tfjs} backend ${tf.getBackend()}; @vladmandic/face-api@${faceapi.version}`,
      input: `dlib.${input.name}.png`,
      descriptor: descriptor.map((v) => Number(v.toPrecision(9))),
    })}\n`);
    console.log(input.name, 'norm', Math.hypot(...descriptor).toFixed(4), descriptor.slice(0, 4));
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
