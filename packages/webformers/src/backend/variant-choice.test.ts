import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { MODEL_FIXTURES, useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { assertDTypeRunnable, describeAdapter, resolveDevice, type GpuAdapterLike } from './device.js';
import { ModelVariantError } from './errors.js';
import type { InferenceBackend } from './types.js';
import { chooseModelVariants, preferredDTypes } from './variant-choice.js';

const INFO = { vendor: 'acme', architecture: 'gen-7', description: 'Acme Test GPU' };
const adapterWith = (...features: string[]) => async (): Promise<GpuAdapterLike> => ({ features: new Set(features), info: INFO });

/** The real device rules, with a made-up WebGPU adapter; choosing never creates a session. */
function gpuBackend(adapter: () => Promise<GpuAdapterLike | null>): InferenceBackend {
  return {
    resolveDevice: (device) => resolveDevice(device, adapter),
    assertDTypeRunnable: (device, dtype) => assertDTypeRunnable(device, dtype, adapter),
    describeAdapter: (device) => describeAdapter(device, adapter),
    createSession: () => Promise.reject(new Error('choosing must not load a graph')),
  };
}

describe('preference lists', () => {
  it('on WebGPU with shader-f16: q4f16, fp16, q4, fp32, then q8', () => {
    expect(preferredDTypes('webgpu', new Set(['shader-f16', 'timestamp-query']))).toEqual(['q4f16', 'fp16', 'q4', 'fp32', 'q8']);
  });

  it('on WebGPU without shader-f16: no half-precision variant, q4, fp32, then q8', () => {
    expect(preferredDTypes('webgpu', new Set(['timestamp-query']))).toEqual(['q4', 'fp32', 'q8']);
  });

  it('on wasm: q8, int8, uint8, then fp32, whatever the GPU has', () => {
    expect(preferredDTypes('wasm', new Set())).toEqual(['q8', 'int8', 'uint8', 'fp32']);
    expect(preferredDTypes('wasm', new Set(['shader-f16']))).toEqual(['q8', 'int8', 'uint8', 'fp32']);
  });

  it('lists only variants the device can run', async () => {
    const plain = adapterWith();
    for (const dtype of preferredDTypes('webgpu', new Set())) await expect(assertDTypeRunnable('webgpu', dtype, plain)).resolves.toBeUndefined();
    const f16 = adapterWith('shader-f16');
    for (const dtype of preferredDTypes('webgpu', new Set(['shader-f16']))) await expect(assertDTypeRunnable('webgpu', dtype, f16)).resolves.toBeUndefined();
  });
});

describe('describeAdapter', () => {
  it('reports adapter.info and the sorted feature names on webgpu, nothing on wasm', async () => {
    const adapter = adapterWith('timestamp-query', 'shader-f16');
    expect(await describeAdapter('webgpu', adapter)).toEqual({ ...INFO, features: ['shader-f16', 'timestamp-query'] });
    expect(await describeAdapter('wasm', adapter)).toBeUndefined();
  });

  it('leaves the info fields empty when the browser has no adapter.info', async () => {
    expect(await describeAdapter('webgpu', async () => ({ features: new Set<string>() }))).toEqual({ vendor: '', architecture: '', description: '', features: [] });
  });
});

describe('chooseModelVariants', () => {
  let scratch: string;
  const FIXTURE = 'tiny-random-bert-sequence-classification';
  /** A copy of the fixture whose onnx/ holds exactly the graphs with these suffixes (real copies of model.onnx). */
  function repoWith(name: string, ...suffixes: string[]): void {
    const dir = join(scratch, name);
    cpSync(join(MODEL_FIXTURES, FIXTURE), dir, { recursive: true });
    const graph = join(dir, 'onnx/model.onnx');
    for (const suffix of suffixes.filter((s) => s !== '')) cpSync(graph, join(dir, `onnx/model${suffix}.onnx`));
    if (!suffixes.includes('')) rmSync(graph);
  }
  beforeAll(async () => {
    await useLocalFixtureModels();
    scratch = mkdtempSync(join(tmpdir(), 'webformers-choice-'));
    repoWith('all', '', '_fp16', '_quantized', '_q4', '_q4f16');
    repoWith('q4-q8-fp32', '', '_quantized', '_q4');
    repoWith('q4f16-fp32', '', '_q4f16');
    repoWith('uint8-fp32', '', '_uint8');
    repoWith('fp16-only', '_fp16');
    env.localModelPath = `${scratch}/`;
  });
  afterAll(() => {
    env.localModelPath = MODEL_FIXTURES;
    rmSync(scratch, { recursive: true, force: true });
  });

  it('takes q4f16 on a WebGPU adapter with shader-f16, and reports the adapter', async () => {
    const choice = await chooseModelVariants(gpuBackend(adapterWith('shader-f16')), 'all', ['model'], { device: 'auto', dtype: 'auto' });
    expect(choice).toEqual({
      device: 'webgpu',
      dtype: { model: 'q4f16' },
      adapter: { ...INFO, features: ['shader-f16'] },
      reason: expect.stringMatching(/device 'auto' found a WebGPU adapter \(adapter has shader-f16\); dtype 'auto' took the first of q4f16, fp16, q4, fp32, q8 the repository has: model q4f16/),
    });
  });

  it('falls to the next variant the repository has: q4 on WebGPU with shader-f16 when no fp16 kind exists', async () => {
    const choice = await chooseModelVariants(gpuBackend(adapterWith('shader-f16')), 'q4-q8-fp32', ['model'], { device: 'webgpu', dtype: 'auto' });
    expect(choice.dtype).toEqual({ model: 'q4' });
    expect(choice.reason).toMatch(/^device webgpu as requested \(adapter has shader-f16\)/);
  });

  it('skips q4f16 on WebGPU without shader-f16 and takes fp32', async () => {
    const choice = await chooseModelVariants(gpuBackend(adapterWith()), 'q4f16-fp32', ['model'], { device: 'auto', dtype: 'auto' });
    expect(choice.dtype).toEqual({ model: 'fp32' });
    expect(choice.reason).toMatch(/lacks shader-f16/);
  });

  it('on wasm (Node has no navigator.gpu) takes q8, then uint8 before fp32, with no adapter', async () => {
    const wasm = gpuBackend(async () => null);
    const q8 = await chooseModelVariants(wasm, 'all', ['model'], { device: 'auto', dtype: 'auto' });
    expect(q8).toEqual({ device: 'wasm', dtype: { model: 'q8' }, reason: expect.stringMatching(/found no WebGPU adapter: wasm/) });
    expect((await chooseModelVariants(wasm, 'uint8-fp32', ['model'], { device: 'wasm', dtype: 'auto' })).dtype).toEqual({ model: 'uint8' });
  });

  it('leaves a concrete dtype alone and probes nothing for it', async () => {
    const choice = await chooseModelVariants(gpuBackend(adapterWith('shader-f16')), 'all', ['model'], { device: 'webgpu', dtype: 'fp32' });
    expect(choice.dtype).toEqual({ model: 'fp32' });
    expect(choice.reason).not.toMatch(/'auto' took/);
  });

  it('names the variants there are when none of the list exists', async () => {
    const error = await chooseModelVariants(gpuBackend(async () => null), 'fp16-only', ['model'], { device: 'auto', dtype: 'auto' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelVariantError);
    expect((error as ModelVariantError).available).toEqual(['fp16']);
    expect((error as Error).message).toMatch(/no auto variant .*Variants found: fp16/);
  });
});
