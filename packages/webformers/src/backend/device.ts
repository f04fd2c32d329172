/**
 * Which device a session runs on. Kept apart from the ORT wrapper so the rules (auto, missing
 * adapter, missing fp16 support) are stated once and can be tested without a GPU.
 */
import { InvalidArgumentError } from '../utils/errors.js';
import { DeviceUnavailableError } from './errors.js';
import type { AdapterSummary, Device, ModelDType, ResolvedDevice } from './types.js';

/** The slice of WebGPU we read; typed locally so the library does not need @webgpu/types. */
export interface GpuAdapterLike {
  readonly features: Iterable<string> & { has(feature: string): boolean };
  /** `GPUAdapterInfo`; absent in browsers that only had the older `requestAdapterInfo()`. */
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string };
}
export interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

const DEVICES: readonly Device[] = ['wasm', 'webgpu', 'auto'];
const NEEDS_SHADER_F16: ReadonlySet<ModelDType> = new Set(['fp16', 'q4f16']);

export function findGpu(): GpuLike | undefined {
  return (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
}

let adapterPromise: Promise<GpuAdapterLike | null> | undefined;

/**
 * One adapter request per page (asking again gives the same answer and costs a round trip), except
 * that a null answer is asked once more: Chromium 156 with Vulkan on Linux (an H100 machine)
 * answered a page's first request with null and the second with the GPU.
 */
export function requestAdapter(gpu: GpuLike | undefined = findGpu()): Promise<GpuAdapterLike | null> {
  if (!gpu) return Promise.resolve(null);
  const ask = () => gpu.requestAdapter().catch(() => null);
  adapterPromise ??= ask().then((adapter) => adapter ?? ask());
  return adapterPromise;
}

export async function resolveDevice(device: Device, adapter: () => Promise<GpuAdapterLike | null> = requestAdapter): Promise<ResolvedDevice> {
  if (!DEVICES.includes(device)) {
    throw new InvalidArgumentError(`Unknown device ${JSON.stringify(device)}.`, { hint: `Use one of: ${DEVICES.join(', ')}.` });
  }
  if (device === 'wasm') return 'wasm';
  const found = await adapter();
  if (found) return 'webgpu';
  if (device === 'auto') return 'wasm';
  throw new DeviceUnavailableError(
    'webgpu',
    'WebGPU was requested but navigator.gpu.requestAdapter() returned no adapter here.',
    "Use device: 'wasm' (or 'auto'), or run in a browser with WebGPU enabled.",
  );
}

export async function assertDTypeRunnable(
  device: ResolvedDevice,
  dtype: ModelDType,
  adapter: () => Promise<GpuAdapterLike | null> = requestAdapter,
): Promise<void> {
  if (device !== 'webgpu' || !NEEDS_SHADER_F16.has(dtype)) return;
  const found = await adapter();
  if (found?.features.has('shader-f16')) return;
  throw new DeviceUnavailableError(
    'webgpu',
    `dtype '${dtype}' needs the WebGPU feature 'shader-f16', which this adapter does not have.`,
    "Use dtype 'fp32' or 'q8' on this device, or device: 'wasm'.",
  );
}

export async function describeAdapter(
  device: ResolvedDevice,
  adapter: () => Promise<GpuAdapterLike | null> = requestAdapter,
): Promise<AdapterSummary | undefined> {
  if (device !== 'webgpu') return undefined;
  const found = await adapter();
  if (!found) return undefined;
  const info = found.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description ?? '',
    features: [...found.features].sort(),
  };
}
