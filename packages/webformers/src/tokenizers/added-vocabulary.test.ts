/**
 * AddedVocabulary: Rust's id assignment, leftmost-longest matching, normalized vs raw tokens and
 * the lstrip / rstrip / single_word flags (semantics of tokenizers/src/tokenizer/added_vocabulary.rs).
 */
import { describe, expect, it } from 'vitest';
import { AddedVocabulary } from './added-vocabulary.js';
import type { NormalizedString } from './normalized-string.js';
import type { AddedTokenConfig, Normalizer, TokenizerModel } from './types.js';

function model(vocab: string[]): TokenizerModel {
  const ids = new Map(vocab.map((t, i) => [t, i]));
  return {
    tokenize: () => [],
    tokenToId: (t) => ids.get(t),
    idToToken: (i) => vocab[i],
    getVocab: () => ids,
    vocabSize: vocab.length,
  };
}

function token(content: string, id: number, flags: Partial<AddedTokenConfig> = {}): AddedTokenConfig {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true, ...flags };
}

const lowercase: Normalizer = { normalize: (s: NormalizedString) => s.lowercase() };

function pieces(vocab: AddedVocabulary, text: string, normalizer: Normalizer | null = null) {
  return vocab.extractAndNormalize(text, normalizer).splits.map((s) => ({
    text: s.normalized.normalized,
    id: s.tokens?.[0].id ?? null,
    span: s.normalized.originalOffsets([0, s.normalized.length]),
  }));
}

describe('AddedVocabulary', () => {
  it('keeps model ids for tokens the model knows and numbers new ones after the vocabulary', () => {
    const v = new AddedVocabulary([token('b', 99), token('<x>', 7), token('<y>', 8)], model(['a', 'b', 'c']));
    expect(v.tokenToId('b')).toBe(1);
    expect(v.tokenToId('<x>')).toBe(3);
    expect(v.tokenToId('<y>')).toBe(4);
    expect(v.idToToken(4)).toBe('<y>');
    expect(v.isSpecialId(3)).toBe(true);
  });

  it('splits raw tokens out with their offsets, preferring the longest match at the leftmost start', () => {
    const v = new AddedVocabulary([token('<s>', 0), token('<s>x', 1)], model(['<s>', '<s>x']));
    expect(pieces(v, 'a<s>xb<s>')).toEqual([
      { text: 'a', id: null, span: [0, 1] },
      { text: '<s>x', id: 1, span: [1, 5] },
      { text: 'b', id: null, span: [5, 6] },
      { text: '<s>', id: 0, span: [6, 9] },
    ]);
  });

  it('matches raw tokens before normalization and normalized ones after it', () => {
    const v = new AddedVocabulary([token('<RAW>', 0), token('Day', 1, { normalized: true, special: false })], model(['<RAW>', 'Day']));
    expect(pieces(v, 'A <RAW> DAY', lowercase).map((p) => [p.text, p.id])).toEqual([
      ['a ', null],
      ['<RAW>', 0],
      [' ', null],
      ['day', 1],
    ]);
    // A raw token is not found once the text around it was lowercased.
    expect(pieces(v, '<raw>', lowercase).map((p) => p.id)).toEqual([null]);
  });

  it('lstrip and rstrip take the surrounding whitespace into the token', () => {
    const v = new AddedVocabulary([token('<m>', 0, { lstrip: true, rstrip: true })], model(['<m>']));
    expect(pieces(v, 'a  <m>  b').map((p) => [p.text, p.id])).toEqual([
      ['a', null],
      ['  <m>  ', 0],
      ['b', null],
    ]);
  });

  it('single_word tokens only match between non-word characters', () => {
    const v = new AddedVocabulary([token('ab', 0, { single_word: true })], model(['ab']));
    expect(pieces(v, 'ab xab ab.').map((p) => [p.text, p.id])).toEqual([
      ['ab', 0],
      [' xab ', null],
      ['ab', 0],
      ['.', null],
    ]);
  });

  it('gives an empty input one empty, dropped piece', () => {
    const v = new AddedVocabulary([token('<s>', 0)], model(['<s>']));
    expect(pieces(v, '')).toEqual([]);
  });
});
