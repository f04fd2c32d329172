// Conversion time of the realistic-size bench models (bench/make-models.mjs) to each weight variant,
// in Node, with packages/convert as its CLI runs it: every variant file is written beside the fp32
// graph, where the variant-speed bench (bench/variants-bench.mjs) and the Hub server find it.
//   node bench/convert-bench.mjs            prints the rows (BENCH_MODELS_DIR=<dir>/ for another copy of the models)
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const REPO = fileURLToPath(new URL('..', import.meta.url));
export const BENCH_MODELS_DIR = `${REPO}bench/models/`;
/** The models bench/make-models.mjs makes: a BERT-base-sized encoder and a 124 M Llama-style decoder. */
export const CONVERTED_MODELS = ['bench-bert-base', 'bench-llama-decoder'];
export const VARIANT_DTYPES = ['fp16', 'q8', 'q4', 'q4f16'];

const mb = (bytes) => bytes / 2 ** 20;

/**
 * Converts each model to each dtype once (a 400–500 MB conversion is too long to repeat) and
 * returns one row per conversion in the shape of bench/table.mjs: the time as webformers' sample
 * (transformers.js has no converter: the row has no samples of it), and the sizes in the name.
 */
/** `modelsDir`: where the models are (default bench/models/). */
export async function benchConversion({ modelsDir = BENCH_MODELS_DIR, models = CONVERTED_MODELS, dtypes = VARIANT_DTYPES, log = console.error } = {}) {
  // packages/convert is TypeScript: Vite runs its sources as the CLI's build would.
  const vite = await createServer({ root: REPO, configFile: false, server: { middlewareMode: true }, appType: 'custom', logLevel: 'warn' });
  const rows = [];
  try {
    const { convertModelFolder } = await vite.ssrLoadModule('/packages/convert/src/model-files.ts');
    for (const model of models) {
      for (const dtype of dtypes) {
        const [converted] = convertModelFolder(`${modelsDir}${model}`, [dtype]);
        const sizes = `${mb(converted.sourceBytes).toFixed(0)} MB fp32 → ${mb(converted.bytes).toFixed(0)} MB, ${(converted.bytes / converted.sourceBytes).toFixed(2)}×`;
        const row = {
          group: 'conversion',
          name: `${model} → ${dtype} (Node, packages/convert; ${sizes})`,
          unit: 'ms',
          better: 'lower',
          samples: { webformers: [converted.milliseconds] },
        };
        log(`  ${row.group} / ${row.name}: ${converted.milliseconds.toFixed(0)} ms`);
        rows.push(row);
      }
    }
  } finally {
    await vite.close();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchConversion({ modelsDir: process.env.BENCH_MODELS_DIR ?? BENCH_MODELS_DIR });
  console.log(JSON.stringify(rows, null, 2));
}
