/**
 * The onnxruntime-web implementation of `InferenceBackend`: the only module that imports `ort`.
 *
 * Two onnxruntime-web builds, each loaded the first time a session needs it:
 * - wasm sessions run on the plain WebAssembly build (`onnxruntime-web/wasm`, a 14 MB `.wasm`).
 *   The WebGPU-capable builds instrument the whole binary for their GPU callbacks (JSEP) or for
 *   asyncify, which costs every run: on a tiny BERT a run takes about 0.26 ms of CPU on the plain
 *   build against 0.43 ms on JSEP and 0.37 ms on asyncify, and a GPT-2 decode step 0.65 ms against
 *   1.2 and 1.0 ms (Chromium, one thread). A page that never asks for WebGPU never downloads the
 *   larger binary either.
 * - webgpu sessions run on `onnxruntime-web/webgpu` (asyncify, 27 MB), onnxruntime's native
 *   WebGPU provider, the one it develops and transformers.js runs; 4-bit variants on the default
 *   entry's JSEP provider (`onnxruntime-web`, 28 MB), which ran them faster and reads the 4-bit
 *   zero-point layout the native one refuses (`WebGpuBackendSettings.implementation`). Node never
 *   gets here (it has no WebGPU), which matters: the `/webgpu` bundle throws in Node on
 *   `require("node:os")`, while the default entry has a Node build behind its `node` export condition.
 * Both browser bundles load their `.wasm` with `new URL(file, import.meta.url)`, which keeps it on
 * the page's origin under Vite dev, `vite build` and import maps alike (see
 * `WasmBackendSettings.wasmPaths`). A `wasmPaths` map names the files of one build, so with a map
 * every session runs on the default entry, whose files such maps name.
 */
import type * as ort from 'onnxruntime-web';
import { env } from '../env.js';
import { Tensor, type DataType, type TensorData } from '../utils/tensor.js';
import { assertDTypeRunnable, describeAdapter, resolveDevice } from './device.js';
import { SessionError } from './errors.js';
import { selectFeeds } from './feeds.js';
import { warmUpRuntime } from './runtime-warm-up.js';
import { isDeviceTensor, type DeviceTensor, type InferenceBackend, type ModelDType, type ModelSession, type ResolvedDevice, type SessionCreateOptions, type SessionValue, type TensorInfo } from './types.js';

type OrtRuntime = typeof ort;

export type OrtBuild = 'plain' | 'webgpu' | 'default';
const runtimes = new Map<OrtBuild, Promise<OrtRuntime>>();

const FOUR_BIT: ReadonlySet<ModelDType | undefined> = new Set(['q4', 'q4f16']);

/** The build a session of `dtype` weights on `device` runs on (see the file comment). */
export function ortBuildFor(device: ResolvedDevice, dtype?: ModelDType): OrtBuild {
  if (typeof env.backends.onnx.wasm.wasmPaths === 'object') return 'default';
  if (device === 'wasm') return 'plain';
  const implementation = env.backends.onnx.webgpu.implementation ?? 'auto';
  const jsep = implementation === 'jsep' || (implementation === 'auto' && FOUR_BIT.has(dtype));
  return jsep ? 'default' : 'webgpu';
}

const IMPORTS: Record<OrtBuild, () => Promise<OrtRuntime>> = {
  plain: () => import('onnxruntime-web/wasm'),
  webgpu: () => import('onnxruntime-web/webgpu'),
  default: () => import('onnxruntime-web'),
};

/**
 * ORT reads its wasm settings once, when the first session of a build starts. Threads need
 * SharedArrayBuffer, which browsers only give cross-origin isolated pages; without isolation
 * we ask for one thread rather than leave ORT to try and fall back with a console warning.
 */
function configureWasm(runtime: OrtRuntime): OrtRuntime {
  const settings = env.backends.onnx.wasm;
  if (settings.wasmPaths !== undefined) runtime.env.wasm.wasmPaths = settings.wasmPaths;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  runtime.env.wasm.numThreads = isolated ? (settings.numThreads ?? runtime.env.wasm.numThreads) : 1;
  return runtime;
}

/** The onnxruntime-web build that runs sessions on `device`, configured on first use. */
function ortRuntimeFor(device: ResolvedDevice, dtype?: ModelDType): Promise<OrtRuntime> {
  const build = ortBuildFor(device, dtype);
  let runtime = runtimes.get(build);
  if (!runtime) {
    runtime = IMPORTS[build]().then(configureWasm);
    runtimes.set(build, runtime);
    // A failed import (a network blip, often during the warm-up) is forgotten, so the next session tries again.
    runtime.catch(() => runtimes.delete(build));
  }
  return runtime;
}

function toInfo(meta: ort.InferenceSession.ValueMetadata): TensorInfo {
  if (!meta.isTensor) {
    throw new SessionError(`Graph input "${meta.name}" is not a tensor (a sequence or map).`, 'Only graphs with tensor inputs are supported; re-export the model with tensor inputs.');
  }
  return { name: meta.name, dtype: meta.type as DataType, dims: meta.shape.map((d) => (typeof d === 'number' ? d : String(d))) };
}

let liveDeviceTensors = 0;

/** GPU buffers handed out by sessions and not yet disposed (bookkeeping for leak checks). */
export function liveDeviceTensorCount(): number {
  return liveDeviceTensors;
}

class OrtDeviceTensor implements DeviceTensor {
  readonly location = 'gpu-buffer';
  readonly type: DataType;
  readonly dims: readonly number[];
  #tensor: ort.Tensor | null;

  constructor(tensor: ort.Tensor) {
    this.#tensor = tensor;
    this.type = tensor.type as DataType;
    this.dims = tensor.dims;
    liveDeviceTensors++;
  }

  get ortTensor(): ort.Tensor {
    if (!this.#tensor) throw new SessionError('A GPU tensor was used after dispose().', 'Keep GPU outputs until the last run that feeds them.');
    return this.#tensor;
  }

  async download(): Promise<Tensor> {
    const data = await this.ortTensor.getData();
    return new Tensor(this.type, data as TensorData, this.dims);
  }

  dispose(): void {
    if (!this.#tensor) return;
    this.#tensor.dispose();
    this.#tensor = null;
    liveDeviceTensors--;
  }
}

function toOrt(runtime: OrtRuntime, value: SessionValue): ort.Tensor {
  if (isDeviceTensor(value)) return (value as OrtDeviceTensor).ortTensor;
  return new runtime.Tensor(value.type as ort.Tensor.Type, value.data as ort.Tensor.DataType, value.dims);
}

/** CPU outputs become Tensors; GPU ones are wrapped (or read back and freed when `keepOnDevice` is false). */
async function fromOrt(value: ort.OnnxValue, keepOnDevice: boolean): Promise<SessionValue> {
  const t = value as ort.Tensor;
  if (t.location !== 'gpu-buffer') return new Tensor(t.type as DataType, t.data as TensorData, t.dims);
  const device = new OrtDeviceTensor(t);
  if (keepOnDevice) return device;
  try {
    return await device.download();
  } finally {
    device.dispose();
  }
}

class OrtSession implements ModelSession {
  readonly device: ResolvedDevice;
  readonly dtype: ModelDType | undefined;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputs: readonly TensorInfo[];
  #session: ort.InferenceSession | null;
  // Feeds must be Tensors of the build that made the session: each bundle has its own Tensor class.
  readonly #runtime: OrtRuntime;
  // ORT refuses overlapping run() calls on one session; callers may still await several at once.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(runtime: OrtRuntime, session: ort.InferenceSession, device: ResolvedDevice, dtype: ModelDType | undefined) {
    this.#runtime = runtime;
    this.device = device;
    this.dtype = dtype;
    this.#session = session;
    this.inputNames = session.inputNames;
    this.outputNames = session.outputNames;
    this.inputs = session.inputMetadata.map(toInfo);
  }

  run(given: Record<string, SessionValue>): Promise<Record<string, Tensor>> {
    return this.#enqueue(given, false) as Promise<Record<string, Tensor>>;
  }

  runKeepingDeviceOutputs(given: Record<string, SessionValue>): Promise<Record<string, SessionValue>> {
    return this.#enqueue(given, true);
  }

  async #enqueue(given: Record<string, SessionValue>, keepOnDevice: boolean): Promise<Record<string, SessionValue>> {
    const feeds = selectFeeds(this.inputs, given);
    const result = this.#queue.then(() => this.#runNow(feeds, keepOnDevice));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #runNow(feeds: Record<string, SessionValue>, keepOnDevice: boolean): Promise<Record<string, SessionValue>> {
    const session = this.#session;
    if (!session) {
      throw new SessionError('The model session was released (dispose() was called).', 'Load the model again to keep using it.');
    }
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = toOrt(this.#runtime, tensor);
    let outputs: ort.InferenceSession.OnnxValueMapType;
    try {
      outputs = await session.run(ortFeeds);
    } catch (cause) {
      throw new SessionError(`Running the model failed: ${(cause as Error).message ?? cause}`, 'Check the inputs match the model (shapes, dtypes, sequence length).', cause);
    }
    const out: Record<string, SessionValue> = {};
    for (const name of this.outputNames) out[name] = await fromOrt(outputs[name], keepOnDevice);
    return out;
  }

  async release(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    if (session) await session.release();
  }
}

// ORT's WebGPU EP refuses to create a session while another is being created ("another WebGPU EP
// inference session is being created"); multi-graph models load their sessions in parallel.
let webgpuCreation: Promise<unknown> = Promise.resolve();

function createOrtSession(runtime: OrtRuntime, model: Uint8Array, options: ort.InferenceSession.SessionOptions, device: ResolvedDevice): Promise<ort.InferenceSession> {
  if (device !== 'webgpu') return runtime.InferenceSession.create(model, options);
  const created = webgpuCreation.then(() => runtime.InferenceSession.create(model, options));
  webgpuCreation = created.catch(() => undefined);
  return created;
}

export class OrtBackend implements InferenceBackend {
  resolveDevice = resolveDevice;
  assertDTypeRunnable = assertDTypeRunnable;
  describeAdapter = describeAdapter;
  warmUp = (device: ResolvedDevice, dtype?: ModelDType): void => warmUpRuntime(this, device, dtype, ortBuildFor(device, dtype));

  async createSession(model: Uint8Array, options: SessionCreateOptions): Promise<ModelSession> {
    const runtime = await ortRuntimeFor(options.device, options.dtype);
    const executionProviders: ResolvedDevice[] = [options.device];
    let session: ort.InferenceSession;
    try {
      const placement = options.keepOutputsOnDevice && options.device === 'webgpu' ? { preferredOutputLocation: 'gpu-buffer' as const } : {};
      session = await createOrtSession(runtime, model, { ...options.session_options, ...placement, executionProviders }, options.device);
    } catch (cause) {
      throw new SessionError(
        `Could not create an ONNX Runtime session on ${options.device}: ${(cause as Error).message ?? cause}`,
        options.device === 'webgpu' ? "Try device: 'wasm'; some operators or dtypes are not supported on WebGPU." : 'Check the file is a complete ONNX model (re-download it).',
        cause,
      );
    }
    try {
      return new OrtSession(runtime, session, options.device, options.dtype);
    } catch (error) {
      await session.release();
      throw error;
    }
  }
}

export const ortBackend: InferenceBackend = new OrtBackend();
