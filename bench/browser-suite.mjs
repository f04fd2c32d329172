// The browser measurements, each asked of both libraries in turn through the same page API
// (bench/pages/harness.ts). Measurements yield rows: samples per library, a unit, and whether
// lower or higher is better; run.mjs turns rows into medians, spreads and ratios.
import { mkdir, readdir, symlink, lstat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LIBRARIES, startBrowserBench } from './browser.mjs';
import { variantExists } from './variants-bench.mjs';

const FIXTURES = fileURLToPath(new URL('../packages/webformers/test/fixtures/models/', import.meta.url));
const MODELS = fileURLToPath(new URL('./models/', import.meta.url));
const HUB_ROOT = `${MODELS}hub/`;

const SENTENCES = [
  'The new release loads models from the browser store in a fraction of a second.',
  'Alice moved from Paris to Berlin to work for the European Space Agency.',
  'I did not enjoy the film, although the music was wonderful.',
  'Tokenizers split text into pieces that the model has seen during training.',
];
const batchOf = (n) => Array.from({ length: n }, (_, i) => SENTENCES[i % SENTENCES.length]);
const CONTEXT = 'The Eiffel Tower was built in Paris for the 1889 World Fair and is 330 metres tall.';
const QUESTION = 'Where was the Eiffel Tower built?';

function encoderInput(task, n) {
  if (task === 'question-answering') return { texts: Array(n).fill(QUESTION), contexts: Array(n).fill(CONTEXT) };
  return { texts: batchOf(n) };
}

const ENCODERS = [
  { task: 'text-classification', model: 'tiny-random-bert-sequence-classification', options: {} },
  { task: 'token-classification', model: 'tiny-random-bert-token-classification', options: {} },
  { task: 'question-answering', model: 'tiny-random-bert-question-answering', options: {} },
  { task: 'feature-extraction', model: 'tiny-random-bert-feature-extraction', options: { pooling: 'mean', normalize: true } },
];
const DECODERS = ['tiny-random-gpt2', 'tiny-random-llama-qwen3tok'];
/** Made by bench/make-models.mjs; measured when present. */
const LARGE_ENCODER = { task: 'text-classification', model: 'bench-bert-base', options: {} };
const LARGE_DECODER = 'bench-llama-decoder';

/** One Hub-layout folder for the server: links to the fixtures and to the generated models. */
async function prepareHubRoot(large) {
  await mkdir(HUB_ROOT, { recursive: true });
  const link = async (target, name) => {
    const path = `${HUB_ROOT}${name}`;
    if (!(await lstat(path).catch(() => null))) await symlink(target, path);
  };
  for (const name of await readdir(FIXTURES)) if (!name.includes('.')) await link(`${FIXTURES}${name}`, name);
  const made = large ? (await readdir(MODELS)).filter((name) => name.startsWith('bench-')) : [];
  for (const name of made) await link(`${MODELS}${name}`, name);
  return new Set(made);
}

/** Per-library results → one row per named sample set: `{ name: samples }` from each library. */
function rowsFrom(group, results, specs) {
  return specs.map(({ key, name, unit, better }) => ({
    group, name, unit, better,
    samples: Object.fromEntries(Object.entries(results).map(([library, r]) => [library, r?.[key] ?? []])),
  }));
}

/** `large`: also measure the models bench/make-models.mjs made, where they exist. */
/** `only`: the sections to run (load, encoder, generation, responsiveness, memory, webgpu); all when empty. */
/** `webgpuMode`: 'auto' (WebGPU rows on a real GPU), 'force' (also on a fallback adapter), 'off'. */
export async function benchBrowser({ threads = 1, scale = 1, large = true, only = new Set(), webgpuMode = 'auto', log = console.error } = {}) {
  const made = await prepareHubRoot(large);
  const env = await startBrowserBench({ modelRoot: HUB_ROOT, threads });
  const rows = [];
  const reps = (n) => Math.max(3, Math.round(n * scale));
  const push = (newRows) => {
    rows.push(...newRows);
    for (const r of newRows) log(`  ${r.group} / ${r.name}: ${LIBRARIES.map((l) => `${l} ${r.samples[l].map((x) => x.toFixed(1)).join(' ')}`).join(' | ')}`);
  };
  /** Runs `measure(session)` for each library on its own fresh page; a failure leaves that library's cells empty. */
  async function compare(measure, { emptyStore = false } = {}) {
    const results = {};
    for (const library of LIBRARIES) {
      const s = await env.session(library, { emptyStore });
      try {
        results[library] = await measure(s, library);
      } catch (error) {
        log(`  ${library} failed: ${error.message.split('\n')[0]}`);
        results[library] = null;
      } finally {
        await s.close();
      }
    }
    return results;
  }

  /** Cold: storage and HTTP cache wiped, files come from the local server. Warm: a new page, files in the store. */
  async function loads(task, model, n) {
    const cold = Object.fromEntries(LIBRARIES.map((l) => [l, { ms: [] }]));
    const warm = Object.fromEntries(LIBRARIES.map((l) => [l, { ms: [] }]));
    for (let i = 0; i < n; i++) {
      for (const [results, emptyStore] of [[cold, true], [warm, false]]) {
        const run = await compare((s) => s.call('load', task, model), { emptyStore });
        for (const library of LIBRARIES) if (run[library] !== null) results[library].ms.push(run[library]);
      }
    }
    push(rowsFrom('load', cold, [{ key: 'ms', name: `${model}: cold, from the local server`, unit: 'ms', better: 'lower' }]));
    push(rowsFrom('load', warm, [{ key: 'ms', name: `${model}: warm, from the browser store`, unit: 'ms', better: 'lower' }]));
  }

  /** Latency at batch 1 (ms per call) and throughput at batch 32 (inputs per second), one load per library. */
  async function encoder({ task, model, options }, [warmup, n1], n32, device = 'wasm') {
    const results = await compare(async (s) => {
      await s.call('load', task, model, 'fp32', device);
      const latency = await s.call('encoderCalls', task, model, encoderInput(task, 1), options, warmup, n1);
      const batchMs = await s.call('encoderCalls', task, model, encoderInput(task, 32), options, 0, n32);
      return { latency, throughput: batchMs.map((ms) => 32_000 / ms) };
    });
    const where = device === 'wasm' ? '' : `, ${device}`;
    push(rowsFrom(device === 'wasm' ? 'encoder' : device, results, [
      { key: 'latency', name: `${task} (${model}${where}): latency, batch 1`, unit: 'ms', better: 'lower' },
      { key: 'throughput', name: `${task} (${model}${where}): throughput, batch 32`, unit: 'inputs/s', better: 'higher' },
    ]));
  }

  /**
   * Time to first token and decode speed; one untimed generation of the full length first, since
   * onnxruntime's kernels and the JIT keep speeding up over the first runs of a long decode.
   */
  async function generation(model, dtype, newTokens, n, device = 'wasm') {
    const results = await compare(async (s) => {
      await s.call('load', 'text-generation', model, dtype, device);
      await s.call('generation', model, 'Hello, my name is', newTokens);
      const timings = [];
      for (let i = 0; i < n; i++) timings.push(await s.call('generation', model, 'Hello, my name is', newTokens));
      return { ttft: timings.map((t) => t.ttftMs), decode: timings.map((t) => t.decodeTokensPerS) };
    });
    const where = device === 'wasm' ? '' : ` (${device})`;
    push(rowsFrom(device === 'wasm' ? 'generation' : device, results, [
      { key: 'ttft', name: `${model} ${dtype}${where}: time to first token`, unit: 'ms', better: 'lower' },
      { key: 'decode', name: `${model} ${dtype}${where}: decode, ${newTokens} tokens greedy`, unit: 'tokens/s', better: 'higher' },
    ]));
  }

  async function responsiveness() {
    const longModel = made.has(LARGE_DECODER) ? LARGE_DECODER : DECODERS[1];
    const longTokens = made.has(LARGE_DECODER) ? 32 : 256;
    // A paragraph-long prompt, as a chat turn would be: its prefill is the longest single model call.
    const longPrompt = SENTENCES.join(' ').repeat(2);
    const blocking = await compare(async (s) => {
      await s.call('prepareResponsive', longModel, longPrompt);
      const samples = { taskWall: [], taskCpu: [], stall: [] };
      for (let i = 0; i < 3; i++) {
        let stall;
        const task = await s.traceMainThread(async () => { stall = await s.call('responsiveRun', longPrompt, longTokens); });
        samples.taskWall.push(task.wallMs);
        samples.taskCpu.push(task.cpuMs);
        samples.stall.push(stall);
      }
      return samples;
    });
    const during = `during a ${longTokens}-token generation (${longModel}); webformers through webformers/worker, transformers.js in-thread`;
    push(rowsFrom('responsiveness', blocking, [
      { key: 'taskWall', name: `longest main-thread task (Chrome trace, wall clock) ${during}`, unit: 'ms', better: 'lower' },
      { key: 'taskCpu', name: `longest main-thread task (Chrome trace, CPU time) ${during}`, unit: 'ms', better: 'lower' },
      { key: 'stall', name: `longest gap between main-thread heartbeats ${during}`, unit: 'ms', better: 'lower' },
    ]));
  }

  /** Peak and growth of live memory over 100 calls: the JS heap, and on WebGPU the GPU buffers alive. */
  async function memory(device = 'wasm') {
    const { task, model } = ENCODERS[0];
    const mb = (bytes) => bytes / 2 ** 20;
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const growth = (xs) => mean(xs.slice(-10)) - mean(xs.slice(0, 10));
    const results = await compare(async (s) => {
      await s.call('load', task, model, 'fp32', device);
      const samples = await s.call('memoryOverRuns', task, model, encoderInput(task, 1), 100);
      const heap = samples.map((m) => mb(m.heap));
      const buffers = samples.map((m) => m.gpuBuffers);
      const bytes = samples.map((m) => mb(m.gpuBytes));
      return { peak: [Math.max(...heap)], growth: [growth(heap)], buffers: [buffers.at(-1)], bufferGrowth: [growth(buffers)], bytesGrowth: [growth(bytes)] };
    });
    if (device === 'wasm') {
      push(rowsFrom('memory', results, [
        { key: 'peak', name: `peak live JS heap over 100 ${task} calls (${model})`, unit: 'MB', better: 'lower' },
        { key: 'growth', name: 'live JS heap growth, mean after calls 91–100 minus after calls 1–10', unit: 'MB', better: 'lower' },
      ]));
      return;
    }
    push(rowsFrom(device, results, [
      { key: 'buffers', name: `GPU buffers alive after 100 ${task} calls (${model}, ${device})`, unit: 'buffers', better: 'lower' },
      { key: 'bufferGrowth', name: 'GPU buffers alive, mean after calls 91–100 minus after calls 1–10', unit: 'buffers', better: 'lower' },
      { key: 'bytesGrowth', name: 'GPU buffer bytes alive, mean after calls 91–100 minus after calls 1–10', unit: 'MB', better: 'lower' },
    ]));
  }

  /**
   * WebGPU rows, on a real GPU only by default: a fallback adapter (SwiftShader, Vulkan on the CPU)
   * runs a tiny BERT 100× slower than wasm, so its numbers say nothing about GPUs. `webgpu: 'force'`
   * runs a short plan there anyway, to check the section works on a machine without a GPU.
   */
  async function webgpu() {
    const probe = await env.session('webformers');
    const adapter = await probe.call('adapter').finally(() => probe.close());
    if (adapter === null) return log('  webgpu: no adapter; WebGPU rows left out');
    log(`  webgpu: adapter ${adapter.vendor} ${adapter.architecture} ${adapter.description}${adapter.fallback ? ' (fallback)' : ''}, shader-f16 ${adapter.shaderF16}`);
    if (adapter.fallback && webgpuMode !== 'force') return log('  webgpu: only a fallback adapter (no GPU); WebGPU rows left out (BENCH_WEBGPU=force runs a short plan on it)');
    if (adapter.fallback) {
      await encoder(ENCODERS[0], [1, 3], 1, 'webgpu');
      await generation(DECODERS[0], 'fp32', 4, 1, 'webgpu');
      await memory('webgpu');
      return;
    }
    for (const spec of ENCODERS) await encoder(spec, [3, reps(15)], reps(5), 'webgpu');
    if (made.has(LARGE_ENCODER.model)) await encoder(LARGE_ENCODER, [2, reps(10)], reps(3), 'webgpu');
    for (const model of DECODERS) await generation(model, 'fp32', 64, reps(5), 'webgpu');
    if (made.has(LARGE_DECODER)) {
      const dtypes = ['fp32', 'q4', ...(adapter.shaderF16 ? ['fp16', 'q4f16'] : [])].filter((dtype) => variantExists(MODELS, LARGE_DECODER, dtype));
      for (const dtype of dtypes) await generation(LARGE_DECODER, dtype, 64, reps(5), 'webgpu');
    }
    await memory('webgpu');
  }

  const sections = {
    async load() {
      await loads(ENCODERS[0].task, ENCODERS[0].model, reps(3));
      if (made.has(LARGE_ENCODER.model)) await loads(LARGE_ENCODER.task, LARGE_ENCODER.model, 1);
    },
    async encoder() {
      for (const spec of ENCODERS) await encoder(spec, [3, reps(15)], reps(5));
      // One BERT-base batch of 32 takes 10–20 s here: two of them keep the run inside 15 minutes.
      if (made.has(LARGE_ENCODER.model)) await encoder(LARGE_ENCODER, [1, 3], 2);
    },
    async generation() {
      for (const model of DECODERS) await generation(model, 'fp32', 64, reps(5));
      // The realistic-size decoder is measured by variants-bench.mjs, fp32 next to its quantized variants.
    },
    responsiveness,
    memory: () => memory(),
    ...(webgpuMode === 'off' ? {} : { webgpu }),
  };
  try {
    for (const [name, run] of Object.entries(sections)) {
      if (only.size > 0 && !only.has(name)) continue;
      log(`browser: ${name}`);
      await run();
    }
  } finally {
    await env.close();
  }
  return rows;
}
