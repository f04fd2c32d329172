/**
 * `device: 'auto'` and `dtype: 'auto'`: settle the device, then give each session whose dtype is
 * 'auto' the first variant of the device's preference list that the repository has. The result,
 * with a sentence saying why and the WebGPU adapter, is what the caller is told (`ModelChoice`).
 */
import { onnxFileName, resolveSessionDTypes } from './dtypes.js';
import { ModelVariantError } from './errors.js';
import { listModelVariants, modelFileExists, type ProbeOptions } from './file-probe.js';
import type { Device, DTypeOption, InferenceBackend, ModelChoice, ModelDType, ResolvedDevice } from './types.js';

/**
 * The variants 'auto' tries, best first.
 * - WebGPU with `shader-f16`: q4f16 (4-bit weights, fp16 math: the smallest download and the
 *   fastest matmuls), fp16 (half the bytes of fp32, full accuracy for most models), q4 (4-bit
 *   weights with fp32 math), fp32. q8 comes last: its dynamically quantized integer matmuls have
 *   no WebGPU kernels in onnxruntime-web and fall back to the CPU, copying activations each time.
 * - WebGPU without `shader-f16`: fp16 and q4f16 cannot run there at all (`assertDTypeRunnable`),
 *   so q4, fp32, then q8 for the same reason as above.
 * - wasm: q8 (a quarter of fp32's bytes; integer matmuls are the fast path of the CPU kernels, and
 *   it is transformers.js's wasm default), int8 and uint8 (the same quantization with the weight
 *   sign fixed), then fp32. fp16 and the 4-bit variants are left out: the CPU kernels emulate
 *   half precision and 4-bit matmuls trade accuracy for little speed there; ask for them by name.
 */
export function preferredDTypes(device: ResolvedDevice, features: { has(feature: string): boolean }): readonly ModelDType[] {
  if (device === 'wasm') return ['q8', 'int8', 'uint8', 'fp32'];
  return features.has('shader-f16') ? ['q4f16', 'fp16', 'q4', 'fp32', 'q8'] : ['q4', 'fp32', 'q8'];
}

export interface ChoiceRequest extends ProbeOptions {
  device: Device;
  dtype?: DTypeOption;
  /** `transformers.js_config.dtype` from config.json, used where `dtype` says nothing. */
  configDefault?: unknown;
}

export async function chooseModelVariants(
  backend: InferenceBackend,
  model: string,
  sessionNames: readonly string[],
  request: ChoiceRequest,
): Promise<ModelChoice> {
  const { device: requestedDevice, dtype, configDefault, ...probe } = request;
  const device = await backend.resolveDevice(requestedDevice);
  const adapter = await backend.describeAdapter(device);
  const preference = preferredDTypes(device, new Set(adapter?.features));
  const requested = resolveSessionDTypes(sessionNames, dtype, configDefault);
  const autoNames = sessionNames.filter((n) => requested[n] === 'auto');
  const picks = await Promise.all(autoNames.map((n) => firstPresent(model, n, preference, probe)));
  const chosen: Record<string, ModelDType> = {};
  for (const name of sessionNames) {
    const wanted = requested[name];
    chosen[name] = wanted === 'auto' ? picks[autoNames.indexOf(name)] : wanted;
  }
  const picked = autoNames.map((n) => `${n} ${chosen[n]}`);
  const reason = [devicePhrase(requestedDevice, device, adapter?.features.includes('shader-f16') === true)];
  if (picked.length > 0) reason.push(`dtype 'auto' took the first of ${preference.join(', ')} the repository has: ${picked.join(', ')}`);
  if (picked.length < sessionNames.length) {
    reason.push(`${picked.length > 0 ? 'other sessions' : 'dtype'} as requested, else as config.json sets it, else fp32: ${sessionNames.filter((n) => requested[n] !== 'auto').map((n) => `${n} ${chosen[n]}`).join(', ')}`);
  }
  return { device, dtype: chosen, reason: `${reason.join('; ')}.`, ...(adapter ? { adapter } : {}) };
}

// One probe at a time, best first, so a repository that has the favourite costs one check.
async function firstPresent(model: string, sessionName: string, preference: readonly ModelDType[], probe: ProbeOptions): Promise<ModelDType> {
  for (const dtype of preference) {
    if (await modelFileExists(model, onnxFileName(sessionName, dtype), probe)) return dtype;
  }
  const available = await listModelVariants(model, sessionName, probe, preference);
  throw new ModelVariantError({ model, file: preference.map((d) => onnxFileName(sessionName, d)).join(', '), dtype: 'auto', available });
}

function devicePhrase(requested: Device, device: ResolvedDevice, hasF16: boolean): string {
  const gpu = device === 'webgpu' ? ` (adapter ${hasF16 ? 'has' : 'lacks'} shader-f16)` : '';
  if (requested !== 'auto') return `device ${device} as requested${gpu}`;
  return device === 'webgpu' ? `device 'auto' found a WebGPU adapter${gpu}` : "device 'auto' found no WebGPU adapter: wasm";
}
