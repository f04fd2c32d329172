// The weight variants' speed next to fp32, in Chromium on wasm: encoder latency (bench-bert-base) and
// generation (bench-llama-decoder: time to first token, decode tokens/s), each dtype measured for
// webformers and transformers.js on the same files. The variant files are the ones
// bench/convert-bench.mjs writes; a dtype whose file is missing is reported and skipped.
//   node bench/variants-bench.mjs      (after the library build, tsconfig.build.json, and convert-bench;
//                                      BENCH_MODELS_DIR=<dir>/ and BENCH_PORT as for convert-bench and run.mjs)
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LIBRARIES, startBrowserBench } from './browser.mjs';
import { BENCH_MODELS_DIR, VARIANT_DTYPES } from './convert-bench.mjs';

const FILE_SUFFIX = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16' };
const PROMPT = 'Hello, my name is';
const SENTENCE = 'The new release loads models from the browser store in a fraction of a second.';

/**
 * What is measured per model, and how: `measure(session)` returns named sample lists, `rows` says
 * what each list is. `webformers` is the library whose fp32 median the other dtypes are compared with.
 */
const MODELS = [
  {
    model: 'bench-bert-base',
    task: 'text-classification',
    async measure(s) {
      const latency = await s.call('encoderCalls', 'text-classification', 'bench-bert-base', { texts: [SENTENCE] }, {}, 1, 5);
      return { latency };
    },
    rows: [{ key: 'latency', what: 'text-classification latency, batch 1', unit: 'ms', better: 'lower' }],
  },
  {
    model: 'bench-llama-decoder',
    task: 'text-generation',
    async measure(s) {
      // A full-length untimed run first: decode speed kept rising over the first runs (ORT's and the JIT's warm-up).
      await s.call('generation', 'bench-llama-decoder', PROMPT, 16);
      const timings = [];
      for (let i = 0; i < 4; i++) timings.push(await s.call('generation', 'bench-llama-decoder', PROMPT, 16));
      return { ttft: timings.map((t) => t.ttftMs), decode: timings.map((t) => t.decodeTokensPerS) };
    },
    rows: [
      { key: 'ttft', what: 'time to first token', unit: 'ms', better: 'lower' },
      { key: 'decode', what: 'decode, 16 tokens greedy', unit: 'tokens/s', better: 'higher' },
    ],
  },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Whether bench/convert-bench.mjs wrote `model`'s `dtype` file under `modelsDir`. */
export function variantExists(modelsDir, model, dtype) {
  return existsSync(`${modelsDir}${model}/onnx/model${FILE_SUFFIX[dtype]}.onnx`);
}

/**
 * Rows in the shape of bench/table.mjs, group 'variants'. Every load starts from an empty store
 * (five 100–500 MB variants per library would not fit the origin's quota together); its time is
 * reported as the cold load. The name of each non-fp32 row carries webformers' median as a multiple
 * of its own fp32 median in this run (fp32 must come first in `dtypes` for that). `modelsDir` is
 * served as the Hub (default bench/models/); `models` and `libraries` narrow the run.
 */
export async function benchVariants({
  modelsDir = BENCH_MODELS_DIR, models = MODELS.map((m) => m.model), libraries = LIBRARIES, dtypes = ['fp32', ...VARIANT_DTYPES], threads = 1, port, log = console.error,
} = {}) {
  const env = await startBrowserBench({ modelRoot: modelsDir, threads, port });
  const rows = [];
  try {
    for (const spec of MODELS.filter((m) => models.includes(m.model))) {
      const fp32Median = {};
      for (const dtype of dtypes) {
        if (!variantExists(modelsDir, spec.model, dtype)) {
          log(`  variants: ${spec.model} has no ${dtype} file (run bench/convert-bench.mjs first); skipped`);
          continue;
        }
        const samples = {};
        for (const library of libraries) {
          const s = await env.session(library, { emptyStore: true });
          try {
            const load = await s.call('load', spec.task, spec.model, dtype);
            samples[library] = { load: [load], ...(await spec.measure(s)) };
          } catch (error) {
            log(`  variants: ${library} ${spec.model} ${dtype} failed: ${error.message.split('\n')[0]}`);
            samples[library] = {};
          } finally {
            await s.close();
          }
        }
        const measured = [{ key: 'load', what: 'load, cold from the local server', unit: 'ms', better: 'lower' }, ...spec.rows];
        for (const { key, what, unit, better } of measured) {
          const ours = samples.webformers[key] ?? [];
          if (dtype === 'fp32' && ours.length) fp32Median[key] = median(ours);
          const relative = dtype !== 'fp32' && ours.length && fp32Median[key] ? `; webformers ${(median(ours) / fp32Median[key]).toFixed(2)}× its fp32` : '';
          const row = {
            group: 'variants', name: `${spec.model} ${dtype}: ${what}${relative}`, unit, better,
            samples: Object.fromEntries(libraries.map((l) => [l, samples[l][key] ?? []])),
          };
          log(`  ${row.group} / ${row.name}: ${libraries.map((l) => `${l} ${row.samples[l].map((x) => x.toFixed(1)).join(' ')}`).join(' | ')}`);
          rows.push(row);
        }
      }
    }
  } finally {
    await env.close();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchVariants({
    modelsDir: process.env.BENCH_MODELS_DIR ?? BENCH_MODELS_DIR,
    threads: Number(process.env.BENCH_THREADS ?? 1),
    port: process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined,
  });
  console.log(JSON.stringify(rows, null, 2));
}
