/**
 * The 14-tokenizer conformance suite: every golden field produced by Rust `tokenizers` 0.22.2
 * (ids, tokens, offsets, decode keep/skip, type ids, batch truncation/padding cases) must match.
 * Tokenizers not vendored under test/fixtures/tokenizers/ come from their npm packages (devDependencies).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkTokenizerConformance, type ConformanceReport, type GoldenLine } from './support/tokenizer-conformance.js';
import { loadTokenizerSuite, readManifest, type ReadText } from './support/tokenizer-suite.js';

const repoRoot = new URL('../../../', import.meta.url);
const readText: ReadText = (path) => readFile(new URL(path, repoRoot), 'utf8');

function summary(report: ConformanceReport): string {
  const rate = (s: { total: number; passed: number }): string => `${s.passed}/${s.total}`;
  const cats = Object.entries(report.perCategory).map(([c, s]) => `${c} ${rate(s)}`).join(', ');
  const fields = Object.entries(report.perField).map(([f, s]) => `${f} ${rate(s)}`).join(', ');
  const first = report.failures.slice(0, 5).map((f) => `  ${f.id} ${f.field}\n    expected ${JSON.stringify(f.expected).slice(0, 300)}\n    actual   ${JSON.stringify(f.actual).slice(0, 300)}`);
  return [`${report.name}: ${report.failures.length} failures of ${report.total} checks`, `  fields: ${fields}`, `  categories: ${cats}`, ...first].join('\n');
}

const manifest = await readManifest(readText);

describe('tokenizer conformance with Rust tokenizers goldens', () => {
  for (const entry of manifest) {
    it(`${entry.name} matches every golden field`, async () => {
      const report = checkTokenizerConformance(await loadTokenizerSuite(entry, readText));
      console.log(summary(report));
      expect(report.total).toBeGreaterThan(0);
      expect(report.failures.length, summary(report)).toBe(0);
    }, 300_000);
  }
});

describe('the conformance check itself', () => {
  it('reports a changed golden id, token, offset and decode as failures', async () => {
    const suite = await loadTokenizerSuite(manifest.find((m) => m.name === 'gpt2')!, readText);
    const line: GoldenLine = suite.goldenLines[0];
    const broken: GoldenLine = {
      ...line,
      nosp: { ...line.nosp, ids: [line.nosp.ids[0] + 1, ...line.nosp.ids.slice(1)], tokens: ['?', ...line.nosp.tokens.slice(1)], offsets: [[0, 99], ...line.nosp.offsets.slice(1)] },
      decode: { ...line.decode, keep: `${line.decode.keep}!` },
    };
    const report = checkTokenizerConformance({ ...suite, goldenLines: [broken], batchGolden: null });
    const fields = new Set(report.failures.map((f) => f.field));
    for (const field of ['decode.keep', 'nosp.ids', 'nosp.offsets', 'nosp.tokens']) expect(fields.has(field), field).toBe(true);
  });
});
