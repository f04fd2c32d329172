// `npm run bench`: every benchmark, webformers against transformers.js in the same run; prints one
// ratio table and writes bench/results/latest.{json,md}.
//   BENCH_SKIP=tokenizers,browser,large,conversion,variants   leave parts out (large: the
//                                   realistic-size models, which conversion and variants need)
//   BENCH_SCALE=0.5                 fewer repetitions (at least 3 each)
//   BENCH_THREADS=1                 ORT wasm threads, the same for both libraries
//   BENCH_ONLY=responsiveness,memory  only these browser sections (load, encoder, generation,
//                                   responsiveness, memory, webgpu); results go to bench/results/partial.*
//   BENCH_WEBGPU=auto               WebGPU rows on a real GPU adapter (auto), also on a fallback
//                                   adapter such as SwiftShader (force, a short plan), or never (off)
//   BENCH_CHROMIUM_ARGS="--flag …"  extra Chromium flags (a GPU machine may need some to expose its GPU)
//   --tokenizers a,b                tokenizers to measure (default: the three the issue quotes)
// The realistic-size models are made on first use (bench/make-models.mjs, about a minute).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { benchBrowser } from './browser-suite.mjs';
import { benchConversion } from './convert-bench.mjs';
import { makeModels } from './make-models.mjs';
import { markdownTable, summarize, tokenizerSummaries } from './table.mjs';
import { benchTokenizers } from './tokenizers.mjs';
import { benchVariants } from './variants-bench.mjs';

// The reference figures are for these three; all 14 take most of the 15-minute budget here.
const DEFAULT_TOKENIZERS = ['gpt2', 'llama3', 'bert-base-uncased'];
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const threads = Number(process.env.BENCH_THREADS ?? 1);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const webgpuMode = process.env.BENCH_WEBGPU ?? 'auto';
const started = Date.now();
// npm nests a library's onnxruntime-web only when it differs from the hoisted one: the pin makes them one
// build, and the table says so if they ever part.
const repo = new URL('../', import.meta.url).pathname;
const ortOf = (dir) => {
  const nested = `${repo}${dir}/node_modules/onnxruntime-web/package.json`;
  return JSON.parse(readFileSync(existsSync(nested) ? nested : `${repo}node_modules/onnxruntime-web/package.json`, 'utf8')).version;
};
const ortVersions = [...new Set(['packages/webformers', 'node_modules/@huggingface/transformers'].map(ortOf))];
const ortVersion = ortVersions.length === 1 ? `onnxruntime-web ${ortVersions[0]}` : `webformers on onnxruntime-web ${ortVersions[0]}, transformers.js on ${ortVersions[1]}`;
const load = () => loadavg()[0].toFixed(1);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${load()} at start`;

const summaries = [];
if (!skip.has('tokenizers')) {
  console.error('tokenizers (Node)');
  const repetitions = 10;
  const names = process.argv.includes('--tokenizers') ? {} : { names: DEFAULT_TOKENIZERS };
  summaries.push(...tokenizerSummaries(await benchTokenizers({ ...names, repetitions }), repetitions));
}
if (!skip.has('browser')) {
  console.error(`browser (Chromium, wasm, ${threads} thread(s))`);
  const large = !skip.has('large');
  if (large) await makeModels();
  const whole = large && only.size === 0;
  // Conversion writes the variant files that the variants run loads (a skipped one leaves earlier files).
  if (whole && !skip.has('conversion')) summaries.push(...(await benchConversion()).map(summarize));
  summaries.push(...(await benchBrowser({ threads, scale, large, only, webgpuMode })).map(summarize));
  // fp16 and q4f16 are left out: on wasm they ran 1.6–1.9× slower than fp32 (bench-bert-base latency),
  // onnxruntime's CPU kernels working on float16 through conversions; they are WebGPU variants.
  if (whole && !skip.has('variants')) summaries.push(...(await benchVariants({ threads, dtypes: ['fp32', 'q8', 'q4'] })).map(summarize));
}
const minutes = ((Date.now() - started) / 60_000).toFixed(1);

const markdown = [
  `Machine: ${machine}; load average ${load()} at the end; ${minutes} min. Date: ${new Date().toISOString().slice(0, 10)}.`,
  `Browser: headless Chromium, onnxruntime-web wasm with ${threads} thread(s) for both libraries (${ortVersion}), fp32, models from a local Hub-layout server.`,
  '',
  markdownTable(summaries),
].join('\n');
console.log(markdown);
const out = new URL('./results/', import.meta.url);
await mkdir(out, { recursive: true });
// Only a whole run replaces latest.*: a partial one (BENCH_ONLY or BENCH_SKIP) would drop the rows it left out.
const base = only.size > 0 || skip.size > 0 ? 'partial' : 'latest';
await writeFile(new URL(`${base}.json`, out), JSON.stringify({ machine, threads, date: new Date().toISOString(), minutes: Number(minutes), results: summaries }, null, 2));
await writeFile(new URL(`${base}.md`, out), `${markdown}\n`);
