/**
 * Turns the device and dtype pickers into what the model is loaded with, and says why. The
 * library's own `device: 'auto'` takes any WebGPU adapter; the demo looks closer, because a
 * software adapter (SwiftShader, `isFallbackAdapter`) runs these models far slower than wasm.
 */
export type DeviceChoice = 'auto' | 'webgpu' | 'wasm';
export type DTypeChoice = 'auto' | 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';
export type LoadDType = Exclude<DTypeChoice, 'auto'>;

export const DEVICE_CHOICES: readonly (readonly [DeviceChoice, string])[] = [
  ['auto', 'auto'],
  ['webgpu', 'WebGPU'],
  ['wasm', 'WebAssembly (wasm)'],
];
export const DTYPE_CHOICES: readonly (readonly [DTypeChoice, string])[] = [
  ['auto', 'auto'],
  ['fp32', 'fp32 · full precision'],
  ['fp16', 'fp16 · half precision'],
  ['q8', 'q8 · 8-bit weights'],
  ['q4', 'q4 · 4-bit weights'],
  ['q4f16', 'q4f16 · 4-bit, fp16 activations'],
];

/** What the page learnt about WebGPU here (the worker sees the same adapter). */
export interface GpuFacts {
  available: boolean;
  /** A software implementation (SwiftShader on machines without a GPU). */
  fallback: boolean;
  shaderF16: boolean;
  /** Vendor / architecture / description, for the adapter line. */
  description: string;
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface AdapterLike {
  features: { has(name: string): boolean };
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

let gpuFacts: Promise<GpuFacts> | undefined;

export function probeGpu(): Promise<GpuFacts> {
  gpuFacts ??= readGpu();
  return gpuFacts;
}

async function readGpu(): Promise<GpuFacts> {
  const gpu = (navigator as { gpu?: GpuLike }).gpu;
  const none: GpuFacts = { available: false, fallback: false, shaderF16: false, description: gpu ? 'no WebGPU adapter' : 'WebGPU is not available in this browser' };
  if (!gpu) return none;
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return none;
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((p) => p !== undefined && p !== '');
  return {
    available: true,
    fallback: info.isFallbackAdapter === true || adapter.isFallbackAdapter === true,
    shaderF16: adapter.features.has('shader-f16'),
    description: parts.length > 0 ? [...new Set(parts)].join(' · ') : 'WebGPU adapter (no details given)',
  };
}

export interface LoadChoice {
  device: 'webgpu' | 'wasm';
  dtype: LoadDType;
  deviceReason: string;
  dtypeReason: string;
}

export function resolveChoice(device: DeviceChoice, dtype: DTypeChoice, gpu: GpuFacts, embedded: boolean): LoadChoice {
  const chosenDevice = pickDevice(device, gpu);
  const chosenDType = pickDType(dtype, chosenDevice.device, gpu, embedded);
  return { device: chosenDevice.device, deviceReason: chosenDevice.reason, dtype: chosenDType.dtype, dtypeReason: chosenDType.reason };
}

function pickDevice(device: DeviceChoice, gpu: GpuFacts): { device: 'webgpu' | 'wasm'; reason: string } {
  if (device === 'wasm') return { device: 'wasm', reason: 'you chose WebAssembly' };
  if (device === 'webgpu') return { device: 'webgpu', reason: 'you chose WebGPU' };
  if (!gpu.available) return { device: 'wasm', reason: 'auto: no WebGPU adapter here, so WebAssembly' };
  if (gpu.fallback) return { device: 'wasm', reason: 'auto: the only WebGPU adapter is a software one (no GPU), slower than WebAssembly' };
  return { device: 'webgpu', reason: 'auto: a hardware WebGPU adapter was found' };
}

function pickDType(dtype: DTypeChoice, device: 'webgpu' | 'wasm', gpu: GpuFacts, embedded: boolean): { dtype: LoadDType; reason: string } {
  if (dtype !== 'auto') return { dtype, reason: 'you chose it' };
  if (embedded) return { dtype: 'fp32', reason: 'auto: the embedded models ship only their fp32 graph' };
  if (device === 'webgpu' && gpu.shaderF16) return { dtype: 'fp16', reason: 'auto: the adapter has shader-f16, and fp16 halves the download' };
  if (device === 'webgpu') return { dtype: 'fp32', reason: 'auto: this adapter lacks shader-f16, so no half precision; fp32 is the safe choice' };
  return { dtype: 'q8', reason: 'auto: 8-bit weights are a quarter of the fp32 download and run well on WebAssembly' };
}
