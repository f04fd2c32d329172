/**
 * The decoder chains of the 14 goldens are checked end to end in ../decode-ids.test.ts. This file
 * covers what no golden tokenizer uses (CTC, Strip at the end of a token, non-UTF-8 byte runs, WordPiece
 * without cleanup) with the input/output vectors of Rust `tokenizers`' own unit tests, and the config
 * errors. BPEDecoder has no such vector and no golden: it is untested.
 */
import { describe, expect, it } from 'vitest';
import { TokenizerConfigError } from '../types.js';
import { decoderFromConfig } from './index.js';

const decode = (config: Record<string, unknown>, tokens: string[]) => decoderFromConfig(config)!.decodeChain(tokens);

describe('decoders on Rust tokenizers unit-test vectors', () => {
  it('ByteFallback turns a run that is not UTF-8 into one U+FFFD per byte, and a valid run into its text', () => {
    const config = { type: 'ByteFallback' };
    expect(decode(config, ['<0xE5>', '<0x8f>', 'a'])).toEqual(['\uFFFD', '\uFFFD', 'a']);
    expect(decode(config, ['<0xE5>', '<0x8f>', '<0xab>', 'a'])).toEqual(['叫', 'a']);
    expect(decode(config, ['<0x61>'])).toEqual(['a']);
  });

  it('CTC collapses repeats, drops the pad token and turns the word delimiter into a space', () => {
    const config = { type: 'CTC', pad_token: '<pad>', word_delimiter_token: '|', cleanup: true };
    const tokens = '<pad> <pad> h e e l l <pad> l o o o <pad> <pad> | <pad> w o o o r <pad> <pad> l l d <pad> <pad> <pad> <pad>'.split(' ');
    expect(decode(config, tokens)).toEqual(['h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd']);
  });

  it('Strip removes at most `start` leading and `stop` trailing copies of its character', () => {
    expect(decode({ type: 'Strip', content: 'H', start: 1, stop: 0 }, ['Hey', ' friend!', 'HHH'])).toEqual(['ey', ' friend!', 'HH']);
    expect(decode({ type: 'Strip', content: 'y', start: 0, stop: 1 }, ['Hey', ' friend!'])).toEqual(['He', ' friend!']);
  });

  it('WordPiece without cleanup keeps a leading ## on the first token', () => {
    expect(decode({ type: 'WordPiece', prefix: '##', cleanup: false }, ['##uelo', 'Ara', '##új', '##o', 'No', '##guera']).join('')).toBe('##uelo Araújo Noguera');
  });
});

describe('decoder configuration', () => {
  it('has no decoder for null', () => {
    expect(decoderFromConfig(null)).toBeNull();
  });

  it('names the unknown type inside a Sequence', () => {
    expect(() => decoderFromConfig({ type: 'Sequence', decoders: [{ type: 'Fuse' }, { type: 'Nope' }] })).toThrow(/decoder\.decoders\[1\]\.type/);
  });

  it('rejects a Metaspace prepend_scheme it does not know', () => {
    expect(() => decoderFromConfig({ type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'sometimes' })).toThrow(TokenizerConfigError);
  });

  it('rejects a Strip content that is not one character', () => {
    expect(() => decoderFromConfig({ type: 'Strip', content: 'ab', start: 1, stop: 0 })).toThrow(/decoder\.content/);
  });
});
