/**
 * Compares a tokenizer with the Rust `tokenizers` goldens of the conformance suite
 * (test/fixtures/tokenizers/, described in its README). Pure: no Node imports, so the same check
 * runs in Vitest under Node and inside Chromium.
 *
 * Goldens count offsets in Unicode code points; ours are UTF-16 units, so expected offsets are
 * converted through the text each token came from (`text_pair` for the second sequence of a pair).
 */
import { PreTrainedTokenizer } from '../../src/tokenizers/pretrained-tokenizer.js';
import { TokenizationError, type EncodingData, type Offsets, type PaddingParams, type TruncationParams } from '../../src/tokenizers/types.js';

export interface CorpusEntry {
  id: string;
  cat: string;
  text: string;
  text_pair?: string;
}

interface GoldenEncoding {
  ids: number[];
  tokens: string[];
  offsets: Offsets[];
  type_ids?: number[];
}

export interface GoldenLine {
  id: string;
  nosp: GoldenEncoding;
  sp?: GoldenEncoding;
  decode: { keep: string; skip: string };
}

interface GoldenBatchOutput extends Partial<GoldenEncoding> {
  attention_mask?: number[];
  special_tokens_mask?: number[];
  overflowing?: GoldenBatchOutput[];
  error?: string;
}

export interface GoldenBatchCase {
  name: string;
  truncation: { maxLength: number; strategy: string; direction: string; stride: number } | null;
  padding: { direction: string; padId: number; padToken: string; padTypeId: number; maxLength?: number; padToMultipleOf?: number } | null;
  input: 'single' | 'pair';
  ids_of_inputs: string[];
  add_special_tokens: boolean;
  outputs: GoldenBatchOutput[];
}

export interface GoldenBatch {
  tokenizer: string;
  cases: GoldenBatchCase[];
}

export interface ConformanceInput {
  name?: string;
  tokenizerJson: unknown;
  tokenizerConfig: Record<string, unknown> | null;
  corpus: CorpusEntry[];
  goldenLines: GoldenLine[];
  batchGolden: GoldenBatch | null;
}

export interface ConformanceFailure {
  id: string;
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface CategoryScore {
  /** Golden lines (or batch cases) in the category. */
  total: number;
  /** Of those, how many matched in every field. */
  passed: number;
}

export interface ConformanceReport {
  name: string;
  /** Number of field comparisons made. */
  total: number;
  failures: ConformanceFailure[];
  perCategory: Record<string, CategoryScore>;
  /** Field comparisons and failures per field name (ids, tokens, offsets, decode.keep, ...). */
  perField: Record<string, CategoryScore>;
}

/** code point index → UTF-16 index, for every code point boundary of `text` (and its end). */
function codePointToUtf16(text: string): number[] {
  const map = [0];
  let unit = 0;
  for (const ch of text) {
    unit += ch.length;
    map.push(unit);
  }
  return map;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

class Scorer {
  total = 0;
  failures: ConformanceFailure[] = [];
  perField: Record<string, CategoryScore> = {};

  check(id: string, field: string, expected: unknown, actual: unknown): boolean {
    const key = field;
    const score = (this.perField[key] ??= { total: 0, passed: 0 });
    this.total++;
    score.total++;
    if (sameJson(expected, actual)) {
      score.passed++;
      return true;
    }
    this.failures.push({ id, field, expected, actual });
    return false;
  }
}

/** Golden (code point) offsets of `e`'s tokens in UTF-16, using the sequence each of our tokens belongs to. */
function expectedOffsets(golden: Offsets[], e: EncodingData, maps: [number[], number[]]): Offsets[] {
  return golden.map(([s, t], i) => {
    const seq = e.sequenceIds[i];
    if (seq === null || seq === undefined || e.specialTokensMask[i] === 1) return [s, t];
    const map = maps[seq];
    return [map[s] ?? s, map[t] ?? t];
  });
}

function textMaps(entry: CorpusEntry): [number[], number[]] {
  return [codePointToUtf16(entry.text), codePointToUtf16(entry.text_pair ?? '')];
}

function compareEncoding(sc: Scorer, id: string, prefix: string, golden: GoldenEncoding, actual: EncodingData, maps: [number[], number[]]): boolean {
  let ok = sc.check(id, `${prefix}ids`, golden.ids, actual.ids);
  ok = sc.check(id, `${prefix}tokens`, golden.tokens, actual.tokens) && ok;
  ok = sc.check(id, `${prefix}offsets`, expectedOffsets(golden.offsets, actual, maps), actual.offsets) && ok;
  if (golden.type_ids) ok = sc.check(id, `${prefix}type_ids`, golden.type_ids, actual.typeIds) && ok;
  return ok;
}

type Attempt<T> = { value: T } | { error: unknown };

function attempt<T>(fn: () => T): Attempt<T> {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function checkLine(sc: Scorer, tok: PreTrainedTokenizer, entry: CorpusEntry, line: GoldenLine): boolean {
  const pair = entry.text_pair ?? null;
  const maps = textMaps(entry);
  const sp = line.sp ?? line.nosp;
  let ok = true;
  for (const [prefix, golden, add] of [['nosp.', line.nosp, false], ['sp.', sp, true]] as const) {
    const r = attempt(() => tok.pipeline.encode(entry.text, pair, add, { truncation: null, padding: null }));
    if ('error' in r) {
      ok = sc.check(line.id, `${prefix}encode`, 'no error', describeError(r.error)) && ok;
    } else {
      ok = compareEncoding(sc, line.id, prefix, golden, r.value, maps) && ok;
    }
  }
  for (const [field, skip] of [['decode.keep', false], ['decode.skip', true]] as const) {
    const expected = skip ? line.decode.skip : line.decode.keep;
    const r = attempt(() => tok.decode(sp.ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false }));
    ok = sc.check(line.id, field, expected, 'error' in r ? describeError(r.error) : r.value) && ok;
  }
  return ok;
}

function truncationOf(c: GoldenBatchCase): TruncationParams | null {
  if (!c.truncation) return null;
  const strategy = ({ LongestFirst: 'longest_first', OnlyFirst: 'only_first', OnlySecond: 'only_second' } as const)[
    c.truncation.strategy as 'LongestFirst' | 'OnlyFirst' | 'OnlySecond'
  ];
  return { maxLength: c.truncation.maxLength, stride: c.truncation.stride, strategy, direction: c.truncation.direction === 'Left' ? 'left' : 'right' };
}

function paddingOf(c: GoldenBatchCase): PaddingParams | null {
  if (!c.padding) return null;
  const p = c.padding;
  return {
    length: p.maxLength ?? 'longest',
    direction: p.direction === 'Left' ? 'left' : 'right',
    padToMultipleOf: p.padToMultipleOf,
    padId: p.padId,
    padTypeId: p.padTypeId,
    padToken: p.padToken,
  };
}

function compareBatchOutput(sc: Scorer, id: string, golden: GoldenBatchOutput, actual: EncodingData, maps: [number[], number[]]): boolean {
  const checks: [string, unknown, unknown][] = [
    ['ids', golden.ids, actual.ids],
    ['tokens', golden.tokens, actual.tokens],
    ['offsets', golden.offsets && expectedOffsets(golden.offsets, actual, maps), actual.offsets],
    ['type_ids', golden.type_ids, actual.typeIds],
    ['attention_mask', golden.attention_mask, actual.attentionMask],
    ['special_tokens_mask', golden.special_tokens_mask, actual.specialTokensMask],
  ];
  let ok = true;
  for (const [field, expected, got] of checks) {
    if (expected !== undefined) ok = sc.check(id, field, expected, got) && ok;
  }
  if (golden.overflowing) {
    ok = sc.check(id, 'overflowing.length', golden.overflowing.length, actual.overflowing.length) && ok;
    golden.overflowing.forEach((o, i) => {
      const a = actual.overflowing[i];
      if (a) ok = compareBatchOutput(sc, `${id} overflowing[${i}]`, o, a, maps) && ok;
    });
  }
  return ok;
}

/** Single texts were padded as one batch; pairs one at a time (the reference binding had no pair batches). */
function encodeBatchCase(tok: PreTrainedTokenizer, c: GoldenBatchCase, entries: CorpusEntry[]): Attempt<EncodingData>[] {
  const options = { truncation: truncationOf(c), padding: paddingOf(c) };
  if (c.input === 'pair') {
    return entries.map((e) => attempt(() => tok.pipeline.encodeBatch([[e.text, e.text_pair ?? '']], c.add_special_tokens, options)[0]));
  }
  const r = attempt(() => tok.pipeline.encodeBatch(entries.map((e) => e.text), c.add_special_tokens, options));
  return entries.map((_, i) => ('error' in r ? r : { value: r.value[i] }));
}

function checkBatchCase(sc: Scorer, tok: PreTrainedTokenizer, c: GoldenBatchCase, byId: Map<string, CorpusEntry>): boolean {
  const entries = c.ids_of_inputs.map((id) => byId.get(id) as CorpusEntry);
  const results = encodeBatchCase(tok, c, entries);
  let ok = true;
  c.outputs.forEach((golden, i) => {
    const id = `${c.name}[${i}] ${entries[i].id}`;
    const r = results[i];
    if (golden.error !== undefined) {
      const thrown = 'error' in r && r.error instanceof TokenizationError;
      ok = sc.check(id, 'error', `TokenizationError (${golden.error})`, thrown ? `TokenizationError (${golden.error})` : 'error' in r ? describeError(r.error) : r.value.ids) && ok;
    } else if ('error' in r) {
      ok = sc.check(id, 'encode', 'no error', describeError(r.error)) && ok;
    } else {
      ok = compareBatchOutput(sc, id, golden, r.value, textMaps(entries[i])) && ok;
    }
  });
  return ok;
}

export function checkTokenizerConformance(input: ConformanceInput): ConformanceReport {
  const { corpus, goldenLines, batchGolden, tokenizerJson, tokenizerConfig } = input;
  const name = input.name ?? batchGolden?.tokenizer ?? 'tokenizer';
  const tok = PreTrainedTokenizer.fromJSON(tokenizerJson, tokenizerConfig ?? {});
  const byId = new Map(corpus.map((e) => [e.id, e]));
  const sc = new Scorer();
  const perCategory: Record<string, CategoryScore> = {};
  const score = (cat: string, ok: boolean): void => {
    const s = (perCategory[cat] ??= { total: 0, passed: 0 });
    s.total++;
    if (ok) s.passed++;
  };
  for (const line of goldenLines) {
    const entry = byId.get(line.id);
    if (!entry) {
      sc.check(line.id, 'corpus', 'a corpus entry with this id', 'none');
      continue;
    }
    score(entry.cat, checkLine(sc, tok, entry, line));
  }
  for (const c of batchGolden?.cases ?? []) score(`batch:${c.name}`, checkBatchCase(sc, tok, c, byId));
  return { name, total: sc.total, failures: sc.failures, perCategory, perField: sc.perField };
}
