// Runs model.generate() on the decoder fixtures in the page, through the public API, and compares
// token ids with the Python goldens the spec reads from disk and passes in. Every function returns
// what differs (empty = match) and how much it checked.
// The census wraps the WebGPU API when imported, before onnxruntime-web asks for a device.
import { liveGpuBuffers } from '../../packages/webformers/test/support/gpu-buffer-census.js';
import * as ort from 'onnxruntime-web';
import * as ortWebGpu from 'onnxruntime-web/webgpu';
import { AutoModelForCausalLM, AutoModelForSeq2SeqLM, env, type Device, type Tensor } from '../../packages/webformers/src/index.js';
import { liveDeviceTensorCount, requestAdapter } from '../../packages/webformers/src/backend/index.js';
import type { GenerationCase } from '../../packages/webformers/test/support/worker-on-hub.js';

env.localModelPath = '/packages/webformers/test/fixtures/models/';
env.allowLocalModels = true;
env.allowRemoteModels = false;

export type { GenerationCase };

export interface GenerationReport {
  /** The device the sessions ran on, as the library reports it. */
  device: string;
  compared: number;
  problems: string[];
  /** Dims of every GPU tensor read back to the CPU during the generate() calls, in order. */
  readBacks: number[][];
}

export interface GpuBufferReport {
  device: string;
  /** Live GPU tensors after each generation (all should be 0: nothing outlives a call). */
  afterEachCall: number[];
  /** The most GPU tensors seen live in the middle of a generation (proves the cache stayed on the GPU). */
  peakDuringCalls: number;
  /** GPUBuffers created and not destroyed, after each generation (ORT's allocator keeps freed ones for reuse). */
  liveBuffersAfterEachCall: number[];
  /** Their total size in bytes, after each generation. */
  liveBufferBytesAfterEachCall: number[];
  /** Wall time of the whole loop. */
  milliseconds: number;
}

/**
 * GPU read-backs: onnxruntime-web copies a GPU tensor to the CPU only in `Tensor.getData()` (what the
 * library's `download()` calls), so wrapping it sees every one. Each build has its own Tensor class:
 * WebGPU sessions run on `onnxruntime-web/webgpu`, or on the default entry with the JSEP provider.
 */
const readBacks: number[][] = [];
for (const build of [ort, ortWebGpu]) {
  const getData = build.Tensor.prototype.getData;
  build.Tensor.prototype.getData = function (this: ort.Tensor, ...args: Parameters<typeof getData>) {
    if (this.location === 'gpu-buffer') readBacks.push([...this.dims]);
    return getData.apply(this, args);
  };
}

const rowsOf = (t: Tensor) => (t.tolist() as bigint[][]).map((row) => row.map(Number));

function loaderFor(model: string) {
  return model.includes('bart') || model.includes('t5') ? AutoModelForSeq2SeqLM : AutoModelForCausalLM;
}

async function checkGenerationGoldens(model: string, device: Device, cases: GenerationCase[]): Promise<GenerationReport> {
  const loaded = await loaderFor(model).from_pretrained(model, { device, dtype: 'fp32' });
  const problems: string[] = [];
  const firstReadBack = readBacks.length;
  try {
    for (const c of cases) {
      const out = (await loaded.generate({ input_ids: c.input_ids, attention_mask: c.attention_mask, ...c.generation_kwargs })) as Tensor;
      const got = rowsOf(out);
      if (JSON.stringify(got) !== JSON.stringify(c.sequences)) problems.push(`${c.name}: got ${JSON.stringify(got)}, want ${JSON.stringify(c.sequences)}`);
    }
    const device = [...new Set(Object.values(loaded.sessions).map((s) => s.device))].join(',');
    return { device, compared: cases.length, problems, readBacks: readBacks.slice(firstReadBack) };
  } finally {
    await loaded.dispose();
  }
}

/**
 * Many generations in a row on one model, alternating the given cases, counting live GPU tensors
 * with the backend's own bookkeeping (a streamer samples the count mid-call where beams allow one)
 * and live GPUBuffers with the WebGPU API's.
 */
async function gpuBufferGrowth(model: string, device: Device, calls: number, cases: GenerationCase[]): Promise<GpuBufferReport> {
  const loaded = await loaderFor(model).from_pretrained(model, { device, dtype: 'fp32' });
  const afterEachCall: number[] = [];
  const liveBuffersAfterEachCall: number[] = [];
  const liveBufferBytesAfterEachCall: number[] = [];
  let peakDuringCalls = 0;
  const streamer = { put: () => { peakDuringCalls = Math.max(peakDuringCalls, liveDeviceTensorCount()); }, end: () => {} };
  const start = performance.now();
  try {
    for (let i = 0; i < calls; i++) {
      const c = cases[i % cases.length];
      const beams = Number(c.generation_kwargs.num_beams ?? 1) > 1;
      await loaded.generate({ input_ids: c.input_ids, attention_mask: c.attention_mask, ...c.generation_kwargs, ...(beams ? {} : { streamer }) });
      afterEachCall.push(liveDeviceTensorCount());
      const { count, bytes } = liveGpuBuffers();
      liveBuffersAfterEachCall.push(count);
      liveBufferBytesAfterEachCall.push(bytes);
    }
    const milliseconds = performance.now() - start;
    const used = [...new Set(Object.values(loaded.sessions).map((s) => s.device))].join(',');
    return { device: used, afterEachCall, peakDuringCalls, liveBuffersAfterEachCall, liveBufferBytesAfterEachCall, milliseconds };
  } finally {
    await loaded.dispose();
  }
}

async function gpuAdapter(): Promise<string | null> {
  const adapter = await requestAdapter();
  return adapter ? (adapter.info?.architecture ?? 'unknown') : null;
}

// A WebGPU run takes minutes; when a source file changes under the dev server meanwhile, Vite would
// reload the page and kill the run. Accepting the update here keeps the running call alive.
(import.meta as ImportMeta & { hot?: { accept(callback: () => void): void } }).hot?.accept(() => {});

const api = { checkGenerationGoldens, gpuBufferGrowth, gpuAdapter };
export type GenerationApi = typeof api;
Object.assign(globalThis, { generation: api });
document.getElementById('log')!.textContent = 'ready';
