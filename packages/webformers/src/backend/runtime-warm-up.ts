/**
 * The first session on a device pays for the runtime itself: onnxruntime-web fetches and compiles
 * its WebAssembly (14 MB for wasm, 28 MB for WebGPU), registers its kernels and, on WebGPU, asks for the GPU device. That is
 * 1–3 s in Chromium, the same whether the model is tiny or large, and it does not need the model.
 * Starting it with a graph of one Identity node while the model's bytes stream in from the network
 * or the store takes it off the load's critical path.
 */
import { encodeOnnxModel } from './onnx-proto.js';
import type { InferenceBackend, ModelDType, ResolvedDevice } from './types.js';

// The same IR and opset as the row gather's graph: old enough for any onnxruntime-web with WebGPU.
const WARM_UP_MODEL = encodeOnnxModel({
  irVersion: 8,
  opsetVersion: 13,
  graphName: 'warm_up',
  nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
  inputs: [{ name: 'x', dtype: 'float32', dims: ['n'] }],
  outputs: [{ name: 'y', dtype: 'float32', dims: ['n'] }],
});

const warmed = new WeakMap<InferenceBackend, Set<string>>();

/**
 * Starts `backend`'s runtime on `device` once per page and `runtime` (what the backend runs `dtype`
 * on, when it has more than one runtime per device), in the background. A failure is ignored here:
 * the model's own session creation meets the same problem and reports it with its context.
 */
export function warmUpRuntime(backend: InferenceBackend, device: ResolvedDevice, dtype?: ModelDType, runtime: string = device): void {
  let started = warmed.get(backend);
  if (!started) warmed.set(backend, (started = new Set()));
  const key = `${device} ${runtime}`;
  if (started.has(key)) return;
  started.add(key);
  backend.createSession(WARM_UP_MODEL, { device, dtype }).then((session) => session.release(), () => undefined);
}
