import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { expectTensorMatchesGolden, int64, readFixtureBytes, readFixtureJSON, type GoldenTensor } from '../../test/support/model-goldens.js';
import { SessionError } from './errors.js';
import { ortBackend, ortBuildFor } from './ort-backend.js';

const MODEL = 'tiny-random-bert-sequence-classification';
const cases = readFixtureJSON<{ cases: { name: string; input_ids: number[][]; attention_mask: number[][]; outputs: { logits: GoldenTensor } }[] }>(MODEL, 'goldens/outputs.json').cases;

describe('which onnxruntime-web build runs a session', () => {
  const settings = env.backends.onnx;
  const saved = { wasmPaths: settings.wasm.wasmPaths, implementation: settings.webgpu.implementation };
  afterEach(() => {
    settings.wasm.wasmPaths = saved.wasmPaths;
    settings.webgpu.implementation = saved.implementation;
  });

  it('wasm: the plain build; webgpu: the native provider, 4-bit variants on JSEP (the default entry)', () => {
    settings.wasm.wasmPaths = undefined;
    settings.webgpu.implementation = undefined;
    expect(ortBuildFor('wasm', 'q4')).toBe('plain');
    expect(['fp32', 'fp16', 'q8', undefined].map((d) => ortBuildFor('webgpu', d as 'fp32' | undefined))).toEqual(['webgpu', 'webgpu', 'webgpu', 'webgpu']);
    expect(ortBuildFor('webgpu', 'q4')).toBe('default');
    expect(ortBuildFor('webgpu', 'q4f16')).toBe('default');
  });

  it('follows env.backends.onnx.webgpu.implementation, and a wasmPaths map puts every session on the default entry', () => {
    settings.webgpu.implementation = 'native';
    expect(ortBuildFor('webgpu', 'q4')).toBe('webgpu');
    settings.webgpu.implementation = 'jsep';
    expect(ortBuildFor('webgpu', 'fp32')).toBe('default');
    settings.webgpu.implementation = undefined;
    settings.wasm.wasmPaths = { mjs: '/ort.mjs', wasm: '/ort.wasm' };
    expect(ortBuildFor('wasm', 'fp32')).toBe('default');
    expect(ortBuildFor('webgpu', 'fp32')).toBe('default');
  });
});

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
