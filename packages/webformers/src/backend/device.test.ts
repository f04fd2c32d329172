import { describe, expect, it } from 'vitest';
import { assertDTypeRunnable, resolveDevice, type GpuAdapterLike } from './device.js';
import { DeviceUnavailableError } from './errors.js';

const noAdapter = async (): Promise<GpuAdapterLike | null> => null;
const adapterWith = (...features: string[]) => async (): Promise<GpuAdapterLike> => ({ features: new Set(features) });

describe('device choice', () => {
  it('auto picks webgpu when an adapter exists, else wasm', async () => {
    expect(await resolveDevice('auto', adapterWith())).toBe('webgpu');
    expect(await resolveDevice('auto', noAdapter)).toBe('wasm');
  });

  it('runs on wasm in Node, where there is no navigator.gpu', async () => {
    expect(await resolveDevice('auto')).toBe('wasm');
    expect(await resolveDevice('wasm')).toBe('wasm');
  });

  it('refuses webgpu without an adapter and names the fix', async () => {
    const error = await resolveDevice('webgpu', noAdapter).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceUnavailableError);
    expect((error as Error).message).toMatch(/device: 'wasm'.*WebGPU/);
  });

  it('rejects an unknown device', async () => {
    await expect(resolveDevice('cuda' as never)).rejects.toThrow(/Unknown device "cuda".*wasm, webgpu, auto/);
  });

  it('refuses fp16 weights on a WebGPU adapter without shader-f16, allows them with it or on wasm', async () => {
    await expect(assertDTypeRunnable('webgpu', 'fp16', adapterWith())).rejects.toThrow(/shader-f16/);
    await expect(assertDTypeRunnable('webgpu', 'q4f16', adapterWith())).rejects.toBeInstanceOf(DeviceUnavailableError);
    await expect(assertDTypeRunnable('webgpu', 'fp16', adapterWith('shader-f16'))).resolves.toBeUndefined();
    await expect(assertDTypeRunnable('wasm', 'fp16', noAdapter)).resolves.toBeUndefined();
    await expect(assertDTypeRunnable('webgpu', 'q8', adapterWith())).resolves.toBeUndefined();
  });
});
