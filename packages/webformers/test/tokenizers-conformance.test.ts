/**
 * The 14-tokenizer conformance suite: every golden field produced by Rust `tokenizers` 0.22.2
 * (ids, tokens, offsets, decode keep/skip, type ids, batch truncation/padding cases) must match.
 * Tokenizers not vendored under test/fixtures/tokenizers/ come from their npm packages (devDependencies).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkTokenizerConformance,
  type ConformanceReport,
  type CorpusEntry,
  type GoldenBatch,
  type GoldenLine,
} from './support/tokenizer-conformance.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures', 'tokenizers');
const repoRoot = join(here, '..', '..', '..');

interface ManifestEntry {
  name: string;
  npm_path?: string;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const readJsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);

function tokenizerJsonPath(entry: ManifestEntry): string {
  const vendored = join(fixtures, entry.name, 'tokenizer.json');
  if (existsSync(vendored)) return vendored;
  if (!entry.npm_path) throw new Error(`${entry.name}: no vendored tokenizer.json and no npm_path in manifest.json`);
  return join(repoRoot, 'node_modules', entry.npm_path);
}

function summary(report: ConformanceReport): string {
  const rate = (s: { total: number; passed: number }): string => `${s.passed}/${s.total}`;
  const cats = Object.entries(report.perCategory).map(([c, s]) => `${c} ${rate(s)}`).join(', ');
  const fields = Object.entries(report.perField).map(([f, s]) => `${f} ${rate(s)}`).join(', ');
  const first = report.failures.slice(0, 5).map((f) => `  ${f.id} ${f.field}\n    expected ${JSON.stringify(f.expected).slice(0, 300)}\n    actual   ${JSON.stringify(f.actual).slice(0, 300)}`);
  return [`${report.name}: ${report.failures.length} failures of ${report.total} checks`, `  fields: ${fields}`, `  categories: ${cats}`, ...first].join('\n');
}

const manifest = readJson(join(fixtures, 'manifest.json')) as ManifestEntry[];
const corpus = readJsonl<CorpusEntry>(join(fixtures, 'corpus', 'dev.jsonl'));

describe('tokenizer conformance with Rust tokenizers goldens', () => {
  for (const entry of manifest) {
    it(`${entry.name} matches every golden field`, () => {
      const configPath = join(fixtures, entry.name, 'tokenizer_config.json');
      const report = checkTokenizerConformance({
        name: entry.name,
        tokenizerJson: readJson(tokenizerJsonPath(entry)),
        tokenizerConfig: existsSync(configPath) ? (readJson(configPath) as Record<string, unknown>) : null,
        corpus,
        goldenLines: readJsonl<GoldenLine>(join(fixtures, 'goldens', `${entry.name}.dev.jsonl`)),
        batchGolden: readJson(join(fixtures, 'goldens', `${entry.name}.dev.batch.json`)) as GoldenBatch,
      });
      console.log(summary(report));
      expect(report.total).toBeGreaterThan(0);
      expect(report.failures.length, summary(report)).toBe(0);
    }, 300_000);
  }
});
