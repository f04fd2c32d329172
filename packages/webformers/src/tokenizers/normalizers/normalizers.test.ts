/**
 * Normalizers built from tokenizer.json configs: their output text and where each output unit
 * points in the original (Rust `tokenizers` semantics; whole-corpus agreement with the Rust goldens
 * is checked in test/tokenizers-split-boundaries.test.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NormalizedString } from '../normalized-string.js';
import { TokenizerConfigError, type Json, type Normalizer } from '../types.js';
import { isMarkNonspacing, isOther, isWhitespace } from '../unicode-props.js';
import { isChineseChar } from './bert.js';
import { normalizerFromConfig } from './index.js';

function normalize(config: Json, text: string): NormalizedString {
  const s = new NormalizedString(text);
  (normalizerFromConfig(config) as Normalizer).normalize(s);
  return s;
}

function spans(s: NormalizedString): [number, number][] {
  return Array.from({ length: s.length }, (_, i) => s.alignmentAt(i));
}

const bert = { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true };

describe('normalizers', () => {
  it('BertNormalizer cleans, pads CJK ideographs, strips accents and lowercases', () => {
    const s = normalize(bert, 'Héllo\t\u0000Wörld 中文\u200b!');
    expect(s.normalized).toBe('hello world  中  文 !');
    const zhong = s.normalized.indexOf('中');
    expect(s.originalOffsets([zhong - 1, zhong + 2])).toEqual([13, 14]);
  });

  it('BertNormalizer keeps accents when strip_accents is false, and unassigned code points', () => {
    expect(normalize({ ...bert, strip_accents: false }, 'Héllo').normalized).toBe('héllo');
    expect(normalize(bert, 'a\u038bb').normalized).toBe('a\u038bb');
  });

  it('NFKC folds compatibility characters and keeps each result on its source', () => {
    const s = normalize({ type: 'NFKC' }, 'ﬁ𝔾x');
    expect(s.normalized).toBe('fiGx');
    expect(spans(s)).toEqual([[0, 1], [0, 1], [1, 3], [3, 4]]);
  });

  it('NFC composes; NFD / NFKD decompose', () => {
    expect(normalize({ type: 'NFC' }, 'e\u0301').normalized).toBe('é');
    expect(normalize({ type: 'NFD' }, 'é').normalized).toBe('e\u0301');
    expect(normalize({ type: 'NFKD' }, 'ﬁ').normalized).toBe('fi');
  });

  it('Sequence of Prepend and Replace writes SentencePiece spaces (the llama2 normalizer)', () => {
    const config = { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] };
    const s = normalize(config, 'Hey you');
    expect(s.normalized).toBe('▁Hey▁you');
    expect(spans(s).slice(0, 5)).toEqual([[0, 1], [0, 1], [1, 2], [2, 3], [3, 4]]);
    expect(normalize(config, '').normalized).toBe('');
  });

  it('Lowercase, StripAccents, Strip and ByteLevel', () => {
    expect(normalize({ type: 'Lowercase' }, 'ÀB').normalized).toBe('àb');
    expect(normalize({ type: 'StripAccents' }, 'e\u0301a').normalized).toBe('ea');
    expect(normalize({ type: 'Strip', strip_left: true, strip_right: false }, '  a  ').normalized).toBe('a  ');
    const bytes = normalize({ type: 'ByteLevel' }, 'é a');
    expect(bytes.normalized).toBe('Ã©Ġa');
    expect(spans(bytes)).toEqual([[0, 1], [0, 1], [1, 2], [2, 3]]);
  });

  it('Precompiled applies the SentencePiece charsmap of T5 (NFKC-like folding)', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const t5 = JSON.parse(readFileSync(join(here, '../../../test/fixtures/tokenizers/t5/tokenizer.json'), 'utf8')) as Json;
    const s = normalize(t5.normalizer as Json, 'ﬁＡb');
    expect(s.normalized).toBe('fiAb');
    expect(spans(s)).toEqual([[0, 1], [0, 1], [1, 2], [2, 3]]);
  });

  it('rejects unknown types and malformed fields naming the component', () => {
    expect(() => normalizerFromConfig({ type: 'Nope' })).toThrow(TokenizerConfigError);
    expect(() => normalizerFromConfig({ type: 'Replace', pattern: { Glob: '*' }, content: '' })).toThrow(/normalizer Replace/);
    expect(normalizerFromConfig(undefined)).toBeNull();
  });
});

describe('BertNormalizer in one pass', () => {
  // The step-by-step chain Rust runs, each step already checked against the Rust goldens.
  function stepByStep(text: string): NormalizedString {
    const s = new NormalizedString(text);
    s.filter((cp) => cp === 9 || cp === 10 || cp === 13 || !(cp === 0 || cp === 0xfffd || isOther(cp)));
    s.replaceUnitForUnit([...s.normalized].map((c) => (isWhitespace(c.codePointAt(0)!) ? ' ' : c)).join(''));
    s.expandChars((cp, edits) => {
      if (!isChineseChar(cp)) {
        edits.push(cp, 0);
        return;
      }
      edits.push(0x20, 0);
      edits.push(cp, 1);
      edits.push(0x20, 1);
    });
    s.normalizeUnicode('NFD');
    s.filter((cp) => !isMarkNonspacing(cp));
    s.lowercase();
    return s;
  }

  it.each([
    ['accents and controls', '\u0000Ça\u200b va\t\u00e9t\u00e9 \ufffd!'],
    ['CJK and compatibility ideographs', 'Tokyo 東京\uf900 x'],
    ['surrogate pairs and Hangul', 'Ölçü \u{1d400}\u{20000} 한국어 \u{1f600}'],
    ['expanding lowercase', 'İSTANBUL ǅ ΣΑΣ'],
    ['stacked marks', 'a\u0316\u0301b\u0327\u0300'],
  ])('matches the step-by-step chain on %s', (_, text) => {
    const fast = normalize(bert, text);
    const slow = stepByStep(text);
    expect(fast.normalized).toBe(slow.normalized);
    expect(spans(fast)).toEqual(spans(slow));
  });
});
