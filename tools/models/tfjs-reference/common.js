'use strict';
// Shared helpers for the TensorFlow.js reference scripts: model loading without tfjs-node,
// image decoding, and the deterministic input generators that the C# tests reproduce exactly.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');

async function initTf() {
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** Loads a TFJS graph model from model.json + its .bin files with an in-memory IO handler. */
async function loadGraphModel(modelJsonPath) {
  const json = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8'));
  const dir = path.dirname(modelJsonPath);
  const weightSpecs = [];
  const buffers = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const handler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature,
      userDefinedMetadata: json.userDefinedMetadata,
      weightSpecs,
      weightData,
    }),
  };
  return tf.loadGraphModel(handler);
}

/** Decodes a PNG or JPEG into { width, height, data: Uint8Array RGB }. */
function decodeImage(file) {
  const bytes = fs.readFileSync(file);
  let rgba;
  let width;
  let height;
  if (file.toLowerCase().endsWith('.png')) {
    const png = PNG.sync.read(bytes);
    ({ width, height } = png);
    rgba = png.data;
  } else {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    ({ width, height } = img);
    rgba = img.data;
  }
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++) {
    data[j++] = rgba[4 * i];
    data[j++] = rgba[4 * i + 1];
    data[j++] = rgba[4 * i + 2];
  }
  return { width, height, data };
}

/** Uniform noise in [low, high) from a 32-bit LCG (s = s * 1664525 + 1013904223 mod 2^32, value = s / 2^32). */
function lcgTensor(shape, seed, low, high) {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = low + (s / 4294967296) * (high - low);
  }
  return tf.tensor(out, shape);
}

/**
 * Nearest-neighbour, axis-aligned resample of the integer rectangle (x0, y0, w, h) of an image to
 * size x size, scaled from 0..255 to [low, high]. Source pixel for output (ox, oy):
 * (x0 + floor(ox * w / size), y0 + floor(oy * h / size)), clamped to the image.
 */
function nearestCropTensor(img, rect, size, low, high) {
  const [x0, y0, w, h] = rect;
  const out = new Float32Array(size * size * 3);
  for (let oy = 0; oy < size; oy++) {
    const sy = Math.min(img.height - 1, Math.max(0, y0 + Math.floor((oy * h) / size)));
    for (let ox = 0; ox < size; ox++) {
      const sx = Math.min(img.width - 1, Math.max(0, x0 + Math.floor((ox * w) / size)));
      for (let c = 0; c < 3; c++) {
        out[(oy * size + ox) * 3 + c] = (img.data[(sy * img.width + sx) * 3 + c] / 255) * (high - low) + low;
      }
    }
  }
  return tf.tensor(out, [1, size, size, 3]);
}

function round(values) {
  return Array.from(values, (v) => Number(v.toPrecision(7)));
}

module.exports = { tf, initTf, loadGraphModel, decodeImage, lcgTensor, nearestCropTensor, round };
