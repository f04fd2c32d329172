// Makes the realistic-size bench models with random weights, reproducibly (fixed seeds, no
// downloads): bench/models/bench-bert-base (BERT-base-sized classifier, ~109 M parameters) and
// bench/models/bench-llama-decoder (Llama-style decoder, ~124 M parameters, fp32 and q8 graphs).
// Tokenizers come from the test fixtures. bench/models/ is gitignored: the weights are never committed.
//   node bench/make-models.mjs [--force]
import { copyFile, mkdir, open, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { BERT_BASE, bertConfig, bertGraph } from './make/bert.mjs';
import { LLAMA_124M, llamaConfig, llamaGraph } from './make/llama.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const MODELS = `${REPO}bench/models/`;
const FIXTURES = `${REPO}packages/webformers/test/fixtures/models/`;

const MODELS_TO_MAKE = [
  {
    name: 'bench-bert-base', tokenizerFrom: 'tiny-random-bert-sequence-classification',
    tokenizerFiles: ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'],
    graph: () => bertGraph(BERT_BASE, 101), config: bertConfig(BERT_BASE), quantized: false,
  },
  {
    name: 'bench-llama-decoder', tokenizerFrom: 'tiny-random-gpt2',
    tokenizerFiles: ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'],
    graph: () => llamaGraph(LLAMA_124M, 202), config: llamaConfig(LLAMA_124M), quantized: true,
    generationConfig: { bos_token_id: 50256, eos_token_id: 50256, pad_token_id: 50256 },
  },
];

async function writeParts(path, parts) {
  const file = await open(path, 'w');
  try {
    for (const part of parts) await file.write(part);
  } finally {
    await file.close();
  }
}

export async function makeModels({ force = false, log = console.error } = {}) {
  const vite = await createServer({ root: REPO, configFile: false, server: { middlewareMode: true }, appType: 'custom', logLevel: 'warn' });
  try {
    const { encodeModelParts, joinParts } = await vite.ssrLoadModule('/packages/convert/src/onnx/codec.ts');
    const { quantize } = await vite.ssrLoadModule('/packages/convert/src/index.ts');
    for (const spec of MODELS_TO_MAKE) {
      const dir = `${MODELS}${spec.name}/`;
      const done = `${dir}onnx/${spec.quantized ? 'model_quantized.onnx' : 'model.onnx'}`;
      if (!force && (await stat(done).catch(() => null))) continue;
      const started = Date.now();
      await mkdir(`${dir}onnx`, { recursive: true });
      for (const file of spec.tokenizerFiles) await copyFile(`${FIXTURES}${spec.tokenizerFrom}/${file}`, `${dir}${file}`);
      await writeFile(`${dir}config.json`, JSON.stringify(spec.config, null, 2));
      if (spec.generationConfig) await writeFile(`${dir}generation_config.json`, JSON.stringify(spec.generationConfig, null, 2));
      const graph = spec.graph();
      const parts = encodeModelParts(graph.model(spec.name));
      await writeParts(`${dir}onnx/model.onnx`, parts);
      if (spec.quantized) await writeFile(`${dir}onnx/model_quantized.onnx`, quantize(joinParts(parts), { dtype: 'q8' }));
      log(`made ${spec.name}: ${(graph.parameters / 1e6).toFixed(1)} M parameters in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    await vite.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await makeModels({ force: process.argv.includes('--force') });
