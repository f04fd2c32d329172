/**
 * Each pre-tokenizer on the inputs Rust `tokenizers` uses in its own pre-tokenizer tests, with the
 * pieces and original offsets those tests assert (converted from bytes to UTF-16 units).
 */
import { describe, expect, it } from 'vitest';
import { NormalizedString } from '../normalized-string.js';
import { PreTokenizedString } from '../pre-tokenized-string.js';
import { TokenizerConfigError, type PreTokenizer } from '../types.js';
import { preTokenizerFromConfig } from './index.js';

function run(config: Record<string, unknown>, text: string): [string, [number, number]][] {
  const p = new PreTokenizedString(new NormalizedString(text));
  (preTokenizerFromConfig(config) as PreTokenizer).preTokenize(p);
  return p.splits.map((s) => [s.normalized.normalized, s.normalized.originalOffsets([0, s.normalized.length])]);
}

describe('pre-tokenizers', () => {
  it('ByteLevel splits with the GPT-2 regex and maps bytes to characters', () => {
    expect(run({ type: 'ByteLevel', add_prefix_space: false, use_regex: true }, 'Hello my friend, how is your day going?')).toEqual([
      ['Hello', [0, 5]],
      ['Ġmy', [5, 8]],
      ['Ġfriend', [8, 15]],
      [',', [15, 16]],
      ['Ġhow', [16, 20]],
      ['Ġis', [20, 23]],
      ['Ġyour', [23, 28]],
      ['Ġday', [28, 32]],
      ['Ġgoing', [32, 38]],
      ['?', [38, 39]],
    ]);
  });

  it('ByteLevel add_prefix_space aligns the added space with the first character; bytes of one character share its span', () => {
    expect(run({ type: 'ByteLevel', add_prefix_space: true, use_regex: true }, 'é!')).toEqual([
      ['ĠÃ©', [0, 1]],
      ['!', [1, 2]],
    ]);
  });

  it('Metaspace replaces spaces, prepends the replacement and splits before it', () => {
    expect(run({ type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true }, 'Hey friend!')).toEqual([
      ['▁Hey', [0, 3]],
      ['▁friend!', [3, 11]],
    ]);
    expect(run({ type: 'Metaspace', replacement: '▁', prepend_scheme: 'never', split: false }, 'Hey  friend!')).toEqual([['Hey▁▁friend!', [0, 12]]]);
  });

  it('Metaspace with prepend_scheme "first" prepends only at the start of the input', () => {
    const p = new PreTokenizedString([
      { normalized: new NormalizedString('Hey'), tokens: null },
      { normalized: new NormalizedString('you', 3), tokens: null },
    ]);
    (preTokenizerFromConfig({ type: 'Metaspace', replacement: '▁', prepend_scheme: 'first' }) as PreTokenizer).preTokenize(p);
    expect(p.splits.map((s) => s.normalized.normalized)).toEqual(['▁Hey', 'you']);
  });

  it('Whitespace keeps runs of word characters and runs of symbols', () => {
    expect(run({ type: 'Whitespace' }, 'How are you doing?')).toEqual([
      ['How', [0, 3]],
      ['are', [4, 7]],
      ['you', [8, 11]],
      ['doing', [12, 17]],
      ['?', [17, 18]],
    ]);
  });

  it('WhitespaceSplit drops every whitespace character', () => {
    expect(run({ type: 'WhitespaceSplit' }, 'Hey man!\u3000ok')).toEqual([
      ['Hey', [0, 3]],
      ['man!', [4, 8]],
      ['ok', [9, 11]],
    ]);
  });

  it('BertPreTokenizer drops whitespace and isolates punctuation', () => {
    expect(run({ type: 'BertPreTokenizer' }, 'Hey friend!     How are you?!?').map(([t]) => t)).toEqual([
      'Hey', 'friend', '!', 'How', 'are', 'you', '?', '!', '?',
    ]);
  });

  it('Punctuation isolates each punctuation character by default', () => {
    expect(run({ type: 'Punctuation' }, 'Hey friend!     How are you?!?')).toEqual([
      ['Hey friend', [0, 10]],
      ['!', [10, 11]],
      ['     How are you', [11, 27]],
      ['?', [27, 28]],
      ['!', [28, 29]],
      ['?', [29, 30]],
    ]);
  });

  it('Digits splits digits one by one or in runs', () => {
    expect(run({ type: 'Digits', individual_digits: true }, 'Hey 123 friend!').map(([t]) => t)).toEqual(['Hey ', '1', '2', '3', ' friend!']);
    expect(run({ type: 'Digits', individual_digits: false }, 'Hey 123 friend!')).toEqual([
      ['Hey ', [0, 4]],
      ['123', [4, 7]],
      [' friend!', [7, 15]],
    ]);
  });

  it('Split supports string patterns, regexes and invert', () => {
    expect(run({ type: 'Split', pattern: { String: ' ' }, behavior: 'MergedWithPrevious', invert: false }, 'a b  c').map(([t]) => t)).toEqual(['a ', 'b ', ' ', 'c']);
    expect(run({ type: 'Split', pattern: { Regex: '\\d+' }, behavior: 'Removed', invert: true }, 'ab12cd3').map(([t]) => t)).toEqual(['12', '3']);
  });

  it('Sequence runs its pre-tokenizers in order', () => {
    const config = { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always' }] };
    expect(run(config, 'Hey  you')).toEqual([
      ['▁Hey', [0, 3]],
      ['▁you', [5, 8]],
    ]);
  });

  it('rejects unknown types and malformed fields naming the component', () => {
    expect(() => preTokenizerFromConfig({ type: 'Nope' })).toThrow(TokenizerConfigError);
    expect(() => preTokenizerFromConfig({ type: 'Split', pattern: { Regex: 'a' }, behavior: 'Sideways' })).toThrow(/pre_tokenizer Split/);
    expect(preTokenizerFromConfig(null)).toBeNull();
  });
});
