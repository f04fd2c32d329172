// The measurements, written once and run against either library: each bench page hands in a
// `BenchLibrary` (how to configure it, build a pipeline, stream a generation) and exposes the same
// `bench` object, so the driver (bench/browser.mjs) asks both pages exactly the same questions.
// The census wraps the WebGPU API when imported, before either library asks for a GPU device (at its
// first WebGPU session).
import { liveGpuBuffers } from '../../packages/webformers/test/support/gpu-buffer-census.js';

/** What a pipeline looks like from the page: both libraries share transformers.js's call surface. */
export type BenchPipeline = ((...args: unknown[]) => Promise<unknown>) & { dispose(): Promise<void> };

export interface BenchLibrary {
  configure(hub: string, threads: number): void;
  pipeline(task: string, model: string, dtype: string, device: 'wasm' | 'webgpu'): Promise<BenchPipeline>;
  /**
   * Loads a text generator the way a page would run it to stay responsive: webformers through
   * `webformers/worker`, transformers.js in the page's thread (it has no worker API).
   */
  responsiveGenerator(model: string): Promise<(prompt: string, newTokens: number) => Promise<void>>;
}

export interface MemorySample { heap: number; gpuBuffers: number; gpuBytes: number }

export interface AdapterFacts { vendor: string; architecture: string; description: string; fallback: boolean; shaderF16: boolean }

interface GpuAdapterLike {
  readonly info: { vendor: string; architecture: string; description: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
  readonly features: { has(name: string): boolean };
}

/** Batch of encoder inputs; `contexts` only for question answering. */
export interface EncoderInput { texts: string[]; contexts?: string[] }

export interface GenerationTiming {
  /** Milliseconds from the call to the first generated token. */
  ttftMs: number;
  /** Generated tokens per second after the first one. */
  decodeTokensPerS: number;
  tokens: number;
}

// performance.memory is Chromium-only and needs --enable-precise-memory-info for exact figures;
// collecting first (the driver starts Chromium with --expose-gc) makes the figure live memory, not garbage.
function liveHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? Number.NaN;
}

function callWith(pipe: BenchPipeline, input: EncoderInput, options: object): Promise<unknown> {
  const single = input.texts.length === 1;
  const texts = single ? input.texts[0] : input.texts;
  if (input.contexts) return pipe(texts, single ? input.contexts[0] : input.contexts, options);
  return pipe(texts, options);
}

async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/**
 * Chromium 156 with Vulkan on Linux (an H100 machine) answered a page's first adapter request with
 * null and the next with the GPU; each page asks once before either library does, so both see it.
 */
const firstAdapterRequest = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter().catch(() => null);

export function installBench(library: BenchLibrary): void {
  const pipelines = new Map<string, BenchPipeline>();

  let responsive: ((prompt: string, newTokens: number) => Promise<void>) | undefined;

  const loaded = (task: string, model: string): BenchPipeline => {
    const pipe = pipelines.get(`${task}|${model}`);
    if (!pipe) throw new Error(`bench: load ${task} ${model} first`);
    return pipe;
  };

  const bench = {
    configure: library.configure,

    /** Time to a ready pipeline; the driver decides whether the store is empty (cold) or filled (warm). */
    async load(task: string, model: string, dtype = 'fp32', device: 'wasm' | 'webgpu' = 'wasm'): Promise<number> {
      const start = performance.now();
      const pipe = await library.pipeline(task, model, dtype, device);
      const ms = performance.now() - start;
      pipelines.set(`${task}|${model}`, pipe);
      return ms;
    },

    /** Milliseconds per call, `warmup` untimed calls first (the first run pays for ORT's kernel setup). */
    async encoderCalls(task: string, model: string, input: EncoderInput, options: object, warmup: number, reps: number): Promise<number[]> {
      const pipe = loaded(task, model);
      for (let i = 0; i < warmup; i++) await callWith(pipe, input, options);
      const times: number[] = [];
      for (let i = 0; i < reps; i++) times.push(await timeMs(() => callWith(pipe, input, options)));
      return times;
    },

    async generation(model: string, prompt: string, newTokens: number): Promise<GenerationTiming> {
      const pipe = loaded('text-generation', model);
      const stamps: number[] = [];
      // Both libraries put the prompt through the streamer first, then one put per new token.
      const streamer = { put: () => { stamps.push(performance.now()); }, end: () => {} };
      const start = performance.now();
      await pipe(prompt, { max_new_tokens: newTokens, min_new_tokens: newTokens, do_sample: false, streamer });
      const tokenStamps = stamps.slice(1);
      const tokens = tokenStamps.length;
      const decodeMs = tokenStamps[tokens - 1]! - tokenStamps[0]!;
      return { ttftMs: tokenStamps[0]! - start, decodeTokensPerS: ((tokens - 1) * 1000) / decodeMs, tokens };
    },

    /** Loads the generator of the responsiveness run and warms it up with a short generation. */
    async prepareResponsive(model: string, prompt: string): Promise<void> {
      responsive = await library.responsiveGenerator(model);
      await responsive(prompt, 2);
    },

    /**
     * The longest gap between heartbeats during one long generation, a zero-delay timer that
     * fires whenever the page's thread is free. The driver traces the same run for the longest
     * main-thread task (headless Chromium records no 'longtask' entries, see main-thread-trace.mjs).
     */
    async responsiveRun(prompt: string, newTokens: number): Promise<number> {
      if (!responsive) throw new Error('bench: prepareResponsive first');
      let last = performance.now();
      let longestGap = 0;
      let beating = true;
      const beat = () => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
        if (beating) setTimeout(beat, 0);
      };
      setTimeout(beat, 0);
      await responsive(prompt, newTokens);
      beating = false;
      // A run that never yields fires no beat at all: the gap then runs to its end.
      return Math.max(longestGap, performance.now() - last);
    },

    /** Live JS heap and live GPU buffers after each of `runs` calls, so the driver can see peak and growth. */
    async memoryOverRuns(task: string, model: string, input: EncoderInput, runs: number): Promise<MemorySample[]> {
      const pipe = loaded(task, model);
      const samples: MemorySample[] = [];
      for (let i = 0; i < runs; i++) {
        await callWith(pipe, input, {});
        const gpu = liveGpuBuffers();
        samples.push({ heap: liveHeap(), gpuBuffers: gpu.count, gpuBytes: gpu.bytes });
      }
      return samples;
    },

    /** The page's WebGPU adapter, or null: the driver runs WebGPU rows only on a real GPU unless told otherwise. */
    async adapter(): Promise<AdapterFacts | null> {
      const gpu = (navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
      await firstAdapterRequest;
      const adapter = await gpu?.requestAdapter();
      if (!adapter) return null;
      const { vendor, architecture, description } = adapter.info;
      const fallback = adapter.info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? architecture === 'swiftshader';
      return { vendor, architecture, description, fallback, shaderF16: adapter.features.has('shader-f16') };
    },

    async disposeAll(): Promise<void> {
      for (const pipe of pipelines.values()) await pipe.dispose();
      pipelines.clear();
    },
  };
  Object.assign(globalThis, { bench });
  document.getElementById('log')!.textContent = 'ready';
}
