import { describe, expect, it } from 'vitest';
import { resolveChoice, type GpuFacts } from './device-choice.js';

const noGpu: GpuFacts = { available: false, fallback: false, shaderF16: false, description: 'none' };
const software: GpuFacts = { available: true, fallback: true, shaderF16: false, description: 'swiftshader' };
const hardware: GpuFacts = { available: true, fallback: false, shaderF16: true, description: 'gpu' };
const hardwareNoF16: GpuFacts = { ...hardware, shaderF16: false };

describe('resolveChoice', () => {
  it('auto device uses WebGPU only on a hardware adapter', () => {
    expect(resolveChoice('auto', 'auto', noGpu, false).device).toBe('wasm');
    expect(resolveChoice('auto', 'auto', software, false).device).toBe('wasm');
    expect(resolveChoice('auto', 'auto', software, false).deviceReason).toMatch(/software/);
    expect(resolveChoice('auto', 'auto', hardware, false).device).toBe('webgpu');
  });

  it('an explicit device is passed on, even without an adapter, so the library can say why it fails', () => {
    expect(resolveChoice('webgpu', 'auto', noGpu, false).device).toBe('webgpu');
    expect(resolveChoice('wasm', 'auto', hardware, false).device).toBe('wasm');
  });

  it('auto dtype: fp32 for embedded models, fp16 with shader-f16, fp32 on WebGPU without it, q8 on wasm', () => {
    expect(resolveChoice('auto', 'auto', hardware, true).dtype).toBe('fp32');
    expect(resolveChoice('auto', 'auto', hardware, false).dtype).toBe('fp16');
    expect(resolveChoice('webgpu', 'auto', hardwareNoF16, false).dtype).toBe('fp32');
    expect(resolveChoice('auto', 'auto', noGpu, false).dtype).toBe('q8');
  });

  it('an explicit dtype wins and says so', () => {
    const choice = resolveChoice('auto', 'q4', noGpu, true);
    expect(choice.dtype).toBe('q4');
    expect(choice.dtypeReason).toBe('you chose it');
  });
});
