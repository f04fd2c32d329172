/**
 * Where each of the 14 conformance tokenizers and its goldens live, read through a caller-supplied
 * `readText(path)` so the same suite loads from the filesystem in Node and over HTTP in Chromium.
 * Paths are relative to the repository root. The large tokenizer.json files come from the npm packages
 * that the manifest names (dev dependencies); three small ones are vendored with the goldens.
 */
import type { ConformanceInput, CorpusEntry, GoldenBatch, GoldenLine } from './tokenizer-conformance.js';

export const TOKENIZER_FIXTURES = 'packages/webformers/test/fixtures/tokenizers';

export interface ManifestEntry {
  name: string;
  vendored: boolean;
  npm_path?: string;
}

export type TokenizerSuite = ConformanceInput & { name: string };

export interface CorpusLine {
  id: string;
  cat: string;
  text: string;
  text_pair?: string;
}

export type ReadText = (path: string) => Promise<string>;

export async function readManifest(readText: ReadText): Promise<ManifestEntry[]> {
  return JSON.parse(await readText(`${TOKENIZER_FIXTURES}/manifest.json`)) as ManifestEntry[];
}

/** tokenizer.json: from the npm package when the manifest names one, else the vendored copy. */
export function tokenizerJsonPath(entry: ManifestEntry): string {
  return entry.npm_path ? `node_modules/${entry.npm_path}` : `${TOKENIZER_FIXTURES}/${entry.name}/tokenizer.json`;
}

const parseJsonLines = (text: string) =>
  text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);

export async function loadTokenizerSuite(entry: ManifestEntry, readText: ReadText): Promise<TokenizerSuite> {
  const [tokenizerJson, tokenizerConfig, corpus, golden, batch] = await Promise.all([
    readText(tokenizerJsonPath(entry)),
    readText(`${TOKENIZER_FIXTURES}/${entry.name}/tokenizer_config.json`),
    readText(`${TOKENIZER_FIXTURES}/corpus/dev.jsonl`),
    readText(`${TOKENIZER_FIXTURES}/goldens/${entry.name}.dev.jsonl`),
    readText(`${TOKENIZER_FIXTURES}/goldens/${entry.name}.dev.batch.json`),
  ]);
  return {
    name: entry.name,
    tokenizerJson: JSON.parse(tokenizerJson),
    tokenizerConfig: JSON.parse(tokenizerConfig),
    corpus: parseJsonLines(corpus) as unknown as CorpusEntry[],
    goldenLines: parseJsonLines(golden) as unknown as GoldenLine[],
    batchGolden: JSON.parse(batch) as GoldenBatch,
  };
}
