import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { expectTensorMatchesGolden, int64, readFixtureBytes, readFixtureJSON, type GoldenTensor } from '../../test/support/model-goldens.js';
import { SessionError } from './errors.js';
import { ortBackend } from './ort-backend.js';

const MODEL = 'tiny-random-bert-sequence-classification';
const cases = readFixtureJSON<{ cases: { name: string; input_ids: number[][]; attention_mask: number[][]; outputs: { logits: GoldenTensor } }[] }>(MODEL, 'goldens/outputs.json').cases;

describe('onnxruntime-web backend', () => {
  it('runs wasm sessions on the plain WebAssembly build, with env wasm settings: our wasmPaths, one thread without cross-origin isolation', async () => {
    const wasmDir = `${dirname(createRequire(import.meta.url).resolve('onnxruntime-web'))}/`;
    env.backends.onnx.wasm.wasmPaths = wasmDir;
    env.backends.onnx.wasm.numThreads = 4;
    const session = await ortBackend.createSession(readFixtureBytes(MODEL, 'onnx/model.onnx'), { device: 'wasm' });
    const ort = await import('onnxruntime-web/wasm');
    expect(ort.env.wasm.wasmPaths).toBe(wasmDir);
    expect(ort.env.wasm.numThreads).toBe(1);
    expect(session.inputs).toEqual([
      { name: 'input_ids', dtype: 'int64', dims: ['batch_size', 'sequence_length'] },
      { name: 'attention_mask', dtype: 'int64', dims: ['batch_size', 'sequence_length'] },
      { name: 'token_type_ids', dtype: 'int64', dims: ['batch_size', 'sequence_length'] },
    ]);
    expect(session.outputNames).toEqual(['logits']);
    await session.release();
  });

  it('runs overlapping calls on one session one after the other, each with its own result', async () => {
    const session = await ortBackend.createSession(readFixtureBytes(MODEL, 'onnx/model.onnx'), { device: 'wasm' });
    const picked = cases.slice(0, 4);
    const outs = await Promise.all(picked.map((c) => session.run({ input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask) })));
    outs.forEach((o, i) => expectTensorMatchesGolden(o.logits, picked[i].outputs.logits, 1e-4, picked[i].name));
    await session.release();
    await session.release();
  });

  it('turns a file that is not an ONNX model into a SessionError with a hint', async () => {
    const error = await ortBackend.createSession(new TextEncoder().encode('<html>not a model</html>'), { device: 'wasm' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionError);
    expect((error as Error).message).toMatch(/Could not create an ONNX Runtime session on wasm.*re-download/);
  });
});
