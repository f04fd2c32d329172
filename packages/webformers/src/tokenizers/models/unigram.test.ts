/**
 * Unigram against the t5 goldens. T5 splits on whitespace and puts ▁ before each word, so a golden
 * word starts at each token that starts with ▁, and its text is its tokens glued back together
 * (an unknown token keeps the text it covers, as Rust does). The model must give back exactly those
 * tokens and offsets.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { goldenWords, loadTokenizerGoldens, manifest, type GoldenWord, type TokenizerGoldens } from '../../../test/support/tokenizer-goldens-node.js';
import type { AddedTokenConfig, Json } from '../types.js';
import { modelFromConfig } from './index.js';
import { UnigramModel } from './unigram.js';

const t5 = (await manifest()).find((e) => e.name === 't5')!;

describe('Unigram t5', () => {
  let goldens: TokenizerGoldens;
  let model: UnigramModel;
  let words: { id: string; word: GoldenWord }[];

  beforeAll(async () => {
    goldens = await loadTokenizerGoldens(t5);
    model = UnigramModel.fromConfig(goldens.tokenizerJson.model as Json);
    const added = new Map((goldens.tokenizerJson.added_tokens as AddedTokenConfig[]).map((t) => [t.id, t.content]));
    const isAddedToken = (id: number, text: string) => added.get(id) === text;
    words = goldens.records.flatMap((r) => goldenWords(r, isAddedToken, (t) => t.startsWith('\u2581')).map((word) => ({ id: r.id, word })));
  });

  it('re-tokenizes every golden word of the 332 lines to its golden ids, tokens and relative offsets', () => {
    const failures = words.filter(({ word }) => {
      const text = word.tokens.join('');
      const tokens = model.tokenize(text);
      // Golden offsets point into the original text, where the ▁ was a space or nothing; compare token lengths instead.
      const actual = tokens.map((t) => [t.id, t.value, t.offsets[1] - t.offsets[0]]);
      const expected = word.ids.map((id, i) => [id, word.tokens[i], word.tokens[i].length]);
      return JSON.stringify(actual) !== JSON.stringify(expected);
    });
    expect(words.length).toBeGreaterThan(5000);
    expect(failures.map(({ id, word }) => `${id}: ${word.tokens.join(' ')}`)).toEqual([]);
  });

  it('fuses a run of unknown characters into one unk token, as the goldens show', () => {
    const unkId = 2;
    const fused = words.filter(({ word }) => word.ids.includes(unkId) && word.tokens.some((t, i) => word.ids[i] === unkId && [...t].length > 1));
    expect(fused.length).toBeGreaterThan(0);
    for (const { word } of fused) expect(model.tokenize(word.tokens.join('')).map((t) => t.value)).toEqual(word.tokens);
  });
});

/** Vectors of Rust `tokenizers`' own Unigram unit tests (their byte offsets written as UTF-16 spans). */
describe('Unigram on Rust tokenizers unit-test vectors', () => {
  const model = modelFromConfig({
    type: 'Unigram',
    unk_id: 0,
    vocab: [
      ['<unk>', 0.0], ['ab', 0.0], ['cd', -0.1], ['abc', -0.2], ['a', -0.3], ['b', -0.4], ['c', -0.5], ['ABC', -0.5],
      ['abcdabcd', 20.0], ['q', 20.5], ['r', 20.5], ['qr', -0.5],
    ],
  });
  const pieces = (text: string) => model.tokenize(text).map((t) => t.value);

  it('picks the best-scoring segmentation and fuses unknown runs', () => {
    expect(pieces('abc')).toEqual(['abc']);
    expect(pieces('AB')).toEqual(['AB']);
    expect(pieces('abcd')).toEqual(['ab', 'cd']);
    expect(pieces('abcc')).toEqual(['abc', 'c']);
    expect(pieces('xabcabaabcdd')).toEqual(['x', 'abc', 'ab', 'a', 'ab', 'cd', 'd']);
    expect(pieces('xyz東京')).toEqual(['xyz東京']);
    expect(pieces('ABC')).toEqual(['ABC']);
    expect(pieces('abABCcd')).toEqual(['ab', 'ABC', 'cd']);
    expect(pieces('ababcdabcdcd')).toEqual(['ab', 'abcdabcd', 'cd']);
    expect(pieces('abqrcd')).toEqual(['ab', 'q', 'r', 'cd']);
  });

  it('spells an unknown piece in byte tokens when all of them exist, else gives unk', () => {
    const fallback = modelFromConfig({ type: 'Unigram', unk_id: 0, byte_fallback: true, vocab: [['<unk>', 0.0], ['<0xC3>', -0.01], ['<0xA9>', -0.03]] });
    expect(fallback.tokenize('é')).toEqual([
      { id: 1, value: '<0xC3>', offsets: [0, 1] },
      { id: 2, value: '<0xA9>', offsets: [0, 1] },
    ]);
    expect(fallback.tokenize('?é')[0].id).toBe(0);
  });
});

describe('Unigram configuration errors', () => {
  it('names model.unk_id when it is outside the vocabulary', () => {
    expect(() => modelFromConfig({ type: 'Unigram', vocab: [['a', -1]], unk_id: 3 })).toThrow(/model\.unk_id/);
  });

  it('names the vocab entry that is not a [piece, score] pair', () => {
    expect(() => modelFromConfig({ type: 'Unigram', vocab: [['a', -1], ['b']] })).toThrow(/model\.vocab\[1\]/);
  });
});
