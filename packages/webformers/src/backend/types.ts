/**
 * The backend layer: where ONNX graphs run. Code above this layer sees only these types; the
 * onnxruntime-web implementation lives in `ort-backend.ts` and is the one place that names `ort`.
 *
 * - `Device`: 'wasm' (WebAssembly, every browser and Node), 'webgpu' (needs
 *   `navigator.gpu.requestAdapter()` to return an adapter; requesting it without one is an
 *   error naming the fix), 'auto' (webgpu when an adapter exists, else wasm; Node is always wasm).
 * - `ModelDType`: which weight variant of a graph to load; each maps to a file-name suffix the
 *   Hub uses (`dtypes.ts`). Per session as a map for multi-graph models. `'auto'` picks the best
 *   variant the repository has for the device (`variant-choice.ts`).
 */
import type { ProgressChoice } from '../hub/index.js';
import type { DataType, Tensor } from '../utils/tensor.js';

export type Device = 'wasm' | 'webgpu' | 'auto';
export type ResolvedDevice = Exclude<Device, 'auto'>;

export type ModelDType = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';

/** A concrete variant, or 'auto': the first variant of the device's preference list the repository has. */
export type DTypeRequest = ModelDType | 'auto';

/** One dtype for every session, or one per session name (`{ encoder_model: 'q8', decoder_model_merged: 'auto' }`). */
export type DTypeOption = DTypeRequest | Partial<Record<string, DTypeRequest>>;

/** A WebGPU adapter as reported to the caller: `adapter.info` and its feature names. */
export type AdapterSummary = NonNullable<ProgressChoice['adapter']>;

/**
 * What a model was loaded with: the device, each session's dtype, a sentence saying why, and the
 * WebGPU adapter when the device is webgpu. Also sent as the `{ status: 'choice' }` progress event.
 */
export interface ModelChoice {
  device: ResolvedDevice;
  dtype: Record<string, ModelDType>;
  reason: string;
  adapter?: AdapterSummary;
}

/** A graph input or output as the ONNX file declares it; a string dim is symbolic (e.g. 'batch_size'). */
export interface TensorInfo {
  name: string;
  dtype: DataType;
  dims: (number | string)[];
}

/**
 * A session output left in GPU memory (WebGPU sessions created with `keepOutputsOnDevice`). Feed it
 * to a session as is (no copy); `download()` copies it to the CPU; `dispose()` frees the buffer,
 * which nothing else does: whoever holds one must dispose it.
 */
export interface DeviceTensor {
  readonly location: 'gpu-buffer';
  readonly type: DataType;
  readonly dims: readonly number[];
  download(): Promise<Tensor>;
  /** Safe to call twice. */
  dispose(): void;
}

/** What sessions take and give: a CPU tensor, or one left on the GPU. */
export type SessionValue = Tensor | DeviceTensor;

export function isDeviceTensor(value: SessionValue): value is DeviceTensor {
  return (value as DeviceTensor).location === 'gpu-buffer';
}

export interface ModelSession {
  /** The device the session runs on (`'auto'` already resolved), so callers can report the choice. */
  readonly device: ResolvedDevice;
  /** The weight variant loaded; undefined when the session was created from bytes without saying. */
  readonly dtype: ModelDType | undefined;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Declared inputs, in graph order. */
  readonly inputs: readonly TensorInfo[];
  /** Runs the graph with exactly the declared inputs (see `feeds.ts`) and returns every output on the CPU. */
  run(feeds: Record<string, SessionValue>): Promise<Record<string, Tensor>>;
  /** As `run`, but outputs the session keeps on the GPU come back as `DeviceTensor`s (not read back). */
  runKeepingDeviceOutputs(feeds: Record<string, SessionValue>): Promise<Record<string, SessionValue>>;
  /** Frees the native session; later `run` calls throw. Safe to call twice. */
  release(): Promise<void>;
}

/** Options for one session. `session_options` pass through to the runtime untouched. */
export interface SessionCreateOptions {
  device: ResolvedDevice;
  /** Which variant the bytes are, reported back as `session.dtype`. */
  dtype?: ModelDType;
  session_options?: Record<string, unknown>;
  /**
   * WebGPU only: leave every output in GPU memory, so that a KV cache fed back each step is never
   * read back. Ignored on wasm.
   */
  keepOutputsOnDevice?: boolean;
}

export interface InferenceBackend {
  /** Turn 'auto' into a concrete device; throws when 'webgpu' is asked for and none exists. */
  resolveDevice(device: Device): Promise<ResolvedDevice>;
  /** Throws when `device` cannot run weights of `dtype` (fp16 on WebGPU without `shader-f16`). */
  assertDTypeRunnable(device: ResolvedDevice, dtype: ModelDType): Promise<void>;
  /** The WebGPU adapter behind `device` (its info and features); undefined on wasm. */
  describeAdapter(device: ResolvedDevice): Promise<AdapterSummary | undefined>;
  createSession(model: Uint8Array, options: SessionCreateOptions): Promise<ModelSession>;
  /**
   * Starts the runtime for `device` in the background, before any model bytes are there; a backend
   * whose first session costs nothing extra leaves it out.
   */
  warmUp?(device: ResolvedDevice, dtype?: ModelDType): void;
}
