import { describe, expect, it } from 'vitest';
import { ortBackend } from './ort-backend.js';
import { warmUpRuntime } from './runtime-warm-up.js';
import type { InferenceBackend, ModelSession, SessionCreateOptions } from './types.js';

function countingBackend(fail = false): InferenceBackend & { created: SessionCreateOptions[]; released: number } {
  const backend = {
    created: [] as SessionCreateOptions[],
    released: 0,
    resolveDevice: async () => 'wasm' as const,
    assertDTypeRunnable: async () => undefined,
    describeAdapter: async () => undefined,
    async createSession(_model: Uint8Array, options: SessionCreateOptions): Promise<ModelSession> {
      backend.created.push(options);
      if (fail) throw new Error('no runtime');
      return { release: async () => void backend.released++ } as unknown as ModelSession;
    },
  };
  return backend;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('warmUpRuntime', () => {
  it('starts one throwaway session per backend and device, and releases it', async () => {
    const backend = countingBackend();
    warmUpRuntime(backend, 'wasm');
    warmUpRuntime(backend, 'wasm');
    warmUpRuntime(backend, 'webgpu');
    await settle();
    expect(backend.created.map((o) => o.device)).toEqual(['wasm', 'webgpu']);
    expect(backend.released).toBe(2);
    const other = countingBackend();
    warmUpRuntime(other, 'wasm');
    expect(other.created).toHaveLength(1);
  });

  it('starts one per runtime the backend names: dtypes on the same build share it', async () => {
    const backend = countingBackend();
    warmUpRuntime(backend, 'webgpu', 'fp32', 'webgpu');
    warmUpRuntime(backend, 'webgpu', 'fp16', 'webgpu');
    warmUpRuntime(backend, 'webgpu', 'q4', 'default');
    await settle();
    expect(backend.created.map((o) => o.dtype)).toEqual(['fp32', 'q4']);
  });

  it('swallows a failed start: the model session reports the problem', async () => {
    const backend = countingBackend(true);
    expect(() => warmUpRuntime(backend, 'wasm')).not.toThrow();
    await settle();
    expect(backend.created).toHaveLength(1);
  });

  it('writes a graph onnxruntime runs: Identity on a float tensor', async () => {
    let bytes: Uint8Array | undefined;
    const spy = { ...countingBackend(), createSession: async (model: Uint8Array) => { bytes = model; return { release: async () => undefined } as unknown as ModelSession; } };
    warmUpRuntime(spy, 'wasm');
    const session = await ortBackend.createSession(bytes!, { device: 'wasm' });
    const { Tensor } = await import('../utils/tensor.js');
    const { y } = await session.run({ x: new Tensor('float32', new Float32Array([1, 2, 3]), [3]) });
    expect(Array.from(y!.data as Float32Array)).toEqual([1, 2, 3]);
    await session.release();
  });
});
