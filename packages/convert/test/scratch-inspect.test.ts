import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import { decodeModel } from '../src/onnx/codec.js';
import { allGraphs } from '../src/graph/walk.js';
test('inspect', () => {
  for (const f of ['tiny-random-llama-qwen3tok/onnx/model.onnx', 'tiny-random-bart/onnx/decoder_model_merged.onnx', 'tiny-random-gpt2/onnx/model.onnx']) {
    const m = decodeModel(new Uint8Array(readFileSync('packages/webformers/test/fixtures/models/' + f)));
    const producers = new Map<string, string>();
    for (const g of allGraphs(m.graph)) for (const n of g.node) for (const o of n.output) producers.set(o, n.opType);
    const inits = new Map<string, any>(); for (const g of allGraphs(m.graph)) for (const t of g.initializer) inits.set(t.name, t);
    for (const g of allGraphs(m.graph)) for (const n of g.node) if (n.opType === 'MatMul' || n.opType === 'Gemm' || n.opType === 'Gather') {
      const b = n.input[n.opType === 'Gather' ? 0 : 1]; const t = inits.get(b);
      console.log(f.slice(12, 20), n.opType, n.name, b, producers.get(b), t ? [t.dims, t.dataType] : '');
    }
    console.log('inits', [...inits.values()].map(t => `${t.name}:${t.dims}`).join(' ').slice(0, 1500));
  }
});
