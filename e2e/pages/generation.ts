// Runs model.generate() on the decoder fixtures in the page, through the public API, and compares
// token ids with the Python goldens the spec reads from disk and passes in. Every function returns
// what differs (empty = match) and how much it checked.
import { AutoModelForCausalLM, AutoModelForSeq2SeqLM, env, type Device, type Tensor } from '../../packages/webformers/src/index.js';
import { liveDeviceTensorCount } from '../../packages/webformers/src/backend/index.js';

env.localModelPath = '/packages/webformers/test/fixtures/models/';
env.allowLocalModels = true;
env.allowRemoteModels = false;

export interface GenerationCase {
  name: string;
  input_ids: number[][];
  attention_mask: number[][];
  generation_kwargs: Record<string, unknown>;
  sequences: number[][];
}

export interface GenerationReport {
  /** The device the sessions ran on, as the library reports it. */
  device: string;
  compared: number;
  problems: string[];
}

export interface GpuBufferReport {
  device: string;
  /** Live GPU tensors after each generation (all should be 0: nothing outlives a call). */
  afterEachCall: number[];
  /** The most GPU tensors seen live in the middle of a generation (proves the cache stayed on the GPU). */
  peakDuringCalls: number;
}

const rowsOf = (t: Tensor) => (t.tolist() as bigint[][]).map((row) => row.map(Number));

function loaderFor(model: string) {
  return model.includes('bart') || model.includes('t5') ? AutoModelForSeq2SeqLM : AutoModelForCausalLM;
}

async function checkGenerationGoldens(model: string, device: Device, cases: GenerationCase[]): Promise<GenerationReport> {
  const loaded = await loaderFor(model).from_pretrained(model, { device, dtype: 'fp32' });
  const problems: string[] = [];
  try {
    for (const c of cases) {
      const out = (await loaded.generate({ input_ids: c.input_ids, attention_mask: c.attention_mask, ...c.generation_kwargs })) as Tensor;
      const got = rowsOf(out);
      if (JSON.stringify(got) !== JSON.stringify(c.sequences)) problems.push(`${c.name}: got ${JSON.stringify(got)}, want ${JSON.stringify(c.sequences)}`);
    }
    return { device: [...new Set(Object.values(loaded.sessions).map((s) => s.device))].join(','), compared: cases.length, problems };
  } finally {
    await loaded.dispose();
  }
}

/**
 * Many generations in a row on one model, alternating the given cases, counting live GPU tensors
 * with the backend's own bookkeeping (a streamer samples the count mid-call where beams allow one).
 */
async function gpuBufferGrowth(model: string, device: Device, calls: number, cases: GenerationCase[]): Promise<GpuBufferReport> {
  const loaded = await loaderFor(model).from_pretrained(model, { device, dtype: 'fp32' });
  const afterEachCall: number[] = [];
  let peakDuringCalls = 0;
  const streamer = { put: () => { peakDuringCalls = Math.max(peakDuringCalls, liveDeviceTensorCount()); }, end: () => {} };
  try {
    for (let i = 0; i < calls; i++) {
      const c = cases[i % cases.length];
      const beams = Number(c.generation_kwargs.num_beams ?? 1) > 1;
      await loaded.generate({ input_ids: c.input_ids, attention_mask: c.attention_mask, ...c.generation_kwargs, ...(beams ? {} : { streamer }) });
      afterEachCall.push(liveDeviceTensorCount());
    }
    return { device: [...new Set(Object.values(loaded.sessions).map((s) => s.device))].join(','), afterEachCall, peakDuringCalls };
  } finally {
    await loaded.dispose();
  }
}

async function gpuAdapter(): Promise<string | null> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { architecture?: string } } | null> } }).gpu;
  const adapter = await gpu?.requestAdapter();
  return adapter ? (adapter.info?.architecture ?? 'unknown') : null;
}

// A WebGPU run takes minutes; when a source file changes under the dev server meanwhile, Vite would
// reload the page and kill the run. Accepting the update here keeps the running call alive.
(import.meta as ImportMeta & { hot?: { accept(callback: () => void): void } }).hot?.accept(() => {});

const api = { checkGenerationGoldens, gpuBufferGrowth, gpuAdapter };
export type GenerationApi = typeof api;
Object.assign(globalThis, { generation: api });
document.getElementById('log')!.textContent = 'ready';
