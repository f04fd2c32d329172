/**
 * The alignment-tracking normalizer must produce exactly the text ICU produces (JS `normalize`)
 * on every corpus text, and the per-character changes that Rust's `unicode-normalization-alignments` reports.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizationEdits, type NormalizationForm } from './unicode-normalize.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = readFileSync(join(here, '../../test/fixtures/tokenizers/corpus/dev.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { text: string }).text);

function apply(text: string, form: NormalizationForm): string {
  const edits = normalizationEdits(text, form);
  return edits === null ? text : String.fromCodePoint(...edits.codePoints);
}

function changes(text: string, form: NormalizationForm): [string, number][] {
  const e = normalizationEdits(text, form)!;
  return e.codePoints.map((cp, i) => [String.fromCodePoint(cp), e.changes[i]]);
}

describe('normalizationEdits', () => {
  it.each(['NFC', 'NFD', 'NFKC', 'NFKD'] as const)('gives the same %s text as String.prototype.normalize on the corpus', (form) => {
    for (const text of corpus) expect(apply(text, form)).toBe(text.normalize(form));
  });

  it('marks decomposed extras as inserted and compositions as absorbing', () => {
    expect(changes('é', 'NFD')).toEqual([['e', 0], ['\u0301', 1]]);
    expect(changes('e\u0301', 'NFC')).toEqual([['é', -1]]);
    expect(changes('ﬁ', 'NFKC')).toEqual([['f', 0], ['i', 1]]);
  });

  it('reorders marks by combining class without changing their changes', () => {
    // dot below (ccc 220) sorts before acute (ccc 230)
    expect(changes('a\u0301\u0323', 'NFD')).toEqual([['a', 0], ['\u0323', 0], ['\u0301', 0]]);
  });

  it('reports nothing to do for text already in the form', () => {
    expect(normalizationEdits('plain ascii', 'NFKC')).toBeNull();
  });
});
