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

/**
 * SentencePiece-style BPE: the normalizer writes spaces as ▁ (one unit for one) and nothing splits
 * the text, so the model sees all of it. llama2 also prepends a ▁, which takes the place of the first
 * character (Rust aligns an inserted character with the one it was inserted before).
 */
interface MetaspaceStandIn {
  normalize(text: string): string;
  /** A [start, end) of the normalized text as a [start, end) of the text. */
  toOriginal(offsets: Token['offsets'], text: string): Token['offsets'];
}

const spacesAsMetaspace = (t: string) => t.replaceAll(' ', '\u2581');
const unchanged: MetaspaceStandIn = { normalize: spacesAsMetaspace, toOriginal: (o) => o };
const firstCharLength = (text: string) => (text.codePointAt(0)! > 0xffff ? 2 : 1);

const METASPACE_STAND_INS: Record<string, MetaspaceStandIn> = {
  llama2: {
    normalize: (t) => (t === '' ? '' : '\u2581' + spacesAsMetaspace(t)),
    toOriginal: ([start, end], text) => [Math.max(0, start - 1), end === 1 ? firstCharLength(text) : end - 1],
  },
  gemma3: unchanged,
  gemini: unchanged,
};

describe.each(Object.keys(METASPACE_STAND_INS))('byte-fallback BPE %s tokenizes the normalized text as Rust did', (name) => {
  let fixture: Fixture;

  beforeAll(async () => {
    fixture = await loadFixture(name);
  });

  it('gives the golden ids, tokens and offsets for the text between added tokens, on all 332 lines', () => {
    const standIn = METASPACE_STAND_INS[name];
    const failures = failingRecords(fixture, (segment) => {
      const tokens = fixture.model.tokenize(standIn.normalize(segment.text));
      const actual = tokens.map((t) => {
        const [start, end] = standIn.toOriginal(t.offsets, segment.text);
        return [t.id, t.value, [start + segment.start, end + segment.start]];
      });
      return sameJson(actual, segment.ids.map((id, i) => [id, segment.tokens[i], segment.offsets[i]]));
    });
    expect(fixture.goldens.records.length).toBe(332);
    expect(failures).toEqual([]);
  });
});

/**
 * Behaviour no golden tokenizer reaches (unk without byte fallback, fusing, continuing-subword
 * prefixes), on the vectors of Rust `tokenizers`' own BPE unit tests. Their offsets count bytes; the
 * ones below are the same spans in UTF-16 units.
 */
describe('BPE on Rust tokenizers unit-test vectors', () => {
  const bpe = (config: Json) => modelFromConfig({ type: 'BPE', merges: [], ...config });
  const view = (tokens: readonly Token[]) => tokens.map((t) => [t.id, t.value, t.offsets]);

  it('gives one unk per unknown character without fuse_unk', () => {
    const model = bpe({ vocab: { '<unk>': 0, a: 1, b: 2 }, unk_token: '<unk>' });
    expect(view(model.tokenize('accb'))).toEqual([[1, 'a', [0, 1]], [0, '<unk>', [1, 2]], [0, '<unk>', [2, 3]], [2, 'b', [3, 4]]]);
  });

  it('fuses a run of unknown characters into one unk with fuse_unk', () => {
    const model = bpe({ vocab: { '<unk>': 0, a: 1, b: 2 }, unk_token: '<unk>', fuse_unk: true });
    expect(view(model.tokenize('cc'))).toEqual([[0, '<unk>', [0, 2]]]);
    expect(view(model.tokenize('accb'))).toEqual([[1, 'a', [0, 1]], [0, '<unk>', [1, 3]], [2, 'b', [3, 4]]]);
  });

  it('uses byte tokens when the vocabulary has them, else unk', () => {
    const model = bpe({ vocab: { '<unk>': 0, '<0x61>': 1, '<0x0A>': 2 }, unk_token: '<unk>', byte_fallback: true });
    expect(view(model.tokenize('c'))).toEqual([[0, '<unk>', [0, 1]]]);
    expect(view(model.tokenize('a'))).toEqual([[1, '<0x61>', [0, 1]]]);
    expect(view(model.tokenize('\n'))).toEqual([[2, '<0x0A>', [0, 1]]]);
  });

  it('merges continuing subwords without the prefix in the merged token', () => {
    const model = bpe({
      vocab: { a: 0, '##b': 1, '##c': 2, ab: 3, abc: 4 },
      merges: [['a', '##b'], ['ab', '##c']],
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
    });
    expect(view(model.tokenize('ab'))).toEqual([[3, 'ab', [0, 2]]]);
    expect(view(model.tokenize('abc'))).toEqual([[4, 'abc', [0, 3]]]);
  });

  it('keeps a vocabulary word whole with ignore_merges, and merges it otherwise', () => {
    const vocab = {
      '.:.:': 0, 'Ġbelirtilen': 1, '.': 2, ':': 3, bel: 4, irtilen: 5, 'Ġ': 6, '.:': 7, belirtilen: 8, '.:.': 9, be: 10,
      l: 11, ir: 12, ti: 13, en: 14, irtil: 15, irti: 16, i: 17, r: 18, t: 19, b: 20, e: 21, n: 22,
    };
    const merges = ['. :', 'b e', 'be l', 'i r', 't i', 'ir ti', 'e n', 'irti l'];
    const ignoring = bpe({ vocab, merges, ignore_merges: true });
    expect(view(ignoring.tokenize('.:.:'))).toEqual([[0, '.:.:', [0, 4]]]);
    expect(view(ignoring.tokenize('Ġbelirtilen'))).toEqual([[1, 'Ġbelirtilen', [0, 11]]]);
    const merging = bpe({ vocab, merges });
    expect(view(merging.tokenize('.:.:'))).toEqual([[7, '.:', [0, 2]], [7, '.:', [2, 4]]]);
    expect(view(merging.tokenize('Ġbelirtilen'))).toEqual([[6, 'Ġ', [0, 1]], [4, 'bel', [1, 4]], [15, 'irtil', [4, 9]], [14, 'en', [9, 11]]]);
  });
});

describe('BPE configuration errors', () => {
  it('rejects at load a merge whose merged token is missing from the vocabulary, naming model.merges', () => {
    const load = () => modelFromConfig({ type: 'BPE', vocab: { a: 0, b: 1 }, merges: ['a b'] });
    expect(load).toThrow(TokenizerConfigError);
    expect(load).toThrow(/model\.merges\[0\].*"ab"/);
  });

  it('rejects at load a merge naming a side missing from the vocabulary', () => {
    expect(() => modelFromConfig({ type: 'BPE', vocab: { a: 0, ab: 1 }, merges: ['a b'] })).toThrow(/model\.merges\[0\].*"b"/);
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
