/**
 * BPE against the Rust goldens. The model sees one pre-tokenized word at a time, so each check cuts
 * the corpus text where the goldens show added tokens, rebuilds the words of each stretch with the
 * simplest faithful stand-in for that tokenizer's normalizer and pre-tokenizer, and requires the
 * model's tokens to equal the golden `nosp` tokens of that stretch.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizerGoldens, manifest, modelSegments, type ModelSegment, type TokenizerGoldens } from '../../../test/support/tokenizer-goldens-node.js';
import { BYTE_TO_CHAR } from '../byte-level-alphabet.js';
import { TokenizerConfigError, type AddedTokenConfig, type Json, type Token } from '../types.js';
import { BpeModel } from './bpe.js';
import { modelFromConfig } from './index.js';

const entries = await manifest();
const entry = (name: string) => entries.find((e) => e.name === name)!;

interface Fixture {
  goldens: TokenizerGoldens;
  model: BpeModel;
  segments: { id: string; segment: ModelSegment }[];
}

async function loadFixture(name: string): Promise<Fixture> {
  const goldens = await loadTokenizerGoldens(entry(name));
  const addedIds = new Set((goldens.tokenizerJson.added_tokens as AddedTokenConfig[]).map((t) => t.id));
  return {
    goldens,
    model: BpeModel.fromConfig(goldens.tokenizerJson.model as Json),
    segments: goldens.records.flatMap((r) => modelSegments(r, (id) => addedIds.has(id)).map((segment) => ({ id: r.id, segment }))),
  };
}

/** Ids of the records with a segment where `check` fails. */
function failingRecords(fixture: Fixture, check: (segment: ModelSegment) => boolean): string[] {
  return [...new Set(fixture.segments.filter(({ segment }) => !check(segment)).map(({ id }) => id))];
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The tokenizers' split regexes are written for Oniguruma; these few rewrites make them JS regexes
 * with the same meaning: the case-insensitive contraction group spelled out, `\s` as Unicode White_Space.
 */
function splitRegex(onig: string): RegExp {
  const contractions = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
  const js = onig
    .replaceAll("(?i:'s|'t|'re|'ve|'m|'ll|'d)", contractions)
    .replaceAll('\\s', '\\p{White_Space}')
    .replaceAll('\\S', '\\P{White_Space}');
  return new RegExp(js, 'gu');
}

const GPT2_SPLIT = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** Matches and the text between them, in order (Rust's `Isolated`; with these regexes, also `Removed` + `invert`). */
function isolate(piece: string, regex: RegExp): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of piece.matchAll(regex)) {
    if (m[0].length === 0) continue;
    if (m.index > last) out.push(piece.slice(last, m.index));
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < piece.length) out.push(piece.slice(last));
  return out;
}

const utf8 = new TextEncoder();
const byteLevel = (word: string) => Array.from(utf8.encode(word), (b) => BYTE_TO_CHAR[b]).join('');

/** The split regexes a byte-level tokenizer applies, in order, from its tokenizer.json. */
function byteLevelSplits(json: Json): RegExp[] {
  const pre = json.pre_tokenizer as Json;
  if (pre.type === 'ByteLevel') return [splitRegex(GPT2_SPLIT)];
  return (pre.pretokenizers as Json[]).filter((p) => p.type === 'Split').map((p) => splitRegex((p.pattern as Json).Regex as string));
}

const BYTE_LEVEL_NORMALIZERS: Record<string, (text: string) => string> = {
  claude: (t) => t.normalize('NFKC'),
  qwen3: (t) => t.normalize('NFC'),
};

const BYTE_LEVEL = ['gpt2', 'claude', 'gpt35turbo', 'llama3', 'llama3_1', 'qwen3', 'gpt4o', 'deepseek_v3', 'gptoss'];

describe.each(BYTE_LEVEL)('byte-level BPE %s re-tokenizes each pre-tokenized word as Rust did', (name) => {
  let fixture: Fixture;
  let splits: RegExp[];

  beforeAll(async () => {
    fixture = await loadFixture(name);
    splits = byteLevelSplits(fixture.goldens.tokenizerJson);
  });

  it('gives the golden ids and tokens for the text between added tokens, on all 332 lines', () => {
    const normalize = BYTE_LEVEL_NORMALIZERS[name] ?? ((t: string) => t);
    const failures = failingRecords(fixture, (segment) => {
      const words = splits.reduce((pieces, re) => pieces.flatMap((p) => isolate(p, re)), [normalize(segment.text)]);
      const tokens = words.flatMap((w) => fixture.model.tokenize(byteLevel(w)));
      return sameJson(tokens.map((t) => [t.id, t.value]), segment.ids.map((id, i) => [id, segment.tokens[i]]));
    });
    expect(fixture.goldens.records.length).toBe(332);
    expect(failures).toEqual([]);
  });
});

/** SentencePiece-style BPE: the normalizer writes spaces as ▁ and nothing splits the text, so the model sees all of it. */
const METASPACE_NORMALIZERS: Record<string, (text: string) => string> = {
  llama2: (t) => (t === '' ? '' : '\u2581' + t.replaceAll(' ', '\u2581')),
  gemma3: (t) => t.replaceAll(' ', '\u2581'),
  gemini: (t) => t.replaceAll(' ', '\u2581'),
};

describe.each(Object.keys(METASPACE_NORMALIZERS))('byte-fallback BPE %s tokenizes the normalized text as Rust did', (name) => {
  let fixture: Fixture;

  beforeAll(async () => {
    fixture = await loadFixture(name);
  });

  it('gives the golden ids, tokens and offsets for the text between added tokens, on all 332 lines', () => {
    // llama2's prepended ▁ has no place of its own in the original text, so only its ids and tokens are compared.
    const withOffsets = name !== 'llama2';
    const view = (ids: number[], values: string[], offsets: Token['offsets'][]) =>
      ids.map((id, i) => [id, values[i], withOffsets ? offsets[i] : null]);
    const failures = failingRecords(fixture, (segment) => {
      const tokens = fixture.model.tokenize(METASPACE_NORMALIZERS[name](segment.text));
      const actual = view(
        tokens.map((t) => t.id),
        tokens.map((t) => t.value),
        tokens.map((t) => [t.offsets[0] + segment.start, t.offsets[1] + segment.start]),
      );
      return sameJson(actual, view(segment.ids, segment.tokens, segment.offsets));
    });
    expect(fixture.goldens.records.length).toBe(332);
    expect(failures).toEqual([]);
  });
});

describe('BPE configuration errors', () => {
  it('rejects a merge whose merged token is missing from the vocabulary, naming model.merges', () => {
    const model = modelFromConfig({ type: 'BPE', vocab: { a: 0, b: 1 }, merges: ['a b'] });
    expect(() => model.tokenize('ab')).toThrow(TokenizerConfigError);
    expect(() => model.tokenize('ab')).toThrow(/model\.merges/);
  });

  it('rejects a merge line that is not two tokens', () => {
    expect(() => modelFromConfig({ type: 'BPE', vocab: { a: 0 }, merges: ['a b c'] })).toThrow(/model\.merges\[0\]/);
  });

  it('rejects a vocabulary id that is not a non-negative integer', () => {
    expect(() => modelFromConfig({ type: 'BPE', vocab: { a: -1 }, merges: [] })).toThrow(/model\.vocab/);
  });

  it('rejects an unknown model type', () => {
    expect(() => modelFromConfig({ type: 'Bigram', vocab: {} })).toThrow(/model\.type/);
  });
});
