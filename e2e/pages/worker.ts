// Drives `webformers/worker` from a page: the spec passes inputs and reads back what the main
// thread received (results, progress events, errors, long tasks) and compares with the goldens.
import * as Comlink from 'comlink';
import {
  AutoModelForCausalLM,
  createWorkerClient,
  env,
  pipeline,
  TextStreamer,
  WorkerLostError,
  type WorkerClient,
  type WorkerEnvSettings,
} from '../../packages/webformers/src/worker/index.js';
import { WebformersError } from '../../packages/webformers/src/utils/errors.js';
import { Tensor } from '../../packages/webformers/src/utils/tensor.js';
import { ModelFileError } from '../../packages/webformers/src/hub/errors.js';
import type { WorkerApi } from '../../packages/webformers/src/worker/protocol.js';

export interface CaseInput { input: unknown; kwargs: Record<string, unknown> }
export interface GenerateInput { input_ids: number[][]; attention_mask: number[][]; generation_kwargs: Record<string, unknown> }
export interface ErrorReport { name: string; code?: string; reason?: string; message: string; isWebformersError: boolean; isModelFileError: boolean; isWorkerLostError: boolean }

const longTasks: PerformanceEntry[] = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });

let remoteHost = '';
function useServer(settings: WorkerEnvSettings, host: string): void {
  settings.remoteHost = `${host}/`;
  settings.allowLocalModels = false;
  // Every load downloads (so progress and faults are observable); the store has its own spec.
  settings.useBrowserCache = false;
}

function report(error: unknown): ErrorReport {
  const e = error as Error & { code?: string; reason?: string };
  return {
    name: e.name, code: e.code, reason: e.reason, message: e.message,
    isWebformersError: error instanceof WebformersError,
    isModelFileError: error instanceof ModelFileError,
    isWorkerLostError: error instanceof WorkerLostError,
  };
}

/** A client whose workers the page can reach (to crash one from inside). */
function observedClient(): { client: WorkerClient; workers: Worker[] } {
  const workers: Worker[] = [];
  const client = createWorkerClient({
    createWorker: () => {
      const worker = new Worker(new URL('../../packages/webformers/src/worker/worker-entry.ts', import.meta.url), { type: 'module' });
      workers.push(worker);
      return worker;
    },
  });
  useServer(client.env, remoteHost);
  return { client, workers };
}

const api = {
  configure(host: string): void {
    remoteHost = host;
    useServer(env, host);
  },

  /** Runs each case through the shared worker (the bundler-style default worker URL). */
  async runPipeline(task: 'text-classification' | 'ner', model: string, cases: CaseInput[]): Promise<unknown[]> {
    const run = await pipeline(task, model);
    const outputs: unknown[] = [];
    for (const c of cases) outputs.push(await (run as (input: unknown, options: unknown) => Promise<unknown>)(c.input, c.kwargs));
    await run.dispose();
    return outputs;
  },

  async progressEvents(model: string): Promise<unknown[]> {
    const events: unknown[] = [];
    const run = await pipeline('text-classification', model, { progress_callback: (e) => events.push(e) });
    events.push({ status: 'resolved' });
    await run.dispose();
    return events;
  },

  async loadError(model: string): Promise<ErrorReport | null> {
    try {
      await pipeline('text-classification', model);
      return null;
    } catch (error) {
      return report(error);
    }
  },

  /** Starts a load, makes the worker throw an uncaught error meanwhile, then calls again. */
  async crashMidCall(model: string, input: string): Promise<{ error: ErrorReport | null; workers: number; after: unknown }> {
    const { client, workers } = observedClient();
    const loading = client.pipeline('text-classification', model);
    await new Promise((done) => setTimeout(done, 300));
    void Comlink.wrap<WorkerApi>(workers[0]).crashForTesting();
    const error = await loading.then(() => null, report);
    const after = await (await client.pipeline('text-classification', model))(input, { top_k: null });
    client.terminate();
    return { error, workers: workers.length, after };
  },

  /** Terminates the worker while a long call is in flight, then uses the same pipeline again. */
  async terminateMidCall(model: string, longInput: string, input: string): Promise<{ error: ErrorReport | null; after: unknown }> {
    const { client } = observedClient();
    const classify = await client.pipeline('text-classification', model);
    const call = classify(Array.from({ length: 64 }, () => longInput), { top_k: null });
    // One macrotask later the call has been posted; the worker needs far longer than that for it.
    await new Promise((done) => setTimeout(done, 0));
    client.terminate();
    const error = await call.then(() => null, report);
    const after = await classify(input, { top_k: null });
    client.terminate();
    return { error, after };
  },

  /** Loads and runs many calls while the main thread keeps a timer going; reports long tasks. */
  async longTasksDuring(model: string, texts: string[], rounds: number): Promise<{ longTasks: number[]; ticks: number; results: number }> {
    const start = performance.now();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const { client } = observedClient();
    const classify = await client.pipeline('text-classification', model);
    let results = 0;
    for (let i = 0; i < rounds; i++) results += ((await classify(texts, { top_k: null })) as unknown[]).length;
    clearInterval(timer);
    client.terminate();
    // Long-task entries are delivered after the task ends; let the last ones arrive.
    await new Promise((done) => setTimeout(done, 100));
    return { longTasks: longTasks.filter((t) => t.startTime >= start).map((t) => t.duration), ticks, results };
  },

  /** Streams generated text through the shared worker; returns the chunks and the call's result. */
  async streamGeneration(model: string, input: string, kwargs: Record<string, unknown>): Promise<{ chunks: string[]; result: unknown }> {
    const generator = await pipeline('text-generation', model);
    const chunks: string[] = [];
    const stream = generator.stream(input, kwargs);
    let step = await stream.next();
    while (!step.done) {
      chunks.push(step.value);
      step = await stream.next();
    }
    await generator.dispose();
    return { chunks, result: step.value };
  },

  /** `AutoModelForCausalLM` of webformers/worker: `generate()` per case, in the shared worker. */
  async generateWithModel(model: string, cases: GenerateInput[]): Promise<{ tensor: boolean; sequences: number[][]; choice: unknown }[]> {
    const lm = await AutoModelForCausalLM.from_pretrained(model, { dtype: 'fp32' });
    const outputs = [];
    for (const c of cases) {
      const out = await lm.generate({ input_ids: c.input_ids, attention_mask: c.attention_mask, ...c.generation_kwargs });
      const sequences = out instanceof Tensor ? (out.tolist() as bigint[][]).map((row) => row.map(Number)) : [];
      outputs.push({ tensor: out instanceof Tensor, sequences, choice: lm.choice });
    }
    await lm.dispose();
    return outputs;
  },

  /**
   * `generate()` with a signal aborted from a streamer after `abortAtPut` puts (the prompt is the
   * first), then the same call again without one; the rows of both answers and the puts seen.
   */
  async abortGeneration(model: string, c: GenerateInput, abortAtPut: number): Promise<{ tensor: boolean; partial: number[][]; puts: number; again: number[][] }> {
    const lm = await AutoModelForCausalLM.from_pretrained(model, { dtype: 'fp32' });
    const controller = new AbortController();
    let puts = 0;
    const streamer = { put: () => { if (++puts === abortAtPut) controller.abort(); }, end: () => undefined };
    const rows = (out: unknown) => (out instanceof Tensor ? (out.tolist() as bigint[][]).map((row) => row.map(Number)) : []);
    const request = { input_ids: c.input_ids, attention_mask: c.attention_mask, ...c.generation_kwargs };
    const out = await lm.generate({ ...request, streamer, signal: controller.signal });
    const again = rows(await lm.generate(request));
    await lm.dispose();
    return { tensor: out instanceof Tensor, partial: rows(out), puts, again };
  },

  /** transformers.js's streaming example, unchanged but for the import: a TextStreamer over `generator.tokenizer`. */
  async textStreamerThroughWorker(model: string, input: string, kwargs: Record<string, unknown>): Promise<{ chunks: string[]; chunksAtResolve: number; result: unknown }> {
    const generator = await pipeline('text-generation', model);
    const chunks: string[] = [];
    const streamer = new TextStreamer(generator.tokenizer, { skip_prompt: true, callback_function: (text) => chunks.push(text) });
    const result = await generator(input, { ...kwargs, streamer });
    const chunksAtResolve = chunks.length;
    await generator.dispose();
    return { chunks, chunksAtResolve, result };
  },

  /** Aborts a pipeline load 300 ms in, then loads again without a signal and classifies. */
  async abortLoad(model: string, input: string): Promise<{ error: ErrorReport | null; rejectedAfterMs: number; after: unknown }> {
    const { client } = observedClient();
    const controller = new AbortController();
    const loading = client.pipeline('text-classification', model, { signal: controller.signal });
    await new Promise((done) => setTimeout(done, 300));
    const abortedAt = performance.now();
    controller.abort();
    const error = await loading.then(() => null, report);
    const rejectedAfterMs = performance.now() - abortedAt;
    const after = await (await client.pipeline('text-classification', model))(input, { top_k: null });
    client.terminate();
    return { error, rejectedAfterMs, after };
  },

  /** Loads with the worker's IndexedDB store on, then lists and clears it through `cache`. */
  async cacheThroughWorker(model: string): Promise<{ listed: unknown; afterClear: unknown }> {
    const { client } = observedClient();
    client.env.useBrowserCache = true;
    await client.cache.clear();
    await (await client.pipeline('text-classification', model)).dispose();
    const listed = await client.cache.list();
    await client.cache.clear();
    const afterClear = await client.cache.list();
    client.terminate();
    return { listed, afterClear };
  },

  async viaWorkerURL(url: string, model: string, input: string): Promise<unknown> {
    const client = createWorkerClient({ workerURL: url });
    useServer(client.env, remoteHost);
    const result = await (await client.pipeline('text-classification', model))(input, { top_k: null });
    client.terminate();
    return result;
  },
};

export type WorkerPageApi = typeof api;
Object.assign(globalThis, { workerPage: api });
// Library files edited while a spec runs would make Vite reload the page under the test; taking
// the update here instead keeps the page (and the call in flight) alive.
(import.meta as ImportMeta & { hot?: { accept(): void } }).hot?.accept();
document.getElementById('log')!.textContent = 'ready';
