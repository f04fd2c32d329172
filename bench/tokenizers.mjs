// Tokenizer throughput on the shared 332-text corpus: webformers (built dist) against transformers.js and
// @huggingface/tokenizers, in one Node process, same tokenizer.json files. Each repetition builds a fresh
// tokenizer (not timed) so every library starts with an empty word cache, then times one pass over the corpus
// in CPU seconds.
// `--tokenizers gpt2,bert-base-uncased` limits the run to those names (default: every tokenizer in the manifest).
import { readFile } from 'node:fs/promises';
import { PreTrainedTokenizer as TransformersJsTokenizer } from '@huggingface/transformers';
import { Tokenizer as HfTokenizersJs } from '@huggingface/tokenizers';
import { PreTrainedTokenizer } from 'webformers';
import { median, spread } from './stats.mjs';

const root = new URL('../', import.meta.url);
const fixtures = 'packages/webformers/test/fixtures/tokenizers';
const readJson = async (path) => JSON.parse(await readFile(new URL(path, root), 'utf8'));

// Untimed passes first: the corpus is 55 kB, one pass is tens of milliseconds, and the JIT is
// still compiling the hot paths during the first few.
const WARMUP = 3;

const LIBRARIES = {
  webformers: (json, config) => {
    const tokenizer = PreTrainedTokenizer.fromJSON(json, config);
    return (text) => tokenizer.encode(text);
  },
  'transformers.js': (json, config) => {
    const tokenizer = new TransformersJsTokenizer(json, config);
    return (text) => tokenizer.encode(text);
  },
  '@huggingface/tokenizers': (json, config) => {
    const tokenizer = new HfTokenizersJs(json, config);
    return (text) => tokenizer.encode(text);
  },
};

/** The names after `--tokenizers` on the command line, or null when it is absent. */
function namesFromArgv(argv = process.argv) {
  const at = argv.indexOf('--tokenizers');
  if (at === -1) return null;
  const list = argv[at + 1];
  if (list === undefined) throw new Error('--tokenizers needs a comma-separated list of names, e.g. --tokenizers gpt2,qwen3');
  return list.split(',').filter(Boolean);
}

export async function benchTokenizers({ names = namesFromArgv(), repetitions = 5 } = {}) {
  const manifest = await readJson(`${fixtures}/manifest.json`);
  const corpusText = await readFile(new URL(`${fixtures}/corpus/dev.jsonl`, root), 'utf8');
  const texts = corpusText.split('\n').filter(Boolean).map((line) => JSON.parse(line).text);
  const megabytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t, 'utf8'), 0) / 1e6;
  const rows = [];
  for (const name of names ?? manifest.map((m) => m.name)) {
    const entry = manifest.find((m) => m.name === name);
    if (entry === undefined) throw new Error(`unknown tokenizer ${JSON.stringify(name)}; known: ${manifest.map((m) => m.name).join(', ')}`);
    const jsonPath = entry.npm_path ? `node_modules/${entry.npm_path}` : `${fixtures}/${name}/tokenizer.json`;
    const [json, config] = await Promise.all([readJson(jsonPath), readJson(`${fixtures}/${name}/tokenizer_config.json`)]);
    const row = { tokenizer: name, corpus_mb: megabytes };
    const rates = Object.fromEntries(Object.keys(LIBRARIES).map((library) => [library, []]));
    // Libraries take turns within each repetition, so a change in the machine's load hits all of
    // them alike; the time is the process's CPU time, which a busy machine inflates far less than
    // the wall clock (on an idle one the two agree: encoding is single-threaded).
    for (let r = 0; r < WARMUP + repetitions; r++) {
      for (const [library, make] of Object.entries(LIBRARIES)) {
        const encode = make(structuredClone(json), structuredClone(config));
        const start = process.cpuUsage();
        for (const text of texts) encode(text);
        const used = process.cpuUsage(start);
        const seconds = (used.user + used.system) / 1e6;
        if (r >= WARMUP) rates[library].push(megabytes / seconds);
      }
    }
    for (const library of Object.keys(LIBRARIES)) row[library] = { mb_per_s: median(rates[library]), spread: spread(rates[library]) };
    row.ratio_vs_transformersjs = row.webformers.mb_per_s / row['transformers.js'].mb_per_s;
    rows.push(row);
  }
  return rows;
}
